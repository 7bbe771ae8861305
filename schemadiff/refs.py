"""Documents and ``$ref`` resolution: where a reference leads, as (document, JSON pointer, value).

Resolution fetches the network only when the caller allows it (``--allow-remote-refs``); otherwise
an ``http(s)`` reference that no document here declares is returned as *remote* and compared by its
address. Relative file references are read through the
source, which confines them to the schema's own folder (or git revision). Results are memoised by
(document, reference), and documents are never copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from schemadiff.errors import InputError
from schemadiff.load import Positions, escape_token, parse, unescape_token
from schemadiff.sources import Source, decode

DRAFTS = {
    "draft-03": 4, "draft-04": 4, "draft-06": 6, "draft-07": 7, "2019-09": 2019, "2020-12": 2020,
    "interagent-hyper-schema": 4, "oas/3.1": 2020,
}
#: without ``$schema``, the jsonschema library (and most validators) apply the newest draft
DEFAULT_DRAFT = 2020

#: keywords whose value is a subschema, a list of them, or a map of them: where ``$id``s may appear
SCHEMA_VALUED = {"additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not",
                 "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"}
SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems", "items"}
SCHEMA_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
               "dependencies"}


def draft_of(data: dict, default: int = DEFAULT_DRAFT) -> int:
    uri = data.get("$schema")
    if isinstance(uri, str):
        for marker, draft in DRAFTS.items():
            if marker in uri:
                return draft
    return default


@dataclass(frozen=True)
class Target:
    """Where a reference leads."""

    doc: Document
    pointer: str
    value: object

    @property
    def where(self) -> str:
        """The pointer as shown in change records: plain for the main file, ``file#pointer`` otherwise."""
        return self.doc.qualify(self.pointer)


@dataclass(eq=False)
class Document:
    source: Source = field(repr=False)
    data: dict = field(repr=False)
    draft: int = DEFAULT_DRAFT
    label: str = ""                # "" for the main document, else its path relative to it
    uri: str = ""
    positions: Positions = field(init=False)
    _resources: dict | None = field(default=None, init=False, repr=False)
    _anchors: dict | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.positions = Positions(self.source)
        root_id = self.data.get("$id", self.data.get("id"))
        base = self.source.key if self.source.key.startswith("/") else f"/{self.source.key}"
        self.uri = urldefrag(root_id)[0] if isinstance(root_id, str) and urlsplit(root_id).scheme \
            else "file://" + base

    def qualify(self, pointer: str) -> str:
        return f"{self.label}#{pointer}" if self.label else pointer

    def at(self, pointer: str) -> Any:
        """The value at a JSON pointer, or raise KeyError."""
        node = self.data
        if not pointer:
            return node
        for token in pointer[1:].split("/"):
            if "~" in token:
                token = unescape_token(token)
            if isinstance(node, dict):
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node

    def _index(self) -> None:
        """Find embedded ``$id`` resources and ``$anchor``s, walking schema positions only."""
        resources: dict[str, str] = {}
        anchors: dict[str, str] = {}
        stack = [("", self.data, self.uri)]
        while stack:
            pointer, node, base = stack.pop()
            if not isinstance(node, dict):
                continue
            ident = node.get("$id")
            if isinstance(ident, str):
                if ident.startswith("#"):
                    anchors[ident[1:]] = pointer
                else:
                    base = urldefrag(urljoin(base, ident))[0]
                    resources.setdefault(base, pointer)
            anchor = node.get("$anchor")
            if isinstance(anchor, str):
                anchors.setdefault(anchor, pointer)
            for key, value in node.items():
                child = f"{pointer}/{escape_token(key)}"
                if key in SCHEMA_VALUED and isinstance(value, dict):
                    stack.append((child, value, base))
                elif key in SCHEMA_LISTS and isinstance(value, list):
                    stack.extend((f"{child}/{i}", v, base) for i, v in enumerate(value))
                elif key in SCHEMA_MAPS and isinstance(value, dict):
                    stack.extend((f"{child}/{escape_token(k)}", v, base) for k, v in value.items())
        self._resources, self._anchors = resources, anchors

    def resource(self, uri: str) -> str | None:
        if uri == self.uri:
            return ""
        if self._resources is None:
            self._index()
        assert self._resources is not None
        return self._resources.get(uri)

    def anchor(self, name: str) -> str | None:
        if self._anchors is None:
            self._index()
        assert self._anchors is not None
        return self._anchors.get(name)


class Workspace:
    """One side of a comparison: the main document and any files its references bring in."""

    def __init__(self, source: Source, data: dict | None = None, default_draft: int = DEFAULT_DRAFT,
                 allow_remote: bool = False):
        self.allow_remote = allow_remote
        data = parse(source) if data is None else data
        source.release()
        self.main = Document(source, data, draft_of(data, default_draft))
        self._docs: dict[str, Document] = {source.key: self.main}
        self._memo: dict[tuple[int, str], Target | str] = {}

    def locate(self, wheres: Iterable[str | None]) -> dict[str, dict | None]:
        """``{"file", "line", "column"}`` for pointers as change records write them (``None``
        where there is none), looked up in one scan per document."""
        by_doc: dict[int, tuple[Document, dict[str, str]]] = {}
        out: dict[str, dict | None] = {}
        for where in wheres:
            if where is None:
                continue
            doc: Document | None = self.main
            pointer = where
            if "#" in where:
                label, pointer = where.split("#", 1)
                doc = next((d for d in self._docs.values() if d.label == label), None)
                if doc is None:
                    out[where] = None
                    continue
            if doc is not None:
                by_doc.setdefault(id(doc), (doc, {}))[1][where] = pointer
        for doc, pointers in by_doc.values():
            positions = doc.positions.get_many(pointers.values())
            for where, pointer in pointers.items():
                hit = positions[pointer]
                out[where] = None if hit is None else {"file": doc.source.file, "line": hit[0],
                                                       "column": hit[1]}
        return out

    def documents(self) -> list[Document]:
        """The main document and every file its references have brought in so far."""
        return list(self._docs.values())

    def resolve(self, ref: str, doc: Document, site: str) -> Target | str:
        """Resolve ``ref`` found at ``site`` in ``doc``: a Target, or the address of a remote schema."""
        key = (id(doc), ref)
        hit = self._memo.get(key)
        if hit is None:
            try:
                hit = self._memo[key] = self._resolve(ref, doc)
            except LookupError as missing:
                line, column = self._position(doc, site)
                raise InputError(f"$ref {ref!r} at {site or '/'} leads nowhere: {missing.args[0]}",
                                 doc.source.name, line, column) from None
            except InputError as err:
                if err.source in (None, doc.source.name):
                    raise
                # the referenced file is missing, outside the folder or not a schema: name the
                # place that refers to it too, so the reader knows which $ref to look at
                line, column = self._position(doc, site)
                raise InputError(f"$ref {ref!r} at {site or '/'}: {err}", doc.source.name, line,
                                 column) from None
        return hit

    @staticmethod
    def _position(doc: Document, site: str) -> tuple[int | None, int | None]:
        position = doc.positions.get(site)
        return position if position else (None, None)

    def _resolve(self, ref: str, doc: Document) -> Target | str:
        address, fragment = urldefrag(ref)
        fragment = unquote(fragment)
        if not address:
            return self._in_document(doc, "", fragment)
        absolute = urldefrag(urljoin(doc.uri, address))[0]
        pointer = doc.resource(absolute)
        if pointer is not None:
            return self._in_document(doc, pointer, fragment)
        for other in self._docs.values():
            if other.uri == absolute:
                return self._in_document(other, "", fragment)
        scheme = urlsplit(absolute).scheme
        if scheme in ("http", "https") and self.allow_remote:
            return self._in_document(self._fetch(absolute), "", fragment)
        if urlsplit(address).scheme in ("http", "https", "urn"):
            return absolute + (f"#{fragment}" if fragment else "")
        other = self._open(doc, address)
        return self._in_document(other, "", fragment)

    def _fetch(self, url: str) -> Document:
        """Download a remote schema: only with --allow-remote-refs, once per address."""
        for known in self._docs.values():
            if known.source.key == url:
                return known
        from urllib.request import Request, urlopen

        try:
            with urlopen(Request(url, headers={"Accept": "application/json, application/yaml"}),
                         timeout=20) as reply:
                body = reply.read(50_000_000)
        except OSError as err:
            raise InputError(f"cannot fetch {url}: {getattr(err, 'reason', err)}") from None
        source = Source(name=url, text=decode(body, url), key=url)
        data = parse(source)
        other = Document(source, data, draft_of(data, self.main.draft), label=url)
        self._docs[url] = other
        return other

    def _open(self, doc: Document, address: str) -> Document:
        path = unquote(urlsplit(address).path)
        source = doc.source.open_relative(path)
        known = self._docs.get(source.key)
        if known is not None:
            return known
        data = parse(source)
        source.release()
        label = path if not doc.label else urljoin(doc.label, path)
        other = Document(source, data, draft_of(data, doc.draft), label=label)
        self._docs[source.key] = other
        return other

    def _in_document(self, doc: Document, base: str, fragment: str) -> Target:
        if fragment and not fragment.startswith("/"):
            pointer = doc.anchor(fragment)
            if pointer is None:
                raise LookupError(f"no anchor {fragment!r}")
            return Target(doc, pointer, doc.at(pointer))
        for start in dict.fromkeys((base, "")):  # scoped first, then the root (prmd's convention)
            try:
                return Target(doc, start + fragment, doc.at(start + fragment))
            except KeyError:
                continue
        raise LookupError(f"nothing at {fragment or '/'}")

    def reachable(self, *starts: str, asked: set[str] | None = None) -> set[str]:
        """Qualified pointers of every schema that ``$ref``s reach from places of the main document
        (its root by default). Walks schema positions only (not ``definitions`` containers, not
        example values), and builds no pointer on the way: only the targets are named (a reference
        that leads nowhere just reaches nothing here, so where it sits is never needed).

        With ``asked``, the walk stops once all of those are reached: the answer is then exact for
        them only (the definitions that changed, usually reached long before the walk is done)."""
        targets: set[str] = set()
        missing = set(asked) if asked is not None else None
        stack = self._starts(starts)
        walked: set[int] = set()   # one value at many places (YAML aliases) is walked once
        keep: list[object] = []    # the walked values' ids stay theirs until the walk ends
        while stack:
            doc, node = stack.pop()
            if isinstance(node, list):
                if id(node) not in walked:
                    walked.add(id(node))
                    keep.append(node)
                    stack.extend((doc, v) for v in node if isinstance(v, (dict, list)))
                continue
            if not isinstance(node, dict) or id(node) in walked:
                continue
            walked.add(id(node))
            keep.append(node)
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = self._first_reach(ref, doc, targets)
                if target is not None:
                    stack.append((target.doc, target.value))
                    if missing is not None:
                        missing.discard(target.where)
                        if not missing:
                            return targets
            _push_schemas(stack, doc, node)
        return targets

    def _starts(self, starts: tuple[str, ...]) -> list[tuple[Document, Any]]:
        """The places of the main document a walk starts from (its root by default), each once:
        operations share parameters and bodies; a place that is not there starts nothing."""
        stack = []
        for start in dict.fromkeys(starts or ("",)):
            try:
                stack.append((self.main, self.main.at(start)))
            except KeyError:
                continue
        return stack

    def _first_reach(self, ref: str, doc: Document, targets: set[str]) -> Target | None:
        """The target of a ``$ref`` met in ``doc`` when no other reference reached it before (it is
        added to ``targets``); None when it leads nowhere or was reached already."""
        try:
            target = self.resolve(ref, doc, "")
        except InputError:
            return None
        if not isinstance(target, Target) or target.where in targets:
            return None
        targets.add(target.where)
        return target


_WALKED_KEYS = SCHEMA_VALUED | SCHEMA_LISTS
_WALKED_MAPS = SCHEMA_MAPS - {"definitions", "$defs"}


def _push_schemas(stack: list[tuple[Document, Any]], doc: Document, node: dict) -> None:
    """The schemas directly inside a schema object, onto the walk's stack (schema positions
    only: not ``definitions`` containers, not example values)."""
    for key, value in node.items():
        if key in _WALKED_KEYS:
            if isinstance(value, (dict, list)):
                stack.append((doc, value))
        elif key in _WALKED_MAPS and isinstance(value, dict):
            stack.extend((doc, v) for v in value.values() if isinstance(v, (dict, list)))


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


def guess_draft(data: object) -> tuple[int, str | None]:
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
