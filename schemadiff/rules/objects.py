"""Objects: properties, ``required``, open and closed content, property names, sizes, dependencies."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from schemadiff import budget
from schemadiff.model import REQUEST, RESPONSE, Effect, Severity
from schemadiff.rules import Details, at, compare_limit, compares, limit_rules, names, rule
from schemadiff.rules.api import tiny_api
from schemadiff.samples import MISSING, values_refused

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from schemadiff.diff import Context
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


@compares
def compare_properties(old: View, new: View, walk: Walk, ctx: Context) -> None:
    removed = [n for n in old.properties if n not in new.properties
               and not _hidden(walk, walk.old, old, n, ctx)]
    added = [n for n in new.properties if n not in old.properties
             and not _hidden(walk, walk.new, new, n, ctx)]
    changing = (old.required ^ new.required) | set(removed) | set(added)
    old_required, new_required = _shown_required(walk, walk.old, old, ctx, changing), \
        _shown_required(walk, walk.new, new, ctx, changing)
    renames = _renames(walk, old, new, removed, added) \
        if removed and added and ctx.direction else {}
    props_old, props_new = at(old, "properties"), at(new, "properties")
    for name in removed:
        if name in renames or (name in ctx.carried and not walk.strict):
            continue  # renamed; or still carried by another branch of a response union
        closed = _closed(new.open_schema_for(name))
        kind = property_removed_from_closed_object if closed else property_removed
        was_required = name in old_required and name not in new_required
        # a closed object that loses a property it required: documents with it are now refused,
        # and documents without it, once refused, are now accepted
        walk.report(kind, ctx, old_at=old.properties[name][0].where, new_at=props_new, name=name,
                    was_required=was_required,
                    effect=Effect.BOTH if closed and was_required else None)
        governs = new.open_schema_for(name)
        if governs and not closed:
            # the name now falls under additionalProperties or a patternProperties entry: its
            # values must fit that schema now (a number where only strings are allowed)
            walk.descend(old.properties[name], governs, ctx.at(name))
    renamed_to = set(renames.values())
    for name in added:
        if name in renamed_to:
            continue
        new_at = new.properties[name][0].where
        if name in new_required and name not in old_required:
            # added to a closed object, the new documents that carry it were refused before
            walk.report(required_property_added, ctx, old_at=props_old, new_at=new_at, name=name,
                        effect=Effect.BOTH if _closed(old.open_schema_for(name)) else None)
        elif _closed(old.open_schema_for(name)):
            walk.report(property_added_to_closed_object, ctx, old_at=props_old, new_at=new_at,
                        name=name)
        else:
            walk.report(property_added, ctx, old_at=props_old, new_at=new_at, name=name)
    for old_name, new_name in renames.items():
        old_view, new_view = walk.views(old.properties[old_name], new.properties[new_name])
        walk.report(property_renamed, ctx, old_at=old.properties[old_name][0].where,
                    new_at=new.properties[new_name][0].where, old_name=old_name, new_name=new_name,
                    old_types=sorted(old_view.types) if old_view.types else None,
                    new_types=sorted(new_view.types) if new_view.types else None)
    for name, old_nodes in old.properties.items():
        new_nodes = new.properties.get(name)
        if new_nodes is None:
            continue
        if walk.read_write_views and ctx.direction in HIDDEN_BY and \
                not walk.same(tuple(old_nodes), tuple(new_nodes)) and \
                _hidden(walk, walk.old, old, name, ctx) and _hidden(walk, walk.new, new, name, ctx):
            continue  # a property this direction never carries: its changes reach nobody here
        walk.descend(old_nodes, new_nodes, ctx.at(name))
    added_names = set(added) | {n for n in new.properties if n not in old.properties}
    for name in sorted(new_required - old_required):
        if name not in added_names and name not in renamed_to:
            walk.report(property_became_required, ctx, old_at=at(old, "required"),
                        new_at=at(new, "required"), name=name)
    for name in sorted(old_required - new_required):
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
        walk.descend(old.additional, new.additional, ctx.at("{*}"),
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
    for pattern, nodes in old.pattern_properties.items():
        if pattern in new.pattern_properties:
            walk.descend(nodes, new.pattern_properties[pattern], ctx.at(f"{{/{pattern}/}}"))
        else:
            walk.report(pattern_property_removed, ctx, old_at=nodes[0].where,
                        new_at=at(new, "patternProperties"), pattern=pattern)
    for pattern, nodes in new.pattern_properties.items():
        if pattern not in old.pattern_properties:
            walk.report(pattern_property_added, ctx, old_at=at(old, "patternProperties"),
                        new_at=nodes[0].where, pattern=pattern)


@compares
def compare_property_names(old: View, new: View, walk: Walk, ctx: Context) -> None:
    if old.property_names or new.property_names:
        walk.descend(old.property_names, new.property_names, ctx.at("{names}"),
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
    for name in sorted(set(old.dependent_required) | set(new.dependent_required)):
        before = old.dependent_required.get(name, set())
        after = new.dependent_required.get(name, set())
        if after - before:
            walk.report(dependent_required_added, ctx, old_at=_dependency_site(old),
                        new_at=_dependency_site(new), name=name, values=sorted(after - before))
        if before - after:
            walk.report(dependent_required_removed, ctx, old_at=_dependency_site(old),
                        new_at=_dependency_site(new), name=name, values=sorted(before - after))
    for name in sorted(set(old.dependent_schemas) | set(new.dependent_schemas)):
        walk.descend(old.dependent_schemas.get(name), new.dependent_schemas.get(name),
                     ctx.at(f"<with {name}>"), old_at=old.where, new_at=new.where)
