"""Small, deterministic instances of a schema, to build the example documents shown with changes.

:class:`Sampler` makes a *minimal* value that a view accepts: the schema's own example when it has one,
else the first enum value, else the simplest value of the first allowed type that meets its bounds,
pattern and required properties. It may be wrong for exotic schemas; every document built from it is
checked with the ``jsonschema`` validator before anyone sees it.
"""

from __future__ import annotations

import math
import re
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterable
from fractions import Fraction
from re import _constants as sre_constants  # type: ignore[attr-defined]
from typing import Any

from schemadiff import budget
from schemadiff.normalise import Node, Normaliser, View, canonical, type_of, types_accept

TYPE_ORDER = ("object", "string", "integer", "number", "boolean", "array", "null")
MISSING = object()


def string_for(pattern: str, min_length: int = 0, max_length: int | None = None) -> str | None:
    """A short string that ``pattern`` matches (by search), within the length limits, or None.
    OverBudget when the shortest such string would be too long (``^((a{1000}){1000}){1000}$``)."""
    try:
        parsed = sre_parse.parse(pattern)
        shortest = parsed.getwidth()[0]
    except (re.error, OverflowError, RecursionError):
        return None
    budget.length(max(shortest, min_length))
    for extra in (0, 1, 2, 4, 8):
        try:
            text = _emit(parsed, extra, {}, _Allowance())
        except _Unsupported:
            return None
        if len(text) < min_length and not any(op == sre_constants.AT for op, _ in parsed):
            text = text + "a" * (min_length - len(text))
        if len(text) >= min_length and (max_length is None or len(text) <= max_length):
            try:
                if budget.search(pattern, text):
                    return text
            except re.error:
                return None
    return None


class _Unsupported(Exception):
    pass


class _Allowance:
    """How much more one string may grow, and how many more parts may be emitted for it (an empty
    group repeated inside repeats emits nothing, many times)."""

    def __init__(self) -> None:
        self.characters = budget.MAX_SAMPLE_LENGTH
        self.parts = 2 * budget.MAX_SAMPLE_LENGTH

    def take(self, characters: int) -> None:
        self.characters -= characters
        self.parts -= 1
        if self.characters < 0 or self.parts < 0:
            raise budget.OverBudget("the pattern's sample string would be too long")


_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ",
             "CATEGORY_NOT_SPACE": "a", "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": "-"}


def _emit(parsed: Any, extra: int, groups: dict, allowance: _Allowance) -> str:
    out = []
    for op, arg in parsed:
        name = str(op)
        allowance.take(1 if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN") else 0)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class_char(arg))
        elif name == "BRANCH":
            out.append(_emit(arg[1][0], extra, groups, allowance))
        elif name == "SUBPATTERN":
            text = _emit(arg[-1], extra, groups, allowance)
            if arg[0] is not None:
                groups[arg[0]] = text
            out.append(text)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = low + extra if high is sre_constants.MAXREPEAT or high >= low + extra else high
            count = max(low, min(count, 64))
            out.append("".join(_emit(sub, 0, groups, allowance) for _ in range(count)))
        elif name == "AT" or name in ("ASSERT", "ASSERT_NOT"):
            continue
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
            allowance.take(len(out[-1]))
        elif name == "ATOMIC_GROUP":
            out.append(_emit(arg, extra, groups, allowance))
        else:
            raise _Unsupported(name)
    return "".join(out)


def _class_char(items: Any) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if negate:
        excluded = set()
        for op, arg in items:
            if str(op) == "LITERAL":
                excluded.add(chr(arg))
            elif str(op) == "RANGE":
                excluded.update(chr(c) for c in range(arg[0], min(arg[1], arg[0] + 256) + 1))
        for candidate in "a0Z_-x":
            if candidate not in excluded:
                return candidate
        raise _Unsupported("NEGATE")
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(arg[0])
    if name == "CATEGORY":
        return _CATEGORY.get(str(arg), "a")
    raise _Unsupported(name)


class Sampler:
    """Minimal valid values for views of one side of a comparison."""

    def __init__(self, side: Normaliser):
        self.side = side
        self.peer: Sampler | None = None   # the other side's sampler, while an example is sought
        #: (id(view), depth) -> (the view, its value): every example of a body samples the same
        #: definitions again (GitHub v1 -> v4: 38,117 values asked, 3,264 different)
        self._values: dict[tuple[int, int, bool], tuple[View, object]] = {}
        self._views: dict[int, tuple[object, View]] = {}
        self._objects: dict[tuple[int, int, bool, bool], tuple[View, Any]] = {}

    def owns(self, node: Node) -> bool:
        return any(node.doc is doc for doc in self.side.workspace.documents())

    def for_node(self, node: Node) -> Sampler:
        """The sampler of the side a node belongs to (hints may come from either side)."""
        return self if self.peer is None or self.owns(node) else self.peer

    def view(self, nodes: Iterable[Node]) -> View:
        """The view of a schema's nodes, remembered by the identity of the tuple or list a view
        holds them in (a property's, the items'): asked for every sampled value."""
        known = self._views.get(id(nodes))
        if known is not None and known[0] is nodes:
            return known[1]
        view = self.side.view(tuple(nodes))
        self._views[id(nodes)] = (nodes, view)
        return view

    def value(self, view: View, depth: int = 0, prefer: Any = MISSING) -> Any:
        """A value the view accepts (best effort), or MISSING. The same one each time it is asked
        (shared: callers build around it and never change it)."""
        if prefer is not MISSING:
            return self._value(view, depth, prefer)
        key = (id(view), depth, self.peer is not None)
        known = self._values.get(key)
        if known is not None and known[0] is view:
            return known[1]
        made = self._value(view, depth, MISSING)
        self._values[key] = (view, made)
        return made

    def _value(self, view: View, depth: int, prefer: Any) -> Any:
        if view.never or depth > 12:
            return MISSING
        candidates = []
        if prefer is not MISSING:
            candidates.append(prefer)
        if view.enum is not None:
            candidates.extend(self._agreed_first(view))
        notes = view.annotations
        for key in ("example", "default"):
            if key in notes:
                candidates.append(notes[key])
        examples = notes.get("examples")
        if isinstance(examples, list):
            candidates.extend(examples)
        for candidate in candidates:
            if self.fits(view, candidate):
                return candidate
        if view.enum is not None:
            return MISSING
        for group in view.any_of + view.one_of:  # the first branch that gives a value
            for branch in group:
                made = self.value(self.view((branch,)), depth + 1)
                if made is not MISSING and self.fits(view, made):
                    return made
        for kind in TYPE_ORDER:
            if types_accept(view.types, kind):
                made = self.of_type(view, kind, depth)
                if made is not MISSING:
                    return made
        return MISSING

    def _agreed_first(self, view: View) -> list[Any]:
        """The enum's values, those the other version also lists at the same place first: an
        example must be refused for its change alone, so the rest of the document should hold
        values both versions take (a workflow's ``on: branch_protection_rule`` is an event only
        the newer schema knows)."""
        assert view.enum is not None
        values = list(view.enum.values())
        theirs = self._peer_enum(view)
        if not theirs:
            return values
        return [v for v in values if canonical(v) in theirs] + \
            [v for v in values if canonical(v) not in theirs]

    def _peer_enum(self, view: View) -> dict | None:
        """The enum the other version states at the same pointer of its main document, if any."""
        if self.peer is None or len(view.conj) != 1:
            return None
        node = view.conj[0]
        if node.doc is not self.side.workspace.main:
            return None
        main = self.peer.side.workspace.main
        try:
            value = main.at(node.pointer)
        except (KeyError, IndexError, TypeError):
            return None
        return self.peer.side.view((Node(main, node.pointer, value),)).enum

    def fits(self, view: View, value: Any) -> bool:
        """A quick local check (types, enum, simple bounds); the validator has the last word."""
        if view.enum is not None and canonical(value) not in view.enum:
            return False
        if not types_accept(view.types, type_of(value)):
            return False
        if isinstance(value, str):
            if view.min_length is not None and len(value) < view.min_length:
                return False
            if view.max_length is not None and len(value) > view.max_length:
                return False
            for pattern in view.patterns:
                if not budget.matches(pattern, value):
                    return False  # or cannot tell within budget: another candidate will do
        if isinstance(value, dict):
            if any(name not in value for name in view.required):
                return False
            if view.closed and any(name not in view.properties for name in value):
                return False
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._in_bounds(view, value)
        return True

    @staticmethod
    def _in_bounds(view: View, number: float) -> bool:
        low, high = view.minimum, view.maximum
        if low is not None and (number < low.value or (low.exclusive and number == low.value)):
            return False
        if high is not None and (number > high.value or (high.exclusive and number == high.value)):
            return False
        for step in view.multiple_of:
            if (Fraction(str(number)) / Fraction(str(step))).denominator != 1:
                return False
        return True

    def of_type(self, view: View, kind: str, depth: int = 0, length: int | None = None) -> Any:
        """The simplest value of one JSON type that the view accepts (best effort)."""
        if kind == "null":
            return None
        if kind == "boolean":
            return True
        if kind in ("integer", "number"):
            return self.number(view, integer=kind == "integer")
        if kind == "string":
            return self.string(view, length)
        if kind == "array":
            return self.array(view, depth, length)
        if kind == "object":
            return self.object(view, depth)
        return MISSING

    def number(self, view: View, integer: bool, around: float | None = None) -> Any:
        low, high = view.minimum, view.maximum
        start = around if around is not None else (low.value if low is not None else
                                                    (min(0, high.value) if high is not None else 0))
        steps = sorted(view.multiple_of) or [1]
        step = Fraction(str(steps[-1]))  # the others are checked by _in_bounds
        base = math.ceil(Fraction(str(start)) / step) * step
        for offset in range(50):
            for candidate in (base + offset * step, base - offset * step):
                value = int(candidate) if candidate.denominator == 1 else float(candidate)
                if integer and not isinstance(value, int):
                    continue
                if self._in_bounds(view, value):
                    return value
        return MISSING

    def string(self, view: View, length: int | None = None) -> Any:
        low = view.min_length or 0
        high = view.max_length
        if length is not None:
            low = high = length
        patterns = list(view.patterns)
        if patterns:
            text = string_for(patterns[0], low, high)
            if text is None:
                return MISSING
            return text
        if "format" in view.sites or view.formats:
            made = FORMAT_SAMPLES.get(next(iter(view.formats), ""))
            if made is not None and len(made) >= low and (high is None or len(made) <= high):
                return made
        if high is not None and high < low:
            return MISSING
        return "a" * budget.length(low) if low else ("" if high == 0 else "a")

    def array(self, view: View, depth: int, length: int | None = None) -> Any:
        count = (view.min_items or 0) if length is None else length
        return self.items(view, depth, 0, count)

    def items(self, view: View, depth: int, start: int, stop: int, taken: list | None = None) -> Any:
        """Sample items for positions ``start`` to ``stop`` of an array (each position's own schema,
        then the rest's), distinct from ``taken`` and each other when items must be unique."""
        items: list = []
        for index in range(start, start + budget.size(stop - start)):
            nodes = view.prefix[index] if index < len(view.prefix) else view.items
            child = self.value(self.view(nodes), depth + 1) if nodes else "a"
            if child is MISSING or (view.unique_items and (child in items or child in (taken or ()))):
                return MISSING
            items.append(child)
        return items

    def object(self, view: View, depth: int, full: bool = False) -> Any:
        """The required properties (all listed ones when ``full``) with sample values: a new
        dict each time (callers add to it), its values shared."""
        key = (id(view), depth, full, self.peer is not None)
        known = self._objects.get(key)
        if known is None or known[0] is not view:
            known = self._objects[key] = (view, self._object(view, depth, full))
        return known[1] if known[1] is MISSING else dict(known[1])

    def _object(self, view: View, depth: int, full: bool) -> Any:
        out = {}
        names = sorted(set(view.required) | (set(view.properties) if full else set()))
        for name in names:
            nodes = view.properties.get(name)
            child = self.value(self.view(nodes), depth + 1) if nodes else "a"
            if child is MISSING:
                if full and name not in view.required:
                    continue
                return MISSING
            out[name] = child
        if view.min_properties is not None and len(out) < view.min_properties:
            return self._filled(view, out, depth)
        return out

    def _filled(self, view: View, out: dict, depth: int) -> dict:
        """``out`` with optional properties added until ``minProperties`` holds: the listed ones
        first, then a name made for each pattern (a workflow's ``jobs`` needs one job)."""
        wanted = view.min_properties or 0
        extra = [(name, nodes) for name, nodes in sorted(view.properties.items()) if name not in out]
        for pattern, nodes in view.pattern_properties.items():
            name = string_for(pattern, 1)
            if name is not None and name not in out and name not in view.properties:
                extra.append((name, nodes))
        for name, nodes in extra:
            if len(out) >= wanted:
                break
            child = self.value(self.view(nodes), depth + 1)
            if child is not MISSING:
                out[name] = child
        return out   # short of the minimum, the place it goes may add what it lacks


FORMAT_SAMPLES = {
    "date-time": "2020-01-01T00:00:00Z", "date": "2020-01-01", "time": "00:00:00Z",
    "email": "someone@example.com", "uuid": "01234567-89ab-cdef-0123-456789abcdef",
    "uri": "https://example.com/", "hostname": "example.com", "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1", "regex": "^a$", "uri-reference": "/a", "json-pointer": "/a",
}



#: one plain value of each JSON type, to find a value a schema refuses
PLAIN: dict[str, object] = {"null": None, "boolean": True, "integer": 0, "number": 0.5, "string": "a",
                           "array": [], "object": {}}


def values_refused(view: View) -> list:
    """Plain values a view refuses by its type or enum (a quick local judgement)."""
    out = []
    for kind, value in PLAIN.items():
        if not types_accept(view.types, kind) or (view.enum is not None and
                                                 canonical(value) not in view.enum):
            out.append(value)
    if view.enum is not None:
        out.extend(["not-an-allowed-value", -1, 12345])
    return out
