"""Numbers: bounds in either draft's spelling, and ``multipleOf``."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from schemadiff.model import Effect, Severity
from schemadiff.rules import Details, compares, rule

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import Bound, View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler


def _bound_text(bound: Mapping[str, Any] | None, lower: bool) -> str:
    if bound is None:
        return "none"
    sign = (">" if bound["exclusive"] else "≥") if lower else ("<" if bound["exclusive"] else "≤")
    return f"{sign} {bound['value']}"


def _describe(d: Details, lower: bool) -> str:
    """"must now be ≥ 1 (was ≥ 0)": the bound a number must keep, as a reader writes it."""
    old, new = _bound_text(d["old"], lower), _bound_text(d["new"], lower)
    if d["old"] is None:
        return f"must now be {new}"
    if d["new"] is None:
        return f"no longer needs to be {old}"
    return f"must now be {new} (was {old})"


@rule("minimum-increased", action="changed", effect=Effect.NARROWS,
      example=({"type": "integer", "minimum": 0},
               {"type": "integer", "minimum": 1}))
def minimum_increased(d: Details) -> str:
    """Numbers below the new lower bound (or equal to it, once exclusive) are rejected."""
    return _describe(d, True)


@rule("minimum-decreased", action="changed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "integer", "minimum": 1},
               {"type": "integer", "minimum": 0}))
def minimum_decreased(d: Details) -> str:
    """Smaller numbers are accepted and may be returned (a count that can now be negative)."""
    return _describe(d, True)


@rule("maximum-decreased", action="changed", effect=Effect.NARROWS,
      example=({"type": "integer", "maximum": 100},
               {"type": "integer", "maximum": 50}))
def maximum_decreased(d: Details) -> str:
    """Numbers above the new upper bound (or equal to it, once exclusive) are rejected."""
    return _describe(d, False)


@rule("maximum-increased", action="changed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "integer", "maximum": 50},
               {"type": "integer", "maximum": 100}))
def maximum_increased(d: Details) -> str:
    """Larger numbers are accepted and may be returned: a reader storing them in a smaller type can
    overflow."""
    return _describe(d, False)


def _as_record(bound: Bound | None) -> dict[str, Any] | None:
    return None if bound is None else {"value": bound.value, "exclusive": bound.exclusive}


def _tighter(old: Bound | None, new: Bound | None, lower: bool) -> bool:
    """Does the new bound reject something the old one accepted?"""
    if old is None:
        return True
    if new is None:
        return False
    if new.value != old.value:
        return new.value > old.value if lower else new.value < old.value
    return new.exclusive and not old.exclusive


@compares
def compare_bounds(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for lower, tighter_rule, looser_rule in ((True, minimum_increased, minimum_decreased),
                                             (False, maximum_decreased, maximum_increased)):
        before = old.minimum if lower else old.maximum
        after = new.minimum if lower else new.maximum
        if before is None and after is None:
            continue
        if before is not None and after is not None and before.value == after.value \
                and before.exclusive == after.exclusive:
            continue
        kind = tighter_rule if _tighter(before, after, lower) else looser_rule
        walk.report(kind, ctx, old_at=before.site if before else old.where,
                    new_at=after.site if after else new.where,
                    old=_as_record(before), new=_as_record(after))


@rule("multiple-of-tightened", action="changed", effect=Effect.NARROWS,
      example=({"type": "integer", "multipleOf": 5},
               {"type": "integer", "multipleOf": 10}))
def multiple_of_tightened(d: Details) -> str:
    """Every accepted number is still a multiple of the old step, but not every old one is a multiple
    of the new step: those are rejected."""
    if d["old"] is None:
        return f"must now be a multiple of {d['new']}"
    return f"must now be a multiple of {d['new']} (was {d['old']})"


@rule("multiple-of-loosened", action="changed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "integer", "multipleOf": 10},
               {"type": "integer", "multipleOf": 5}))
def multiple_of_loosened(d: Details) -> str:
    """A finer step (or none): more numbers are accepted and may be returned."""
    if d["new"] is None:
        return f"no longer needs to be a multiple of {d['old']}"
    return f"must now be a multiple of {d['new']} (was {d['old']})"


@rule("multiple-of-changed", action="changed", effect=Effect.BOTH,
      example=({"type": "integer", "multipleOf": 2},
               {"type": "integer", "multipleOf": 3}))
def multiple_of_changed(d: Details) -> str:
    """Neither step divides the other: some old numbers are rejected and some new ones are new."""
    return f"must now be a multiple of {d['new']} instead of {d['old']}"


def _divides(step: float, number: float) -> bool:
    ratio = Fraction(str(number)) / Fraction(str(step))
    return ratio.denominator == 1


@compares
def compare_multiple_of(old: View, new: View, walk: Walk, ctx: Context) -> None:
    before, after = set(old.multiple_of), set(new.multiple_of)
    if before == after:
        return
    if len(before) > 1 or len(after) > 1:
        kind = multiple_of_changed
    elif not before:
        kind = multiple_of_tightened
    elif not after:
        kind = multiple_of_loosened
    else:
        (b,), (a,) = before, after
        kind = multiple_of_tightened if _divides(b, a) else \
            multiple_of_loosened if _divides(a, b) else multiple_of_changed
    old_value = min(before) if len(before) == 1 else sorted(before) or None
    new_value = min(after) if len(after) == 1 else sorted(after) or None
    old_at = f"{old.multiple_of[min(before)]}/multipleOf" if before else old.where
    new_at = f"{new.multiple_of[min(after)]}/multipleOf" if after else new.where
    walk.report(kind, ctx, old_at=old_at, new_at=new_at, old=old_value, new=new_value)


def _numbers_near(bound: Bound) -> list:
    value = bound.value
    return [value, value - 1, value + 1, value - 0.5, value + 0.5]


@minimum_increased.witnessed_by
@minimum_decreased.witnessed_by
@maximum_decreased.witnessed_by
@maximum_increased.witnessed_by
def _number_just_outside(accept: View, reject: View, change: Change, sampler: Sampler,
                         hint: Any) -> Iterable[Any]:
    """Numbers at and around the other side's bounds (the equal one, where a bound became
    exclusive); the validator keeps the one that tells them apart."""
    for bound in (reject.minimum, reject.maximum):
        if bound is not None:
            for value in _numbers_near(bound):
                if sampler.fits(accept, value):
                    yield value
                elif isinstance(value, float) and sampler.fits(accept, int(value)):
                    yield int(value)


@multiple_of_tightened.witnessed_by
@multiple_of_loosened.witnessed_by
@multiple_of_changed.witnessed_by
def _multiple_of_one_step_only(accept: View, reject: View, change: Change, sampler: Sampler,
                               hint: Any) -> Iterable[Any]:
    """Multiples of the accepting side's step (or plain fractions, where it has none)."""
    if not accept.multiple_of:
        yield from (0.25, 0.1, 1, 3, 7)
        return
    step = sorted(accept.multiple_of)[-1]
    for k in range(1, 12):
        value = step * k
        yield int(value) if float(value).is_integer() else value
