"""Compare two read documents: the API surface first, then every schema through the walk.

Resources are matched by name and endpoints by their key (method and href or path); then each
resource's representation is compared as a response, and each endpoint's parameters and request as a
request and its response as a response. A plain JSON Schema is its root schema, compared under the
chosen compatibility, plus the definitions that nothing refers to, whose changes are info.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import schemadiff.rules.annotations as annotation_rules
from schemadiff.arrange import attribute
from schemadiff.diff import Comparison, Context
from schemadiff.lifecycle import Lifecycle, cap_by_stability, parse_date, rank
from schemadiff.load import escape_token
from schemadiff.model import REQUEST, RESPONSE, Api, Endpoint, Parameter, Resource
from schemadiff.normalise import Node, canonical
from schemadiff.rules import api, operations
from schemadiff.rules.annotations import summarise

if TYPE_CHECKING:
    from schemadiff.rules import Rule


def compare_apis(old: Api, new: Api, walk: Comparison, lifecycle: Lifecycle | None = None) \
        -> None:
    lifecycle = lifecycle or Lifecycle()
    walk.read_write_views = old.kind == "openapi"
    if old.root is not None and new.root is not None:
        _compare_plain(old.root, new.root, walk)
    for name in sorted(set(old.resources) | set(new.resources)):
        before, after = old.resources.get(name), new.resources.get(name)
        if before is None:
            assert after is not None   # a name from one side at least
            _surface(walk, api.resource_added, api.endpoint_added, after, new_side=True,
                     lifecycle=lifecycle)
        elif after is None:
            _surface(walk, api.resource_removed, api.endpoint_removed, before, new_side=False,
                     lifecycle=lifecycle)
        else:
            _compare_resource(before, after, walk, lifecycle)
    if old.kind == "openapi":
        _compare_openapi_document(old, new, walk)
    if old.kind in ("openapi", "hyperschema"):
        names = set(old.resources) | set(new.resources)
        for change in walk.changes.values():
            attribute(change, old.kind, names)
    if lifecycle.stability_caps:
        cap_by_stability(list(walk.changes.values()), old, new)


def _surface(walk: Comparison, resource_rule: Rule, endpoint_rule: Rule, resource: Resource,
             new_side: bool, lifecycle: Lifecycle) -> None:
    """A whole resource appeared or went: one record for it and one per endpoint. A removed
    resource with endpoints costs what removing them costs (a path whose operations were all
    deprecated does not break more than they do)."""
    def where(pointer: str) -> dict[str, Any]:
        return {"old_at": None, "new_at": pointer} if new_side else {"old_at": pointer, "new_at": None}
    ctx = Context(resource=resource.name)
    whole = walk.report(resource_rule, ctx, **where(resource.pointer), name=resource.name)
    parts = []
    for endpoint in resource.endpoints.values():
        if endpoint_rule is api.endpoint_removed:
            kind, data = _removal(endpoint, lifecycle)
        else:
            kind, data = endpoint_rule, {}
        parts.append(walk.report(kind, ctx.but(endpoint=endpoint.label),
                                 **where(endpoint.pointer), name=endpoint.label, **data))
    reported = [part for part in parts if part is not None]
    if whole is not None and reported and not new_side:
        whole.severity = max((part.severity for part in reported), key=lambda s: s.rank)
        whole.details["judged_by"] = "its operations"


def _removal(endpoint: Endpoint, lifecycle: Lifecycle) -> tuple[Rule, dict[str, Any]]:
    """Removing an endpoint breaks its callers, unless its deprecation warned them first: before its
    sunset date it still breaks them, after it the removal was promised; without a date they were
    warned but not told when."""
    if not endpoint.deprecated and endpoint.sunset is None:
        return api.endpoint_removed, {}
    sunset = parse_date(endpoint.sunset)
    if sunset is None:
        return operations.deprecated_endpoint_removed, {}
    if lifecycle.today < sunset:
        return operations.endpoint_removed_before_sunset, {"sunset": sunset.isoformat()}
    return operations.endpoint_removed_after_sunset, {"sunset": sunset.isoformat()}


def _compare_stability(old_level: Any, new_level: Any, old_at: str, new_at: str, ctx: Context,
                       walk: Comparison) -> None:
    if old_level == new_level:
        return
    # an unstated level promises stability (rank): stating a lower one for the first time takes
    # that promise back just as lowering a stated one does
    lowered = rank(new_level) < rank(old_level)
    kind = api.stability_decreased if lowered else api.stability_changed
    walk.report(kind, ctx, old_at=old_at, new_at=new_at, old=old_level, new=new_level)


def _compare_resource(old: Resource, new: Resource, walk: Comparison, lifecycle: Lifecycle) -> None:
    ctx = Context(resource=new.name)
    if old.representation is not None or new.representation is not None:
        walk.schemas(old.representation, new.representation, ctx.but(direction=RESPONSE),
                     at_old=old.pointer, at_new=new.pointer)
    _compare_stability(old.meta.get("stability"), new.meta.get("stability"),
                       f"{old.pointer}/stability", f"{new.pointer}/stability", ctx, walk)
    for before, after in pair_endpoints(old.endpoints, new.endpoints):
        if before is None:
            assert after is not None   # pair_endpoints pairs something with something or None
            walk.report(api.endpoint_added, ctx.but(endpoint=after.label), old_at=None,
                        new_at=after.pointer, name=after.label)
        elif after is None:
            kind, data = _removal(before, lifecycle)
            walk.report(kind, ctx.but(endpoint=before.label),
                        old_at=before.pointer, new_at=None, name=before.label, **data)
        else:
            _compare_endpoint(before, after, ctx.but(endpoint=after.label), walk, lifecycle)


def pair_endpoints(old: dict[str, Endpoint], new: dict[str, Endpoint]) \
        -> list[tuple[Endpoint | None, Endpoint | None]]:
    """The endpoints of one resource, matched across versions: by key; then links that share a
    method and href (a route) by title, since a route may gain or lose links between versions;
    then the one link left on each side of a route, whose title changed."""
    pairs: list[tuple[Endpoint | None, Endpoint | None]] = \
        [(old[key], new[key]) for key in old if key in new]
    left_old = [e for key, e in old.items() if key not in new]
    left_new = [e for key, e in new.items() if key not in old]
    for route in dict.fromkeys(_route(e) for e in left_old + left_new):
        befores = [e for e in left_old if _route(e) == route]
        afters = [e for e in left_new if _route(e) == route]
        for before in list(befores):
            same = [a for a in afters if a.title is not None and a.title == before.title]
            if len(same) == 1 and sum(b.title == before.title for b in befores) == 1:
                pairs.append((before, same[0]))
                befores.remove(before)
                afters.remove(same[0])
        if len(befores) == 1 and len(afters) == 1:
            pairs.append((befores[0], afters[0]))
            befores, afters = [], []
        pairs += [(before, None) for before in befores] + [(None, after) for after in afters]
    return sorted(pairs, key=lambda pair: cast(Endpoint, pair[1] or pair[0]).key)


def _route(endpoint: Endpoint) -> str:
    return endpoint.route or endpoint.key.split(" #")[0]


def _compare_endpoint(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison,
                      lifecycle: Lifecycle) -> None:
    for key, rule in (("title", annotation_rules.title_changed),
                            ("description", annotation_rules.description_changed)):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            walk.report(rule, ctx, old_at=f"{old.pointer}/{key}",
                        new_at=f"{new.pointer}/{key}", old=before, new=after)
    if old.meta.get("rel") != new.meta.get("rel"):
        walk.report(api.endpoint_relation_changed, ctx, old_at=f"{old.pointer}/rel",
                    new_at=f"{new.pointer}/rel", old=old.meta.get("rel"), new=new.meta.get("rel"))
    request = ctx.but(direction=REQUEST)
    # paired by position: one route, so as many placeholders (not strict: a report, never a crash)
    for (_, before), (name, after) in zip(old.params.items(), new.params.items(), strict=False):
        walk.schemas(before, after, request.at(f"{{{name}}}").but(wire="path"))
    if old.request is not None or new.request is not None:
        walk.schemas(old.request, new.request, request, at_old=f"{old.pointer}/schema",
                     at_new=f"{new.pointer}/schema")
    if old.response is not None or new.response is not None:
        walk.schemas(old.response, new.response, ctx.but(direction=RESPONSE),
                     at_old=f"{old.pointer}/targetSchema", at_new=f"{new.pointer}/targetSchema")
    if old.parameters or new.parameters or old.bodies or new.bodies or old.responses or \
            new.responses:
        _compare_operation(old, new, ctx, walk, lifecycle)


# --- OpenAPI ------------------------------------------------------------------------------------

def _compare_operation(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison,
                       lifecycle: Lifecycle) -> None:
    """Parameters, request body, responses, security, naming and lifecycle of one OpenAPI operation.
    A webhook is the other way round: the API sends its request (read by the receiver, like a
    response) and reads the receiver's answer (like a request)."""
    request, response = ctx.but(direction=REQUEST), ctx.but(direction=RESPONSE)
    if old.operation_id != new.operation_id and old.operation_id and new.operation_id:
        walk.report(operations.operation_id_changed, ctx, old_at=f"{old.pointer}/operationId",
                    new_at=f"{new.pointer}/operationId", old=old.operation_id,
                    new=new.operation_id)
    if set(old.tags) != set(new.tags):
        walk.report(operations.tags_changed, ctx, old_at=f"{old.pointer}/tags",
                    new_at=f"{new.pointer}/tags", old=list(old.tags), new=list(new.tags),
                    added=sorted(set(new.tags) - set(old.tags)),
                    removed=sorted(set(old.tags) - set(new.tags)))
    _compare_lifecycle(old, new, ctx, walk, lifecycle)
    if new.webhook:
        _compare_parameters(old, new, response, walk, sent_by_api=True)
        if old.bodies or new.bodies:
            _compare_content(old.bodies, new.bodies, old.body_pointer or old.pointer,
                             new.body_pointer or new.pointer, response, walk)
        _compare_responses(old, new, request, walk)
    else:
        _compare_parameters(old, new, request, walk)
        _compare_bodies(old, new, request, walk)
        _compare_responses(old, new, response, walk)
    _compare_security(old, new, ctx, walk)


def _compare_lifecycle(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison,
                       lifecycle: Lifecycle) -> None:
    """Deprecation, its sunset date (and the grace period the team demands), and stability."""
    if old.deprecated != new.deprecated:
        walk.report(operations.endpoint_deprecated, ctx, old_at=old.pointer, new_at=new.pointer,
                    old=old.deprecated, new=new.deprecated)
    before, after = parse_date(old.sunset), parse_date(new.sunset)
    if old.sunset != new.sunset:
        kind = operations.sunset_moved_earlier if before and after and after < before \
            else operations.sunset_changed
        walk.report(kind, ctx, old_at=f"{old.pointer}/x-sunset", new_at=f"{new.pointer}/x-sunset",
                    old=old.sunset, new=new.sunset)
    if new.deprecated and not old.deprecated:
        days = lifecycle.grace_days(old.stability)   # the promise made, not the PR's
        left = (after - lifecycle.today).days if after is not None else None
        if (after is None and days > 0) or (left is not None and left < max(days, 0)):
            walk.report(operations.sunset_too_early, ctx, old_at=old.pointer,
                        new_at=f"{new.pointer}/x-sunset" if new.sunset else new.pointer,
                        sunset=new.sunset, days=days, left=left,
                        today=lifecycle.today.isoformat())
    _compare_stability(old.stability, new.stability, f"{old.pointer}/x-stability-level",
                       f"{new.pointer}/x-stability-level", ctx, walk)


def _compare_parameters(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison,
                        sent_by_api: bool = False) -> None:
    """Parameters clients send; for a webhook (``sent_by_api``) the API sends them, and they are
    judged as response headers are."""
    for key in list(old.parameters) + [k for k in new.parameters if k not in old.parameters]:
        before, after = old.parameters.get(key), new.parameters.get(key)
        either = after or before
        assert either is not None   # a key from one side at least
        data: dict[str, Any] = {"location": either.location, "name": either.name}
        if sent_by_api and (before is None or after is None):
            kind = operations.response_header_added if before is None \
                else operations.response_header_removed
            walk.report(kind, ctx, old_at=(before or old).pointer, new_at=(after or new).pointer,
                        name=data["name"])
            continue
        if before is None:
            assert after is not None
            kind = operations.required_parameter_added if after.required \
                else operations.parameter_added
            walk.report(kind, ctx, old_at=old.pointer, new_at=after.pointer, **data)
            continue
        if after is None:
            walk.report(operations.parameter_removed, ctx, old_at=before.pointer,
                        new_at=new.pointer, **data)
            continue
        if before.required != after.required and sent_by_api:
            kind = operations.response_header_became_required if after.required \
                else operations.response_header_became_optional
            walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer, name=data["name"])
        elif before.required != after.required:
            kind = operations.parameter_became_required if after.required \
                else operations.parameter_became_optional
            walk.report(kind, ctx, old_at=before.pointer, new_at=after.pointer, **data)
        if (before.style, before.explode) != (after.style, after.explode):
            walk.report(operations.parameter_style_changed, ctx, old_at=before.pointer,
                        new_at=after.pointer, old=_style(before), new=_style(after), **data)
        if after.deprecated and not before.deprecated:
            walk.report(operations.parameter_deprecated, ctx, old_at=before.pointer,
                        new_at=after.pointer, **data)
        _compare_values(before, after, ctx.at(f"{{{data['location']} {data['name']}}}")
                        .but(wire=data["location"]), walk)


def _compare_values(before: Parameter, after: Parameter, ctx: Context, walk: Comparison) -> None:
    """The schemas of a parameter's or header's value, compared as text on the wire. A query
    parameter that became an exploded array (``?id=1&id=2``) still accepts the single value old
    clients send: its items are compared with the old value."""
    if after.location == "query" and before.schema is not None and after.schema is not None and \
            after.explode is not False and after.style in (None, "form", "multi") and \
            not walk.same((before.schema,), (after.schema,)):
        old_view, new_view = walk.old.view((before.schema,)), walk.new.view((after.schema,))
        if new_view.types == {"array"} and old_view.types is not None and \
                "array" not in old_view.types and new_view.items and not new_view.prefix:
            walk.report(operations.parameter_became_array, ctx, old_at=before.pointer,
                        new_at=after.pointer, location=after.location, name=after.name)
            walk.descend([before.schema], new_view.items, ctx.at("[]"), old_at=before.pointer,
                         new_at=after.pointer)
            return
    walk.schemas(before.schema, after.schema, ctx, at_old=before.pointer, at_new=after.pointer)


def _style(parameter: Parameter) -> dict:
    return {k: v for k, v in (("style", parameter.style), ("explode", parameter.explode))
            if v is not None}


def _compare_bodies(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison) -> None:
    if not old.bodies and not new.bodies:
        return
    if not old.bodies:
        kind = operations.required_request_body_added if new.body_required \
            else operations.request_body_added
        walk.report(kind, ctx, old_at=old.pointer, new_at=new.body_pointer)
        return
    if not new.bodies:
        walk.report(operations.request_body_removed, ctx, old_at=old.body_pointer,
                    new_at=new.pointer)
        return
    if old.body_required != new.body_required:
        kind = operations.request_body_became_required if new.body_required \
            else operations.request_body_became_optional
        walk.report(kind, ctx, old_at=old.body_pointer, new_at=new.body_pointer)
    assert old.body_pointer is not None and new.body_pointer is not None   # set with the bodies
    _compare_content(old.bodies, new.bodies, old.body_pointer, new.body_pointer, ctx, walk)


def _compare_content(old: dict, new: dict, old_at: str, new_at: str, ctx: Context,
                     walk: Comparison, error: bool = False) -> None:
    """Media types and their schemas; on an error status (``error``) a media type removed is
    judged like the removed error status itself."""
    for media in list(old) + [m for m in new if m not in old]:
        if media not in new:
            kind = operations.error_media_type_removed if error else operations.media_type_removed
            walk.report(kind, ctx, old_at=f"{old_at}/content", new_at=new_at, media=media)
        elif media not in old:
            walk.report(operations.media_type_added, ctx, old_at=old_at, new_at=f"{new_at}/content",
                        media=media)
        elif old[media] is not None or new[media] is not None:
            walk.schemas(old[media], new[media], ctx, at_old=old_at, at_new=new_at)


def _success(status: str) -> bool:
    return status.startswith("2") or status.upper() == "2XX"


def _compare_responses(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison) -> None:
    for status in list(old.responses) + [s for s in new.responses if s not in old.responses]:
        before, after = old.responses.get(status), new.responses.get(status)
        if after is None:
            assert before is not None   # a status from one side at least
            kind = operations.success_status_removed if _success(status) \
                else operations.status_removed
            walk.report(kind, ctx, old_at=before.pointer, new_at=new.pointer, status=status)
            continue
        if before is None:
            kind = operations.success_status_added if _success(status) \
                else operations.status_added
            walk.report(kind, ctx, old_at=old.pointer, new_at=after.pointer, status=status)
            continue
        inner = ctx.at(f"<{status}>")
        _compare_content(before.content, after.content, before.pointer, after.pointer, inner, walk,
                         error=not _success(status) and status.lower() != "default")
        for name in list(before.headers) + [h for h in after.headers if h not in before.headers]:
            old_header, new_header = before.headers.get(name), after.headers.get(name)
            if new_header is None:
                assert old_header is not None   # a name from one side at least
                walk.report(operations.response_header_removed, inner, old_at=old_header.pointer,
                            new_at=after.pointer, name=old_header.name)
            elif old_header is None:
                walk.report(operations.response_header_added, inner, old_at=before.pointer,
                            new_at=new_header.pointer, name=new_header.name)
            else:
                if old_header.required != new_header.required:
                    kind = operations.response_header_became_required if new_header.required \
                        else operations.response_header_became_optional
                    walk.report(kind, inner, old_at=old_header.pointer, new_at=new_header.pointer,
                                name=new_header.name)
                _compare_values(old_header, new_header,
                                inner.at(f"{{header {new_header.name}}}").but(wire="header"),
                                walk)


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


def _compare_security(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison) -> None:
    """Security requirements are alternatives (any one suffices), each a set of schemes with
    scopes. An old alternative is only lost when no new one accepts what its clients send."""
    before, after = old.security or [], new.security or []
    if before == after:
        return
    where: dict[str, Any] = {"old_at": f"{old.pointer}/security", "new_at": f"{new.pointer}/security"}
    if _anonymous(after):
        if not _anonymous(before):
            was = " or ".join(operations._alternative(_shown(a)) for a in before)
            walk.report(operations.anonymous_access_allowed, ctx, **where, was=was)
        return
    if _anonymous(before):
        now = " or ".join(operations._alternative(_shown(a)) for a in after)
        walk.report(operations.authentication_required, ctx, **where, now=now)
        return
    for alternative in before:
        if not any(_satisfies(alternative, other) for other in after):
            walk.report(operations.security_alternative_removed, ctx, **where,
                        names=_shown(alternative))
    for alternative in after:
        if not any(_satisfies(other, alternative) for other in before):
            walk.report(operations.security_alternative_added, ctx, **where,
                        names=_shown(alternative))


def _compare_openapi_document(old: Api, new: Api, walk: Comparison) -> None:
    """Servers, security schemes, and component schemas that no operation uses (compared as data
    contracts, under ``--compat``)."""
    ctx = Context(resource="(document)")
    for url in old.servers:
        if url not in new.servers:
            walk.report(operations.server_removed, ctx, old_at="/servers", new_at="/servers", url=url)
    for url in new.servers:
        if url not in old.servers:
            walk.report(operations.server_added, ctx, old_at="/servers", new_at="/servers", url=url)
    used = _used_scopes(old)
    for name in sorted(set(old.security_schemes) | set(new.security_schemes)):
        before, after = old.security_schemes.get(name), new.security_schemes.get(name)
        at = None  # the scheme table's place differs between Swagger 2.0 and OpenAPI 3
        if after is None:
            kind = operations.security_scheme_removed if name in used \
                else operations.unused_security_scheme_removed
            walk.report(kind, ctx, old_at=at, new_at=None, name=name)
        elif before is None:
            walk.report(operations.security_scheme_added, ctx, old_at=None, new_at=at, name=name)
        else:
            _compare_scheme(name, before, after, used.get(name, set()), at, ctx, walk)
    changed = [name for name in old.schemas if name in new.schemas
               and not walk.same((old.schemas[name],), (new.schemas[name],))]
    if not changed:
        return
    used_old = walk.old.workspace.reachable(*_operation_schemas(old),
                                            asked={old.schemas[name].where for name in changed})
    used_new = walk.new.workspace.reachable(*_operation_schemas(new),
                                            asked={new.schemas[name].where for name in changed})
    components = Context(resource="(components)")
    for name in changed:
        before, after = old.schemas[name], new.schemas[name]
        if before.where in used_old or after.where in used_new:
            continue
        walk.schemas(before, after, components.at(name))


def _used_scopes(api_: Api) -> dict[str, set]:
    """Every security scheme some operation requires, with the scopes it requires of it."""
    used: dict[str, set] = {}
    for resource in api_.resources.values():
        for endpoint in resource.endpoints.values():
            for alternative in endpoint.security or []:
                for name, scopes in alternative:
                    used.setdefault(name, set()).update(scopes)
    return used


def _scopes(scheme: dict) -> set:
    flows = scheme.get("flows")
    flows = flows if isinstance(flows, dict) else {}
    found = set()
    for flow in flows.values():
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


def _compare_scheme(name: str, before: dict, after: dict, used: set, at: None, ctx: Context,
                    walk: Comparison) -> None:
    if _without_scopes(before) != _without_scopes(after):
        walk.report(operations.security_scheme_changed, ctx, old_at=at, new_at=at,
                    name=name, summary=summarise(before, after))
    old_scopes, new_scopes = _scopes(before), _scopes(after)
    for scope in sorted(old_scopes - new_scopes):
        kind = operations.scope_removed if scope in used else operations.unused_scope_removed
        walk.report(kind, ctx, old_at=at, new_at=at, name=name, scope=scope)
    for scope in sorted(new_scopes - old_scopes):
        walk.report(operations.scope_added, ctx, old_at=at, new_at=at, name=name, scope=scope)


def _operation_schemas(api: Api) -> list[str]:
    """The places of every schema an operation uses directly (a start for reachability)."""
    out = []
    for resource in api.resources.values():
        for endpoint in resource.endpoints.values():
            for parameter in endpoint.parameters.values():
                if parameter.schema is not None:
                    out.append(parameter.schema.pointer)
            out += [node.pointer for node in endpoint.bodies.values() if node is not None]
            for response in endpoint.responses.values():
                out += [node.pointer for node in response.content.values() if node is not None]
                out += [h.schema.pointer for h in response.headers.values() if h.schema is not None]
    return out


def _definitions(root: Node) -> dict[str, Node]:
    out = {}
    for container in ("definitions", "$defs"):
        value = root.value.get(container) if isinstance(root.value, dict) else None
        if isinstance(value, dict):
            for name, schema in value.items():
                out[f"/{container}/{escape_token(name)}"] = Node(root.doc, f"/{container}/"
                                                                  f"{escape_token(name)}", schema)
    return out


def _compare_plain(old: Node, new: Node, walk: Comparison) -> None:
    ctx = Context()
    walk.schemas(old, new, ctx)
    old_defs, new_defs = _definitions(old), _definitions(new)
    if not old_defs and not new_defs:
        return
    used_old = walk.old.workspace.reachable()
    used_new = walk.new.workspace.reachable()

    def used(pointer: str, reached: set[str]) -> bool:
        return any(p == pointer or p.startswith(pointer + "/") for p in reached)

    quiet = ctx.but(reachable=False)
    for pointer in sorted(set(old_defs) | set(new_defs)):
        before, after = old_defs.get(pointer), new_defs.get(pointer)
        name = pointer.rsplit("/", 1)[1]
        if before is not None and after is not None:
            if not used(pointer, used_old) and not used(pointer, used_new):
                walk.schemas(before, after, quiet.at(f"<{name}>"))
        elif after is not None and not used(pointer, used_new):
            walk.report(api.definition_added, ctx, old_at=None, new_at=pointer, name=name)
        elif before is not None and not used(pointer, used_old):
            walk.report(api.definition_removed, ctx, old_at=pointer, new_at=None, name=name)
