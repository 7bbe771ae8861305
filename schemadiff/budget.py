"""Budgets: the work a hostile schema can ask for is bounded in time and in size.

The schemas come from pull requests, so they decide which regular expressions run on which texts,
how long a sampled string must be and how many items an array needs. Three kinds of bound keep
that work small, and running out of one is an answer (:class:`OverBudget`), never a hang:

* sizes: an array or object sample bigger than :data:`MAX_SAMPLE_SIZE`, or a string longer than
  :data:`MAX_SAMPLE_LENGTH`, is not built;
* regex shapes: a pattern whose repeats can split a text in exponentially many ways (``(a+)+``,
  ``(a|a)+``, ``(\\w+\\s?)*``) runs only on texts of at most :data:`RISKY_TEXT_LENGTH` characters;
* wall clock: :func:`time_limit` interrupts work that runs past its limit, even inside the C regex
  engine (through ``SIGALRM``, in the main thread; in other threads :func:`check` between steps).
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # Python 3.11+, as required
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType
from typing import Any

#: items in a sampled array, properties in a sampled object (each is validated on its own)
MAX_SAMPLE_SIZE = 10_000
#: characters in a sampled string (cheap to check: real schemas ask for ``maxLength: 65536`` + 1)
MAX_SAMPLE_LENGTH = 1_000_000
#: a pattern of a risky shape runs only on texts this short (2**16 ways to split at worst)
RISKY_TEXT_LENGTH = 16
#: seconds for one regex search, one validation of an example, and the whole examples stage
SEARCH_SECONDS = 0.25
VALIDATION_SECONDS = 2.0
EXAMPLES_SECONDS = 10.0


class OverBudget(BaseException):
    """Work abandoned because a budget ran out. A BaseException, so that no ``except Exception``
    on the way (ours or a library's) mistakes it for a fault and carries on."""


class PatternOverBudget(OverBudget):
    """One regex search was refused or interrupted (and nothing bigger ran out)."""


class TimedOut(BaseException):
    """The whole run passed its ``--timeout``."""


# --- sizes ---------------------------------------------------------------------------------------

def size(count: int, limit: int = MAX_SAMPLE_SIZE) -> int:
    """``count`` itself, if a sample that big may be built; else OverBudget (``minItems: 3e9``)."""
    if count > limit:
        raise OverBudget(f"a sample of {count} would be too big")
    return count


def length(count: int) -> int:
    """``count`` itself, if a string that long may be built (``minLength: 3e9`` may not)."""
    return size(count, MAX_SAMPLE_LENGTH)


# --- regular expressions -------------------------------------------------------------------------

def search(pattern: str, text: str) -> bool:
    """``re.search(pattern, text)`` within budget: OverBudget when a risky pattern meets a long
    text or the search runs out of time. ``re.error`` for a pattern Python cannot compile."""
    compiled = _compile(pattern)
    if len(text) > RISKY_TEXT_LENGTH and risky(pattern):
        raise PatternOverBudget(f"pattern {pattern!r} may take exponential time")
    with time_limit(SEARCH_SECONDS, PatternOverBudget):
        return compiled.search(text) is not None


def matches(pattern: str, text: str) -> bool | None:
    """Like :func:`search`, but None when this search cannot tell (over its budget, or an invalid
    pattern). A bigger limit that runs out meanwhile (a validation's, the run's) still raises."""
    try:
        return search(pattern, text)
    except (PatternOverBudget, re.error, OverflowError, RecursionError):
        return None


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@lru_cache(maxsize=4096)
def risky(pattern: str) -> bool:
    """Can the pattern backtrack exponentially? True when a repeat's body can match the same text
    in several ways: two alternatives that start alike, or an inner repeat of variable length whose
    characters could also begin what follows it (the next turn of the outer repeat, if nothing
    mandatory comes between). ``(-[a-z]+)*`` and ``(\\d+\\.)+`` are safe; ``(a+)+`` is not."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return False  # not a pattern Python runs: the caller meets re.error
    try:
        return _has_ambiguous_repeat(list(parsed))
    except RecursionError:
        return True


# A set of characters as sorted (low, high) code point ranges; ALL when it could be anything.
Chars = tuple
ALL: Chars = ((0, 0x10FFFF),)
_CATEGORIES = {"CATEGORY_DIGIT": ((48, 57),), "CATEGORY_SPACE": ((9, 13), (32, 32)),
               "CATEGORY_WORD": ((48, 57), (65, 90), (95, 95), (97, 122), (128, 0x10FFFF))}


def _overlap(a: Chars, b: Chars) -> bool:
    return any(lo <= hi2 and lo2 <= hi for lo, hi in a for lo2, hi2 in b)


def _union(*sets: Chars) -> Chars:
    return tuple(sorted({r for s in sets for r in s}))


def _class(items: Any) -> Chars:
    """The characters an ``[...]`` class can match (a negated class: anything)."""
    out: list = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            return ALL
        if name == "LITERAL":
            out.append((arg, arg))
        elif name == "RANGE":
            out.append(arg)
        elif name == "CATEGORY":
            out.extend(_CATEGORIES.get(str(arg), ALL))
        else:
            return ALL
    return tuple(out)


def _repeat_parts(arg: Any) -> tuple[int, int, list]:
    low, high, sub = arg
    return low, high, list(sub)


def _chars(items: list) -> Chars:
    """Every character the items can consume."""
    out: list[Chars] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(((arg, arg),))
        elif name == "IN":
            out.append(_class(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out.append(_chars(_repeat_parts(arg)[2]))
        elif name == "SUBPATTERN":
            out.append(_chars(list(arg[-1])))
        elif name == "ATOMIC_GROUP":
            out.append(_chars(list(arg)))
        elif name == "BRANCH":
            out.extend(_chars(list(alt)) for alt in arg[1])
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:  # ANY, NOT_LITERAL, back references, ...
            return ALL
    return _union(*out) if out else ()


def _first(items: list) -> tuple[Chars, bool]:
    """The characters a match of the items can begin with, and whether it can be empty."""
    found: list[Chars] = []
    for op, arg in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, sub = _repeat_parts(arg)
            chars, empty = _first(sub)
            found.append(chars)
            if low > 0 and not empty:
                return _union(*found), False
            continue
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            chars, empty = _first(list(arg[-1] if name == "SUBPATTERN" else arg))
        elif name == "BRANCH":
            firsts = [_first(list(alt)) for alt in arg[1]]
            chars, empty = _union(*(f[0] for f in firsts)), any(f[1] for f in firsts)
        else:
            chars, empty = _chars([(op, arg)]), False
        found.append(chars)
        if not empty:
            return _union(*found), False
    return _union(*found), True


#: a repeat of at most this many turns backtracks polynomially however its body is split
#: (``(\d{1,3}\.){3}``)
FEW_TURNS = 4


def _has_ambiguous_repeat(items: list) -> bool:
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _, high, sub = _repeat_parts(arg)
            if high > FEW_TURNS and _ambiguous_body(sub):
                return True
            if _has_ambiguous_repeat(sub):
                return True
        elif name == "POSSESSIVE_REPEAT":
            if _has_ambiguous_repeat(_repeat_parts(arg)[2]):
                return True
        elif name == "SUBPATTERN" and _has_ambiguous_repeat(list(arg[-1])):
            return True
        elif name == "ATOMIC_GROUP" and _has_ambiguous_repeat(list(arg)):
            return True
        elif name in ("ASSERT", "ASSERT_NOT") and _has_ambiguous_repeat(list(arg[1])):
            return True
        elif name == "BRANCH" and any(_has_ambiguous_repeat(list(alt)) for alt in arg[1]):
            return True
    return False


def _ambiguous_body(body: list) -> bool:
    """Can one text be split into turns of this repeated body in more than one way?"""
    start, _ = _first(body)
    return _ambiguous_in(body, start)


def _ambiguous_in(items: list, wraps_to: Chars) -> bool:
    """Inside a repeated body: does some variable part meet a neighbour that could take its
    characters? ``wraps_to`` begins whatever may follow the items (the body's next turn)."""
    for index, (op, arg) in enumerate(items):
        follow, empty = _first(items[index + 1:])
        if empty:
            follow = _union(follow, wraps_to)
        check = _AMBIGUOUS.get(str(op))
        if check is not None and check(arg, follow):
            return True
    return False


def _ambiguous_repeat(arg: Any, follow: Chars) -> bool:
    low, high, sub = _repeat_parts(arg)
    if low != high and _overlap(_chars(sub), follow):
        return True
    return _ambiguous_in(sub, _union(_first(sub)[0], follow))


def _ambiguous_group(arg: Any, follow: Chars) -> bool:
    return _ambiguous_in(list(arg[-1]), follow)


def _ambiguous_branch(arg: Any, follow: Chars) -> bool:
    alternatives = [list(alt) for alt in arg[1]]
    firsts = [_first(alt) for alt in alternatives]
    starts = [chars for chars, _ in firsts]
    nullable = sum(1 for _, empty in firsts if empty)
    if nullable > 1 or any(_overlap(a, b) for i, a in enumerate(starts) for b in starts[i + 1:]):
        return True  # two ways to take the same text (``a|a`` is parsed as ``a(?:|)``)
    if nullable and _overlap(_union(*starts), follow):
        return True  # skipping the branch, or not, may leave the same text to what follows
    return any(_ambiguous_in(alt, follow) for alt in alternatives)


# the regex parser's node names whose parts can take the same text more than one way
_AMBIGUOUS = {"MAX_REPEAT": _ambiguous_repeat, "MIN_REPEAT": _ambiguous_repeat,
              "SUBPATTERN": _ambiguous_group, "BRANCH": _ambiguous_branch}


# --- wall clock ----------------------------------------------------------------------------------

@dataclass(eq=False)
class _Limit:
    deadline: float                       # time.monotonic()
    error: Callable[[str], BaseException]
    seconds: float
    fired: bool = False                   # the alarm raised its error once; it is not set again


_local = threading.local()


def _active() -> list[_Limit]:
    limits = getattr(_local, "limits", None)
    if limits is None:
        limits = _local.limits = []
    return limits


def _can_signal() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _expired(now: float) -> _Limit | None:
    """The outermost limit that has passed: a whole run's timeout wins over a validation's."""
    return next((limit for limit in _active() if limit.deadline <= now), None)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    passed = _expired(time.monotonic())
    if passed is not None and not passed.fired:
        passed.fired = True
        _arm()
        raise passed.error(f"gave up after {passed.seconds:g} s")
    _arm()  # woken early (a limit that has since ended): wait for the next one


def _arm() -> None:
    waiting = [limit.deadline for limit in _active() if not limit.fired]
    if not waiting:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    wait = min(waiting) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(wait, 1e-4))


def check() -> None:
    """Raise the error of a limit that has passed: for loops in threads the alarm cannot reach."""
    passed = _expired(time.monotonic())
    if passed is not None:
        raise passed.error(f"gave up after {passed.seconds:g} s")


@contextmanager
def time_limit(seconds: float | None, error: Callable[[str], BaseException]) -> Iterator[None]:
    """Run the body for at most ``seconds`` (None: no limit of its own), then raise ``error``.

    Limits nest; the alarm is set for the nearest one. Outside the main thread nothing is
    interrupted: :func:`check` raises once a limit has passed."""
    if seconds is None:
        yield
        return
    limit = _Limit(time.monotonic() + seconds, error, seconds)
    limits = _active()
    signals = _can_signal()
    previous = None
    if signals and not limits:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    limits.append(limit)
    try:
        if signals:
            _arm()
        yield
    finally:
        limits.remove(limit)
        if signals:
            if limits:
                _arm()
            else:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)
