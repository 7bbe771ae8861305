"""References: a place that switches from one definition to another is one fact, at that place."""

from __future__ import annotations

from schemadiff.rules import Details, rule


def _named(name: str | None) -> str:
    return f"`{name}`" if name is not None else "an inline schema"


@rule("reference-swapped", action="changed",
      example=({"properties": {"owner": {"$ref": "#/$defs/user"}},
                "$defs": {"user": {"type": "object", "required": ["id"]},
                          "bot": {"type": "object"}}},
               {"properties": {"owner": {"$ref": "#/$defs/bot"}},
                "$defs": {"user": {"type": "object", "required": ["id"]},
                          "bot": {"type": "object"}}}))
def reference_swapped(d: Details) -> str:
    """A place that now refers to another definition (or to an inline copy of one, or the other
    way) is reported once, where the reference is written: what differs between the two targets
    (a property no longer required, ...) is its consequence, listed under it with its field below
    that place, and the record is as severe as its worst consequence. Definitions that did not
    change themselves are not blamed for it."""
    return f"now uses {_named(d['new'])} instead of {_named(d['old'])}"
