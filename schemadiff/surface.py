"""Compare two read documents: the API surface first, then every schema through the walk.

The surface is compared level by level: the document, its resources, their endpoints (an OpenAPI
endpoint is also an operation), parameters, statuses, media types and headers. At each level the
items of both versions are matched once (``pairs.pairs``: resources by name, parameters by place
and name, ...; endpoints by key, then by route and title), and every matched pair goes through the
checks :data:`SURFACE` lists for that level, in that order: one list for an item only the new
version has, one for an item only the old one has, one for an item both hold. A check is
``check(item, walk, ctx)``: it reports through the same :class:`rules.Walk` the keyword comparators
use (the rules themselves are declared in the catalogue, ``rules/api.py`` and
``rules/operations.py``), and enters the level below with :func:`each`.

A plain JSON Schema is its root schema, compared under the chosen compatibility, plus the
definitions that nothing refers to, whose changes are info.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import schemadiff.rules.annotations as annotation_rules
from schemadiff.arrange import attribute
from schemadiff.context import Context
from schemadiff.diff import Comparison
from schemadiff.lifecycle import Lifecycle, cap_by_stability, parse_date, rank
from schemadiff.load import escape_token
from schemadiff.model import REQUEST, RESPONSE, Api, Change, Endpoint, Parameter, Resource, Response
from schemadiff.normalise import Node, canonical
from schemadiff.pairs import ADDED, COMMON, Pair, Presence, pairs
from schemadiff.rules import Rule, Walk, api, operations
from schemadiff.rules.annotations import summarise
from schemadiff.steps import ITEM, Component, Definition, ParameterValue, Status

T = TypeVar("T")
#: a Matched from a tuple, without NamedTuple's keyword handling: the surface makes thousands
_new = tuple.__new__

if TYPE_CHECKING:
    from schemadiff.rules import Rule


def compare_apis(old: Api, new: Api, walk: Comparison, lifecycle: Lifecycle | None = None) \
        -> list[Change]:
    """Run the document's checks (SURFACE, from "document" down), then hand out the records,
    each filed under what owns it and capped by the stability its operations promised (copies
    of the walk's records; see :mod:`arrange`)."""
    lifecycle = lifecycle or Lifecycle()
    walk.read_write_views = old.kind == "openapi"
    run("document", Matched(None, old, new, Presence.COMMON, None, lifecycle), walk, Context())
    records = walk.records()
    if old.kind in ("openapi", "hyperschema"):
        names = set(old.resources) | set(new.resources)
        records = [attribute(change, old.kind, names) for change in records]
    if lifecycle.stability_caps:
        records = cap_by_stability(records, old, new)
    return records


# --- the levels -----------------------------------------------------------------------------------

class Matched(NamedTuple, Generic[T]):
    """One item of the surface matched across versions (a :class:`pairs.Pair`), with the matched
    item that holds it (a parameter's endpoint, a header's response) and the team's lifecycle
    settings, which judge removals. Its checks read both versions from here. ``old`` and ``new``
    are None on a side without the item: the checks for an added or removed item read only the
    side that has it."""

    key: Any
    old: T
    new: T
    presence: Presence
    holder: Matched[Any] | None
    lifecycle: Lifecycle

    def below(self, pair: Pair[Any, Any]) -> Matched[Any]:
        """An item this one holds."""
        return Matched(pair.key, pair.old, pair.new, pair.presence, self, self.lifecycle)

    @property
    def common(self) -> bool:
        return self.presence is Presence.COMMON

    @property
    def present(self) -> T:
        """The item of the version that holds it (the new one when both do)."""
        return self.old if self.presence is Presence.REMOVED else self.new

    @property
    def up(self) -> Matched[Any]:
        """The holder (every level but the document has one)."""
        assert self.holder is not None
        return self.holder


#: ``check(item, walk, ctx)``: reports what one matched item shows; the value it returns is ignored
Check = Callable[[Matched[Any], Walk, Context], object]


@dataclass(frozen=True)
class Level:
    """The checks of one level of the surface, in order: for an item only the new version has,
    only the old one has, and both hold. ``enter`` is the context its checks see."""

    added: tuple[Check, ...] = ()
    removed: tuple[Check, ...] = ()
    common: tuple[Check, ...] = ()
    enter: Callable[[Matched[Any], Context], Context] | None = None

    def checks(self, presence: Presence) -> tuple[Check, ...]:
        return self.common if presence is COMMON else \
            self.added if presence is ADDED else self.removed


def each(level: str, found: Iterable[Pair[Any, Any]], holder: Matched[Any], walk: Walk,
         ctx: Context) -> None:
    """Run a level's checks over its matched items, in the order they were matched."""
    spec, lifecycle = SURFACE[level], holder.lifecycle
    enter, common, added, removed = spec.enter, spec.common, spec.added, spec.removed
    for key, old, new, presence in found:   # run() for each, inlined: the surface's hot loop
        item = _new(Matched, (key, old, new, presence, holder, lifecycle))
        inner = enter(item, ctx) if enter is not None else ctx
        for check in common if presence is COMMON else added if presence is ADDED else removed:
            check(item, walk, inner)


def run(level: str, item: Matched[Any], walk: Walk, ctx: Context) -> None:
    """Run a level's checks over one matched item."""
    spec = SURFACE[level]
    inner = spec.enter(item, ctx) if spec.enter is not None else ctx
    for check in spec.checks(item.presence):
        check(item, walk, inner)


def _itself(value: T) -> T:
    """The key of an item that is its own key (a server's URL, a tag)."""
    return value


# --- the document ---------------------------------------------------------------------------------

def compare_root(item: Matched[Api], walk: Walk, ctx: Context) -> None:
    """A plain JSON Schema: its root, then the definitions nothing refers to (info)."""
    if item.old.root is None or item.new.root is None:
        return
    walk.schemas(item.old.root, item.new.root, ctx)
    _compare_unreferenced(item.old.root, item.new.root, walk, ctx)


def compare_resources(item: Matched[Api], walk: Walk, ctx: Context) -> None:
    each("resource", pairs(item.old.resources, item.new.resources, sort=True), item, walk, ctx)


def compare_servers(item: Matched[Api], walk: Walk, ctx: Context) -> None:
    """OpenAPI ``servers`` (other kinds have none)."""
    _compare_server_lists(item.old.servers, item.new.servers, ("/servers", "/servers"),
                          ctx.but(resource="(document)"), walk)


def _compare_server_lists(before: list[str], after: list[str], where: tuple[str, str],
                          ctx: Context, walk: Walk) -> None:
    """Base URLs gone (old clients stop reaching the API there) and new, at (old, new) places."""
    servers = pairs(before, after, key=_itself)
    for url in servers.removed:
        walk.report(operations.server_removed, ctx, old_at=where[0], new_at=where[1], url=url.key)
    for url in servers.added:
        walk.report(operations.server_added, ctx, old_at=where[0], new_at=where[1], url=url.key)


def compare_security_schemes(item: Matched[Api], walk: Walk, ctx: Context) -> None:
    """OpenAPI security schemes (other kinds have none). The scheme table's place differs
    between Swagger 2.0 and OpenAPI 3, so the records name no place."""
    document = ctx.but(resource="(document)")
    used = _used_scopes(item.old)
    for scheme in pairs(item.old.security_schemes, item.new.security_schemes, sort=True):
        name = scheme.key
        if scheme.removed:
            kind = operations.security_scheme_removed if name in used \
                else operations.unused_security_scheme_removed
            walk.report(kind, document, old_at=None, new_at=None, name=name)
        elif scheme.added:
            walk.report(operations.security_scheme_added, document, old_at=None, new_at=None,
                        name=name)
        else:
            _compare_scheme(name, *scheme.both, used.get(name, set()), document, walk)


def compare_unused_components(item: Matched[Api], walk: Walk, ctx: Context) -> None:
    """OpenAPI component schemas that no operation uses, compared as data contracts (under
    ``--compat``)."""
    old, new = item.old, item.new
    changed = [schema for schema in pairs(old.schemas, new.schemas).common
               if not walk.same((schema.old,), (schema.new,))]
    if not changed:
        return
    used_old = walk.old.workspace.reachable(*_operation_schemas(old),
                                            asked={schema.both[0].where for schema in changed})
    used_new = walk.new.workspace.reachable(*_operation_schemas(new),
                                            asked={schema.both[1].where for schema in changed})
    components = ctx.but(resource="(components)")
    for schema in changed:
        before, after = schema.both
        if before.where in used_old or after.where in used_new:
            continue
        walk.schemas(before, after, components.at(Component(schema.key)))


# --- resources ------------------------------------------------------------------------------------

def _in_resource(item: Matched[Resource], ctx: Context) -> Context:
    return ctx.but(resource=item.present.name)


def resource_added(item: Matched[Resource], walk: Walk, ctx: Context) -> None:
    """A whole resource appeared: one record for it and one per endpoint."""
    walk.report(api.resource_added, ctx, old_at=None, new_at=item.new.pointer, name=item.new.name)
    each("endpoint", pairs({}, item.new.endpoints), item, walk, ctx)


def resource_removed(item: Matched[Resource], walk: Walk, ctx: Context) -> None:
    """A whole resource went: one record for it and one per endpoint. A removed resource with
    endpoints costs what removing them costs (a path whose operations were all deprecated does
    not break more than they do)."""
    whole = walk.report(api.resource_removed, ctx, old_at=item.old.pointer, new_at=None,
                        name=item.old.name)
    parts = [endpoint_removed(item.below(pair), walk, _in_endpoint_of(pair, ctx))
             for pair in pairs(item.old.endpoints, {})]
    severities = [part.severity for part in parts if part is not None]
    if whole is not None and severities:
        walk.amend(whole, severity=max(severities, key=lambda s: s.rank),
                   details={**whole.details, "judged_by": "its operations"})


def compare_representation(item: Matched[Resource], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    if old.representation is not None or new.representation is not None:
        walk.schemas(old.representation, new.representation, ctx.but(direction=RESPONSE),
                     at_old=old.pointer, at_new=new.pointer)


def compare_resource_stability(item: Matched[Resource], walk: Walk, ctx: Context) -> None:
    _compare_stability(item.old.meta.get("stability"), item.new.meta.get("stability"),
                       f"{item.old.pointer}/stability", f"{item.new.pointer}/stability", ctx, walk)


def compare_endpoints(item: Matched[Resource], walk: Walk, ctx: Context) -> None:
    each("endpoint", pair_endpoints(item.old.endpoints, item.new.endpoints), item, walk, ctx)


def _compare_stability(old_level: str | None, new_level: str | None, old_at: str, new_at: str,
                       ctx: Context, walk: Walk) -> None:
    if old_level == new_level:
        return
    # an unstated level promises stability (rank): stating a lower one for the first time takes
    # that promise back just as lowering a stated one does
    lowered = rank(new_level) < rank(old_level)
    kind = api.stability_decreased if lowered else api.stability_changed
    walk.report(kind, ctx, old_at=old_at, new_at=new_at, old=old_level, new=new_level)


# --- endpoints ------------------------------------------------------------------------------------

def pair_endpoints(old: Mapping[str, Endpoint], new: Mapping[str, Endpoint]) \
        -> list[Pair[str, Endpoint]]:
    """The endpoints of one resource, matched across versions: by key; then links that share a
    method and href (a route) by title, since a route may gain or lose links between versions;
    then the one link left on each side of a route, whose title changed."""
    by_key = pairs(old, new)
    found = list(by_key.common)
    left_old = [pair.present for pair in by_key.removed]
    left_new = [pair.present for pair in by_key.added]
    for route in dict.fromkeys(_route(e) for e in left_old + left_new):
        found += _pair_route([e for e in left_old if _route(e) == route],
                             [e for e in left_new if _route(e) == route])
    return sorted(found, key=lambda pair: pair.present.key)


def _pair_route(befores: list[Endpoint], afters: list[Endpoint]) -> list[Pair[str, Endpoint]]:
    """The links of one route that match no key: by a title only one link on each side has, then
    the last one on each side; the rest were removed or added."""
    found = []
    for before in list(befores):
        same = [a for a in afters if a.title is not None and a.title == before.title]
        if len(same) == 1 and sum(b.title == before.title for b in befores) == 1:
            found.append(Pair(same[0].key, before, same[0], Presence.COMMON))
            befores.remove(before)
            afters.remove(same[0])
    if len(befores) == 1 and len(afters) == 1:
        return [*found, Pair(afters[0].key, befores[0], afters[0], Presence.COMMON)]
    return found + [Pair(b.key, b, None, Presence.REMOVED) for b in befores] + \
        [Pair(a.key, None, a, Presence.ADDED) for a in afters]


def _route(endpoint: Endpoint) -> str:
    return endpoint.route or endpoint.key.split(" #")[0]


def _in_endpoint(item: Matched[Endpoint], ctx: Context) -> Context:
    return ctx.but(endpoint=item.present.label)


def _in_endpoint_of(pair: Pair[str, Endpoint], ctx: Context) -> Context:
    return ctx.but(endpoint=pair.present.label)


def endpoint_added(item: Matched[Endpoint], walk: Walk, ctx: Context) -> Change | None:
    return walk.report(api.endpoint_added, ctx, old_at=None, new_at=item.new.pointer,
                       name=item.new.label)


def endpoint_removed(item: Matched[Endpoint], walk: Walk, ctx: Context) -> Change | None:
    """Removing an endpoint breaks its callers, unless its deprecation warned them first: before
    its sunset date it still breaks them, after it the removal was promised; without a date they
    were warned but not told when."""
    endpoint = item.old
    kind: Rule = api.endpoint_removed
    data: dict[str, Any] = {}
    if endpoint.deprecated or endpoint.sunset is not None:
        sunset = parse_date(endpoint.sunset)
        if sunset is None:
            kind = operations.deprecated_endpoint_removed
        else:
            kind = operations.endpoint_removed_before_sunset if item.lifecycle.today < sunset \
                else operations.endpoint_removed_after_sunset
            data = {"sunset": sunset.isoformat()}
    return walk.report(kind, ctx, old_at=endpoint.pointer, new_at=None, name=endpoint.label,
                       **data)


def compare_link_prose(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    for key, rule in (("title", annotation_rules.title_changed),
                      ("description", annotation_rules.description_changed)):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            walk.report(rule, ctx, old_at=f"{old.pointer}/{key}",
                        new_at=f"{new.pointer}/{key}", old=before, new=after)


def compare_relation(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    if old.meta.get("rel") != new.meta.get("rel"):
        walk.report(api.endpoint_relation_changed, ctx, old_at=f"{old.pointer}/rel",
                    new_at=f"{new.pointer}/rel", old=old.meta.get("rel"), new=new.meta.get("rel"))


def compare_link_schemas(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """A hyper-schema link's href parameters (by position: their names are the href's), its
    request ``schema`` and its response ``targetSchema``."""
    old, new = item.old, item.new
    request = ctx.but(direction=REQUEST)
    # an href that gained or lost a parameter: the positions both have are compared
    for (_, before), (name, after) in zip(old.params.items(), new.params.items(), strict=False):
        walk.schemas(before, after, request.at(ParameterValue(None, name)).but(wire="path"))
    if old.request is not None or new.request is not None:
        walk.schemas(old.request, new.request, request, at_old=f"{old.pointer}/schema",
                     at_new=f"{new.pointer}/schema")
    if old.response is not None or new.response is not None:
        walk.schemas(old.response, new.response, ctx.but(direction=RESPONSE),
                     at_old=f"{old.pointer}/targetSchema", at_new=f"{new.pointer}/targetSchema")


def compare_operation(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """An OpenAPI operation goes through the operation's checks as well (even one that lists
    no parameter, body or response: its security, operationId and lifecycle still count)."""
    if item.old.openapi or item.new.openapi:
        run("operation", item, walk, ctx)


# --- OpenAPI operations ---------------------------------------------------------------------------

def _directions(endpoint: Endpoint) -> tuple[str, str]:
    """Who sends what: (the direction of the request, of the answer). A webhook is the other way
    round: the API sends its request (read by the receiver, like a response) and reads the
    receiver's answer (like a request)."""
    return (RESPONSE, REQUEST) if endpoint.webhook else (REQUEST, RESPONSE)


def compare_operation_id(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    if old.operation_id != new.operation_id and old.operation_id and new.operation_id:
        walk.report(operations.operation_id_changed, ctx, old_at=f"{old.pointer}/operationId",
                    new_at=f"{new.pointer}/operationId", old=old.operation_id,
                    new=new.operation_id)


def compare_tags(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    tags = pairs(old.tags, new.tags, key=_itself, sort=True)
    if tags.changed:
        walk.report(operations.tags_changed, ctx, old_at=f"{old.pointer}/tags",
                    new_at=f"{new.pointer}/tags", old=list(old.tags), new=list(new.tags),
                    added=[tag.key for tag in tags.added],
                    removed=[tag.key for tag in tags.removed])


def compare_deprecation(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    if old.deprecated != new.deprecated:
        walk.report(operations.endpoint_deprecated, ctx, old_at=old.pointer, new_at=new.pointer,
                    old=old.deprecated, new=new.deprecated)


def compare_sunset(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    old, new = item.old, item.new
    if old.sunset != new.sunset:
        before, after = parse_date(old.sunset), parse_date(new.sunset)
        kind = operations.sunset_moved_earlier if before and after and after < before \
            else operations.sunset_changed
        walk.report(kind, ctx, old_at=f"{old.pointer}/x-sunset", new_at=f"{new.pointer}/x-sunset",
                    old=old.sunset, new=new.sunset)


def compare_grace_period(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """A newly deprecated operation must give its callers the grace period the team demands
    (of the promise made, not the PR's stability) before its sunset."""
    old, new, lifecycle = item.old, item.new, item.lifecycle
    if not new.deprecated or old.deprecated:
        return
    days = lifecycle.grace_days(old.stability)
    after = parse_date(new.sunset)
    left = (after - lifecycle.today).days if after is not None else None
    if (after is None and days > 0) or (left is not None and left < max(days, 0)):
        walk.report(operations.sunset_too_early, ctx, old_at=old.pointer,
                    new_at=f"{new.pointer}/x-sunset" if new.sunset else new.pointer,
                    sunset=new.sunset, days=days, left=left, today=lifecycle.today.isoformat())


def compare_operation_stability(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    _compare_stability(item.old.stability, item.new.stability,
                       f"{item.old.pointer}/x-stability-level",
                       f"{item.new.pointer}/x-stability-level", ctx, walk)


def compare_parameters(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    sent, _ = _directions(item.new)
    each("parameter", pairs(item.old.parameters, item.new.parameters), item, walk,
         ctx.but(direction=sent))


def compare_request_body(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """The body's presence and whether it is required, then its media types. A webhook's body
    is the API's to send: only its media types are compared."""
    old, new = item.old, item.new
    if not old.bodies and not new.bodies:
        return
    sent, _ = _directions(new)
    ctx = ctx.but(direction=sent)
    if not new.webhook and not _compare_body_presence(old, new, walk, ctx):
        return
    each("media", pairs(old.bodies, new.bodies), _content_of(item, old.bodies, new.bodies,
                                                               old.body_pointer or old.pointer,
                                                               new.body_pointer or new.pointer),
         walk, ctx)


def _compare_body_presence(old: Endpoint, new: Endpoint, walk: Walk, ctx: Context) -> bool:
    """Report a request body added, removed, or become required or optional; True when both
    versions have one (its media types are compared next)."""
    if not old.bodies:
        kind = operations.required_request_body_added if new.body_required \
            else operations.request_body_added
        walk.report(kind, ctx, old_at=old.pointer, new_at=new.body_pointer)
        return False
    if not new.bodies:
        walk.report(operations.request_body_removed, ctx, old_at=old.body_pointer,
                    new_at=new.pointer)
        return False
    if old.body_required != new.body_required:
        kind = operations.request_body_became_required if new.body_required \
            else operations.request_body_became_optional
        walk.report(kind, ctx, old_at=old.body_pointer, new_at=new.body_pointer)
    return True


def compare_responses(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    _, answered = _directions(item.new)
    each("status", pairs(item.old.responses, item.new.responses), item, walk,
         ctx.but(direction=answered))


def _anonymous(alternatives: list[frozenset] | None) -> bool:
    """No requirement at all, or an empty alternative ``{}``: calls without credentials pass."""
    return not alternatives or frozenset() in alternatives


def _satisfies(credentials: frozenset, requirement: frozenset) -> bool:
    """Does a client that sends what ``credentials`` asks for also meet ``requirement`` (the same
    schemes or fewer, each with the same scopes or fewer)?"""
    held = dict(credentials)
    return all(name in held and scopes <= held[name] for name, scopes in requirement)


def _shown(alternative: frozenset) -> list:
    return sorted([name, sorted(scopes)] for name, scopes in alternative)


def compare_operation_servers(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """An operation served at base URLs of its own (its ``servers`` or its path item's): one it
    loses is a place old clients stop reaching it. The document's list is compared once, above."""
    old, new = item.old, item.new
    if old.servers is None and new.servers is None:
        return
    api = item.up.up   # endpoint -> resource -> document
    _compare_server_lists(old.servers if old.servers is not None else api.old.servers,
                          new.servers if new.servers is not None else api.new.servers,
                          (f"{old.pointer}/servers", f"{new.pointer}/servers"), ctx, walk)


def compare_security(item: Matched[Endpoint], walk: Walk, ctx: Context) -> None:
    """Security requirements are alternatives (any one suffices), each a set of schemes with
    scopes. An old alternative is only lost when no new one accepts what its clients send."""
    old, new = item.old, item.new
    before, after = old.security or [], new.security or []
    if before == after:
        return
    old_at, new_at = f"{old.pointer}/security", f"{new.pointer}/security"
    if _anonymous(after):
        if not _anonymous(before):
            was = " or ".join(operations._alternative(_shown(a)) for a in before)
            walk.report(operations.anonymous_access_allowed, ctx, old_at=old_at, new_at=new_at,
                        was=was)
        return
    if _anonymous(before):
        now = " or ".join(operations._alternative(_shown(a)) for a in after)
        walk.report(operations.authentication_required, ctx, old_at=old_at, new_at=new_at,
                    now=now)
        return
    for alternative in before:
        if not any(_satisfies(alternative, other) for other in after):
            walk.report(operations.security_alternative_removed, ctx, old_at=old_at,
                        new_at=new_at, names=_shown(alternative))
    for alternative in after:
        if not any(_satisfies(other, alternative) for other in before):
            walk.report(operations.security_alternative_added, ctx, old_at=old_at,
                        new_at=new_at, names=_shown(alternative))


# --- parameters and headers -----------------------------------------------------------------------
# For a webhook the API sends the parameters, and they are judged as response headers are.

def parameter_added(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    after, holder = item.new, item.up
    if holder.new.webhook:
        walk.report(operations.response_header_added, ctx, old_at=holder.old.pointer,
                    new_at=after.pointer, name=after.name)
        return
    kind = operations.required_parameter_added if after.required else operations.parameter_added
    walk.report(kind, ctx, old_at=holder.old.pointer, new_at=after.pointer,
                location=after.location, name=after.name)


def parameter_removed(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, holder = item.old, item.up
    if holder.new.webhook:
        walk.report(operations.response_header_removed, ctx, old_at=before.pointer,
                    new_at=holder.new.pointer, name=before.name)
        return
    walk.report(operations.parameter_removed, ctx, old_at=before.pointer,
                new_at=holder.new.pointer, location=before.location, name=before.name)


def parameter_required(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, after = item.old, item.new
    if before.required == after.required:
        return
    if item.up.new.webhook:
        kind = operations.response_header_became_required if after.required \
            else operations.response_header_became_optional
        walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer, name=after.name)
        return
    kind = operations.parameter_became_required if after.required \
        else operations.parameter_became_optional
    walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer,
                location=after.location, name=after.name)


def _style(parameter: Parameter) -> dict:
    return {k: v for k, v in (("style", parameter.style), ("explode", parameter.explode))
            if v is not None}


def parameter_style(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, after = item.old, item.new
    if (before.style, before.explode) != (after.style, after.explode):
        walk.report(operations.parameter_style_changed, ctx, old_at=before.pointer,
                    new_at=after.pointer, old=_style(before), new=_style(after),
                    location=after.location, name=after.name)


def parameter_empty_value(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, after = item.old, item.new
    if before.allow_empty != after.allow_empty:
        kind = operations.parameter_empty_value_allowed if after.allow_empty \
            else operations.parameter_empty_value_refused
        walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer,
                    location=after.location, name=after.name)


def parameter_deprecated(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, after = item.old, item.new
    if after.deprecated and not before.deprecated:
        walk.report(operations.parameter_deprecated, ctx, old_at=before.pointer,
                    new_at=after.pointer, location=after.location, name=after.name)


def parameter_values(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    after = item.new
    _compare_values(item.old, after,
                    ctx.at(ParameterValue(after.location, after.name)).but(wire=after.location), walk)


def header_added(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    walk.report(operations.response_header_added, ctx, old_at=item.up.old.pointer,
                new_at=item.new.pointer, name=item.new.name)


def header_removed(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    walk.report(operations.response_header_removed, ctx, old_at=item.old.pointer,
                new_at=item.up.new.pointer, name=item.old.name)


def header_required(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    before, after = item.old, item.new
    if before.required != after.required:
        kind = operations.response_header_became_required if after.required \
            else operations.response_header_became_optional
        walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer, name=after.name)


def header_values(item: Matched[Parameter], walk: Walk, ctx: Context) -> None:
    after = item.new
    _compare_values(item.old, after, ctx.at(ParameterValue("header", after.name)).but(wire="header"), walk)


def _compare_values(before: Parameter, after: Parameter, ctx: Context, walk: Walk) -> None:
    """The schemas of a parameter's or header's value, compared as text on the wire. A query
    parameter that became an exploded array (``?id=1&id=2``) still accepts the single value old
    clients send, unless its count bounds refuse one: its items are compared with the old value."""
    if after.location == "query" and before.schema is not None and after.schema is not None and \
            after.explode is not False and after.style in (None, "form", "multi") and \
            not walk.same((before.schema,), (after.schema,)):
        old_view, new_view = walk.old.view((before.schema,)), walk.new.view((after.schema,))
        one_value = (new_view.min_items or 0) <= 1 and (new_view.max_items is None or
                                                         new_view.max_items >= 1)
        if new_view.types == {"array"} and old_view.types is not None and one_value and \
                "array" not in old_view.types and new_view.items and not new_view.prefix:
            walk.report(operations.parameter_became_array, ctx, old_at=before.pointer,
                        new_at=after.pointer, location=after.location, name=after.name)
            walk.descend([before.schema], new_view.items, ctx.at(ITEM), old_at=before.pointer,
                         new_at=after.pointer)
            return
    walk.schemas(before.schema, after.schema, ctx, at_old=before.pointer, at_new=after.pointer)


# --- statuses and media types ---------------------------------------------------------------------

def _success(status: str) -> bool:
    return status.startswith("2") or status.upper() == "2XX"


def _in_status(item: Matched[Response], ctx: Context) -> Context:
    """Inside a status its records name it (``<200>``); that it came or went is the operation's."""
    return ctx.at(Status(item.key)) if item.common else ctx


def status_added(item: Matched[Response], walk: Walk, ctx: Context) -> None:
    kind = operations.success_status_added if _success(item.key) else operations.status_added
    walk.report(kind, ctx, old_at=item.up.old.pointer, new_at=item.new.pointer, status=item.key)


def status_removed(item: Matched[Response], walk: Walk, ctx: Context) -> None:
    kind = operations.success_status_removed if _success(item.key) else operations.status_removed
    walk.report(kind, ctx, old_at=item.old.pointer, new_at=item.up.new.pointer, status=item.key)


def compare_status_content(item: Matched[Response], walk: Walk, ctx: Context) -> None:
    """On an error status, a media type removed is judged like the removed error status itself."""
    before, after, status = item.old, item.new, item.key
    error = not _success(status) and status.lower() != "default"
    each("media", pairs(before.content, after.content),
         _content_of(item, before.content, after.content, before.pointer, after.pointer, error),
         walk, ctx)


def compare_headers(item: Matched[Response], walk: Walk, ctx: Context) -> None:
    each("header", pairs(item.old.headers, item.new.headers), item, walk, ctx)


class Content(NamedTuple):
    """What holds media types on one side (a request body or a response): its place, and whether
    it answers with an error status."""

    at: str
    media: Mapping[str, Node | None]
    error: bool


def _content_of(holder: Matched[Any], old: Mapping[str, Node | None], new: Mapping[str, Node | None],
                old_at: str, new_at: str, error: bool = False) -> Matched[Content]:
    return _new(Matched, (holder.key, _new(Content, (old_at, old, error)),
                          _new(Content, (new_at, new, error)), COMMON, holder, holder.lifecycle))


def media_added(item: Matched[Node | None], walk: Walk, ctx: Context) -> None:
    walk.report(operations.media_type_added, ctx, old_at=item.up.old.at,
                new_at=f"{item.up.new.at}/content", media=item.key)


def media_removed(item: Matched[Node | None], walk: Walk, ctx: Context) -> None:
    kind = operations.error_media_type_removed if item.up.new.error \
        else operations.media_type_removed
    walk.report(kind, ctx, old_at=f"{item.up.old.at}/content", new_at=item.up.new.at,
                media=item.key)


def compare_media_schemas(item: Matched[Node | None], walk: Walk, ctx: Context) -> None:
    if item.old is not None or item.new is not None:
        walk.schemas(item.old, item.new, ctx, at_old=item.up.old.at, at_new=item.up.new.at)


# --- OpenAPI documents: security schemes and reachability ------------------------------------------

def _used_scopes(api_: Api) -> dict[str, set]:
    """Every security scheme some operation requires, with the scopes it requires of it."""
    used: dict[str, set] = {}
    for resource in api_.resources.values():
        for endpoint in resource.endpoints.values():
            for alternative in endpoint.security or []:
                for name, scopes in alternative:
                    used.setdefault(name, set()).update(scopes)
    return used


def _scopes(scheme: dict) -> dict[str, Any]:
    flows = scheme.get("flows")
    found = {}
    for flow in flows.values() if isinstance(flows, dict) else ():
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
            found.update(flow["scopes"])
    if isinstance(scheme.get("scopes"), dict):  # Swagger 2.0 keeps them on the scheme
        found.update(scheme["scopes"])
    return found


def _without_scopes(scheme: dict) -> str:
    """The scheme as compared for other changes: no prose, no scope lists (compared one by one)."""
    out = {k: v for k, v in scheme.items() if k not in ("description", "scopes")}
    if isinstance(out.get("flows"), dict):
        out["flows"] = {name: {k: v for k, v in flow.items() if k != "scopes"}
                        if isinstance(flow, dict) else flow for name, flow in out["flows"].items()}
    return canonical(out)


def _compare_scheme(name: str, before: dict, after: dict, used: set, ctx: Context,
                    walk: Walk) -> None:
    if _without_scopes(before) != _without_scopes(after):
        walk.report(operations.security_scheme_changed, ctx, old_at=None, new_at=None,
                    name=name, summary=summarise(before, after))
    scopes = pairs(_scopes(before), _scopes(after), sort=True)
    for scope in scopes.removed:
        kind = operations.scope_removed if scope.key in used else operations.unused_scope_removed
        walk.report(kind, ctx, old_at=None, new_at=None, name=name, scope=scope.key)
    for scope in scopes.added:
        walk.report(operations.scope_added, ctx, old_at=None, new_at=None, name=name,
                    scope=scope.key)


def _operation_schemas(api: Api) -> list[str]:
    """The places of every schema an operation uses directly (a start for reachability)."""
    out = []
    for resource in api.resources.values():
        for endpoint in resource.endpoints.values():
            out += _endpoint_schemas(endpoint)
    return out


def _endpoint_schemas(endpoint: Endpoint) -> list[str]:
    out = [p.schema.pointer for p in endpoint.parameters.values() if p.schema is not None]
    out += [node.pointer for node in endpoint.bodies.values() if node is not None]
    for response in endpoint.responses.values():
        out += [node.pointer for node in response.content.values() if node is not None]
        out += [h.schema.pointer for h in response.headers.values() if h.schema is not None]
    return out


# --- plain JSON Schema ----------------------------------------------------------------------------

def _definitions(root: Node) -> dict[str, Node]:
    out = {}
    for container in ("definitions", "$defs"):
        value = root.value.get(container) if isinstance(root.value, dict) else None
        if isinstance(value, dict):
            for name, schema in value.items():
                out[f"/{container}/{escape_token(name)}"] = Node(root.doc, f"/{container}/"
                                                                  f"{escape_token(name)}", schema)
    return out


def _used(pointer: str, reached: set[str]) -> bool:
    return any(p == pointer or p.startswith(pointer + "/") for p in reached)


def _compare_unreferenced(old: Node, new: Node, walk: Walk, ctx: Context) -> None:
    """Definitions nothing refers to: compared (info), or their coming and going noted."""
    definitions = pairs(_definitions(old), _definitions(new), sort=True)
    if not definitions:
        return
    used_old = walk.old.workspace.reachable()
    used_new = walk.new.workspace.reachable()
    quiet = ctx.but(reachable=False)
    for definition in definitions:
        pointer = definition.key
        name = pointer.rsplit("/", 1)[1]
        if definition.common:
            if not _used(pointer, used_old) and not _used(pointer, used_new):
                walk.schemas(definition.old, definition.new, quiet.at(Definition(name)))
        elif definition.added and not _used(pointer, used_new):
            walk.report(api.definition_added, ctx, old_at=None, new_at=pointer, name=name)
        elif definition.removed and not _used(pointer, used_old):
            walk.report(api.definition_removed, ctx, old_at=pointer, new_at=None, name=name)


# --- the table ------------------------------------------------------------------------------------

#: Every surface check, by level, in the order it runs. The order is part of the contract: records
#: are found in it (a shared definition is filed where the walk first meets it), and a level's
#: children are entered where their check stands (an operation's parameters before its body and
#: its responses). A level is entered through :func:`each` by the check listed for it.
SURFACE: dict[str, Level] = {
    "document": Level(common=(compare_root, compare_resources, compare_servers,
                              compare_security_schemes, compare_unused_components)),
    "resource": Level(added=(resource_added,), removed=(resource_removed,),
                      common=(compare_representation, compare_resource_stability,
                              compare_endpoints),
                      enter=_in_resource),
    "endpoint": Level(added=(endpoint_added,), removed=(endpoint_removed,),
                      common=(compare_link_prose, compare_relation, compare_link_schemas,
                              compare_operation),
                      enter=_in_endpoint),
    # an endpoint's checks once more when it is an OpenAPI operation (compare_operation)
    "operation": Level(common=(compare_operation_id, compare_tags, compare_deprecation,
                               compare_sunset, compare_grace_period, compare_operation_stability,
                               compare_parameters, compare_request_body, compare_responses,
                               compare_security, compare_operation_servers)),
    "parameter": Level(added=(parameter_added,), removed=(parameter_removed,),
                       common=(parameter_required, parameter_style, parameter_empty_value,
                               parameter_deprecated, parameter_values)),
    "status": Level(added=(status_added,), removed=(status_removed,),
                    common=(compare_status_content, compare_headers), enter=_in_status),
    "media": Level(added=(media_added,), removed=(media_removed,),
                   common=(compare_media_schemas,)),
    "header": Level(added=(header_added,), removed=(header_removed,),
                    common=(header_required, header_values)),
}
