"""Arrays: ``items``/``prefixItems``/``additionalItems``, ``contains``, sizes and ``uniqueItems``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemadiff import budget
from schemadiff.model import Effect
from schemadiff.rules import Details, at, compare_limit, compares, limit_rules, rule
from schemadiff.samples import MISSING
from schemadiff.steps import CONTAINS, ITEM, Position

if TYPE_CHECKING:
    from collections.abc import Iterable

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler


@compares
def compare_items(old: View, new: View, walk: Walk, ctx: Context) -> None:
    """Each tuple position against its counterpart; a position one side lacks follows that side's
    schema for the remaining items, so the comparison says exactly what changed there."""
    for index in range(max(len(old.prefix), len(new.prefix))):
        before = old.prefix[index] if index < len(old.prefix) else old.items
        after = new.prefix[index] if index < len(new.prefix) else new.items
        walk.descend(before, after, ctx.at(Position(index)), old_at=old.where, new_at=new.where)
    if old.items or new.items:
        walk.descend(old.items, new.items, ctx.at(ITEM), old_at=old.where, new_at=new.where)


@rule("contains-added", action="added", effect=Effect.NARROWS,
      example=({"type": "array"},
               {"type": "array", "contains": {"const": "admin"}}))
def contains_added(d: Details) -> str:
    """Arrays must now contain a matching item: those without one are rejected."""
    return "lists must now contain at least one item of a particular kind"


@rule("contains-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "array", "contains": {"const": "admin"}},
               {"type": "array"}))
def contains_removed(d: Details) -> str:
    """Arrays no longer need a matching item."""
    return "lists no longer need to contain an item of a particular kind"


@contains_added.witnessed_by
@contains_removed.witnessed_by
def _array_without_a_match(accept: View, reject: View, change: Change, sampler: Sampler,
                           hint: Any) -> Iterable[Any]:
    yield []
    yield sampler.array(accept, 0)


MIN_ITEMS = limit_rules(
    "min-items", "item", topic="arrays", upper=False,
    examples=(({"type": "array", "minItems": 1}, {"type": "array", "minItems": 2}),
              ({"type": "array", "minItems": 2}, {"type": "array", "minItems": 1})),
    tighter_why="Arrays shorter than the new minimum are rejected.",
    looser_why="Shorter arrays are accepted, and may be returned (even empty ones).")
MAX_ITEMS = limit_rules(
    "max-items", "item", topic="arrays", upper=True,
    examples=(({"type": "array", "maxItems": 10}, {"type": "array", "maxItems": 5}),
              ({"type": "array", "maxItems": 5}, {"type": "array", "maxItems": 10})),
    tighter_why="Arrays longer than the new maximum are rejected.",
    looser_why="Longer arrays are accepted, and may be returned.")
MIN_CONTAINS = limit_rules(
    "min-contains", "matching item", topic="arrays", upper=False,
    examples=(({"contains": {"type": "integer"}, "minContains": 1},
               {"contains": {"type": "integer"}, "minContains": 2}),
              ({"contains": {"type": "integer"}, "minContains": 2},
               {"contains": {"type": "integer"}, "minContains": 1})),
    tighter_why="Arrays with fewer matching items than the new minimum are rejected.",
    looser_why="Arrays with fewer matching items are accepted.")
MAX_CONTAINS = limit_rules(
    "max-contains", "matching item", topic="arrays", upper=True,
    examples=(({"contains": {"type": "integer"}, "maxContains": 3},
               {"contains": {"type": "integer"}, "maxContains": 2}),
              ({"contains": {"type": "integer"}, "maxContains": 2},
               {"contains": {"type": "integer"}, "maxContains": 3})),
    tighter_why="Arrays with more matching items than the new maximum are rejected.",
    looser_why="Arrays with more matching items are accepted.")


def _array_of_refused_length(accept: View, reject: View, change: Change, sampler: Sampler,
                             hint: Any) -> Iterable[Any]:
    """An array just outside the other side's size limits."""
    for length in (reject.min_items - 1 if reject.min_items else None,
                   reject.max_items + 1 if reject.max_items is not None else None):
        if length is not None and length >= 0:
            yield sampler.array(accept, 0, length)


for _rule in MIN_ITEMS + MAX_ITEMS:
    _rule.witnessed_by(_array_of_refused_length)


def _array_of_refused_matches(accept: View, reject: View, change: Change, sampler: Sampler,
                              hint: Any) -> Iterable[Any]:
    """Just too few or too many items matching ``contains`` for the other side."""
    item = sampler.value(sampler.view(accept.contains)) if accept.contains else MISSING
    if item is MISSING:
        return
    for count in (reject.min_contains - 1 if reject.min_contains else None,
                  reject.max_contains + 1 if reject.max_contains is not None else None):
        if count is not None and count >= 0:
            yield [item] * budget.size(count)


for _rule in MIN_CONTAINS + MAX_CONTAINS:
    _rule.witnessed_by(_array_of_refused_matches)


@compares
def compare_contains(old: View, new: View, walk: Walk, ctx: Context) -> None:
    if old.contains and new.contains:
        walk.descend(old.contains, new.contains, ctx.at(CONTAINS))
    elif new.contains:
        walk.report(contains_added, ctx, old_at=old.where, new_at=at(new, "contains"))
    elif old.contains:
        walk.report(contains_removed, ctx, old_at=at(old, "contains"), new_at=new.where)
    if old.contains and new.contains:
        compare_limit(walk, ctx, MIN_CONTAINS, old.min_contains, new.min_contains,
                      at(old, "minContains"), at(new, "minContains"), upper=False)
        compare_limit(walk, ctx, MAX_CONTAINS, old.max_contains, new.max_contains,
                      at(old, "maxContains"), at(new, "maxContains"), upper=True)


@rule("unique-items-added", action="added", effect=Effect.NARROWS,
      example=({"type": "array"},
               {"type": "array", "uniqueItems": True}))
def unique_items_added(d: Details) -> str:
    """Arrays with repeated items are rejected."""
    return "items of the list must now all be different"


@rule("unique-items-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "array", "uniqueItems": True},
               {"type": "array"}))
def unique_items_removed(d: Details) -> str:
    """Arrays may now repeat items; a reader that relied on uniqueness can miscount."""
    return "items of the list may now repeat"


@compares
def compare_array_sizes(old: View, new: View, walk: Walk, ctx: Context) -> None:
    compare_limit(walk, ctx, MIN_ITEMS, old.min_items, new.min_items, at(old, "minItems"),
                  at(new, "minItems"), upper=False)
    compare_limit(walk, ctx, MAX_ITEMS, old.max_items, new.max_items, at(old, "maxItems"),
                  at(new, "maxItems"), upper=True)
    if new.unique_items and not old.unique_items:
        walk.report(unique_items_added, ctx, old_at=old.where, new_at=at(new, "uniqueItems"))
    elif old.unique_items and not new.unique_items:
        walk.report(unique_items_removed, ctx, old_at=at(old, "uniqueItems"), new_at=new.where)


@unique_items_added.witnessed_by
@unique_items_removed.witnessed_by
def _array_with_a_repeat(accept: View, reject: View, change: Change, sampler: Sampler,
                         hint: Any) -> Iterable[Any]:
    """Two equal items."""
    item = sampler.value(sampler.view(accept.items)) if accept.items else "a"
    if item is not MISSING:
        yield [item, item] + [item] * budget.size(max(0, (accept.min_items or 0) - 2))
