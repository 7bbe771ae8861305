"""JSON Schema ``pattern``s as finite automata (greenery), to decide containment of string languages.

A ``pattern`` is an unanchored search with Python's ``re`` (what the ``jsonschema`` validator runs),
so the language of ``p`` is ``.*p.*`` unless ``^``/``$`` anchor it (``$`` also admits one final
newline). The pattern is read with Python's own regex parser, so the tree is the one the validator
runs, and rebuilt as a greenery expression. greenery models plain ASCII classes exactly but not
Unicode categories: ``\\d``, ``\\w``, ``\\s`` are modelled *over* (their ASCII part plus every
non-ASCII character) for the side whose language must not be underestimated and *under* (ASCII only)
for the other, so that "contained" stays a proof. Back-references, look-around, word boundaries,
inline flags, possessive repeats and very large automata are not modelled: :class:`Unsupported`.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import math
import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # Python 3.11+, as required
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from typing import Any

import greenery.fsm
from greenery import Charclass, Fsm, Pattern
from greenery.bound import Bound
from greenery.multiplier import Multiplier
from greenery.rxelems import Conc, Mult

#: bounds on what is handed to greenery: a pattern larger than this is "unknown", not a long wait
MAX_NODES = 120
MAX_REPEAT = 64
#: positions bounded repeats unroll to (``[a-z]{1,63}`` is 63): greenery is slow beyond
MAX_UNROLLED = 48
MAX_PATTERN = 1000

_TOP = "\U0010ffff"
_NON_ASCII = (("\x80", _TOP),)
_ASCII_CATEGORY = {
    "CATEGORY_DIGIT": (("0", "9"),),
    "CATEGORY_WORD": (("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")),
    "CATEGORY_SPACE": (("\t", "\r"), ("\x1c", " ")),
}
_ANY_EXCEPT_NEWLINE = Charclass((("\n", "\n"),), negated=True)
_ANYTHING = Charclass((), negated=True)


class Unsupported(Exception):
    """The pattern uses something the automaton cannot model; its message says what."""


#: transitions greenery may compute within one :func:`bounded` block: a pattern whose automaton
#: blows up (``(a|b)*a(a|b)(a|b)...``) turns into Unsupported instead of minutes of work
MAX_STEPS = 10_000
_budget: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("greenery_budget",
                                                                         default=None)
OUT_OF_TIME = "automaton work ran out of time"
_crawl = greenery.fsm.crawl


def _bounded_crawl(alphabet: Any, initial: Any, final: Any, follow: Callable[[Any, Any], Any]) -> Any:
    left = _budget.get()
    if left is None:
        return _crawl(alphabet, initial, final, follow)

    def counted(state: Any, symbol: Any) -> Any:
        left[0] -= 1
        if left[0] < 0:
            raise Unsupported("automaton too large to decide")
        if time.monotonic() > left[1]:
            raise Unsupported(OUT_OF_TIME)
        return follow(state, symbol)
    return _crawl(alphabet, initial, final, counted)


greenery.fsm.crawl = _bounded_crawl  # every automaton greenery builds goes through crawl()


@contextlib.contextmanager
def bounded(steps: int = MAX_STEPS, seconds: float | None = None) -> Iterator[None]:
    """Within this block, greenery gives up (Unsupported) after ``steps`` transitions or once
    ``seconds`` have passed (a transition's cost grows with the automaton, so steps alone do not
    bound the time). Blocks nest: an inner block gets at most what the outer one has left."""
    outer = _budget.get()
    allowed = steps if outer is None else max(0, min(steps, outer[0]))
    deadline = math.inf if seconds is None else time.monotonic() + seconds
    if outer is not None:
        deadline = min(deadline, outer[1])
    mine = [allowed, deadline]
    token = _budget.set(mine)
    try:
        yield
    finally:
        _budget.reset(token)
        if outer is not None:
            outer[0] -= allowed - max(0, mine[0])


def _chars(ranges: Iterable[tuple[str, str]]) -> Charclass:
    return Charclass(tuple(ranges)) if ranges else Charclass(())


def _category(name: str, over: bool) -> Charclass:
    """A Unicode category, over- or under-approximated by ASCII (see the module docstring)."""
    negated = name.startswith("CATEGORY_NOT_")
    base = name.replace("CATEGORY_NOT_", "CATEGORY_")
    ascii_part = _ASCII_CATEGORY.get(base)
    if ascii_part is None:
        raise Unsupported(f"character category {name}")
    # the class of a negated category is the complement of the positive one: approximating it
    # from above means approximating the positive one from below, and the other way round
    positive_over = over != negated
    ranges = ascii_part + _NON_ASCII if positive_over else ascii_part
    return Charclass(ranges, negated=negated)


def _union(classes: list[Charclass]) -> Charclass:
    out = Charclass(())
    for cls in classes:
        out = out | cls
    return out


def _in(items: Any, over: bool) -> Charclass:
    negate = False
    parts: list[Charclass] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            parts.append(_chars([(chr(arg), chr(arg))]))
        elif name == "RANGE":
            parts.append(_chars([(chr(arg[0]), chr(arg[1]))]))
        elif name == "CATEGORY":
            # inside a negated set, the set's members must be approximated the other way
            parts.append(_category(str(arg), over != negate))
        else:
            raise Unsupported(f"{name} in a character set")
    union = _union(parts)
    return union.negate() if negate else union


def _width(parsed: Any) -> int:
    """How many items a parsed sub-pattern holds, nested ones included (a size for the budget)."""
    count = 0
    for op, arg in parsed:
        count += 1
        if str(op) in ("SUBPATTERN",):
            count += _width(arg[-1])
        elif str(op) == "BRANCH":
            count += sum(_width(branch) for branch in arg[1])
        elif str(op) in ("MAX_REPEAT", "MIN_REPEAT"):
            count += _width(arg[2])
    return count


class _Builder:
    def __init__(self, over: bool):
        self.over = over
        self.nodes = 0
        self.unrolled = 0

    def pattern(self, parsed: Any) -> Pattern:
        return Pattern(self.conc(parsed))

    def conc(self, parsed: Any) -> Conc:
        return Conc(*[self.mult(op, arg) for op, arg in parsed])

    def mult(self, op: Any, arg: Any) -> Mult:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Unsupported("pattern too large to decide")
        name = str(op)
        one = Multiplier(Bound(1), Bound(1))
        if name == "LITERAL":
            return Mult(_chars([(chr(arg), chr(arg))]), one)
        if name == "NOT_LITERAL":
            return Mult(Charclass(((chr(arg), chr(arg)),), negated=True), one)
        if name == "ANY":
            return Mult(_ANY_EXCEPT_NEWLINE, one)
        if name == "IN":
            return Mult(_in(arg, self.over), one)
        if name == "BRANCH":
            return Mult(Pattern(*[self.conc(branch) for branch in arg[1]]), one)
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = arg
            if add_flags or del_flags:
                raise Unsupported("inline flags")
            return Mult(self.pattern(sub), one)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = arg
            if low > MAX_REPEAT or (high is not sre_constants.MAXREPEAT and high > MAX_REPEAT):
                raise Unsupported("a repeat count too large to decide")
            unbounded = high is sre_constants.MAXREPEAT
            self.unrolled += (low if unbounded else high) * max(1, _width(sub))
            if self.unrolled > MAX_UNROLLED:
                raise Unsupported("bounded repeats too large to decide")
            upper = Bound(None) if unbounded else Bound(high)
            return Mult(self.pattern(sub), Multiplier(Bound(low), upper))
        if name == "AT":
            raise Unsupported("an anchor inside the pattern")
        raise Unsupported({"GROUPREF": "a back-reference", "GROUPREF_EXISTS": "a conditional group",
                           "ASSERT": "look-around", "ASSERT_NOT": "look-around",
                           "POSSESSIVE_REPEAT": "a possessive repeat",
                           "ATOMIC_GROUP": "an atomic group"}.get(name, name))


def _is_at(item: Any, *where: str) -> bool:
    return str(item[0]) == "AT" and str(item[1]) in where


def _alternatives(items: list) -> list[tuple[bool, list]]:
    """The top-level alternatives as (anchored at the start, items); Python's parser moves a
    common ``^`` in front of the alternation (``^a$|^b$`` reads as ``^(?:a$|b$)``)."""
    start = bool(items) and _is_at(items[0], "AT_BEGINNING", "AT_BEGINNING_STRING")
    rest = items[1:] if start else items
    if len(rest) == 1 and str(rest[0][0]) == "BRANCH":
        out = []
        for branch in rest[0][1][1]:
            branch = list(branch)
            if branch and _is_at(branch[0], "AT_BEGINNING", "AT_BEGINNING_STRING"):
                out.append((True, branch[1:]))
            else:
                out.append((start, branch))
        return out
    return [(start, rest)]


def _anchored(start: bool, items: list, builder: _Builder) -> Pattern:
    """One alternative of the search: anchored or not at its start and at its end."""
    end = items.pop() if items and _is_at(items[-1], "AT_END", "AT_END_STRING") else None
    parts: list[Mult] = []
    anything = Mult(_ANYTHING, Multiplier(Bound(0), Bound(None)))
    if not start:
        parts.append(anything)
    parts.append(Mult(Pattern(builder.conc(items)), Multiplier(Bound(1), Bound(1))))
    if end is None:
        parts.append(anything)
    elif str(end[1]) == "AT_END":  # Python's ``$`` also matches before a final newline
        parts.append(Mult(_chars([("\n", "\n")]), Multiplier(Bound(0), Bound(1))))
    return Pattern(Conc(*parts))


_refused: dict[tuple[str, bool], str] = {}   # patterns found unsupported, and why (bounded below)


def language(pattern: str, over: bool) -> Fsm:
    """The automaton of the strings ``pattern`` finds a match in (see the module docstring for
    ``over``). Raises :class:`Unsupported`; a pattern that failed once fails at once after."""
    why = _refused.get((pattern, over))
    if why is not None:
        raise Unsupported(why)
    outer = _budget.get()
    full_allowance = outer is None or outer[0] >= MAX_STEPS
    try:
        return _language(pattern, over)
    except Unsupported as failure:
        # remembered only when it had its whole allowance: a question's leftovers may differ
        if len(_refused) < 4096 and full_allowance and str(failure) != OUT_OF_TIME:
            _refused[(pattern, over)] = str(failure)
        raise


@lru_cache(maxsize=512)
def _language(pattern: str, over: bool) -> Fsm:
    if len(pattern) > MAX_PATTERN:
        raise Unsupported("pattern too long to decide")
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        raise Unsupported("not a valid Python regular expression") from None
    if parsed.state.flags & ~(re.UNICODE):
        raise Unsupported("regex flags")
    builder = _Builder(over)
    alternatives = [_anchored(start, items, builder) for start, items in _alternatives(list(parsed))]
    try:
        with bounded():
            return Pattern(*[conc for alt in alternatives for conc in alt.concs]).to_fsm()
    except RecursionError:
        raise Unsupported("pattern too deeply nested") from None


def length_language(low: int, high: int | None) -> Fsm:
    """The strings of ``low`` to ``high`` characters (None: no upper bound)."""
    if high is not None and high < low:
        return Pattern().to_fsm()  # no string at all
    upper = Bound(None) if high is None else Bound(high)
    return Pattern(Conc(Mult(_ANYTHING, Multiplier(Bound(low), upper)))).to_fsm()


#: characters tried first for a class, so that witnesses stay readable
_READABLE = "a0b1xyzA -_.\n"


def _representative(symbol: Charclass) -> str | None:
    """One character of a class (greenery's own enumeration lists every character of a negated
    class: over a million for ``[^a]``)."""
    for char in _READABLE:
        if symbol.accepts(char):
            return char
    if not symbol.negated:
        ranges = symbol.ord_ranges
        return chr(ranges[0][0]) if ranges else None
    for code in range(0x20, 0x3000):
        if symbol.accepts(chr(code)):
            return chr(code)
    return None


def strings(fsm: Fsm, limit: int = 4, visits: int = 5_000) -> list[str]:
    """A few short strings of a language (breadth first, one character per class), none if it is
    empty; at most ``visits`` partial strings are looked at."""
    live = {state for state in fsm.states if fsm.islive(state)}
    if fsm.initial not in live:
        return []
    out: list[str] = []
    queue = collections.deque([("", fsm.initial)])
    while queue and len(out) < limit and visits > 0:
        visits -= 1
        text, state = queue.popleft()
        if state in fsm.finals:
            out.append(text)
        if len(text) >= 256:
            continue
        for symbol, target in fsm.map.get(state, {}).items():
            if target in live:
                char = _representative(symbol)
                if char is not None:
                    queue.append((text + char, target))
    return out
