"""The canonical form of one schema node, so that equivalent spellings compare equal.

A :class:`View` is built for a *conjunction* of schema nodes (one node, or the parts of an ``allOf``) and
holds each keyword in one canonical shape: ``type`` as a set (``integer`` folded into ``number``),
``enum``/``const`` as a set of canonical values, ``required`` as a set, bounds as ``(value, exclusive)``
whatever the draft's spelling, ``$ref`` followed (or kept beside its siblings from 2019-09 on),
``allOf`` parts merged, ``dependencies`` split into ``dependentRequired``/``dependentSchemas``, and the
*envelope* of types that ``anyOf``/``oneOf`` branches allow, so that a type list and a choice of bare
types compare equal. Children stay unresolved :data:`Conj` tuples,
normalised only when the walk reaches them, so nothing is built for parts that did not change.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schemadiff import budget
from schemadiff.errors import InputError
from schemadiff.load import escape_token
from schemadiff.refs import Document, Target, Workspace

JSON_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")
ALL_TYPES = frozenset(JSON_TYPES) - {"integer"}

ANNOTATIONS = ("title", "description", "default", "examples", "example", "deprecated", "readOnly",
               "writeOnly", "$comment")
#: keywords that shape the document but are neither validation nor annotation: never reported as such
#: patterns every string matches (ECMA-262 search semantics): the same as no pattern at all
UNIVERSAL_PATTERNS = frozenset({"", ".*", "^.*", ".*$"})
#: what a string encodes (2019-09 content vocabulary): compared by rules of their own
CONTENT = ("contentEncoding", "contentMediaType", "contentSchema")
STRUCTURAL = {"$ref", "$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor",
              "definitions", "$defs", "$vocabulary", "links", "stability", "strictProperties"}


@dataclass(frozen=True, slots=True)
class Node:
    """One place in a schema document."""

    doc: Document = field(repr=False)
    pointer: str
    value: Any = field(repr=False)

    def child(self, key: str | int) -> Node:
        value = self.value[key]
        if type(key) is not str:
            key = str(key)
        elif "~" in key or "/" in key:
            key = escape_token(key)
        return Node(self.doc, f"{self.pointer}/{key}", value)

    @property
    def where(self) -> str:
        return self.doc.qualify(self.pointer)

    @classmethod
    def of(cls, target: Target) -> Node:
        return cls(target.doc, target.pointer, target.value)


Conj = tuple  # tuple[Node, ...]: all of these apply (an allOf, or a property defined in several parts)


def places(conj: Conj) -> tuple:
    """What identifies a conjunction: its nodes' places. A stand-in for an absent subschema (a bare
    ``true``) sits at its parent's place, so the flag keeps the two apart."""
    return tuple((node.where, node.value is True) for node in conj)


def canonical(value: Any) -> str:
    """A canonical text for a JSON value: equal JSON values (1 and 1.0, any key order) give equal text.
    Scalars, most of the values compared, skip the encoder's set-up (the same text, a tenth of
    the time)."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if kind is int:
        return int.__repr__(value)
    if value is None or kind is bool:
        return _LITERALS[value]
    return json.dumps(_canonical_numbers(value), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


_quoted = json.encoder.encode_basestring   # what json.dumps(ensure_ascii=False) does to a str
_LITERALS = {None: "null", True: "true", False: "false"}


def _canonical_numbers(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_numbers(v) for v in value]
    return value


def type_of(value: Any) -> str:
    """The JSON Schema type of a JSON value (integers, and floats with no fraction, are integers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def types_accept(types: frozenset | None, kind: str) -> bool:
    if types is None:
        return True
    return kind in types or (kind == "integer" and "number" in types)


def intersect_types(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    if a is None:
        return b
    if b is None:
        return a
    both = set(a & b)
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        both.add("integer")
    return canonical_types(both)


def canonical_types(types: Iterable[str]) -> frozenset:
    types = frozenset(types)
    return types - {"integer"} if "number" in types else types


@dataclass
class Bound:
    value: float
    exclusive: bool
    site: str   # the pointer of the keyword that sets it


@dataclass(slots=True)
class View:
    """The canonical keywords of a conjunction of schema nodes."""

    conj: Conj
    never: bool = False                    # accepts nothing (``false``, or contradictory types)
    types: frozenset | None = None         # None: any type
    envelope: frozenset | None = None      # the types it can accept, anyOf/oneOf branches included
    enum: dict[str, Any] | None = None     # canonical text -> value; None: unconstrained
    properties: dict[str, list] = field(default_factory=dict)       # name -> [Node]
    required: set[str] = field(default_factory=set)
    additional: list | None = None         # [Node]; a ``false`` node closes the object
    pattern_properties: dict[str, list] = field(default_factory=dict)
    property_names: list = field(default_factory=list)
    min_properties: int | None = None
    max_properties: int | None = None
    dependent_required: dict[str, set] = field(default_factory=dict)
    dependent_schemas: dict[str, list] = field(default_factory=dict)
    prefix: list[list] = field(default_factory=list)                  # per position: [Node]
    items: list | None = None              # schema for items after the prefix
    contains: list = field(default_factory=list)
    min_contains: int | None = None
    max_contains: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_length: int | None = None
    max_length: int | None = None
    patterns: dict[str, str] = field(default_factory=dict)           # pattern -> site
    formats: dict[str, str] = field(default_factory=dict)            # format -> site
    minimum: Bound | None = None
    maximum: Bound | None = None
    multiple_of: dict[float, str] = field(default_factory=dict)
    any_of: list[list[Node]] = field(default_factory=list)
    one_of: list[list[Node]] = field(default_factory=list)
    not_: list[Node] = field(default_factory=list)
    conditionals: list[tuple] = field(default_factory=list)          # (if, then|None, else|None)
    unevaluated_properties: list = field(default_factory=list)
    unevaluated_items: list = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    remote: str | None = None              # a reference that is not followed (remote address)
    nullable: bool = False
    discriminator: Any = None
    content: dict[str, Node] = field(default_factory=dict)          # contentEncoding... -> node
    sites: dict[str, str] = field(default_factory=dict)              # keyword -> pointer of its node

    @property
    def where(self) -> str:
        return self.conj[0].where if self.conj else ""

    def site(self, keyword: str) -> str:
        return self.sites.get(keyword, self.where)

    @property
    def closed(self) -> bool:
        """No property beyond those listed is allowed."""
        return any(node.value is False for node in self.additional or ())

    def open_schema_for(self, name: str) -> list | None:
        """The schemas that apply to a property ``name`` not listed in ``properties``; None if any.

        A pattern that cannot be matched within budget (exponential backtracking on a long name)
        counts as not matching: the name falls to ``additionalProperties``, which, when closed,
        makes the change look more severe, never less."""
        matched = []
        for pattern, nodes in self.pattern_properties.items():
            if budget.matches(pattern, name):
                matched.extend(nodes)
        if matched:
            return matched
        return self.additional

    @property
    def is_trivial(self) -> bool:
        """Accepts every JSON value (``{}``, ``true``, or only annotations)."""
        return (not self.never and self.types is None and self.enum is None and self.remote is None
                and not any((self.properties, self.required, self.additional, self.pattern_properties,
                             self.property_names, self.min_properties is not None,
                             self.max_properties is not None, self.dependent_required,
                             self.dependent_schemas, self.prefix, self.items, self.contains,
                             self.min_items is not None, self.max_items is not None, self.unique_items,
                             self.min_length is not None, self.max_length is not None, self.patterns,
                             self.formats, self.minimum, self.maximum, self.multiple_of, self.any_of,
                             self.one_of, self.not_, self.conditionals, self.unevaluated_properties,
                             self.unevaluated_items)))

    def open_choices(self) -> list[tuple[str, list]]:
        """The ``anyOf``/``oneOf`` groups still to choose from, as (keyword, branches). A group one
        of whose branches is itself a conjunct is decided: the walk compares the other side with
        that branch (rules/combinators.py, ``split_unions``)."""
        if not self.any_of and not self.one_of:
            return []
        chosen = {node.where for node in self.conj}
        return [(keyword, group) for keyword, groups in (("anyOf", self.any_of),
                                                          ("oneOf", self.one_of))
                for group in groups if not any(branch.where in chosen for branch in group)]

    @property
    def type_only(self) -> bool:
        """Says nothing but its type: an ``anyOf`` of such views is a type list."""
        if self.types is None:
            return False
        saved, self.types = self.types, None
        try:
            return self.is_trivial
        finally:
            self.types = saved


def _only_null(branch) -> bool:
    """A schema that accepts null and nothing else, spelled plainly."""
    if not isinstance(branch, dict):
        return False
    rest = {k: v for k, v in branch.items() if k not in ANNOTATIONS}
    return rest in ({"type": "null"}, {"type": ["null"]}, {"const": None}, {"enum": [None]})


def _tighter_min(current, value):
    return value if current is None or value > current else current


def _tighter_max(current, value):
    return value if current is None or value < current else current


def _bound(current: Bound | None, new: Bound, lower: bool) -> Bound:
    if current is None:
        return new
    if new.value == current.value:
        return new if new.exclusive else current
    if lower:
        return new if new.value > current.value else current
    return new if new.value < current.value else current


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class Normaliser:
    """Builds (and memoises) views for one side of a comparison."""

    def __init__(self, workspace: Workspace, nullable_keyword: bool = False):
        self.workspace = workspace
        self.nullable_keyword = nullable_keyword    # OpenAPI 3.0's ``nullable: true``
        self._views: dict[tuple, View] = {}
        self._building: set[tuple] = set()
        #: where a chain of bare ``$ref``s ends, per node on it and per siblings_ignored: each
        #: chain is followed once, however many of its nodes are asked about
        self._chain_ends: dict[tuple[str, bool], Node | str] = {}
        self._envelopes: dict[tuple, tuple] = {}   # (doc, value) ids -> (never, envelope, node)
        self._hashes: dict[int, tuple] = {}        # id(raw value) -> (content hash, value)

    def view(self, conj: Conj) -> View:
        key = places(conj)
        view = self._views.get(key)
        if view is None:
            if key in self._building:
                return View(conj=conj)  # met again while being built (a recursive choice): unbounded
            self._building.add(key)
            try:
                view = self._views[key] = self._build(conj)
            finally:
                self._building.discard(key)
        return view

    def _branch_envelope(self, node: Node) -> tuple[bool, frozenset | None]:
        """Whether a branch accepts nothing, and the types it can accept: once per value, not per
        place (YAML aliases put one value at 2**depth places)."""
        if not isinstance(node.value, dict):
            view = self.view((node,))
            return view.never, view.envelope
        key = (id(node.doc), id(node.value))
        known = self._envelopes.get(key)
        if known is None:
            view = self.view((node,))
            known = self._envelopes[key] = (view.never, view.envelope, node)  # node: keeps the id
        return known[0], known[1]

    def content_hash(self, value: Any) -> int:
        """A hash of a raw JSON value that equal values share (``1`` and ``1.0`` alike, ``true``
        and ``1`` not), computed once per object: linear in the distinct objects even where YAML
        aliases make the value exponentially big."""
        known = self._hashes.get(id(value))
        if known is not None:
            return known[0]
        stack = [(value, False)]
        while stack:
            item, ready = stack.pop()
            if not isinstance(item, (dict, list)) or id(item) in self._hashes:
                continue
            children = list(item.values()) if isinstance(item, dict) else item
            if not ready:
                stack.append((item, True))
                stack.extend((child, False) for child in children)
                continue
            parts = [self._leaf_hash(child) for child in children]
            digest = hash(frozenset(zip(item, parts, strict=True))) if isinstance(item, dict) else \
                hash(("list", tuple(parts)))
            self._hashes[id(item)] = (digest, item)
        return self._leaf_hash(value)

    def _leaf_hash(self, value) -> int:
        if isinstance(value, (dict, list)):
            return self._hashes[id(value)][0]
        return hash((type(value) is bool, value))

    def resolve(self, node: Node, siblings_ignored: bool = False) -> Node | str:
        """Follow ``$ref`` chains of a node with nothing else in it (or whose siblings do not count:
        before 2019-09, or ``siblings_ignored``); a str is a remote address. A chain that comes
        back to itself (``{"$ref": "#"}``, a -> b -> a) names no schema at all: an input error,
        not the empty schema that accepts everything."""
        value = node.value
        if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
            return node  # most nodes refer to nothing: no chain to follow
        chain: list[Node] = []
        on_chain: set[str] = set()
        end: Node | str = node
        while isinstance(end, Node) and isinstance(end.value, dict) \
                and isinstance(end.value.get("$ref"), str) \
                and (siblings_ignored or end.doc.draft <= 7 or len(end.value) == 1):
            known = self._chain_ends.get((end.where, siblings_ignored))
            if known is not None:
                end = known
                break
            if end.where in on_chain:
                raise _pure_cycle(chain, end)
            chain.append(end)
            on_chain.add(end.where)
            target = self.workspace.resolve(end.value["$ref"], end.doc, end.pointer + "/$ref")
            end = target if isinstance(target, str) else Node.of(target)
        for link in chain:
            self._chain_ends[(link.where, siblings_ignored)] = end
        return end

    def expand(self, conj: Conj) -> list[Node | str]:
        """Flatten a conjunction: follow references, splice in ``allOf`` parts."""
        out: list[Node | str] = []
        seen: set = set()
        stack = list(reversed(conj))
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
                continue
            # a schema that is its own conjunct adds nothing; nor does one value met again at
            # another place (YAML aliases: ``allOf: [*a, *a]`` nested 30 deep is 2**30 places)
            same = (id(node.doc), id(node.value)) if isinstance(node.value, dict) else node.where
            if same in seen:
                continue
            seen.add(same)
            value = node.value
            if not isinstance(value, dict):
                out.append(node)
                continue
            parts: list = []
            ref = value.get("$ref")
            if isinstance(ref, str):
                self.resolve(node)  # a chain of bare references must lead to a schema
                target = self.workspace.resolve(ref, node.doc, node.pointer + "/$ref")
                parts.append(target if isinstance(target, str) else Node.of(target))
                if node.doc.draft <= 7:
                    # siblings of $ref are ignored before 2019-09; keep their annotations for people
                    notes = {k: v for k, v in value.items() if k in ANNOTATIONS}
                    if notes:
                        out.append(Node(node.doc, node.pointer, notes))
                    stack.extend(reversed(parts))
                    continue
            all_of = value.get("allOf")
            if isinstance(all_of, list):
                parts.extend(node.child("allOf").child(i) for i in range(len(all_of)))
            for keyword in ("anyOf", "oneOf"):
                index = self.nullable_branch(node, keyword)
                if index is not None:
                    parts.append(node.child(keyword).child(index))
            out.append(node)
            stack.extend(reversed(parts))
        return out

    def nullable_branch(self, node: Node, keyword: str) -> int | None:
        """The 3.1 nullable idiom: ``oneOf``/``anyOf`` of ``{type: null}`` and one schema X is X
        that also accepts null (the view takes X's keywords and the ``nullable`` flag), so that
        ``X`` -> ``oneOf: [{type: null}, X]`` reads as "now nullable". Returns X's index. Only when
        nothing beside the choice constrains the type, and, for ``oneOf``, X states a type without
        null (otherwise null would match both branches, which ``oneOf`` refuses)."""
        value = node.value
        group = value.get(keyword)
        if not isinstance(group, list) or len(group) != 2 or \
                any(k in value for k in ("type", "enum", "const")):
            return None
        nulls = [i for i, branch in enumerate(group) if _only_null(branch)]
        if len(nulls) != 1:
            return None
        index = 1 - nulls[0]
        if keyword == "oneOf":
            target = self.resolve(node.child(keyword).child(index))
            kind = target.value.get("type") if not isinstance(target, str) and \
                isinstance(target.value, dict) else None
            if not ((isinstance(kind, str) and kind != "null") or
                    (isinstance(kind, list) and kind and "null" not in kind)):
                return None
        return index

    def _build(self, conj: Conj) -> View:
        view = View(conj=conj)
        for node in self.expand(conj):
            if isinstance(node, str):
                view.remote = node if view.remote is None else f"{view.remote} & {node}"
                continue
            value = node.value
            if value is False:
                view.never = True
                view.sites.setdefault("never", node.where)
            elif isinstance(value, dict):
                self._absorb(view, node)
        self._finish(view)
        return view

    def _absorb(self, view: View, node: Node) -> None:
        value: dict = node.value
        draft = node.doc.draft
        sites = view.sites
        where = node.where
        for key, raw in value.items():
            if key in STRUCTURAL or key == "allOf":
                if key == "strictProperties" and raw is True:
                    closing = Node(node.doc, where + "/strictProperties", False)
                    view.additional = (view.additional or []) + [closing]
                    sites.setdefault("additionalProperties", where)
                continue
            if key in ("anyOf", "oneOf") and self.nullable_branch(node, key) is not None:
                view.nullable = True  # its other branch was spliced in by ``expand``
                sites.setdefault("nullable", where)
                continue
            if key in CONTENT:
                view.content.setdefault(key, node.child(key))
                sites.setdefault(key, where)
                continue
            handler = _ABSORB.get(key)
            if handler is not None:
                if handler(view, node, raw, draft) is not False:
                    sites.setdefault(key, where)
            elif key in ANNOTATIONS:
                view.annotations.setdefault(key, raw)
                sites.setdefault(key, where)
            elif key == "nullable" and self.nullable_keyword:
                view.nullable = view.nullable or raw is True
                sites.setdefault(key, where)
            elif key == "discriminator":
                view.discriminator = raw
                sites.setdefault(key, where)
            else:
                view.extensions.setdefault(key, raw)
                sites.setdefault(key, where)

    def _group_envelope(self, group) -> set | None:
        """The types some branch of an anyOf/oneOf may have (None: any type)."""
        union: set = set()
        for branch in group:
            never, envelope = self._branch_envelope(branch)
            if never:
                continue
            if envelope is None:
                return None
            union |= envelope
        return union

    def _finish(self, view: View) -> None:
        if view.nullable and view.types is not None:
            view.types = canonical_types(view.types | {"null"})
        if view.nullable and view.enum is not None:
            view.enum.setdefault("null", None)
        view.envelope = view.types
        for group in view.any_of + view.one_of:
            union = self._group_envelope(group)
            if union is not None:
                view.envelope = intersect_types(view.envelope, canonical_types(union))
        if view.envelope is not None and not view.envelope:
            view.never = True
        if view.enum is not None:
            if view.types is not None:
                view.enum = {k: v for k, v in view.enum.items() if types_accept(view.types, type_of(v))}
            if not view.enum:
                view.never = True


# --- one small absorber per keyword --------------------------------------------------------------
# Each merges one keyword of one node into the view (tighter wins, sets intersect, lists append).
# Returning False means "not applicable here" (a malformed value, or a keyword of another draft).

def _type(view, node, raw, draft):
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if names is None or not all(isinstance(n, str) for n in names):
        return False
    known = {n for n in names if n in JSON_TYPES}
    if "any" in names:  # draft-03 spelling, seen in old hyper-schemas
        return False
    view.types = intersect_types(view.types, canonical_types(known))


def _enum(view, node, raw, draft):
    if not isinstance(raw, list):
        return False
    values = {canonical(v): v for v in raw}
    view.enum = values if view.enum is None else {k: v for k, v in view.enum.items() if k in values}


def _const(view, node, raw, draft):
    if draft < 6:
        return False
    key = canonical(raw)
    view.enum = {key: raw} if view.enum is None else {k: v for k, v in view.enum.items() if k == key}


def _map_of_nodes(attr, keyword):
    def absorb(view, node, raw, draft):
        if not isinstance(raw, dict):
            return False
        target = getattr(view, attr)
        holder = node.child(keyword)
        for name in raw:
            target.setdefault(name, []).append(holder.child(name))
    return absorb


def _required(view, node, raw, draft):
    if not isinstance(raw, list):
        return False  # draft-03's boolean ``required`` is not a draft-04+ keyword
    view.required.update(r for r in raw if isinstance(r, str))


def _node_list(attr, keyword):
    def absorb(view, node, raw, draft):
        if not isinstance(raw, (dict, bool)):
            return False
        current = getattr(view, attr)
        setattr(view, attr, (current or []) + [node.child(keyword)])
    return absorb


def _items(view, node, raw, draft):
    if isinstance(raw, list):
        if draft >= 2020:
            return False
        for i in range(len(raw)):
            _prefix_at(view, i).append(node.child("items").child(i))
        additional = node.value.get("additionalItems")
        if isinstance(additional, (dict, bool)):
            view.items = (view.items or []) + [node.child("additionalItems")]
        return None
    if not isinstance(raw, (dict, bool)):
        return False
    if draft >= 2020 or not isinstance(node.value.get("prefixItems"), list):
        view.items = (view.items or []) + [node.child("items")]


def _prefix_at(view, index):
    while len(view.prefix) <= index:
        view.prefix.append([])
    return view.prefix[index]


def _prefix_items(view, node, raw, draft):
    if draft < 2020 or not isinstance(raw, list):
        return False
    for i in range(len(raw)):
        _prefix_at(view, i).append(node.child("prefixItems").child(i))


def _additional_items(view, node, raw, draft):
    return False if draft >= 2020 else None  # absorbed together with an array ``items``


def _int_bound(attr, tighter):
    def absorb(view, node, raw, draft):
        number = _number(raw)
        if number is None or number < 0:
            return False
        setattr(view, attr, tighter(getattr(view, attr), int(number) if float(number).is_integer()
                                    else math.ceil(number) if tighter is _tighter_min
                                    else math.floor(number)))
    return absorb


def _minimum(view, node, raw, draft):
    number = _number(raw)
    if number is None:
        return False
    exclusive = draft < 6 and node.value.get("exclusiveMinimum") is True
    view.minimum = _bound(view.minimum, Bound(number, exclusive, node.where + "/minimum"), lower=True)


def _maximum(view, node, raw, draft):
    number = _number(raw)
    if number is None:
        return False
    exclusive = draft < 6 and node.value.get("exclusiveMaximum") is True
    view.maximum = _bound(view.maximum, Bound(number, exclusive, node.where + "/maximum"), lower=False)


def _exclusive_minimum(view, node, raw, draft):
    if isinstance(raw, bool):
        return None  # draft-04 spelling: read by ``minimum``
    number = _number(raw)
    if number is None or draft < 6:
        return False
    view.minimum = _bound(view.minimum, Bound(number, True, node.where + "/exclusiveMinimum"), lower=True)


def _exclusive_maximum(view, node, raw, draft):
    if isinstance(raw, bool):
        return None
    number = _number(raw)
    if number is None or draft < 6:
        return False
    view.maximum = _bound(view.maximum, Bound(number, True, node.where + "/exclusiveMaximum"), lower=False)


def _multiple_of(view, node, raw, draft):
    number = _number(raw)
    if number is None or number <= 0:
        return False
    view.multiple_of[number] = node.where


def _pattern(view, node, raw, draft):
    if not isinstance(raw, str) or raw in UNIVERSAL_PATTERNS:
        return False
    view.patterns.setdefault(raw, node.where)


def _format(view, node, raw, draft):
    if not isinstance(raw, str):
        return False
    view.formats.setdefault(raw, node.where)


def _unique_items(view, node, raw, draft):
    if raw is True:
        view.unique_items = True
    else:
        return False


def _groups(attr, keyword):
    def absorb(view, node, raw, draft):
        if not isinstance(raw, list) or not raw:
            return False
        holder = node.child(keyword)
        getattr(view, attr).append([holder.child(i) for i in range(len(raw))])
    return absorb


def _not(view, node, raw, draft):
    if not isinstance(raw, (dict, bool)):
        return False
    view.not_.append(node.child("not"))


def _if(view, node, raw, draft):
    if draft < 7 or not isinstance(raw, (dict, bool)):
        return False
    value = node.value
    then = node.child("then") if isinstance(value.get("then"), (dict, bool)) else None
    otherwise = node.child("else") if isinstance(value.get("else"), (dict, bool)) else None
    view.conditionals.append((node.child("if"), then, otherwise))


def _then_else(view, node, raw, draft):
    return None if draft >= 7 and "if" in node.value else False


def _dependencies(view, node, raw, draft):
    if not isinstance(raw, dict) or draft >= 2019:
        return False
    holder = node.child("dependencies")
    for name, dep in raw.items():
        if isinstance(dep, list):
            view.dependent_required.setdefault(name, set()).update(d for d in dep if isinstance(d, str))
        elif isinstance(dep, (dict, bool)):
            view.dependent_schemas.setdefault(name, []).append(holder.child(name))


def _dependent_required(view, node, raw, draft):
    if not isinstance(raw, dict) or draft < 2019:
        return False
    for name, dep in raw.items():
        if isinstance(dep, list):
            view.dependent_required.setdefault(name, set()).update(d for d in dep if isinstance(d, str))


def _dependent_schemas(view, node, raw, draft):
    if not isinstance(raw, dict) or draft < 2019:
        return False
    holder = node.child("dependentSchemas")
    for name in raw:
        view.dependent_schemas.setdefault(name, []).append(holder.child(name))


def _contains(view, node, raw, draft):
    if draft < 6 or not isinstance(raw, (dict, bool)):
        return False
    view.contains.append(node.child("contains"))


def _later_draft(attr, tighter, since):
    inner = _int_bound(attr, tighter)

    def absorb(view, node, raw, draft):
        return False if draft < since else inner(view, node, raw, draft)
    return absorb


def _unevaluated(attr, keyword):
    def absorb(view, node, raw, draft):
        if draft < 2019 or not isinstance(raw, (dict, bool)):
            return False
        getattr(view, attr).append(node.child(keyword))
    return absorb


def _property_names(view, node, raw, draft):
    if draft < 6 or not isinstance(raw, (dict, bool)):
        return False
    view.property_names.append(node.child("propertyNames"))


_ABSORB = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "properties": _map_of_nodes("properties", "properties"),
    "patternProperties": _map_of_nodes("pattern_properties", "patternProperties"),
    "required": _required,
    "additionalProperties": _node_list("additional", "additionalProperties"),
    "propertyNames": _property_names,
    "minProperties": _int_bound("min_properties", _tighter_min),
    "maxProperties": _int_bound("max_properties", _tighter_max),
    "dependencies": _dependencies,
    "dependentRequired": _dependent_required,
    "dependentSchemas": _dependent_schemas,
    "items": _items,
    "prefixItems": _prefix_items,
    "additionalItems": _additional_items,
    "contains": _contains,
    "minContains": _later_draft("min_contains", _tighter_min, 2019),
    "maxContains": _later_draft("max_contains", _tighter_max, 2019),
    "minItems": _int_bound("min_items", _tighter_min),
    "maxItems": _int_bound("max_items", _tighter_max),
    "uniqueItems": _unique_items,
    "minLength": _int_bound("min_length", _tighter_min),
    "maxLength": _int_bound("max_length", _tighter_max),
    "pattern": _pattern,
    "format": _format,
    "minimum": _minimum,
    "maximum": _maximum,
    "exclusiveMinimum": _exclusive_minimum,
    "exclusiveMaximum": _exclusive_maximum,
    "multipleOf": _multiple_of,
    "anyOf": _groups("any_of", "anyOf"),
    "oneOf": _groups("one_of", "oneOf"),
    "not": _not,
    "if": _if,
    "then": _then_else,
    "else": _then_else,
    "unevaluatedProperties": _unevaluated("unevaluated_properties", "unevaluatedProperties"),
    "unevaluatedItems": _unevaluated("unevaluated_items", "unevaluatedItems"),
}


def _pure_cycle(chain: list[Node], again: Node) -> InputError:
    start = chain[0]
    names = [n.where if "#" in n.where else f"#{n.where}" for n in [*chain, again]]
    if len(names) > 7:  # one readable line, however long the chain
        names = [*names[:3], f"... {len(names) - 5} more ...", *names[-2:]]
    steps = " -> ".join(names)
    line, column = start.doc.positions.get(start.pointer + "/$ref") or (None, None)
    return InputError(f"$ref cycle with no schema in between: {steps}", start.doc.source.name,
                      line, column)
