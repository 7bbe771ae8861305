"""Where the walk is, as every comparator and surface check sees it: what a change found here is
about (resource, endpoint, field), which way it must stay compatible, and what the bodies being
compared are. Its own module so that the rules, which receive it, need not import the walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemadiff.steps import Path, Step


@dataclass(frozen=True)
class Context:
    """Where the walk is: what a change found here is about, and which way it must stay compatible."""

    direction: str | None = None      # "request", "response", or None for a plain schema
    resource: str | None = None
    endpoint: str | None = None
    field: Path = ()                  # steps into the instance (schemadiff.steps): a[].b
    reachable: bool = True            # False inside definitions nothing refers to
    roots: tuple = ()                 # (old, new) nodes of the whole body or document being compared
    both_ways: bool = False           # inside oneOf branches that may overlap: any change goes both ways
    wire: str | None = None           # in a parameter or header (its location): values travel as text
    #: in a response that became a union: property names another branch still carries, so that
    #: the branch compared does not report them removed (cleared one level down)
    carried: frozenset = frozenset()
    depth: int = 0                    # len(field) at the roots: the steps before it (a response's
                                      # status, <200>) are not inside the document

    def at(self, step: Step) -> Context:
        # the walk's hottest constructor: a plain copy of the instance dict, not dataclasses.replace
        # (which re-runs __init__ through its keyword machinery)
        moved = object.__new__(Context)
        moved.__dict__.update(self.__dict__)
        object.__setattr__(moved, "field", (*self.field, step))
        if self.carried:
            object.__setattr__(moved, "carried", frozenset())
        return moved

    def but(self, **changes: Any) -> Context:
        """This context with some fields changed: ``dataclasses.replace`` without re-running
        ``__init__`` through its keyword machinery (the surface makes one per endpoint and body)."""
        moved = object.__new__(Context)
        moved.__dict__.update(self.__dict__)
        moved.__dict__.update(changes)
        return moved
