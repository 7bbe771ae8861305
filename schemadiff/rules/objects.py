"""Objects: properties, ``required``, open and closed content, property names, sizes, dependencies."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemadiff import budget
from schemadiff.model import REQUEST, RESPONSE, Effect, Severity
from schemadiff.pairs import pairs
from schemadiff.rules import Details, at, compare_limit, compares, limit_rules, names, rule
from schemadiff.rules.api import tiny_api
from schemadiff.samples import MISSING, values_refused
from schemadiff.steps import ADDITIONAL, PROPERTY_NAMES, Dependent, Pattern, Property

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import Node, Normaliser, View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler


def _closed(nodes: Sequence[Node] | None) -> bool:
    return any(node.value is False for node in nodes or ())


# --- properties ---------------------------------------------------------------------------------

@rule("property-added", action="added", effect=Effect.NARROWS, request=Severity.SAFE,
      response=Severity.SAFE, schema=Severity.DANGEROUS,
      example=({"type": "object", "properties": {"id": {"type": "string"}}},
               {"type": "object", "properties": {"id": {"type": "string"}, "age": {"type": "integer"}}}))
def property_added(d: Details) -> str:
    """An optional property on an *open* object. It looks harmless, but a document that already
    carried that name with another type was accepted and now is not. APIs treat it as safe (clients
    do not send fields they do not know); a plain schema reports it as dangerous, and ``--strict``
    as breaking, as a strict schema registry would."""
    return f"optional property `{d['name']}` added"


@rule("property-added-to-closed-object", action="added", effect=Effect.WIDENS,
      response=Severity.SAFE,
      example=({"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False},
               {"type": "object", "properties": {"id": {"type": "string"}, "age": {"type": "integer"}},
                "additionalProperties": False}))
def property_added_to_closed_object(d: Details) -> str:
    """A closed object (``additionalProperties: false``) now allows one more property. Requests
    accept more. Responses may carry it: API clients are tolerant readers (Heroku, Stripe and GitHub
    all promise to add response fields without notice), so it is safe there; a plain schema read
    under ``forward`` compatibility breaks, because the old schema rejects the new field."""
    return f"optional property `{d['name']}` added"


@rule("required-property-added", action="added", effect=Effect.NARROWS,
      example=({"type": "object", "properties": {"id": {}}},
               {"type": "object", "properties": {"id": {}, "email": {}}, "required": ["email"]}))
def required_property_added(d: Details) -> str:
    """A new property that must be present: every old document without it is rejected. In a
    response, readers simply get one more field."""
    return f"required property `{d['name']}` added"


@rule("property-removed", action="removed", effect=Effect.WIDENS, request=Severity.DANGEROUS,
      response=Severity.BREAKING,
      example=({"type": "object", "properties": {"id": {}, "age": {"type": "integer"}}},
               {"type": "object", "properties": {"id": {}}}))
def property_removed(d: Details) -> str:
    """A property disappears from an open object. As a set of documents nothing is lost, but in a
    response clients read that field and it is gone (breaking); in a request the server stops reading
    a field clients send, so what they ask for is silently ignored (dangerous)."""
    was = " (it was required)" if d.get("was_required") else ""
    return f"property `{d['name']}` removed{was}"


@rule("property-removed-from-closed-object", action="removed", effect=Effect.NARROWS,
      response=Severity.BREAKING,
      example=({"type": "object", "properties": {"id": {}, "age": {}}, "additionalProperties": False},
               {"type": "object", "properties": {"id": {}}, "additionalProperties": False}))
def property_removed_from_closed_object(d: Details) -> str:
    """A property disappears from a closed object: documents that carry it are now rejected, and a
    response no longer carries a field its readers use."""
    was = " (it was required)" if d.get("was_required") else ""
    return f"property `{d['name']}` removed{was}"


@rule("property-renamed", action="changed", effect=Effect.BOTH, request=Severity.BREAKING,
      response=Severity.BREAKING, api_only=True,
      example=(tiny_api([{"href": "/widgets", "method": "POST", "schema": {"properties": {
                   "name": {"type": "string", "example": "gizmo"}}}}]),
               tiny_api([{"href": "/widgets", "method": "POST", "schema": {"properties": {
                   "title": {"type": "string", "example": "gizmo"}}}}])))
def property_renamed(d: Details) -> str:
    """One property replaced by another with the same content or purpose (same example, similar
    description, overlapping types). Clients that send the old name are ignored while the server
    reads the new one; clients that read the old name find nothing. Reported for requests and
    responses; a plain schema shows the removal and the addition as they are."""
    old_types = f" ({' or '.join(d['old_types'])})" if d.get("old_types") else ""
    new_types = f" ({' or '.join(d['new_types'])})" if d.get("new_types") else ""
    return f"property `{d['old_name']}`{old_types} renamed to `{d['new_name']}`{new_types}"


@rule("property-became-required", action="changed", effect=Effect.NARROWS,
      example=({"type": "object", "properties": {"id": {}}},
               {"type": "object", "properties": {"id": {}}, "required": ["id"]}))
def property_became_required(d: Details) -> str:
    """Documents that omitted the property are rejected."""
    return f"property `{d['name']}` is now required"


@rule("property-became-optional", action="changed", effect=Effect.WIDENS,
      example=({"type": "object", "properties": {"id": {}}, "required": ["id"]},
               {"type": "object", "properties": {"id": {}}}))
def property_became_optional(d: Details) -> str:
    """Documents may now omit the property: a response reader that relied on it can fail."""
    return f"property `{d['name']}` is no longer required"


def _with(sampler: Sampler, view: View, **extra: Any) -> Any:
    base = sampler.object(view, 0)
    return MISSING if base is MISSING else {**base, **extra}


@required_property_added.witnessed_by
@property_became_required.witnessed_by
@property_became_optional.witnessed_by
@property_renamed.witnessed_by
def _object_without_it(accept: View, reject: View, change: Change, sampler: Sampler,
                       hint: Any) -> Iterable[Any]:
    """The smallest object the accepting side allows: it leaves out the property the other side
    demands (under its new name, for a rename)."""
    yield sampler.object(accept, 0)


@property_removed_from_closed_object.witnessed_by
@property_added_to_closed_object.witnessed_by
def _object_with_it(accept: View, reject: View, change: Change, sampler: Sampler, hint: Any) -> Iterable[Any]:
    """An object carrying the property, which the closed side does not allow."""
    name = change.details["name"]
    value = sampler.value(sampler.view(accept.properties[name]))
    if value is not MISSING:  # a property whose schema is false has no value to carry
        yield _with(sampler, accept, **{name: value})


@property_added.witnessed_by
@property_removed.witnessed_by
def _object_with_it_mistyped(accept: View, reject: View, change: Change, sampler: Sampler,
                             hint: Any) -> Iterable[Any]:
    """An object carrying the name with a value the typed side refuses (the open-content risk)."""
    name = change.details["name"]
    for value in values_refused(sampler.view(reject.properties[name]))[:4]:
        yield _with(sampler, accept, **{name: value})


def _fingerprint(side: Normaliser, nodes: Sequence[Node]) -> Any:
    """A content hash of a property's schema without its prose, to recognise a moved property."""
    node = side.resolve(nodes[0]) if len(nodes) == 1 else None
    if node is None or isinstance(node, str) or not isinstance(node.value, dict):
        return None
    from deepdiff import DeepHash  # 0.2 s to import: only when properties were renamed or moved

    return DeepHash(node.value, exclude_regex_paths=[r"root\['(description|title|example|examples)'\]"]
                    )[node.value]


def _similar(walk: Walk, old_nodes: list, new_nodes: list) -> bool:
    old_view, new_view = walk.views(old_nodes, new_nodes)
    if old_view.types is not None and new_view.types is not None and not (
            old_view.types & new_view.types or
            ("integer" in old_view.types and "number" in new_view.types) or
            ("number" in old_view.types and "integer" in new_view.types)):
        return False
    if _fingerprint(walk.old, old_nodes) == _fingerprint(walk.new, new_nodes) is not None:
        return True
    old_notes, new_notes = old_view.annotations, new_view.annotations
    example = old_notes.get("example", old_notes.get("examples"))
    if example is not None and example == new_notes.get("example", new_notes.get("examples")):
        return True
    old_text, new_text = old_notes.get("description"), new_notes.get("description")
    if isinstance(old_text, str) and isinstance(new_text, str):
        return difflib.SequenceMatcher(None, old_text, new_text).ratio() >= 0.6
    return False


def _renames(walk: Walk, old: View, new: View, removed: list[str], added: list[str]) -> dict[str, str]:
    """Pair removed and added properties that are one property under a new name (one to one)."""
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    for old_name in removed:
        matches = [n for n in added if n not in taken and
                   _similar(walk, old.properties[old_name], new.properties[n])]
        if len(matches) == 1:
            pairs[old_name] = matches[0]
            taken.add(matches[0])
    return pairs


#: the annotation that takes a property out of each direction's view of an object
HIDDEN_BY: dict[str | None, str] = {REQUEST: "readOnly", RESPONSE: "writeOnly"}


def _hidden(walk: Walk, side: Normaliser, view: View, name: str, ctx: Context) -> bool:
    """Is the property absent from this direction's view? OpenAPI: ``readOnly`` properties are
    not part of requests (``required`` on them applies to responses only), ``writeOnly`` ones are
    not part of responses."""
    keyword = HIDDEN_BY.get(ctx.direction)
    nodes = view.properties.get(name)
    if keyword is None or not nodes or not walk.read_write_views:
        return False
    return side.view(tuple(nodes)).annotations.get(keyword) is True


def _shown_required(walk: Walk, side: Normaliser, view: View, ctx: Context, changing: set[str]) -> set[str]:
    """``required`` as this direction sees it. Only the names whose requirement changes are
    looked at (a view per property costs time on big specs): a name required on both sides stays
    as it is, and a flag that changed on it is reported by read-only-changed."""
    if ctx.direction not in HIDDEN_BY or not walk.read_write_views:
        return view.required
    return {name for name in view.required
            if name not in changing or not _hidden(walk, side, view, name, ctx)}


def _visibility_changed(old: View, new: View, walk: Walk, ctx: Context) -> set[str]:
    """Names required on both sides that this direction sees on one side only: ``readOnly``
    dropped from a required property makes it required in requests (documents without it, valid
    before, are refused). Only properties whose schema changed are looked at."""
    if ctx.direction not in HIDDEN_BY or not walk.read_write_views:
        return set()
    return {name for name in old.required & new.required
            if name in old.properties and name in new.properties
            and not walk.same(tuple(old.properties[name]), tuple(new.properties[name]))
            and _hidden(walk, walk.old, old, name, ctx) != _hidden(walk, walk.new, new, name, ctx)}


@dataclass(frozen=True)
class _NameChanges:
    """Which property names went, came or were renamed, and ``required`` on each side, as this
    direction sees the object: worked out once, then read by each step of compare_properties."""

    removed: list[str]
    added: list[str]
    renames: dict[str, str]         # removed name -> added name: one property under a new name
    old_required: set[str]
    new_required: set[str]

    @property
    def renamed_to(self) -> set[str]:
        return set(self.renames.values())


def _name_changes(old: View, new: View, walk: Walk, ctx: Context) -> _NameChanges:
    """Names hidden from this direction (``readOnly`` in a request, ``writeOnly`` in a response)
    are neither removed nor added; renames are looked for only in an API, where both are known."""
    removed = [n for n in old.properties if n not in new.properties
               and not _hidden(walk, walk.old, old, n, ctx)]
    added = [n for n in new.properties if n not in old.properties
             and not _hidden(walk, walk.new, new, n, ctx)]
    changing = (old.required ^ new.required) | set(removed) | set(added) | \
        _visibility_changed(old, new, walk, ctx)
    old_required, new_required = _shown_required(walk, walk.old, old, ctx, changing), \
        _shown_required(walk, walk.new, new, ctx, changing)
    renames = _renames(walk, old, new, removed, added) \
        if removed and added and ctx.direction else {}
    return _NameChanges(removed, added, renames, old_required, new_required)


@compares
def compare_properties(old: View, new: View, walk: Walk, ctx: Context) -> None:
    """Properties and ``required``: the changed names first (:func:`_name_changes`), then one step
    per kind of record, in the order the records are made."""
    names = _name_changes(old, new, walk, ctx)
    _report_removed(old, new, walk, ctx, names)
    _report_added(old, new, walk, ctx, names)
    _report_renamed(old, new, walk, ctx, names)
    _descend_common(old, new, walk, ctx)
    _report_now_required(old, new, walk, ctx, names)
    _report_now_optional(old, new, walk, ctx, names)


def _report_removed(old: View, new: View, walk: Walk, ctx: Context, names: _NameChanges) -> None:
    """A property gone. From a closed object, documents that carry it are now refused; from an
    open one, its name now falls under ``additionalProperties`` or a pattern, whose schema its
    values must fit from now on."""
    props_new = at(new, "properties")
    for name in names.removed:
        if name in names.renames or (name in ctx.carried and not walk.strict):
            continue  # renamed; or still carried by another branch of a response union
        governs = new.open_schema_for(name)
        closed = _closed(governs)
        kind = property_removed_from_closed_object if closed else property_removed
        was_required = name in names.old_required and name not in names.new_required
        # a closed object that loses a property it required: documents with it are now refused,
        # and documents without it, once refused, are now accepted
        walk.report(kind, ctx, old_at=old.properties[name][0].where, new_at=props_new, name=name,
                    was_required=was_required,
                    effect=Effect.BOTH if closed and was_required else None)
        if governs and not closed:
            # the name now falls under additionalProperties or a patternProperties entry: its
            # values must fit that schema now (a number where only strings are allowed)
            walk.descend(old.properties[name], governs, ctx.at(Property(name)))


def _report_added(old: View, new: View, walk: Walk, ctx: Context, names: _NameChanges) -> None:
    """A new property: required, or optional on a closed object (which refused it before), or
    optional on an open one (which took any value under that name before)."""
    props_old = at(old, "properties")
    renamed_to = names.renamed_to
    for name in names.added:
        if name in renamed_to:
            continue
        new_at = new.properties[name][0].where
        was_closed = _closed(old.open_schema_for(name))
        if name in names.new_required and name not in names.old_required:
            # added to a closed object, the new documents that carry it were refused before
            walk.report(required_property_added, ctx, old_at=props_old, new_at=new_at, name=name,
                        effect=Effect.BOTH if was_closed else None)
        else:
            kind = property_added_to_closed_object if was_closed else property_added
            walk.report(kind, ctx, old_at=props_old, new_at=new_at, name=name)


def _report_renamed(old: View, new: View, walk: Walk, ctx: Context, names: _NameChanges) -> None:
    """One record per rename, with the types on each side when they are known."""
    for old_name, new_name in names.renames.items():
        old_view, new_view = walk.views(old.properties[old_name], new.properties[new_name])
        walk.report(property_renamed, ctx, old_at=old.properties[old_name][0].where,
                    new_at=new.properties[new_name][0].where, old_name=old_name, new_name=new_name,
                    old_types=sorted(old_view.types) if old_view.types else None,
                    new_types=sorted(new_view.types) if new_view.types else None)


def _descend_common(old: View, new: View, walk: Walk, ctx: Context) -> None:
    """Compare each property both sides list, except one this direction never carries on either
    side (its changes reach nobody here)."""
    hiding = walk.read_write_views and ctx.direction in HIDDEN_BY
    for name, old_nodes in old.properties.items():
        new_nodes = new.properties.get(name)
        if new_nodes is None:
            continue
        if hiding and not walk.same(tuple(old_nodes), tuple(new_nodes)) and \
                _hidden(walk, walk.old, old, name, ctx) and _hidden(walk, walk.new, new, name, ctx):
            continue
        walk.descend(old_nodes, new_nodes, ctx.at(Property(name)))


def _report_now_required(old: View, new: View, walk: Walk, ctx: Context, names: _NameChanges) -> None:
    """Names required now and not before, other than the properties new on this side (added, or
    hidden from this direction) and the renamed ones: their records say it already."""
    new_names = set(names.added) | {n for n in new.properties if n not in old.properties}
    renamed_to = names.renamed_to
    for name in sorted(names.new_required - names.old_required):
        if name not in new_names and name not in renamed_to:
            walk.report(property_became_required, ctx, old_at=at(old, "required"),
                        new_at=at(new, "required"), name=name)


def _report_now_optional(old: View, new: View, walk: Walk, ctx: Context, names: _NameChanges) -> None:
    """Names required before and not now, for properties that are still there (or that the old
    side required without listing them); a removed property says it was required itself."""
    for name in sorted(names.old_required - names.new_required):
        if name in new.properties and name in new.required and \
                _hidden(walk, walk.new, new, name, ctx):
            continue  # still required, but now hidden in this direction: read-only-changed says it
        if name in new.properties or name not in old.properties:
            walk.report(property_became_optional, ctx, old_at=at(old, "required"),
                        new_at=at(new, "required"), name=name)


# --- additional and pattern properties -----------------------------------------------------------

@rule("additional-properties-disallowed", action="changed", effect=Effect.NARROWS,
      example=({"type": "object"},
               {"type": "object", "additionalProperties": False}))
def additional_properties_disallowed(d: Details) -> str:
    """The object is now closed: documents with properties beyond those listed are rejected."""
    return "properties other than those listed are no longer allowed"


@rule("additional-properties-allowed", action="changed", effect=Effect.WIDENS,
      response=Severity.SAFE,
      example=({"type": "object", "additionalProperties": False},
               {"type": "object"}))
def additional_properties_allowed(d: Details) -> str:
    """The object is now open. Requests accept more; tolerant readers ignore unknown response fields."""
    return "properties other than those listed are now allowed"


@additional_properties_disallowed.witnessed_by
@additional_properties_allowed.witnessed_by
def _object_with_an_extra_property(accept: View, reject: View, change: Change, sampler: Sampler,
                                   hint: Any) -> Iterable[Any]:
    yield _with(sampler, accept, extra_field="a")


@compares
def compare_additional(old: View, new: View, walk: Walk, ctx: Context) -> None:
    old_closed, new_closed = old.closed, new.closed
    if old_closed and not new_closed:
        walk.report(additional_properties_allowed, ctx, old_at=at(old, "additionalProperties"),
                    new_at=new.where)
    elif new_closed and not old_closed:
        walk.report(additional_properties_disallowed, ctx, old_at=old.where,
                    new_at=at(new, "additionalProperties"))
    elif not new_closed and (old.additional or new.additional):
        walk.descend(old.additional, new.additional, ctx.at(ADDITIONAL),
                     old_at=old.where, new_at=new.where)


@rule("pattern-property-added", action="added", effect=Effect.BOTH, request=Severity.DANGEROUS,
      response=Severity.SAFE, schema=Severity.DANGEROUS,
      example=({"type": "object"},
               {"type": "object", "patternProperties": {"^x-": {"type": "string"}}}))
def pattern_property_added(d: Details) -> str:
    """Properties whose names match the pattern now follow their own schema: on an open object that
    can reject old documents, on a closed one it admits new names. Which one depends on the schemas;
    dangerous either way."""
    return f"properties whose names match `{d['pattern']}` now have rules of their own"


@rule("pattern-property-removed", action="removed", effect=Effect.BOTH, request=Severity.DANGEROUS,
      response=Severity.BREAKING,
      example=({"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
               {"type": "object"}))
def pattern_property_removed(d: Details) -> str:
    """Properties matching the pattern fall back to ``additionalProperties``; readers lose a field
    family they may use."""
    return f"properties whose names match `{d['pattern']}` no longer have rules of their own"


@compares
def compare_pattern_properties(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for found in pairs(old.pattern_properties, new.pattern_properties):
        pattern = found.key
        if found.common:
            walk.descend(found.old, found.new, ctx.at(Pattern(pattern)))
        elif found.removed:
            walk.report(pattern_property_removed, ctx, old_at=found.present[0].where,
                        new_at=at(new, "patternProperties"), pattern=pattern)
        else:
            walk.report(pattern_property_added, ctx, old_at=at(old, "patternProperties"),
                        new_at=found.present[0].where, pattern=pattern)


@compares
def compare_property_names(old: View, new: View, walk: Walk, ctx: Context) -> None:
    if old.property_names or new.property_names:
        walk.descend(old.property_names, new.property_names, ctx.at(PROPERTY_NAMES),
                     old_at=old.where, new_at=new.where)


MIN_PROPERTIES = limit_rules(
    "min-properties", "property", topic="objects", upper=False,
    examples=(({"type": "object", "minProperties": 1}, {"type": "object", "minProperties": 2}),
              ({"type": "object", "minProperties": 2}, {"type": "object", "minProperties": 1})),
    tighter_why="Objects with fewer properties than the new minimum are rejected.",
    looser_why="Smaller objects are accepted, and may be returned.")
MAX_PROPERTIES = limit_rules(
    "max-properties", "property", topic="objects", upper=True,
    examples=(({"type": "object", "maxProperties": 10}, {"type": "object", "maxProperties": 5}),
              ({"type": "object", "maxProperties": 5}, {"type": "object", "maxProperties": 10})),
    tighter_why="Objects with more properties than the new maximum are rejected.",
    looser_why="Larger objects are accepted, and may be returned.")


def _object_of_size(accept: View, reject: View, change: Change, sampler: Sampler, hint: Any) -> Iterable[Any]:
    """An object with as many properties as the other side just refuses."""
    for size in (reject.min_properties - 1 if reject.min_properties else None,
                 reject.max_properties + 1 if reject.max_properties is not None else None):
        if size is None or size < 0:
            continue
        base = sampler.object(accept, 0)
        if base is MISSING or len(base) > size:
            continue
        extras = [f"extra_{i}" for i in range(budget.size(size))]
        filler = (n for n in list(accept.properties) + extras if n not in base)
        for name in filler:
            if len(base) >= size:
                break
            nodes = accept.properties.get(name)
            value = sampler.value(sampler.view(nodes)) if nodes else "a"
            if value is not MISSING:
                base[name] = value
        yield base


for _rule in MIN_PROPERTIES + MAX_PROPERTIES:
    _rule.witnessed_by(_object_of_size)


@compares
def compare_property_counts(old: View, new: View, walk: Walk, ctx: Context) -> None:
    compare_limit(walk, ctx, MIN_PROPERTIES, old.min_properties, new.min_properties,
                  at(old, "minProperties"), at(new, "minProperties"), upper=False)
    compare_limit(walk, ctx, MAX_PROPERTIES, old.max_properties, new.max_properties,
                  at(old, "maxProperties"), at(new, "maxProperties"), upper=True)


# --- dependencies --------------------------------------------------------------------------------

@rule("dependent-required-added", action="added", effect=Effect.NARROWS,
      example=({"dependentRequired": {"card": ["name"]}},
               {"dependentRequired": {"card": ["name", "cvc"]}}))
def dependent_required_added(d: Details) -> str:
    """When the trigger property is present, more properties must be present too."""
    return f"when `{d['name']}` is present, {names(d['values'])} must now be present too"


@rule("dependent-required-removed", action="removed", effect=Effect.WIDENS,
      example=({"dependentRequired": {"card": ["name", "cvc"]}},
               {"dependentRequired": {"card": ["name"]}}))
def dependent_required_removed(d: Details) -> str:
    """Fewer properties are demanded alongside the trigger property."""
    return f"when `{d['name']}` is present, {names(d['values'])} may now be left out"


@dependent_required_added.witnessed_by
@dependent_required_removed.witnessed_by
def _object_with_the_trigger_alone(accept: View, reject: View, change: Change, sampler: Sampler,
                                   hint: Any) -> Iterable[Any]:
    """The trigger property with only what the accepting side demands alongside it."""
    name = change.details["name"]
    present = {name} | accept.dependent_required.get(name, set())
    values = {}
    for each in sorted(present):
        nodes = accept.properties.get(each)
        values[each] = sampler.value(sampler.view(nodes)) if nodes else "a"
    yield _with(sampler, accept, **values)


def _dependency_site(view: View) -> str:
    for keyword in ("dependentRequired", "dependencies"):
        if keyword in view.sites:
            return at(view, keyword)
    return view.where


@compares
def compare_dependencies(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for found in pairs(old.dependent_required, new.dependent_required, sort=True):
        name, before, after = found.key, found.old or set(), found.new or set()
        if after - before:
            walk.report(dependent_required_added, ctx, old_at=_dependency_site(old),
                        new_at=_dependency_site(new), name=name, values=sorted(after - before))
        if before - after:
            walk.report(dependent_required_removed, ctx, old_at=_dependency_site(old),
                        new_at=_dependency_site(new), name=name, values=sorted(before - after))
    for schemas in pairs(old.dependent_schemas, new.dependent_schemas, sort=True):
        walk.descend(schemas.old, schemas.new, ctx.at(Dependent(schemas.key)), old_at=old.where,
                     new_at=new.where)
