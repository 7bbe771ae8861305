"""Decide ``old ⊆ new``: is every JSON document the old schema accepts accepted by the new one?

What was learned from Habib, Shinnar, Hirzel and Pradel, "Finding Data Compatibility Bugs with JSON
Subschema Checking" (ISSTA 2021), and how it is used here:

- Canonicalise first, then compare. Their checker rewrites a schema into a disjunction of
  single-type pieces, each keyword in one shape; here the project's :class:`~schemadiff.normalise.View`
  is that canonical form (types as a set, bounds as value + exclusive whatever the draft, ``allOf``
  merged, ``$ref`` followed with the draft's sibling rule, ``dependencies`` split).
- Split by JSON type: ``A ⊆ B`` iff for every type ``t``, ``A∩t ⊆ B∩t``, and decide each type with
  its own domain: numbers as an interval with open/closed ends, integer discreteness and
  ``multipleOf``; strings as length bounds plus regular languages (automata, :mod:`.regex`); arrays
  position by position (tuple prefix, then the rest), lengths, uniqueness, ``contains``; objects
  property by property (listed names, then the names only patterns or ``additionalProperties``
  govern), ``required``, counts, dependencies, ``propertyNames``.
- Connectives: a disjunction on the left is split (``anyOf``/``oneOf`` per branch, ``if/then/else``
  as ``then ∨ else``, an over-approximation); on the right each ``anyOf``/``oneOf`` group, ``not``
  and conditional is one obligation, met when the left fits one branch (for ``oneOf``, and is
  disjoint from the others), when a ``not`` on the left already excludes what the right excludes,
  and so on. Where their checker would need the full algebra (complementing arbitrary schemas) this
  one answers "unknown" instead.
- Unlike their tool, recursive ``$ref``s are followed: a pair under comparison is assumed to hold
  while it is compared (coinduction; instances are finite, so every cycle passes through a property
  or an item), and results that leaned on an assumption still open are not memoised.

Soundness is kept in two ways. "yes" comes only from these rules (every approximation enlarges the
old side or shrinks the new one). "no" comes only with a witness document that the real
``jsonschema`` validator of each side's draft accepts with the old schema and refuses with the new.
Everything else is "unknown" with a one-line reason. Work is bounded by a step budget per checker.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from schemadiff import budget
from schemadiff.errors import InputError
from schemadiff.inclusion import regex
from schemadiff.inclusion.side import Side
from schemadiff.normalise import ALL_TYPES, Node, View, canonical, places, type_of, types_accept
from schemadiff.samples import MISSING, PLAIN, Sampler, string_for

YES, NO, UNKNOWN = "yes", "no", "unknown"
KINDS = ("null", "boolean", "integer", "number", "string", "array", "object")
#: sub-questions one question may need at most (each is a pair of places and a type; answers
#: memoised by earlier questions are free); beyond it the answer is "unknown: budget"
DEFAULT_BUDGET = 4000
#: automaton transitions (greenery) one question may compute, over all its patterns
REGEX_STEPS = 30_000
REGEX_SECONDS = 2.0      # and time: past it a pattern question is "unknown" (so it may vary by machine)
MAX_DEPTH = 150
MAX_VALUES = 500           # enum values checked one by one with the validator
MAX_CANDIDATES = 24        # witness candidates validated per question
#: keywords the validators know but the canonical form does not model: unknown on the new side
UNMODELLED = ("$recursiveRef", "$dynamicRef")


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to ``old ⊆ new``: ``verdict`` is "yes" (proven), "no" (``witness`` is a document
    the old schema accepts and the new one refuses, checked with the validator), or "unknown"
    (``reason`` says why in one line). ``notes`` say how the inputs were read (a guessed draft)."""

    verdict: str
    witness: Any = None
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def proven(self) -> bool:
        return self.verdict == YES

    @property
    def refuted(self) -> bool:
        return self.verdict == NO


_YES = Answer(YES)


def _unknown(reason: str) -> Answer:
    return Answer(UNKNOWN, reason=reason)


def _all(answers: Iterable[Answer]) -> Answer:
    """Every part holds: the first "no" decides (later parts are not computed), else the first
    "unknown", else "yes"."""
    pending = None
    for answer in answers:
        if answer.verdict == NO:
            return answer
        if answer.verdict == UNKNOWN and pending is None:
            pending = answer
    return pending or _YES


class _Undecided(Exception):
    """The question cannot be settled within its budgets: the answer is "unknown"."""


@dataclass(frozen=True, slots=True)
class Term:
    """The left side of a question: a conjunction of schema nodes of one side, maybe restricted to
    one JSON type, with the combinator groups already split into branches (so not split again)."""

    conj: tuple
    side: int                       # 0: the old side's documents, 1: the new side's
    kind: str | None = None
    done: frozenset = frozenset()
    excluded: tuple = ()            # nodes no document of this term matches (an ``if`` not taken)


class Checker:
    """Answers inclusion questions between places of two sides; memoised per pair of places."""

    def __init__(self, old: Side, new: Side, budget: int = DEFAULT_BUDGET):
        self.sides = (old, new)
        self.samplers = (Sampler(old.normaliser), Sampler(new.normaliser))
        self.budget = budget
        self.steps = 0                        # sub-questions decided, over all questions asked
        self._left = budget                   # of this question's budget
        self._memo: dict[tuple, Answer] = {}
        self._open: dict[tuple, int] = {}     # pairs being compared -> their depth
        self._leans: list[int] = []           # per open pair: the shallowest assumption it used
        self._refless: dict[int, bool] = {}
        #: time.monotonic() past which every question left is "unknown" (set by the judgement,
        #: which gives all its questions one budget); None: only the step budget
        self.deadline: float | None = None

    # --- the public questions -------------------------------------------------------------------

    def includes(self, old: Node | None = None, new: Node | None = None) -> Answer:
        """Is every document the schema at ``old`` accepts accepted by the one at ``new``? (Roots
        by default.)"""
        return self._ask(old or self.sides[0].root(), new or self.sides[1].root(), 0)

    def contains(self, old: Node | None = None, new: Node | None = None) -> Answer:
        """The other way: is every document of ``new`` accepted by ``old``?"""
        return self._ask(new or self.sides[1].root(), old or self.sides[0].root(), 1)

    def disjoint(self, left: tuple, right: Node, side: int = 0) -> Answer:
        """Can no document match both the conjunction ``left`` (of side ``side``) and the schema
        at ``right`` (of the other side)? "yes" only when proven, per JSON type; else "unknown".
        For two places of one side, ask a checker whose two sides are that side."""
        self._left = self.budget
        try:
            with regex.bounded(REGEX_STEPS, REGEX_SECONDS):
                view = self._view(left, side)
                if view.never:
                    return _YES
                for kind in _kinds(view.types):
                    if self._disjoint(Term(tuple(left), side, kind), view, right).verdict != YES:
                        return _unknown("cannot tell whether the schemas overlap")
        except RecursionError:
            return _unknown("schemas nested too deeply to compare")
        except InputError as err:
            return _unknown(f"cannot read the schema: {err}")
        return _YES

    def between(self, old: tuple, new: tuple, backward: bool = True) -> Answer:
        """The same questions between conjunctions of nodes (the pair of views a comparison
        was at): ``old ⊆ new`` when ``backward``, else ``new ⊆ old``."""
        return self._ask(tuple(old), tuple(new), 0) if backward else \
            self._ask(tuple(new), tuple(old), 1)

    def _ask(self, left: Node | tuple, right: Node | tuple, side: int) -> Answer:
        self._left = self.budget
        left = left if isinstance(left, tuple) else (left,)
        right = right if isinstance(right, tuple) else (right,)
        try:
            with regex.bounded(REGEX_STEPS, REGEX_SECONDS):
                answer = self._sub(Term(left, side), right)
        except RecursionError:
            answer = _unknown("schemas nested too deeply to compare")
        except InputError as err:  # a $ref met here for the first time leads nowhere
            answer = _unknown(f"cannot read the schema: {err}")
        except _Undecided as err:
            answer = _unknown(str(err))
        notes = tuple(n for s in self.sides for n in s.notes)
        return replace(answer, notes=notes) if notes else answer

    # --- memo, coinduction and budget -----------------------------------------------------------

    def _sub(self, a: Term, b: tuple) -> Answer:
        key = (a.side, places(a.conj), a.kind, a.done, places(a.excluded), places(b))
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        depth = self._open.get(key)
        if depth is not None:   # met again inside itself: assume it holds (coinduction)
            self._leans[-1] = min(self._leans[-1], depth)
            return _YES
        self.steps += 1
        self._left -= 1
        if self._left < 0:
            return _unknown("budget: too many sub-questions")
        if self.deadline is not None and time.monotonic() > self.deadline:
            self._left = -1   # spent: not memoised, later questions may decide it
            return _unknown("budget: out of time")
        if len(self._open) >= MAX_DEPTH:
            return _unknown("schemas nested too deeply to compare")
        depth = len(self._open)
        self._open[key] = depth
        self._leans.append(depth)
        try:
            answer = self._decide(a, b)
        finally:
            del self._open[key]
            leaned = self._leans.pop()
        if self._leans:
            self._leans[-1] = min(self._leans[-1], leaned)
        if answer.verdict == NO or (leaned >= depth and not self._spent(answer)):
            self._memo[key] = answer  # a witness never rests on an assumption
        return answer

    def _spent(self, answer: Answer) -> bool:
        """An "unknown" that only this question's budget caused: a later question may decide it."""
        return answer.verdict == UNKNOWN and (self._left < 0 or regex.OUT_OF_TIME in answer.reason)

    # --- helpers over sides ---------------------------------------------------------------------

    def _view(self, conj: tuple, side: int) -> View:
        return self.sides[side].normaliser.view(tuple(conj))

    def _separates(self, a: Term, b: tuple, document) -> bool:
        """Checked with the validators: the left accepts the document and the right refuses it."""
        if document is MISSING:
            return False
        left, right = self.sides[a.side].probe, self.sides[1 - a.side].probe
        if not all(left.check(node, document) is True for node in a.conj):
            return False
        return any(right.check(node, document) is False for node in b)

    def _refute(self, a: Term, b: tuple, candidates: Iterable, reason: str) -> Answer:
        """"no" with the first candidate the validators confirm, else "unknown: reason"."""
        seen: set[str] = set()
        for candidate in candidates:
            if candidate is MISSING:
                continue
            text = canonical(candidate)
            if text in seen:
                continue
            seen.add(text)
            if len(seen) > MAX_CANDIDATES:
                break
            if self._separates(a, b, candidate):
                return Answer(NO, witness=candidate)
        return _unknown(reason)

    def _sample(self, side: int, conj: tuple, kind: str | None = None):
        """A value the schema accepts (best effort; MISSING if none was found)."""
        sampler = self.samplers[side]
        view = self._view(conj, side)
        try:
            return sampler.value(view) if kind is None else sampler.of_type(view, kind)
        except (RecursionError, ValueError, TypeError, KeyError, IndexError):
            return MISSING

    def _near(self, a: Term, va: View, other: View) -> list:
        """Values of the left side on both sides of the other view's bounds, and plain samples:
        candidates where a condition of the other side changes its mind."""
        out = self._samples(a, va, a.kind)
        if a.kind in ("integer", "number"):
            out += _number_candidates(va, other, a.kind == "integer")
        elif a.kind == "string":
            out += list(self._string_candidates(va, other))
        return out

    def _samples(self, a: Term, view: View, kind: str | None) -> list:
        assert kind is not None, "asked below the split by JSON type (_decide)"
        out = [self._sample(a.side, a.conj, kind), PLAIN[kind]]
        if kind == "number":
            out.append(0.5)
        return out

    def _same(self, a: tuple, b: tuple, side: int) -> bool:
        """The same schema on both sides: the same place, or equal JSON with no reference in it
        (references could lead to different places) in documents of the same draft."""
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            if x.doc is y.doc and x.pointer == y.pointer and (x.value is True) == (y.value is True):
                continue
            if x.value is y.value and x.doc is y.doc:
                continue
            if x.doc.draft != y.doc.draft or x.value != y.value or not self._has_no_ref(x.value):
                return False
        return True

    def _has_no_ref(self, value) -> bool:
        key = id(value)
        hit = self._refless.get(key)
        if hit is None:
            hit = self._refless[key] = not _mentions_ref(value)
        return hit

    # --- the decision ---------------------------------------------------------------------------

    def _decide(self, a: Term, b: tuple) -> Answer:
        va = self._view(a.conj, a.side)
        vb = self._view(b, 1 - a.side)
        if va.never:
            return _YES
        if self._same(a.conj, b, a.side):
            return _YES
        unmodelled = self._unmodelled(b, 1 - a.side)
        if vb.is_trivial and not unmodelled:
            return _YES
        if va.enum is not None:
            return self._values(a, b, list(va.enum.values()))
        split = self._open_group(va, a.done)
        if split is not None:
            group, branches = split
            done = a.done | {group}
            return _all(self._sub(Term(a.conj + extra, a.side, a.kind, done, a.excluded + unless), b)
                        for extra, unless in branches)
        if a.kind is None:
            return _all(self._sub(replace(a, kind=kind), b) for kind in _kinds(va.types))
        if unmodelled:
            return _unknown(f"the new schema uses {unmodelled}, which is not modelled")
        return self._typed(a, va, b, vb)

    def _unmodelled(self, b: tuple, side: int) -> str | None:
        for node in self.sides[side].normaliser.expand(b):
            if isinstance(node, Node) and isinstance(node.value, dict):
                for keyword in UNMODELLED:
                    if keyword in node.value:
                        return keyword
        return None

    def _values(self, a: Term, b: tuple, values: list) -> Answer:
        """A finite left side: exact, by asking the validators about each value."""
        left, right = self.sides[a.side].probe, self.sides[1 - a.side].probe
        if len(values) > MAX_VALUES:
            return _unknown(f"enum of {len(values)} values: too many to check one by one")
        undecided = None
        for value in values:
            if a.kind is not None and not _of_kind(value, a.kind):
                continue
            accepted = [left.check(node, value) for node in a.conj]
            if False in accepted:
                continue
            if None in accepted:
                undecided = undecided or value
                continue
            verdicts = [right.check(node, value) for node in b]
            if False in verdicts:
                return Answer(NO, witness=value)
            if None in verdicts:
                undecided = undecided or value
        if undecided is not None:
            return _unknown(f"the validator could not evaluate the value {canonical(undecided)}")
        return _YES

    @staticmethod
    def _open_group(view: View, done: frozenset):
        """The first ``anyOf``/``oneOf``/``if`` of the left side not yet split: (its id, and per
        branch the conjuncts it adds and the schemas it excludes). ``if I then T else E`` is
        ``(I ∧ T) ∨ (¬I ∧ E)``, exactly; ``oneOf`` branch i is ``Bi ∧ ¬Bj`` for every other j."""
        for group in view.any_of:
            ident = group[0].where.rsplit("/", 1)[0]
            if ident not in done:
                return ident, [((branch,), ()) for branch in group]
        for group in view.one_of:  # exactly one: each branch excludes the others
            ident = group[0].where.rsplit("/", 1)[0]
            if ident not in done:
                return ident, [((branch,), tuple(n for n in group if n is not branch)) for branch in group]
        for condition, then, otherwise in view.conditionals:
            ident = condition.where
            if ident not in done:
                taken = (condition,) + ((then,) if then is not None else ())
                return ident, [(taken, ()), ((otherwise,) if otherwise is not None else (), (condition,))]
        return None

    # --- one JSON type --------------------------------------------------------------------------

    def _typed(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        kind = a.kind
        if self._empty(a, va):
            return _YES
        if vb.never or not _type_allows(vb.types, kind):
            return self._refute(a, b, self._samples(a, va, kind), f"{kind} values are no longer accepted")
        return _all(self._obligations(a, va, b, vb))

    def _empty(self, a: Term, va: View) -> bool:
        """The left side holds no value of its type (contradictory bounds, a required property
        whose schema is ``false``)."""
        kind = a.kind
        if kind in ("integer", "number"):
            integral = kind == "integer" or any(Fraction(m).denominator == 1 for m in va.multiple_of)
            low, high = _integer_bounds(va) if integral else (va.minimum, va.maximum)
            return _empty_interval(low, high)
        if kind == "string":
            return va.max_length is not None and (va.min_length or 0) > va.max_length
        if kind == "array":
            return va.max_items is not None and (va.min_items or 0) > va.max_items
        if kind == "object":
            if va.max_properties is not None and \
                    max(va.min_properties or 0, len(va.required)) > va.max_properties:
                return True
            return any(self._view(_schema_for(va, name), a.side).never for name in va.required)
        return False

    def _obligations(self, a: Term, va: View, b: tuple, vb: View) -> Iterator[Answer]:
        kind = a.kind
        if vb.remote is not None and (va.remote is None or vb.remote not in va.remote):
            yield _unknown(f"the new schema refers to {vb.remote}, which is not followed")
        if vb.enum is not None:
            yield self._into_enum(a, va, b, vb)
        if kind in ("integer", "number"):
            yield self._numbers(a, va, b, vb)
        elif kind == "string":
            yield self._strings(a, va, b, vb)
        elif kind == "array":
            yield self._arrays(a, va, b, vb)
        elif kind == "object":
            yield self._objects(a, va, b, vb)
        for group in vb.any_of:
            yield self._union(a, va, b, group, one=False)
        for group in vb.one_of:
            yield self._union(a, va, b, group, one=True)
        for node in vb.not_:
            yield self._not(a, va, b, node)
        for condition in vb.conditionals:
            yield self._conditional(a, va, b, condition)

    def _into_enum(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        """An infinite left side cannot fit a finite enum; a small one is checked value by value."""
        finite = _finite_values(va, a.kind)
        if finite is not None:
            return self._values(a, b, finite)
        assert vb.enum is not None, "asked of an enum only"
        allowed = {canonical(v) for v in vb.enum.values()}
        candidates = self._samples(a, va, a.kind) + _outside(a.kind, allowed)
        return self._refute(a, b, candidates, "the new schema is an enum; the old one allows more values")

    # --- numbers --------------------------------------------------------------------------------

    def _numbers(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        integral = a.kind == "integer" or any(Fraction(m).denominator == 1 for m in va.multiple_of)
        low, high = _integer_bounds(va) if integral else (va.minimum, va.maximum)
        if _empty_interval(low, high):
            return _YES
        problems = []
        if vb.types is not None and "number" not in vb.types and not integral:
            problems.append("only integers are accepted now")
        if not _within_low(low, vb.minimum):
            problems.append("the minimum rose")
        if not _within_high(high, vb.maximum):
            problems.append("the maximum fell")
        for divisor in vb.multiple_of:
            if not _divides(divisor, va.multiple_of, integral):
                problems.append(f"multipleOf {divisor} is new")
        if not problems:
            return _YES
        return self._refute(a, b, _number_candidates(va, vb, a.kind == "integer"),
                            "numbers: " + ", ".join(problems))

    # --- strings --------------------------------------------------------------------------------

    def _strings(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        """Lengths, then patterns, then formats: lengths alone are compared as numbers, patterns
        as regular languages (automata); a new format is refuted by a witness or not at all."""
        low_a, high_a = va.min_length or 0, va.max_length
        if high_a is not None and low_a > high_a:
            return _YES
        lengths_fit = _within_bounds(low_a, high_a, vb.min_length or 0, vb.max_length)
        patterns = [p for p in vb.patterns if p not in va.patterns]
        formats = [f for f in vb.formats if f not in va.formats]
        if lengths_fit and not patterns and not formats:
            return _YES
        candidates = list(self._string_candidates(va, vb))
        reason = self._strings_outside(va, vb, lengths_fit, patterns, candidates)
        if reason is None and formats:
            reason = f"strings: format {formats[0]!r} is new"
        if reason is None:
            return _YES
        return self._refute(a, b, candidates, reason)

    def _strings_outside(self, va: View, vb: View, lengths_fit: bool, patterns: list[str],
                         candidates: list) -> str | None:
        """Why some old string may be outside the new lengths or new ``patterns`` (None: none
        is); the strings found outside are put first in ``candidates``."""
        if lengths_fit and not patterns:
            return None  # only a format is new: no automaton needed
        if not va.patterns and not patterns:
            # lengths alone, on both sides: every length the old side allows has strings
            # of it, so the bounds decide without an automaton (a costly one over Unicode)
            return "strings: the length bounds narrowed"
        try:
            language = self._string_language(va)
            if not lengths_fit:
                lengths_fit = _lengths_within(language, vb.min_length or 0, vb.max_length,
                                              candidates)
            missing = []
            for pattern in patterns:
                if not _pattern_within(language, pattern, candidates):
                    missing.append(pattern)
        except regex.Unsupported as why:
            return f"strings: {why}"
        if not lengths_fit:
            return "strings: the length bounds narrowed"
        if missing:
            return f"strings: pattern {missing[0]!r} does not contain the old language"
        return None

    @staticmethod
    def _string_language(va: View):
        """The old side's strings as an automaton, from above: its patterns, and its length bounds
        where they are small (dropping a constraint only enlarges the language)."""
        language = None
        with regex.bounded():
            for pattern in va.patterns:
                fsm = regex.language(pattern, over=True)
                language = fsm if language is None else language.intersection(fsm)
            low, high = va.min_length or 0, va.max_length
            if max(low, high or 0) <= regex.MAX_UNROLLED and (low or high is not None):
                fsm = regex.length_language(low, high)
                language = fsm if language is None else language.intersection(fsm)
            return language if language is not None else regex.length_language(0, None)

    @staticmethod
    def _string_candidates(va: View, vb: View) -> Iterator[str]:
        low, high = va.min_length or 0, va.max_length
        lengths = {low, low + 1, (vb.min_length or 1) - 1, (vb.max_length or -2) + 1}
        for length in sorted(n for n in lengths if n >= low and (high is None or n <= high)):
            if length < 0 or length > 100_000:
                continue
            if va.patterns:
                for pattern in va.patterns:
                    text = string_for(pattern, length, length)
                    if text is not None:
                        yield text
            else:
                yield "a" * length
                yield "0" * length
        yield from ("", "a", "not a valid value")

    # --- arrays ---------------------------------------------------------------------------------

    def _arrays(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        """Position by position (the tuple prefix, then the rest): a position that fails decides
        at once. Then the keywords about the whole array, one step each: all are asked, and the
        first "no" decides."""
        low_a, high_a = self._array_lengths(a, va)
        if high_a is not None and low_a > high_a:
            return _YES
        answers = self._positions(a, va, b, vb, high_a)
        if answers and answers[-1].verdict == NO:
            return answers[-1]
        answers.extend(self._item_counts(a, va, b, vb, low_a, high_a))
        answers.extend(self._uniqueness(a, va, b, vb, low_a, high_a))
        answers.extend(self._contains(a, va, b, vb, low_a))
        if vb.unevaluated_items and not all(n.value is True for n in vb.unevaluated_items):
            answers.append(_unknown("arrays: unevaluatedItems is not modelled"))
        return _all(answers)

    def _array_lengths(self, a: Term, va: View) -> tuple[int, int | None]:
        """The lengths the old arrays can have: ``minItems``/``maxItems``, and no longer than
        the tuple prefix where no further item is allowed (``items: false``)."""
        high = va.max_items
        if self._view(tuple(va.items or ()), a.side).never:
            high = len(va.prefix) if high is None else min(high, len(va.prefix))
        return va.min_items or 0, high

    def _positions(self, a: Term, va: View, b: tuple, vb: View, high_a: int | None) -> list[Answer]:
        """Each position an old array can fill, against the new schema there: the positions of
        either tuple prefix, then one for all the rest (``items``). Stops at the first that fails,
        with the witness put back in an old array."""
        rest_a, rest_b = tuple(va.items or ()), tuple(vb.items or ())
        answers: list[Answer] = []
        for index in range(max(len(va.prefix), len(vb.prefix)) + 1):
            if high_a is not None and index >= high_a:
                break
            here_a = tuple(va.prefix[index]) if index < len(va.prefix) else rest_a
            here_b = tuple(vb.prefix[index]) if index < len(vb.prefix) else rest_b
            answer = self._sub(Term(here_a, a.side), here_b)
            if answer.verdict == NO:
                lifted = self._array_with(a, va, index, answer.witness)
                answer = self._refute(a, b, [lifted], f"arrays: position {index} narrowed")
            answers.append(answer)
            if answer.verdict == NO:
                break
        return answers

    def _item_counts(self, a: Term, va: View, b: tuple, vb: View, low_a: int,
                     high_a: int | None) -> Iterator[Answer]:
        """``minItems``/``maxItems``: refuted with arrays of the lengths just outside the new
        bounds (within the old ones)."""
        low_b, high_b = vb.min_items or 0, vb.max_items
        if not _within_bounds(low_a, high_a, low_b, high_b):
            lengths = [n for n in (low_a, low_b - 1, (high_b or -2) + 1, high_a or 0)
                       if n >= low_a and (high_a is None or n <= high_a) and n <= 10_000]
            yield self._refute(a, b, [self._array_of(a, va, n) for n in lengths],
                               "arrays: the length bounds narrowed")

    def _uniqueness(self, a: Term, va: View, b: tuple, vb: View, low_a: int,
                    high_a: int | None) -> Iterator[Answer]:
        """``uniqueItems`` that is new: refuted with an array that repeats its first item."""
        if vb.unique_items and not va.unique_items and (high_a is None or high_a >= 2):
            yield self._refute(a, b, [self._array_of(a, va, max(low_a, 2), repeat=True)],
                               "arrays: items must now be unique")

    def _contains(self, a: Term, va: View, b: tuple, vb: View, low_a: int) -> Iterator[Answer]:
        if not vb.contains:
            return
        need = 1 if vb.min_contains is None else vb.min_contains
        if vb.max_contains is not None:
            yield _unknown("arrays: maxContains is not modelled")
        if need == 0:
            return
        target = tuple(vb.contains)
        have = 1 if va.min_contains is None else va.min_contains
        if va.contains and have >= need and \
                self._sub(Term(tuple(va.contains), a.side), target).verdict == YES:
            return
        every = tuple(va.items or ())
        if low_a >= need and not va.prefix and self._sub(Term(every, a.side), target).verdict == YES:
            return
        candidates = [self._array_of(a, va, n) for n in (low_a, low_a + 1)]
        yield self._refute(a, b, candidates, "arrays: contains is new or narrowed")

    def _array_of(self, a: Term, va: View, length: int, repeat: bool = False):
        items: list = []
        for index in range(length):
            nodes = tuple(va.prefix[index]) if index < len(va.prefix) else tuple(va.items or ())
            item = items[0] if repeat and items else self._sample(a.side, nodes)
            if item is MISSING:
                return MISSING
            items.append(item)
        return items

    def _array_with(self, a: Term, va: View, index: int, item):
        before = self._array_of(a, va, index)
        if before is MISSING:
            return MISSING
        after = self._array_of(a, va, max(va.min_items or 0, index + 1))
        if after is MISSING:
            return MISSING
        return [*before, item, *after[index + 1:]]

    # --- objects --------------------------------------------------------------------------------

    def _objects(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        return _all(self._object_parts(a, va, b, vb))

    def _object_parts(self, a: Term, va: View, b: tuple, vb: View) -> Iterator[Answer]:
        side = a.side
        names = sorted(set(va.properties) | set(vb.properties) | va.required | vb.required
                       | set(vb.dependent_required) | set(vb.dependent_schemas))
        for name in names:
            here_a = _schema_for(va, name)
            if self._view(here_a, side).never:
                continue
            answer = self._sub(Term(here_a, side), _schema_for(vb, name))
            if answer.verdict == NO:
                answer = self._refute(a, b, [self._object_with(a, va, {name: answer.witness})],
                                      f"objects: property {name!r} narrowed")
            yield answer
        yield self._unlisted(a, va, b, vb)
        for name in sorted(vb.required - va.required):
            yield self._refute(a, b, [self._object_with(a, va, {}, without=name)],
                               f"objects: {name!r} is now required")
        yield self._counts(a, va, b, vb)
        for trigger, needed in vb.dependent_required.items():
            if self._view(_schema_for(va, trigger), side).never:
                continue
            missing = needed - va.required - va.dependent_required.get(trigger, set())
            if missing:
                value = self._sample(side, _schema_for(va, trigger))
                yield self._refute(a, b, [self._object_with(a, va, {trigger: value})],
                                   f"objects: {trigger!r} now needs {sorted(missing)[0]!r}")
        for trigger, nodes in vb.dependent_schemas.items():
            if self._view(_schema_for(va, trigger), side).never:
                continue
            own = tuple(va.dependent_schemas.get(trigger, ()))
            answer = self._sub(Term(a.conj + own, side, "object", a.done, a.excluded), tuple(nodes))
            if answer.verdict == NO:
                witness = answer.witness
                if isinstance(witness, dict) and trigger not in witness:
                    witness = {**witness, trigger: self._sample(side, _schema_for(va, trigger))}
                answer = self._refute(a, b, [witness], f"objects: the schema {trigger!r} brings narrowed")
            yield answer
        if vb.property_names:
            yield self._property_names(a, va, b, vb)
        if vb.unevaluated_properties and not all(n.value is True for n in vb.unevaluated_properties):
            yield _unknown("objects: unevaluatedProperties is not modelled")

    def _unlisted(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        """Names neither side lists: each schema the old side may apply to such a name must fit
        each schema the new side may apply (sufficient, since some old schema always applies)."""
        side = a.side
        if _strict(va) is not None:
            return _YES
        # (names, schema) per side; names: a pattern, or None for "no pattern of that side matches"
        sources: list[tuple[str | None, tuple]] = \
            [(p, tuple(nodes)) for p, nodes in va.pattern_properties.items()]
        additional = tuple(va.additional or ())
        if not self._view(additional, side).never:
            sources.append((None, additional))
        if _strict(vb) is not None:
            targets: list[tuple[str | None, tuple]] = [(None, (_strict(vb),))]
        else:
            targets = [(p, tuple(nodes)) for p, nodes in vb.pattern_properties.items()]
            if vb.additional:
                targets.append((None, tuple(vb.additional)))
        targets = [(p, t) for p, t in targets if not self._view(t, 1 - side).is_trivial]
        answers = []
        for names_a, source in sources:
            for names_b, target in targets:
                if not _may_meet(names_a, names_b, va, vb):
                    continue
                answer = self._sub(Term(source, side), target)
                if answer.verdict == NO:
                    candidates = [self._object_with(a, va, {name: answer.witness})
                                  for name in _free_names(va, vb)]
                    answer = self._refute(a, b, candidates,
                                          "objects: properties not listed are narrowed")
                answers.append(answer)
                if answer.verdict == NO:
                    return answer
        return _all(answers)

    def _counts(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        low_a = max(va.min_properties or 0, len(va.required))
        high_a = va.max_properties
        if _only_listed(va):
            listed = sum(1 for n in va.properties if not self._view(_schema_for(va, n), a.side).never)
            high_a = listed if high_a is None else min(high_a, listed)
        low_b, high_b = vb.min_properties or 0, vb.max_properties
        if low_a >= low_b and (high_b is None or (high_a is not None and high_a <= high_b)):
            return _YES
        fewest = self._object_with(a, va, {})
        candidates = [fewest]
        if isinstance(fewest, dict):
            full = self._object_full(a, va)
            candidates.append(full)
            for extra in (1, 2, (high_b or 0) + 1 - len(fewest)):
                if 0 < extra <= 1000:
                    value = self._sample(a.side, tuple(va.additional or ()))
                    names = list(_free_names(va, vb, extra + 2))[:extra]
                    candidates.append({**fewest, **dict.fromkeys(names, value)})
        return self._refute(a, b, candidates, "objects: the property counts narrowed")

    def _property_names(self, a: Term, va: View, b: tuple, vb: View) -> Answer:
        target = tuple(vb.property_names)
        if va.property_names and \
                self._sub(Term(tuple(va.property_names), a.side, "string"), target).verdict == YES:
            return _YES
        listed = [n for n in va.properties if not self._view(_schema_for(va, n), a.side).never]
        probe = self.sides[1 - a.side].probe
        refused = [n for n in listed if any(probe.check(node, n) is False for node in target)]
        candidates = [self._object_with(a, va, {n: self._sample(a.side, _schema_for(va, n))})
                      for n in refused]
        if not refused and _only_listed(va) and all(probe.check(node, n) is True
                                                    for n in listed for node in target):
            return _YES
        candidates += [self._object_with(a, va, {n: self._sample(a.side, tuple(va.additional or ()))})
                       for n in _free_names(va, vb)]
        return self._refute(a, b, candidates, "objects: propertyNames is new or narrowed")

    def _object_with(self, a: Term, va: View, extra: dict, without: str | None = None):
        """The old side's required properties with sample values, plus ``extra``."""
        if any(value is MISSING for value in extra.values()):
            return MISSING
        out = {}
        for name in sorted(va.required):
            if name == without or name in extra:
                continue
            value = self._sample(a.side, _schema_for(va, name))
            if value is MISSING:
                return MISSING
            out[name] = value
        out = {**out, **extra}
        for trigger in list(out):  # what the present properties bring along (dependentRequired)
            for name in sorted(va.dependent_required.get(trigger, ())):
                if name not in out and name != without:
                    value = self._sample(a.side, _schema_for(va, name))
                    if value is MISSING:
                        return MISSING
                    out[name] = value
        return out

    def _object_full(self, a: Term, va: View):
        out = self._object_with(a, va, {})
        if out is MISSING:
            return MISSING
        for name in va.properties:
            if name not in out:
                value = self._sample(a.side, _schema_for(va, name))
                if value is not MISSING:
                    out[name] = value
        return out

    # --- connectives on the new side ------------------------------------------------------------

    def _union(self, a: Term, va: View, b: tuple, group: list, one: bool) -> Answer:
        word = "oneOf" if one else "anyOf"
        side = 1 - a.side
        witnesses = []
        for index, branch in enumerate(group):
            view = self._view((branch,), side)
            if view.never or not _type_allows(view.types, a.kind):
                continue
            answer = self._sub(a, (branch,))
            if answer.verdict == YES:
                if not one:
                    return _YES
                for other, rival in enumerate(group):
                    if other != index and self._disjoint(a, va, rival).verdict != YES:
                        candidates = self._near(a, va, self._view((rival,), side))
                        return self._refute(a, b, candidates,
                                            f"oneOf: the old schema fits branch {index} but may "
                                            f"also match branch {other}")
                return _YES
            if answer.verdict == NO:
                witnesses.append(answer.witness)
        candidates = witnesses + self._samples(a, va, a.kind)
        return self._refute(a, b, candidates, f"{word}: the old schema fits no single branch")

    def _disjoint(self, a: Term, va: View, node: Node) -> Answer:
        """Does no document of the left side match ``node`` (of the other side)? yes or unknown."""
        side = 1 - a.side
        view = self._view((node,), side)
        if view.never or not _type_allows(view.types, a.kind):
            return _YES
        for mine in list(va.not_) + list(a.excluded):  # the left already excludes more than node
            if self._sub(Term((node,), side), (mine,)).verdict == YES:
                return _YES
        if view.enum is not None:
            left = self.sides[a.side].probe
            if all(any(left.check(n, v) is False for n in a.conj) for v in view.enum.values()):
                return _YES
        if a.kind == "object":
            for name in (va.required | view.required):
                here_a = self._view(_schema_for(va, name), a.side)
                here_b = self._view(_schema_for(view, name), side)
                if here_a.enum is not None and here_b.enum is not None and \
                        not set(here_a.enum) & set(here_b.enum):
                    return _YES
                if here_a.never or here_b.never:
                    return _YES
        return _unknown("cannot tell whether the schemas overlap")

    def _not(self, a: Term, va: View, b: tuple, node: Node) -> Answer:
        """``A ⊆ not N``: A and N are disjoint; or A already excludes some M that contains N."""
        if self._disjoint(a, va, node).verdict == YES:
            return _YES
        inside = self._sub(a, (node,))
        candidates = self._samples(a, va, a.kind) if inside.verdict == YES else []
        view = self._view((node,), 1 - a.side)
        if view.enum is not None:
            candidates = list(view.enum.values()) + candidates
        return self._refute(a, b, candidates, "not: the old schema may overlap what is now excluded")

    def _conditional(self, a: Term, va: View, b: tuple, condition: tuple) -> Answer:
        test, then, otherwise = condition
        then_c = (then,) if then is not None else ()
        else_c = (otherwise,) if otherwise is not None else ()
        both = [self._sub(a, then_c), self._sub(a, else_c)]
        if all(x.verdict == YES for x in both):
            return _YES
        if self._sub(a, (test,)).verdict == YES and both[0].verdict == YES:
            return _YES
        if self._disjoint(a, va, test).verdict == YES and both[1].verdict == YES:
            return _YES
        candidates = [x.witness for x in both if x.verdict == NO]
        for part in (test, then, otherwise):
            if part is not None:
                candidates += self._near(a, va, self._view((part,), 1 - a.side))
        return self._refute(a, b, candidates, "if/then/else: cannot tell which branch applies")


# --- small pure helpers ------------------------------------------------------------------------

def _within_bounds(low_a: int, high_a: int | None, low_b: int, high_b: int | None) -> bool:
    """Is the range ``low_a``..``high_a`` inside ``low_b``..``high_b`` (None: no upper bound)?"""
    return low_a >= low_b and (high_b is None or (high_a is not None and high_a <= high_b))


def _lengths_within(language, low: int, high: int | None, outside_found: list) -> bool:
    """Does every string of ``language`` have a length in ``low``..``high``? Those that do not
    are put first in ``outside_found``."""
    if max(low, high or 0) > regex.MAX_UNROLLED:
        raise regex.Unsupported("length bounds too large for an automaton")
    with regex.bounded():
        outside = language.difference(regex.length_language(low, high))
        outside_found[:0] = regex.strings(outside)
        return outside.empty()


def _pattern_within(language, pattern: str, outside_found: list) -> bool:
    """Does every string of ``language`` match ``pattern``? Those that do not are put first in
    ``outside_found``."""
    with regex.bounded():
        outside = language.difference(regex.language(pattern, over=False))
        if outside.empty():
            return True
        outside_found[:0] = regex.strings(outside)
        return False


def _mentions_ref(value) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(k in node for k in ("$ref", "$recursiveRef", "$dynamicRef")):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _kinds(types: frozenset | None) -> list[str]:
    allowed = ALL_TYPES if types is None else types
    return [kind for kind in KINDS if kind in allowed]


def _type_allows(types: frozenset | None, kind: str | None) -> bool:
    """Can a value of ``kind`` pass this type keyword? (A number may still be an integer.)"""
    if types is None or kind is None:
        return True
    return types_accept(types, kind) or (kind == "number" and "integer" in types)


def _of_kind(value, kind: str) -> bool:
    actual = type_of(value)
    return actual == kind or (kind == "number" and actual == "integer")


def _finite_values(view: View, kind: str | None) -> list | None:
    """All values of ``kind`` the view can hold, when they are few and easy to list."""
    if kind == "null":
        return [None]
    if kind == "boolean":
        return [False, True]
    if kind == "integer":
        low, high = _integer_bounds(view)
        if low is not None and high is not None and high.value - low.value < 64:
            return list(range(int(low.value), int(high.value) + 1))
    if kind == "string" and view.max_length == 0:
        return [""]
    return None


def _outside(kind: str | None, allowed: set[str]) -> list:
    pools: dict[str, list[Any]] = {"string": ["a", "b", "", "zz"], "integer": [0, 1, -1, 7],
                                   "number": [0.5, 0, 1.5], "array": [[]], "object": [{}]}
    pool = pools.get(kind or "", [])
    return [v for v in pool if canonical(v) not in allowed]


def _may_meet(names_a: str | None, names_b: str | None, va: View, vb: View) -> bool:
    """Can one property name, listed by neither side, fall under the old side's pattern
    ``names_a`` and the new side's ``names_b`` at once? None stands for "no pattern of that side
    matches" (additionalProperties). Only a proof of "never" (by automata) says False."""
    if names_a is not None and names_b is not None:
        return not _names_disjoint(names_a, names_b)
    if names_a is not None:     # under additionalProperties of the new side: no new pattern matches
        return not _names_within(names_a, list(vb.pattern_properties))
    if names_b is not None:
        return not _names_within(names_b, list(va.pattern_properties))
    return True


def _names_within(pattern: str, others: list[str]) -> bool:
    """Does every name ``pattern`` matches match one of ``others``?"""
    if pattern in others:
        return True
    try:
        with regex.bounded():
            mine = regex.language(pattern, over=True)
            return any(mine.issubset(regex.language(other, over=False)) for other in others)
    except regex.Unsupported:
        return False


def _names_disjoint(first: str, second: str) -> bool:
    if first == second:
        return False
    try:
        with regex.bounded():
            return regex.language(first, over=True).isdisjoint(regex.language(second, over=True))
    except regex.Unsupported:
        return False


def _strict(view: View) -> Node | None:
    """interagent's ``strictProperties: true`` (the normaliser's closing stand-in): unlike
    ``additionalProperties: false`` it refuses pattern-matched names too, as the validator reads it."""
    for node in view.additional or ():
        if node.value is False and node.pointer.endswith("/strictProperties"):
            return node
    return None


def _only_listed(view: View) -> bool:
    """No property beyond those in ``properties`` is possible."""
    return _strict(view) is not None or (view.closed and not view.pattern_properties)


def _schema_for(view: View, name: str) -> tuple:
    """The schemas that apply to property ``name``: its ``properties`` entry and every matching
    ``patternProperties`` entry; ``additionalProperties`` when neither (an empty tuple: any)."""
    strict = _strict(view)
    if strict is not None and name not in view.properties:
        return (strict,)
    nodes = list(view.properties.get(name, ()))
    for pattern, matched in view.pattern_properties.items():
        found = budget.matches(pattern, name)   # a hostile pattern cannot hang the question
        if found is None:
            raise _Undecided(f"objects: pattern {pattern!r} cannot be matched within budget")
        if found:
            nodes.extend(matched)
    if not nodes and view.additional:
        nodes = list(view.additional)
    return tuple(nodes)


def _free_names(va: View, vb: View, count: int = 3) -> list[str]:
    """Property names that neither side lists, for documents with extra properties."""
    out = []
    for pattern in list(va.pattern_properties):
        text = string_for(pattern)
        if text is not None and text not in va.properties and text not in vb.properties:
            out.append(text)
    index = 0
    while len(out) < count + len(va.pattern_properties) and index < 100:
        name = f"extra_{index}"
        index += 1
        if name not in va.properties and name not in vb.properties:
            out.append(name)
    return out


@dataclass(frozen=True)
class _Bound:
    value: Fraction
    exclusive: bool


def _frac(bound) -> _Bound | None:
    return None if bound is None else _Bound(Fraction(bound.value), bound.exclusive)


def _integer_bounds(view: View) -> tuple[_Bound | None, _Bound | None]:
    """The bounds of an integer-valued view as inclusive integers (``exclusiveMinimum: 2`` over
    the integers is ``minimum: 3``)."""
    low = _frac(view.minimum)
    high = _frac(view.maximum)
    if low is not None:
        value = math.floor(low.value) + 1 if low.exclusive and low.value.denominator == 1 \
            else math.ceil(low.value)
        low = _Bound(Fraction(value), False)
    if high is not None:
        value = math.ceil(high.value) - 1 if high.exclusive and high.value.denominator == 1 \
            else math.floor(high.value)
        high = _Bound(Fraction(value), False)
    return low, high


def _empty_interval(low, high) -> bool:
    if low is None or high is None:
        return False
    low, high = _as_frac(low), _as_frac(high)
    return low.value > high.value or (low.value == high.value and (low.exclusive or high.exclusive))


def _as_frac(bound) -> _Bound:
    return bound if isinstance(bound, _Bound) else _Bound(Fraction(bound.value), bound.exclusive)


def _within_low(low, new) -> bool:
    if new is None:
        return True
    if low is None:
        return False
    low, new = _as_frac(low), _frac(new)
    return low.value > new.value or (low.value == new.value and (low.exclusive or not new.exclusive))


def _within_high(high, new) -> bool:
    if new is None:
        return True
    if high is None:
        return False
    high, new = _as_frac(high), _frac(new)
    return high.value < new.value or (high.value == new.value and (high.exclusive or not new.exclusive))


def _divides(divisor, multiples: dict, integral: bool) -> bool:
    """Is every number the old side allows a multiple of ``divisor`` (as the validator computes
    it)? Only the cases where float arithmetic cannot disagree: the same divisor, integers
    dividing integers, or 1 over integers."""
    if divisor in multiples:
        return True
    if isinstance(divisor, int) or float(divisor).is_integer():
        whole = int(divisor)
        if whole == 1 and integral:
            return True
        return any(float(m).is_integer() and int(m) % whole == 0 for m in multiples)
    return False


def _number_candidates(va: View, vb: View, integer: bool) -> list:
    points: set[Fraction] = {Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2), Fraction(3, 2)}
    for bound in (va.minimum, va.maximum, vb.minimum, vb.maximum):
        if bound is not None:
            value = Fraction(bound.value)
            for step in (0, 1, -1, Fraction(1, 2), Fraction(-1, 2), Fraction(1, 1000),
                         Fraction(-1, 1000)):
                points.add(value + step)
    for divisor in va.multiple_of:
        step = Fraction(divisor)
        around = sorted(points)
        for point in around:
            base = math.floor(point / step)
            points.update({base * step, (base + 1) * step})
    out = []
    for point in sorted(points, key=lambda p: (abs(p), p)):
        if integer and point.denominator != 1:
            continue
        if not _number_fits(va, point):
            continue
        out.append(int(point) if point.denominator == 1 else float(point))
    return out


def _number_fits(view: View, point: Fraction) -> bool:
    """A quick local filter before the validator: bounds and multipleOf."""
    low, high = _frac(view.minimum), _frac(view.maximum)
    if low is not None and (point < low.value or (low.exclusive and point == low.value)):
        return False
    if high is not None and (point > high.value or (high.exclusive and point == high.value)):
        return False
    return all((point / Fraction(m)).denominator == 1 for m in view.multiple_of)


def includes(old: Any, new: Any, budget: int = DEFAULT_BUDGET) -> Answer:
    """Is every document valid against ``old`` valid against ``new``? Each is a schema value (a
    dict or a boolean; its draft from ``$schema``, else guessed from its shape) or a :class:`Side`."""
    old_side = old if isinstance(old, Side) else Side.of(old, label="old")
    new_side = new if isinstance(new, Side) else Side.of(new, label="new")
    return Checker(old_side, new_side, budget).includes()
