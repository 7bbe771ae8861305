"""Two keyed collections matched across versions: what was removed, what was added, what both hold.

Every comparison of two versions starts this way (resources by name, parameters by place and name,
statuses, media types, enum values, patterns, ...), so the merge is written once, here, and in one
stable order: the old version's order with what the new one adds after it in its own order, or the
keys sorted where a report should not depend on how a file happens to be laid out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar, cast, overload

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Presence(Enum):
    """Which versions hold a key."""

    REMOVED = "removed"   # only the old one
    ADDED = "added"       # only the new one
    COMMON = "common"     # both


class Pair(NamedTuple, Generic[K, V]):
    """One key and its value in each version; ``None`` on a side without the key (a present
    value may be ``None`` too: ``presence`` tells them apart). A tuple: made by the thousand."""

    key: K
    old: V | None
    new: V | None
    presence: Presence

    @property
    def both(self) -> tuple[V, V]:
        """The two values of a key both versions hold."""
        return cast(V, self.old), cast(V, self.new)

    @property
    def present(self) -> V:
        """The value of the version that holds the key (the new one when both do)."""
        return cast(V, self.old if self.presence is Presence.REMOVED else self.new)

    @property
    def removed(self) -> bool:
        return self.presence is Presence.REMOVED

    @property
    def added(self) -> bool:
        return self.presence is Presence.ADDED

    @property
    def common(self) -> bool:
        return self.presence is Presence.COMMON


REMOVED, ADDED, COMMON = Presence.REMOVED, Presence.ADDED, Presence.COMMON


class Pairs(tuple[Pair[K, V], ...], Generic[K, V]):
    """Every key of either version once, in a stable order: a tuple of :class:`Pair`."""

    __slots__ = ()

    @property
    def removed(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self if p.presence is REMOVED)

    @property
    def added(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self if p.presence is ADDED)

    @property
    def common(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self if p.presence is COMMON)

    @property
    def changed(self) -> bool:
        """Does either version hold a key the other lacks?"""
        return any(p.presence is not COMMON for p in self)


#: builds a Pair or Pairs from a tuple without NamedTuple's keyword handling: the walk makes
#: them by the thousand
_new = tuple.__new__
_NONE: Pairs[Any, Any] = _new(Pairs, ())


@overload
def pairs(old: Mapping[K, V] | None, new: Mapping[K, V] | None, *,
          sort: bool = False) -> Pairs[K, V]: ...


@overload
def pairs(old: Iterable[V] | None, new: Iterable[V] | None, key: Callable[[V], K], *,
          sort: bool = False) -> Pairs[K, V]: ...


def pairs(old: Any, new: Any, key: Callable[[Any], Any] | None = None, *,
          sort: bool = False) -> Pairs[Any, Any]:
    """Match two collections by key. Mappings are matched by their own keys; other iterables by
    ``key(item)`` (the first item of a repeated key stands for it). ``None`` is an empty collection.

    The order is the old version's, then the keys only the new one has in its order; ``sort``
    orders by key instead."""
    if not old and not new:   # most views compared have neither (no extensions, no patterns)
        return _NONE
    # the walk matches thousands of small collections: dicts are taken as they are, in one pass
    before = old if key is None and type(old) is dict else _keyed(old, key)
    after = new if key is None and type(new) is dict else _keyed(new, key)
    if before.keys() == after.keys():   # the usual case: nothing came or went
        every = [_new(Pair, (k, v, after[k], COMMON)) for k, v in before.items()]
    else:
        every = [_new(Pair, (k, v, after[k], COMMON)) if k in after else
                 _new(Pair, (k, v, None, REMOVED)) for k, v in before.items()]
        every += [_new(Pair, (k, None, v, ADDED)) for k, v in after.items() if k not in before]
    if sort:
        every.sort(key=lambda pair: pair.key)
    return _new(Pairs, every)


def _keyed(items: Any, key: Callable[[Any], Any] | None) -> Mapping[Any, Any]:
    if items is None:
        return {}
    if key is None:
        if type(items) is not dict and not isinstance(items, Mapping):   # the ABC check is slow
            raise TypeError("pairs() needs a key for collections that are not mappings")
        return items
    out: dict[Any, Any] = {}
    for item in items:
        out.setdefault(key(item), item)
    return out
