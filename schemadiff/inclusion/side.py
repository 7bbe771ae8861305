"""One side of an inclusion question: its documents, how its ``$ref``s resolve, its draft, and the
``jsonschema`` validator that has the last word on every witness.

A side reuses the project's own machinery: a :class:`~schemadiff.refs.Workspace` resolves references
(within the document, to embedded ``$id``s, and to files next to it, confined to its folder), a
:class:`~schemadiff.normalise.Normaliser` builds canonical views, and the validator classes and
``referencing`` registry of :mod:`schemadiff.verify` check documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from schemadiff.errors import InputError
from schemadiff.verify import SPECIFICATIONS, Verifier
from schemadiff.load import escape_token, parse
from schemadiff.normalise import Node, Normaliser
from schemadiff.refs import DEFAULT_DRAFT, Workspace
from schemadiff.sources import Source, file_source

DRAFT_NAMES = {4: "draft-04", 6: "draft-06", 7: "draft-07", 2019: "2019-09", 2020: "2020-12"}

#: keywords that exist in only some drafts, as evidence of the draft a schema without ``$schema``
#: was written for: (keyword, test on its value, draft)
_EVIDENCE = (
    ("exclusiveMinimum", lambda v: isinstance(v, bool), 4),
    ("exclusiveMaximum", lambda v: isinstance(v, bool), 4),
    ("id", lambda v: isinstance(v, str), 4),
    ("items", lambda v: isinstance(v, list), 7),
    ("additionalItems", lambda v: True, 7),
    ("dependencies", lambda v: isinstance(v, dict), 7),
    ("$recursiveRef", lambda v: True, 2019),
    ("$recursiveAnchor", lambda v: True, 2019),
    ("prefixItems", lambda v: True, 2020),
    ("$dynamicRef", lambda v: True, 2020),
    ("$defs", lambda v: True, 2020),
)
_GUESS_LIMIT = 200_000   # nodes looked at when guessing: a hint, not worth an unbounded walk


def guess_draft(data: Any) -> tuple[int, str | None]:
    """The draft a schema without ``$schema`` was most likely written for, and why (None: no
    evidence, the newest draft applies as validators do). A draft-04 keyword spelling wins over
    later ones: a boolean ``exclusiveMinimum`` means nothing to a later validator."""
    stack = [("", data)]
    found: dict[int, str] = {}
    seen = 0
    while stack and seen < _GUESS_LIMIT:
        pointer, node = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for keyword, test, draft in _EVIDENCE:
            if keyword in node and test(node[keyword]) and draft not in found:
                found[draft] = f"{pointer}/{escape_token(keyword)}"
        stack.extend((f"{pointer}/{escape_token(str(k))}", v) for k, v in node.items()
                     if isinstance(v, (dict, list)))
    for draft in (4, 7, 2019, 2020):
        if draft in found:
            return draft, found[draft]
    return DEFAULT_DRAFT, None


class Probe(Verifier):
    """The project's validator (:class:`~schemadiff.verify.Verifier`) for one side, with two
    guarantees the inclusion checker needs: a reference to a file the workspace has not opened yet
    is opened through the workspace (confined to the schema's folder, never the network), and a
    node that is not really in its document (a stand-in made up on the way in) is never validated
    as if it were."""

    def registry(self) -> Registry:
        if self._registry is None:
            resources = []
            for doc in self.side.workspace.documents():
                resource = Resource(contents=doc.data, specification=SPECIFICATIONS[doc.draft])
                resources.extend(((self._uri(doc), resource), (doc.uri, resource)))
            self._registry = Registry(retrieve=self._retrieve).with_resources(resources)
        return self._registry

    def _retrieve(self, uri: str) -> Resource:
        workspace = self.side.workspace
        try:
            target = workspace.resolve(uri, workspace.main, "")
        except (InputError, LookupError, OSError, ValueError) as err:
            raise NoSuchResource(ref=uri) from err
        if isinstance(target, str):
            raise NoSuchResource(ref=uri)
        return Resource(contents=target.doc.data, specification=SPECIFICATIONS[target.doc.draft])

    def check(self, node: Node, document) -> bool | None:
        """Does the schema at ``node`` accept the document? None when it cannot be told."""
        if node.value is True or node.value is False:
            return node.value
        try:
            real = node.doc.at(node.pointer) is node.value
        except KeyError:
            real = False
        if not real:
            return None
        return self.accepts(node, document)


@dataclass(eq=False)
class Side:
    """The documents of one version of a schema, ready for inclusion questions."""

    normaliser: Normaliser
    label: str = "old"
    notes: tuple[str, ...] = ()
    boolean_root: bool | None = None       # the whole schema is ``true`` or ``false``
    probe: Probe = field(init=False, repr=False)

    def __post_init__(self):
        self.probe = Probe(self.normaliser, self.label)

    @classmethod
    def of(cls, schema: Any = None, *, path: str | Path | None = None, label: str = "old",
           draft: int | None = None) -> "Side":
        """A side from a schema value (a dict or a boolean) or a file (whose relative ``$ref``s are
        read from its folder). Without ``$schema`` and without ``draft``, the draft is guessed
        from the schema's shape, and a note says so."""
        if path is not None:
            source = file_source(Path(path))
            data = parse(source) if schema is None else schema
        else:
            text = json.dumps(schema, default=str)
            source = Source(name=f"<{label}>", text=text, key=f"<{label}>")
            data = schema
        notes: list[str] = []
        document = data if isinstance(data, dict) else {}
        if draft is None and "$schema" not in document:
            draft, evidence = guess_draft(document)
            if evidence is not None:
                notes.append(f"the {label} schema has no $schema: read as {DRAFT_NAMES[draft]} "
                             f"(from {evidence})")
        workspace = Workspace(source, document, default_draft=draft or DEFAULT_DRAFT)
        return cls(Normaliser(workspace), label, tuple(notes),
                   data if isinstance(data, bool) else None)

    @classmethod
    def of_normaliser(cls, normaliser: Normaliser, label: str) -> "Side":
        """A side over documents already loaded for a comparison (shares their ref resolution)."""
        return cls(normaliser, label)

    def root(self) -> Node:
        """The main document's root schema (a boolean schema stays a boolean)."""
        doc = self.normaliser.workspace.main
        return Node(doc, "", doc.data if self.boolean_root is None else self.boolean_root)

    def at(self, pointer: str) -> Node:
        """The schema at a JSON pointer of the main document (KeyError if there is none)."""
        doc = self.normaliser.workspace.main
        return Node(doc, pointer, doc.at(pointer))
