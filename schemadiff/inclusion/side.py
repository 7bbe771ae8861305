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

from schemadiff.load import parse
from schemadiff.normalise import Node, Normaliser
from schemadiff.refs import DEFAULT_DRAFT, DRAFT_NAMES, Workspace, guess_draft
from schemadiff.sources import Source, file_source


@dataclass(eq=False)
class Side:
    """The documents of one version of a schema, ready for inclusion questions."""

    normaliser: Normaliser
    label: str = "old"
    notes: tuple[str, ...] = ()
    boolean_root: bool | None = None       # the whole schema is ``true`` or ``false``
    _probe: Any = field(default=None, init=False, repr=False)

    @property
    def probe(self) -> Any:
        """The validator of this side (inclusion/probe.py), made when a witness is first checked:
        jsonschema is imported only by a question whose answer needs a document validated."""
        if self._probe is None:
            from schemadiff.inclusion.probe import Probe

            self._probe = Probe(self.normaliser, self.label)
        return self._probe

    @classmethod
    def of(cls, schema: Any = None, *, path: str | Path | None = None, label: str = "old",
           draft: int | None = None) -> Side:
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
    def of_normaliser(cls, normaliser: Normaliser, label: str) -> Side:
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
