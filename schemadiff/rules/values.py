"""What values a schema admits at all: ``false``, unresolvable references, ``type``, ``enum``/``const``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from schemadiff.model import Effect, Severity
from schemadiff.normalise import JSON_TYPES, canonical, types_accept
from schemadiff.pairs import pairs
from schemadiff.rules import STOP, Details, Rule, at, compares, names, rule
from schemadiff.samples import PLAIN

if TYPE_CHECKING:
    from collections.abc import Iterable

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler


@rule("schema-disallowed", action="changed", effect=Effect.NARROWS,
      example=({"properties": {"legacy": {"type": "string"}}},
               {"properties": {"legacy": False}}))
def schema_disallowed(d: Details) -> str:
    """The new schema is ``false`` or contradictory: no document is accepted any more."""
    return "no value is accepted here any more"


@rule("schema-allowed", action="changed", effect=Effect.WIDENS,
      example=({"properties": {"legacy": False}},
               {"properties": {"legacy": {"type": "string"}}}))
def schema_allowed(d: Details) -> str:
    """The old schema accepted nothing (``false``); now documents are accepted."""
    return "values are accepted here again (none were before)"


@schema_disallowed.witnessed_by
@schema_allowed.witnessed_by
def _any_accepted(accept: View, reject: View, change: Change, sampler: Sampler, hint: Any) -> Iterable[Any]:
    yield sampler.value(accept)


@rule("reference-changed", action="changed", effect=Effect.BOTH, request=Severity.DANGEROUS,
      response=Severity.DANGEROUS, schema=Severity.DANGEROUS,
      example=({"$ref": "https://example.com/v1/user.json"},
               {"$ref": "https://example.com/v2/user.json"}))
def reference_changed(d: Details) -> str:
    """A reference to a remote schema changed. It is not fetched (schemas are untrusted and the
    network is off limits), so nothing is known about what it accepts: dangerous, not breaking."""
    return (f"now defined by {d['new'] or 'a schema of its own'} instead of "
            f"{d['old'] or 'a schema of its own'} (not downloaded, so not compared)")


@compares
def compare_admission(old: View, new: View, walk: Walk, ctx: Context) -> object:
    if old.never or new.never:
        if old.never and not new.never:
            walk.report(schema_allowed, ctx, old_at=old.site("never"), new_at=new.where)
        elif new.never and not old.never:
            walk.report(schema_disallowed, ctx, old_at=old.where, new_at=new.site("never"))
        return STOP
    if old.remote != new.remote:
        walk.report(reference_changed, ctx, old_at=old.where, new_at=new.where,
                    old=old.remote, new=new.remote)
    return None


#: JSON types as a reader says them
_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number",
               "object": "an object", "array": "a list", "boolean": "true or false",
               "null": "null"}


def _types(types: Iterable[str]) -> str:
    """"a string or null": the types as words, in a stable order."""
    if not types:
        return "nothing"
    return " or ".join(_TYPE_WORDS.get(t, t) for t in sorted(types))


def _lost(before: Iterable[str], after: frozenset | None) -> list[str]:
    """The types ``before`` has that ``after`` does not accept."""
    return [t for t in before if not types_accept(after, t)]


@rule("type-narrowed", action="changed", effect=Effect.NARROWS,
      example=({"type": ["string", "null"]},
               {"type": "string"}))
def type_narrowed(d: Details) -> str:
    """Fewer types are accepted: documents of a removed type are rejected."""
    if d["old"] is None:
        return f"now must be {_types(d['new'])}"
    if d["old"] == ["number"] and d["new"] == ["integer"]:
        return "now must be a whole number (was any number)"
    return f"can no longer be {_types(_lost(d['old'], d['new']))}: now {_types(d['new'])}"


@rule("type-widened", action="changed", effect=Effect.WIDENS,
      example=({"type": "integer"},
               {"type": "number"}))
def type_widened(d: Details) -> str:
    """More types are accepted. A reader that expects the old types (a response client) can break:
    most code does not handle a ``null`` or a string where it always got a number."""
    if d["new"] is None:
        return f"can now be of any type (was {_types(d['old'])})"
    gained = _lost(d["new"], d["old"])
    if d["old"] == ["integer"] and gained == ["number"]:
        return "can now be any number (was a whole number)"
    if gained == ["null"]:
        return f"can now be null (was {_types(d['old'])})"
    return f"can now also be {_types(gained)} (was {_types(d['old'])})"


@rule("type-changed", action="changed", effect=Effect.BOTH,
      example=({"type": "string"},
               {"type": "integer"}))
def type_changed(d: Details) -> str:
    """Types were both removed and added: old documents and old readers can both fail. In a
    parameter or header, types are compared as text on the wire: ``string`` -> ``integer`` only
    narrows (old values must still parse), ``integer`` -> ``string`` only widens."""
    return f"now {_types(d['new'])} instead of {_types(d['old'])}"


@type_narrowed.witnessed_by
@type_widened.witnessed_by
@type_changed.witnessed_by
def _value_of_a_lost_type(accept: View, reject: View, change: Change, sampler: Sampler,
                          hint: Any) -> Iterable[Any]:
    """A value of a type the accepting side allows and the other does not."""
    for kind in JSON_TYPES:
        if types_accept(accept.types, kind) and not types_accept(reject.types, kind):
            yield sampler.of_type(accept, kind)
            yield PLAIN[kind]


def _parses_as(types: frozenset | None, kind: str) -> bool:
    """Does the text of a value of ``kind`` parse for a parameter or header of ``types``? On the
    wire every value is text: a string schema takes them all, a number takes an integer's text."""
    return types is None or "string" in types or types_accept(types, kind)


def _choices(view: View) -> int:
    return len(view.open_choices())


class _Sites(TypedDict):
    """Where a type change is said, as ``Walk.report`` takes it."""

    old_at: str
    new_at: str


def _compared_types(old: View, new: View) -> tuple[frozenset | None, frozenset | None]:
    """Own ``type`` keywords; where a choice appears or disappears (a type list written as a
    ``oneOf`` of bare types), the types the whole schemas can accept, or the two would differ only
    in how they are written."""
    if _choices(old) == _choices(new):
        return old.types, new.types
    return old.envelope, new.envelope


def _types_refused(types: frozenset, by: frozenset, wire: bool) -> list[str]:
    """The types of ``types`` whose values ``by`` refuses. On the wire (parameters, headers) a
    value is text, refused only when its text no longer parses."""
    accepts = _parses_as if wire else types_accept
    return [t for t in types if not accepts(by, t)]


def _type_rule(removed: list[str], added: list[str]) -> Rule | None:
    """The rule for types lost and gained; None when none is (on the wire)."""
    if removed and added:
        return type_changed
    return type_narrowed if removed else type_widened if added else None


def _type_sites(old: View, new: View, walk: Walk, moved: list[str]) -> _Sites:
    """Where a type change is said: the ``type`` keywords; when only nullability changed, where
    that is said (:func:`_nullable_sites`)."""
    at_old, at_new = at(old, "type"), at(new, "type")
    if set(moved) == {"null"}:
        at_old, at_new = _nullable_sites(old, new, walk.referring(), at_old, at_new)
    return {"old_at": at_old, "new_at": at_new}


def _nullable_sites(old: View, new: View, referring: tuple[str, str], at_old: str, at_new: str) \
        -> tuple[str, str]:
    """Where a change of nullability alone is said. An OpenAPI 3.0 ``nullable`` wrapper around a
    ``$ref`` (``{nullable: true, allOf: [{$ref: X}]}``) belongs to the property that wraps it, not
    to the shared definition X: both sides then point at that property (the wrapper on one side,
    the plain ``$ref`` on the other), so the record is filed where the change was made."""
    views = (old, new)
    sites = [view.sites.get("nullable") for view in views]
    pointers = [at_old, at_new]
    for side, other in ((0, 1), (1, 0)):
        site = sites[side]
        if site is None or site == views[side].sites.get("type"):
            continue   # said beside the type: the type's place says it (fingerprints stay)
        pointers[side] = f"{site}/nullable"
        if sites[other] is None and site == referring[side] and \
                referring[other] != views[other].where:
            pointers[other] = referring[other]   # the wrapper's counterpart: the plain $ref
    return pointers[0], pointers[1]


def _share_values(before: frozenset, after: frozenset) -> bool:
    """Some value keeps being accepted (a number type keeps the integers): then the rest of the
    catalogue still has something to compare."""
    return any(types_accept(after, t) or (t == "number" and "integer" in after) for t in before)


@compares
def compare_type(old: View, new: View, walk: Walk, ctx: Context) -> object:
    """One record when the types change; the comparison stops here when no value of the old
    types is still accepted (every other keyword's change would only repeat it)."""
    before, after = _compared_types(old, new)
    if before == after:
        return None
    if before is None or after is None:  # a type appeared (narrowed) or went (widened)
        walk.report(type_narrowed if before is None else type_widened, ctx,
                    old_at=at(old, "type"), new_at=at(new, "type"),
                    old=sorted(before) if before is not None else None,
                    new=sorted(after) if after is not None else None)
        return None
    wire = ctx.wire is not None
    removed, added = _types_refused(before, after, wire), _types_refused(after, before, wire)
    kind = _type_rule(removed, added)
    if kind is None:
        return None  # on the wire the same texts parse (``string`` already took every integer)
    walk.report(kind, ctx, **_type_sites(old, new, walk, removed + added), old=sorted(before),
                new=sorted(after))
    return None if _share_values(before, after) else STOP


def _enum_site(view: View) -> str:
    return at(view, "enum") if "enum" in view.sites else at(view, "const")


@rule("enum-value-removed", action="removed", effect=Effect.NARROWS,
      example=({"enum": ["draft", "live", "gone"]},
               {"enum": ["draft", "live"]}))
def enum_value_removed(d: Details) -> str:
    """Documents holding a removed value are rejected; readers never see it again."""
    return f"no longer allows the value{'s' if len(d['values']) > 1 else ''} {names(d['values'])}"


@rule("enum-value-added", action="added", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"enum": ["draft", "live"]},
               {"enum": ["draft", "live", "gone"]}))
def enum_value_added(d: Details) -> str:
    """A request accepts more. A response may now carry a value old clients have never seen: those
    that switch on the value can fail, tolerant ones ignore it, so it is dangerous, not breaking."""
    return f"now also allows the value{'s' if len(d['values']) > 1 else ''} {names(d['values'])}"


@rule("enum-added", action="added", effect=Effect.NARROWS,
      example=({"type": "string"},
               {"type": "string", "enum": ["draft", "live"]}))
def enum_added(d: Details) -> str:
    """A list of allowed values now restricts what was free: any other value is rejected."""
    return f"now allows only {_the_values(d['new'])}"


@rule("enum-removed", action="removed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "string", "enum": ["draft", "live"]},
               {"type": "string"}))
def enum_removed(d: Details) -> str:
    """The list of allowed values is gone: any value of the type is accepted, and may be returned."""
    return f"no longer limited to {_the_values(d['old'])}"


def _the_values(values: list) -> str:
    return f"the value{'s' if len(values) > 1 else ''} {names(values)}"


@enum_value_removed.witnessed_by
@enum_value_added.witnessed_by
@enum_added.witnessed_by
@enum_removed.witnessed_by
def _value_outside_the_other_enum(accept: View, reject: View, change: Change, sampler: Sampler,
                                  hint: Any) -> Iterable[Any]:
    """A value one list allows and the other does not (or any value, against a list)."""
    if accept.enum is not None:
        yield from (v for k, v in accept.enum.items() if reject.enum is None or k not in reject.enum)
        return
    for value in (sampler.value(accept), "another-value", 0, -1, True, None):
        if reject.enum is not None and canonical(value) not in reject.enum:
            yield value


@compares
def compare_enum(old: View, new: View, walk: Walk, ctx: Context) -> None:
    if old.enum is None and new.enum is None:
        return
    if old.enum is not None and new.enum is not None and old.enum.keys() == new.enum.keys():
        return
    at_old, at_new = _enum_site(old), _enum_site(new)
    if old.enum is None:
        assert new.enum is not None   # not both (above)
        walk.report(enum_added, ctx, old_at=at_old, new_at=at_new, new=list(new.enum.values()))
        return
    if new.enum is None:
        walk.report(enum_removed, ctx, old_at=at_old, new_at=at_new, old=list(old.enum.values()))
        return
    values = pairs(old.enum, new.enum)
    removed = [value.old for value in values.removed]
    added = [value.new for value in values.added]
    if removed:
        walk.report(enum_value_removed, ctx, old_at=at_old, new_at=at_new, values=removed)
    if added:
        walk.report(enum_value_added, ctx, old_at=at_old, new_at=at_new, values=added)


# --- x-extensible-enum: an open enum ---------------------------------------------------------------

EXTENSIBLE_ENUM = "x-extensible-enum"


@rule("extensible-enum-value-removed", action="removed", effect=Effect.NARROWS, schema=Severity.INFO,
      unchecked=True,
      example=({"type": "string", "x-extensible-enum": ["a", "b"]},
               {"type": "string", "x-extensible-enum": ["a"]}))
def extensible_enum_value_removed(d: Details) -> str:
    """``x-extensible-enum`` (Zalando's convention) lists the values known today of an enum that
    may grow. A value removed from a request is no longer accepted (breaking); a response that
    stops sending it breaks nobody. Validators ignore the keyword, so a plain schema shows it as
    info."""
    return (f"{names(d['values'])} removed from the open list of known values "
            f"(`x-extensible-enum`)")


@rule("extensible-enum-value-added", action="added", effect=Effect.WIDENS, response=Severity.SAFE,
      schema=Severity.INFO,
      unchecked=True,
      example=({"type": "string", "x-extensible-enum": ["a"]},
               {"type": "string", "x-extensible-enum": ["a", "b"]}))
def extensible_enum_value_added(d: Details) -> str:
    """A new value of an open enum: readers of an extensible enum must handle values they do not
    know, so it is safe in a response by definition, unlike a closed ``enum``."""
    return (f"{names(d['values'])} added to the open list of known values "
            f"(`x-extensible-enum`)")


@compares
def compare_extensible_enum(old: View, new: View, walk: Walk, ctx: Context) -> None:
    before, after = old.extensions.get(EXTENSIBLE_ENUM), new.extensions.get(EXTENSIBLE_ENUM)
    if not isinstance(before, list) and not isinstance(after, list):
        return
    old_values = {canonical(v): v for v in before} if isinstance(before, list) else {}
    new_values = {canonical(v): v for v in after} if isinstance(after, list) else {}
    values = pairs(old_values, new_values)
    removed = [value.old for value in values.removed]
    added = [value.new for value in values.added]
    where = at(old, EXTENSIBLE_ENUM), at(new, EXTENSIBLE_ENUM)
    if removed and after is not None:  # gone altogether: the values are no longer listed at all
        walk.report(extensible_enum_value_removed, ctx, old_at=where[0], new_at=where[1],
                    values=removed)
    if added and before is not None:
        walk.report(extensible_enum_value_added, ctx, old_at=where[0], new_at=where[1],
                    values=added)
