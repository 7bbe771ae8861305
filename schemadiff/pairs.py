"""Two keyed collections matched across versions: what was removed, what was added, what both hold.

Every comparison of two versions starts this way (resources by name, parameters by place and name,
statuses, media types, enum values, patterns, ...), so the merge is written once, here, and in one
stable order: the old version's order with what the new one adds after it in its own order, or the
keys sorted where a report should not depend on how a file happens to be laid out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar, cast, overload

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Presence(Enum):
    """Which versions hold a key."""

    REMOVED = "removed"   # only the old one
    ADDED = "added"       # only the new one
    COMMON = "common"     # both


@dataclass(frozen=True, slots=True)
class Pair(Generic[K, V]):
    """One key and its value in each version; ``None`` on a side without the key (a present
    value may be ``None`` too: ``presence`` tells them apart)."""

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


@dataclass(frozen=True, slots=True)
class Pairs(Generic[K, V]):
    """Every key of either version once, in a stable order; iterating gives the pairs in it."""

    every: tuple[Pair[K, V], ...]

    def __iter__(self) -> Iterator[Pair[K, V]]:
        return iter(self.every)

    def __bool__(self) -> bool:
        return bool(self.every)

    @property
    def removed(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self.every if p.presence is Presence.REMOVED)

    @property
    def added(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self.every if p.presence is Presence.ADDED)

    @property
    def common(self) -> tuple[Pair[K, V], ...]:
        return tuple(p for p in self.every if p.presence is Presence.COMMON)

    @property
    def changed(self) -> bool:
        """Does either version hold a key the other lacks?"""
        return any(p.presence is not Presence.COMMON for p in self.every)


_NONE: Pairs[Any, Any] = Pairs(())


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
    before, after = _keyed(old, key), _keyed(new, key)
    every = [Pair(k, v, after[k], Presence.COMMON) if k in after else Pair(k, v, None, Presence.REMOVED)
             for k, v in before.items()]
    every += [Pair(k, None, v, Presence.ADDED) for k, v in after.items() if k not in before]
    if sort:
        every.sort(key=lambda pair: pair.key)
    return Pairs(tuple(every))


def _keyed(items: Any, key: Callable[[Any], Any] | None) -> Mapping[Any, Any]:
    if items is None:
        return {}
    if key is None:
        if not isinstance(items, Mapping):
            raise TypeError("pairs() needs a key for collections that are not mappings")
        return items
    out: dict[Any, Any] = {}
    for item in items:
        out.setdefault(key(item), item)
    return out
