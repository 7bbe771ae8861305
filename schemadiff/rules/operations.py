"""OpenAPI operations: parameters, request bodies, responses, media types, headers, security,
servers and operation ids. Bodies and parameter values are compared by the JSON Schema rules; these
rules judge the parts around them, whose severity does not depend on schema semantics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemadiff.model import Effect, Severity
from schemadiff.normalise import canonical
from schemadiff.rules import Details, at, compares, rule, show
from schemadiff.rules.annotations import summarise

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from schemadiff.context import Context
    from schemadiff.normalise import View
    from schemadiff.rules import Walk


def tiny_openapi(operation: dict | None = None, path: str = "/pets", method: str = "get",
                 **top: Any) -> dict:
    """An OpenAPI 3.0 document with one operation: small enough for the catalogue's examples."""
    paths = {path: {method: {"responses": {"200": {"description": "ok"}}, **(operation or {})}}}
    return {"openapi": "3.0.3", "info": {"title": "Pets", "version": "1.0.0"}, "paths": paths,
            **top}


def _param(name: str = "limit", where: str = "query", **extra: Any) -> dict:
    return {"name": name, "in": where, "schema": {"type": "integer"}, **extra}


def _body(required: bool = False, media: str = "application/json") -> dict:
    return {"requestBody": {"required": required,
                            "content": {media: {"schema": {"type": "object"}}}}}


def _responses(*statuses: str, header: str | None = None) -> dict:
    out: dict[str, Any] = {}
    for status in statuses:
        out[status] = {"description": status,
                       "content": {"application/json": {"schema": {"type": "object"}}}}
        if header:
            out[status]["headers"] = {header: {"schema": {"type": "string"}}}
    return {"responses": out}


@rule("parameter-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi(), tiny_openapi({"parameters": [_param()]})))
def parameter_added(d: Details) -> str:
    """An optional parameter: old requests, which leave it out, still work."""
    return f"optional {d['location']} parameter `{d['name']}` added"


@rule("required-parameter-added", action="added", fixed=Severity.BREAKING,
      example=(tiny_openapi(), tiny_openapi({"parameters": [_param(required=True)]})))
def required_parameter_added(d: Details) -> str:
    """Every old request lacks it and is refused."""
    return f"required {d['location']} parameter `{d['name']}` added"


@rule("parameter-removed", action="removed", fixed=Severity.DANGEROUS,
      example=(tiny_openapi({"parameters": [_param()]}), tiny_openapi()))
def parameter_removed(d: Details) -> str:
    """Clients still send it; the server ignores it (or refuses it, if it is strict), so what they
    asked for no longer happens."""
    return f"{d['location']} parameter `{d['name']}` removed"


@rule("parameter-became-required", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"parameters": [_param()]}),
               tiny_openapi({"parameters": [_param(required=True)]})))
def parameter_became_required(d: Details) -> str:
    """Requests that left it out are refused."""
    return f"{d['location']} parameter `{d['name']}` is now required"


@rule("parameter-became-optional", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi({"parameters": [_param(required=True)]}),
               tiny_openapi({"parameters": [_param()]})))
def parameter_became_optional(d: Details) -> str:
    """Old requests still send it."""
    return f"{d['location']} parameter `{d['name']}` is no longer required"


@rule("parameter-style-changed", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"parameters": [_param(style="form", explode=True)]}),
               tiny_openapi({"parameters": [_param(style="form", explode=False)]})))
def parameter_style_changed(d: Details) -> str:
    """The value is serialised differently (``style``/``explode``/``collectionFormat``): what old
    clients send is read as something else."""
    return (f"{d['location']} parameter `{d['name']}` is now written another way in requests: "
            f"{_serialisation(d['new'])} instead of {_serialisation(d['old'])}")


def _serialisation(style: Mapping[str, Any] | None) -> str:
    """``style=form, explode=false``: how a parameter's value is written (OpenAPI's names)."""
    if not style:
        return "the default"
    if not isinstance(style, dict):
        return f"`{style}`"
    return "`" + ", ".join(f"{k}={show(v).strip(chr(34))}" for k, v in sorted(style.items())) + "`"


@rule("parameter-became-array", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi({"parameters": [_param()]}),
               tiny_openapi({"parameters": [{**_param(), "schema": {"type": "array",
                                                                   "items": {"type": "integer"}}}]})))
def parameter_became_array(d: Details) -> str:
    """An exploded query parameter (``?id=1&id=2``) also reads a single ``?id=1``: old requests
    still parse. Its items are compared with the old value's schema. (An array that needs two
    values or more, or none, is compared as a change of type.)"""
    return f"{d['location']} parameter `{d['name']}` now takes several values"


@rule("parameter-empty-value-refused", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"parameters": [_param(allowEmptyValue=True)]}),
               tiny_openapi({"parameters": [_param()]})))
def parameter_empty_value_refused(d: Details) -> str:
    """``allowEmptyValue`` turned off: a request that sends the name with no value (``?q=``),
    accepted before, is refused."""
    return f"{d['location']} parameter `{d['name']}` no longer takes an empty value"


@rule("parameter-empty-value-allowed", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi({"parameters": [_param()]}),
               tiny_openapi({"parameters": [_param(allowEmptyValue=True)]})))
def parameter_empty_value_allowed(d: Details) -> str:
    """``allowEmptyValue`` turned on: one more request is accepted."""
    return f"{d['location']} parameter `{d['name']}` now takes an empty value"


@rule("parameter-deprecated", action="changed", fixed=Severity.INFO,
      example=(tiny_openapi({"parameters": [_param()]}),
               tiny_openapi({"parameters": [_param(deprecated=True)]})))
def parameter_deprecated(d: Details) -> str:
    """A notice; removing it later is the break."""
    return f"{d['location']} parameter `{d['name']}` deprecated"


@rule("body-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi(method="post"), tiny_openapi(_body(), method="post")))
def request_body_added(d: Details) -> str:
    """An optional body: old requests without one still work."""
    return "optional request body added"


@rule("required-body-added", action="added", fixed=Severity.BREAKING,
      example=(tiny_openapi(method="post"), tiny_openapi(_body(required=True), method="post")))
def required_request_body_added(d: Details) -> str:
    """Old requests have no body and are refused."""
    return "required request body added"


@rule("body-removed", action="removed", fixed=Severity.DANGEROUS,
      example=(tiny_openapi(_body(), method="post"), tiny_openapi(method="post")))
def request_body_removed(d: Details) -> str:
    """Clients still send a body the server no longer reads."""
    return "request body removed"


@rule("body-became-required", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi(_body(), method="post"),
               tiny_openapi(_body(required=True), method="post")))
def request_body_became_required(d: Details) -> str:
    """Requests without a body are refused."""
    return "request body is now required"


@rule("body-became-optional", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi(_body(required=True), method="post"),
               tiny_openapi(_body(), method="post")))
def request_body_became_optional(d: Details) -> str:
    """Old requests send one anyway."""
    return "request body is no longer required"


@rule("media-type-removed", action="removed", effect=Effect.NARROWS, request=Severity.BREAKING,
      response=Severity.BREAKING,
      example=(tiny_openapi({**_body(), "requestBody": {"content": {
          "application/json": {"schema": {}}, "application/xml": {"schema": {}}}}}, method="post"),
               tiny_openapi(_body(), method="post")))
def media_type_removed(d: Details) -> str:
    """Requests in that format are refused (415); clients that asked for that format in a response
    no longer get it."""
    return f"media type `{d['media']}` removed"


@rule("error-media-type-removed", action="removed", fixed=Severity.SAFE,
      example=(tiny_openapi({"responses": {"200": {"description": "ok"}, "404": {
          "description": "missing", "content": {"application/json": {"schema": {}},
                                                "application/xml": {"schema": {}}}}}}),
               tiny_openapi({"responses": {"200": {"description": "ok"}, "404": {
                   "description": "missing", "content": {"application/json": {"schema": {}}}}}})))
def error_media_type_removed(d: Details) -> str:
    """An error status no longer documented in that format: judged like a removed error status
    (``status-removed``), since clients handle an error they cannot parse as an error anyway."""
    return f"media type `{d['media']}` of an error response removed"


@rule("media-type-added", action="added", effect=Effect.WIDENS, request=Severity.SAFE,
      response=Severity.SAFE,
      example=(tiny_openapi(_body(), method="post"), tiny_openapi({"requestBody": {"content": {
          "application/json": {"schema": {"type": "object"}},
          "application/xml": {"schema": {}}}}}, method="post")))
def media_type_added(d: Details) -> str:
    """One more format to send, or to ask for."""
    return f"media type `{d['media']}` added"


@rule("success-status-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi(_responses("200", "201")), tiny_openapi(_responses("201"))))
def success_status_removed(d: Details) -> str:
    """Clients wait for a success status that no longer comes."""
    return f"success status {d['status']} removed"


@rule("status-removed", action="removed", fixed=Severity.SAFE,
      example=(tiny_openapi(_responses("200", "404")), tiny_openapi(_responses("200"))))
def status_removed(d: Details) -> str:
    """An error the API no longer documents: clients' handling of it goes unused."""
    return f"response status {d['status']} no longer documented"


@rule("success-status-added", action="added", fixed=Severity.DANGEROUS,
      example=(tiny_openapi(_responses("200")), tiny_openapi(_responses("200", "202"))))
def success_status_added(d: Details) -> str:
    """A new kind of success (``202`` beside ``200``): clients that only know the old one may take it
    for a failure."""
    return f"success status {d['status']} added"


@rule("status-added", action="added", fixed=Severity.INFO,
      example=(tiny_openapi(_responses("200")), tiny_openapi(_responses("200", "429"))))
def status_added(d: Details) -> str:
    """A newly documented error; clients handle unknown errors as errors already."""
    return f"response status {d['status']} now documented"


@rule("header-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi(_responses("200", header="X-Rate-Limit")),
               tiny_openapi(_responses("200"))))
def response_header_removed(d: Details) -> str:
    """Clients read a header that no longer comes."""
    return f"response header `{d['name']}` removed"


def _header(required: bool) -> dict:
    return {"responses": {"200": {"description": "ok", "headers": {
        "X-Rate-Limit": {"required": required, "schema": {"type": "integer"}}}}}}


@rule("header-became-optional", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi(_header(True)), tiny_openapi(_header(False))))
def response_header_became_optional(d: Details) -> str:
    """The response may now come without the header; clients that read it find nothing."""
    return f"response header `{d['name']}` may now be missing"


@rule("header-became-required", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi(_header(False)), tiny_openapi(_header(True))))
def response_header_became_required(d: Details) -> str:
    """The header now always comes; clients that checked for it still do."""
    return f"response header `{d['name']}` is now always sent"


@rule("header-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi(_responses("200")),
               tiny_openapi(_responses("200", header="X-Rate-Limit"))))
def response_header_added(d: Details) -> str:
    """Readers ignore headers they do not know."""
    return f"response header `{d['name']}` added"


def _alternative(names: Iterable[tuple[str, list[str]]]) -> str:
    """`oauth` (scopes `read`) + `key`: the schemes of one alternative, as stored in the details."""
    return " + ".join(f"`{n}`" + (f" (scopes {', '.join(f'`{s}`' for s in scopes)})" if scopes else "")
                      for n, scopes in names)


@rule("security-alternative-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"security": [{"key": []}, {"oauth": []}]}),
               tiny_openapi({"security": [{"key": []}]})))
def security_alternative_removed(d: Details) -> str:
    """Clients that authenticated that way are refused, unless another alternative still accepts
    what they send (fewer schemes or fewer scopes): then nothing is reported."""
    return f"authentication by {_alternative(d['names'])} no longer accepted"


@rule("security-alternative-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi({"security": [{"key": []}]}),
               tiny_openapi({"security": [{"key": []}, {"oauth": []}]})))
def security_alternative_added(d: Details) -> str:
    """One more way to authenticate."""
    return f"authentication by {_alternative(d['names'])} now accepted"


@rule("anonymous-access-allowed", action="changed", fixed=Severity.SAFE,
      example=(tiny_openapi({"security": [{"key": []}]}), tiny_openapi({"security": [{"key": []}, {}]})))
def anonymous_access_allowed(d: Details) -> str:
    """The operation no longer needs authentication (an empty alternative ``{}``, or no requirement
    left): every old client is still accepted, so it is safe for clients; shown because a reviewer
    wants to see an endpoint become public."""
    return f"security notice: callers no longer need to authenticate (was {d['was']})"


@rule("authentication-required", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi(), tiny_openapi({"security": [{"key": []}]})))
def authentication_required(d: Details) -> str:
    """Anonymous calls were accepted and are now refused (401)."""
    return f"authentication now required: {d['now']}"


@rule("unused-security-scheme-removed", action="removed", fixed=Severity.INFO,
      example=(tiny_openapi(components={"securitySchemes": {"key": {"type": "apiKey", "in": "header",
                                                                     "name": "X-Key"}}}),
               tiny_openapi()))
def unused_security_scheme_removed(d: Details) -> str:
    """No operation required it, so no client used it to be accepted."""
    return f"security scheme `{d['name']}` removed (no operation used it)"


_OAUTH = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.example.com/t",
                                                             "scopes": {"read": "", "write": ""}}}}
_OAUTH_READ = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.example.com/t",
                                                                  "scopes": {"read": ""}}}}


@rule("scope-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"security": [{"oauth": ["write"]}]},
                            components={"securitySchemes": {"oauth": _OAUTH}}),
               tiny_openapi({"security": [{"oauth": ["write"]}]},
                            components={"securitySchemes": {"oauth": _OAUTH_READ}})))
def scope_removed(d: Details) -> str:
    """An OAuth scope that operations require is no longer offered: clients cannot obtain a token
    that carries it."""
    return f"scope `{d['scope']}` of security scheme `{d['name']}` removed"


@rule("unused-scope-removed", action="removed", fixed=Severity.INFO,
      example=(tiny_openapi(components={"securitySchemes": {"oauth": _OAUTH}}),
               tiny_openapi(components={"securitySchemes": {"oauth": _OAUTH_READ}})))
def unused_scope_removed(d: Details) -> str:
    """No operation required the scope, so no client needed it to be accepted."""
    return f"scope `{d['scope']}` of security scheme `{d['name']}` removed (no operation used it)"


@rule("scope-added", action="added", fixed=Severity.INFO,
      example=(tiny_openapi(components={"securitySchemes": {"oauth": _OAUTH_READ}}),
               tiny_openapi(components={"securitySchemes": {"oauth": _OAUTH}})))
def scope_added(d: Details) -> str:
    """A scope offered; it matters only once an operation requires it."""
    return f"scope `{d['scope']}` of security scheme `{d['name']}` added"


@rule("security-scheme-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"security": [{"key": []}]}, components={"securitySchemes": {
          "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}),
               tiny_openapi({"security": [{"key": []}]})))
def security_scheme_removed(d: Details) -> str:
    """Every operation that required it now refers to nothing, or to another scheme."""
    return f"security scheme `{d['name']}` removed"


@rule("security-scheme-changed", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi(components={"securitySchemes": {"key": {"type": "apiKey", "in": "header",
                                                                     "name": "X-Key"}}}),
               tiny_openapi(components={"securitySchemes": {"key": {"type": "apiKey", "in": "query",
                                                                     "name": "key"}}})))
def security_scheme_changed(d: Details) -> str:
    """Credentials are sent another way (type, location, name, flows or scopes): old clients
    authenticate wrongly."""
    return f"security scheme `{d['name']}` changed ({d['summary']}): credentials are sent another way"


@rule("security-scheme-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi(), tiny_openapi(components={"securitySchemes": {
          "oauth": {"type": "http", "scheme": "bearer"}}})))
def security_scheme_added(d: Details) -> str:
    """Nothing requires it until an operation lists it."""
    return f"security scheme `{d['name']}` added"


@rule("server-removed", action="removed", fixed=Severity.DANGEROUS,
      example=(tiny_openapi(servers=[{"url": "https://a.example.com"}, {"url": "https://b.example.com"}]),
               tiny_openapi(servers=[{"url": "https://a.example.com"}])))
def server_removed(d: Details) -> str:
    """Clients configured with that base URL stop reaching the API."""
    return f"server `{d['url']}` removed"


@rule("server-added", action="added", fixed=Severity.SAFE,
      example=(tiny_openapi(servers=[{"url": "https://a.example.com"}]),
               tiny_openapi(servers=[{"url": "https://a.example.com"}, {"url": "https://b.example.com"}])))
def server_added(d: Details) -> str:
    """Another place to reach the API."""
    return f"server `{d['url']}` added"


@rule("operation-id-changed", action="changed", fixed=Severity.DANGEROUS,
      example=(tiny_openapi({"operationId": "listPets"}), tiny_openapi({"operationId": "getPets"})))
def operation_id_changed(d: Details) -> str:
    """Generated clients name their methods after it: code that calls the old name stops
    compiling, though the HTTP request is the same."""
    return (f"operation id changed from `{d['old']}` to `{d['new']}` (generated clients name "
            f"their methods after it)")


@rule("endpoint-deprecated", action="changed", fixed=Severity.INFO,
      example=(tiny_openapi(), tiny_openapi({"deprecated": True})))
def endpoint_deprecated(d: Details) -> str:
    """A notice that the endpoint will go; removing it later is the break."""
    return "endpoint deprecated" if d["new"] else "endpoint no longer deprecated"


@rule("deprecated-endpoint-removed", action="removed", fixed=Severity.DANGEROUS,
      example=(tiny_openapi({"deprecated": True}), tiny_openapi(path="/cats")))
def deprecated_endpoint_removed(d: Details) -> str:
    """Removal after a deprecation that named no sunset date (``x-sunset``): callers were warned,
    but not told when, and some may still call it."""
    return f"deprecated endpoint `{d['name']}` removed"


@rule("endpoint-removed-before-sunset", action="removed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"deprecated": True, "x-sunset": "2999-12-31"}), tiny_openapi(path="/cats")))
def endpoint_removed_before_sunset(d: Details) -> str:
    """The operation was promised to live until its sunset date (``x-sunset``, RFC 8594's
    convention) and went earlier: callers who planned by that date break."""
    return f"endpoint `{d['name']}` removed before its sunset date {d['sunset']}"


@rule("endpoint-removed-after-sunset", action="removed", fixed=Severity.INFO,
      example=(tiny_openapi({"deprecated": True, "x-sunset": "2000-01-01"}), tiny_openapi(path="/cats")))
def endpoint_removed_after_sunset(d: Details) -> str:
    """The sunset date announced with the deprecation has passed: the removal is what was promised."""
    return f"endpoint `{d['name']}` removed after its sunset date {d['sunset']}"


@rule("sunset-changed", action="changed", fixed=Severity.INFO,
      example=(tiny_openapi({"deprecated": True, "x-sunset": "2999-01-01"}),
               tiny_openapi({"deprecated": True, "x-sunset": "2999-12-31"})))
def sunset_changed(d: Details) -> str:
    """A sunset date set, removed or moved later: callers get at least the time they were told."""
    if d["old"] is None:
        return f"sunset date {d['new']} set"
    if d["new"] is None:
        return f"sunset date {d['old']} removed"
    return f"sunset date moved from {d['old']} to {d['new']}"


@rule("sunset-moved-earlier", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi({"deprecated": True, "x-sunset": "2999-12-31"}),
               tiny_openapi({"deprecated": True, "x-sunset": "2999-01-01"})))
def sunset_moved_earlier(d: Details) -> str:
    """Callers planned their migration by the announced date; an earlier one takes time from them."""
    return f"sunset date moved earlier, from {d['old']} to {d['new']}"


@rule("sunset-too-early", action="changed", fixed=Severity.BREAKING,
      example=(tiny_openapi(), tiny_openapi({"deprecated": True, "x-sunset": "2000-01-01"})))
def sunset_too_early(d: Details) -> str:
    """A deprecation must give callers time: its ``x-sunset`` must lie at least
    ``deprecation-days-stable`` (or ``-beta``) days after the day of the check (oasdiff's names; 0 by
    default, when only a sunset already past is refused), and is required when a number is set."""
    if d["sunset"] is None:
        return f"endpoint deprecated without a sunset date (policy: at least {d['days']} days)"
    if d["left"] < 0:
        return f"endpoint deprecated with a sunset date already past ({d['sunset']})"
    return (f"endpoint deprecated with sunset date {d['sunset']}, {d['left']} days from "
            f"{d['today']} (policy: at least {d['days']} days)")


@rule("tags-changed", action="changed", fixed=Severity.INFO,
      example=(tiny_openapi({"tags": ["pets"]}), tiny_openapi({"tags": ["animals"]})))
def tags_changed(d: Details) -> str:
    """Tags group operations in documentation and name modules in some generated clients; requests
    and responses are unchanged."""
    parts = []
    for key, verb in (("added", "added"), ("removed", "removed")):
        if d[key]:
            tags = ", ".join(f"`{t}`" for t in d[key])
            parts.append(f"tag{'s' if len(d[key]) > 1 else ''} {tags} {verb}")
    return "; ".join(parts)


@rule("discriminator-property-changed", action="changed", fixed=Severity.BREAKING,
      example=({"discriminator": {"propertyName": "kind"}}, {"discriminator": {"propertyName": "type"}}))
def discriminator_property_changed(d: Details) -> str:
    """Readers and writers pick the variant by another property."""
    return (f"the variant is now chosen by property {_code(d['new'])} instead of "
            f"{_code(d['old'])} (`discriminator`)")


def _code(value: Any) -> str:
    return f"`{value}`" if isinstance(value, str) else "none"


@rule("discriminator-mapping-changed", action="changed", fixed=Severity.DANGEROUS,
      example=({"discriminator": {"propertyName": "kind", "mapping": {"cat": "#/c"}}},
               {"discriminator": {"propertyName": "kind", "mapping": {"cat": "#/c", "dog": "#/d"}}}))
def discriminator_mapping_changed(d: Details) -> str:
    """Values now select other variants, or new ones: code that switches on them may miss one."""
    return f"the values that choose a variant changed ({d['summary']}; `discriminator` mapping)"


@compares
def compare_discriminator(old: View, new: View, walk: Walk, ctx: Context) -> None:
    before = old.discriminator if isinstance(old.discriminator, dict) else {}
    after = new.discriminator if isinstance(new.discriminator, dict) else {}
    if before is after or (not before and not after) or canonical(before) == canonical(after):
        return
    if not before and not (old.any_of or old.one_of):
        return  # it came with the union it tells apart, which is reported itself (combinators)
    at_old, at_new = at(old, "discriminator"), at(new, "discriminator")
    if before.get("propertyName") != after.get("propertyName"):
        walk.report(discriminator_property_changed, ctx, old_at=at_old, new_at=at_new,
                    old=before.get("propertyName"), new=after.get("propertyName"))
    else:
        walk.report(discriminator_mapping_changed, ctx, old_at=at_old, new_at=at_new,
                    summary=summarise(before.get("mapping"), after.get("mapping")))
