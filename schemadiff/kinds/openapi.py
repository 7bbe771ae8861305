"""OpenAPI 3.0 and 3.1, and Swagger 2.0, read into the same model as hyper-schema.

A *resource* is a path template (``/pets/{petId}``): that is how OpenAPI itself groups operations,
and unlike tags (which specs rename and reshuffle between versions) it is stable, so operations do
not wander between sections. An *endpoint* is an operation, matched across versions by method and
path with parameter names set aside (``/pets/{id}`` is ``/pets/{petId}``). Swagger 2.0 is mapped
on the way in: ``body`` and ``formData`` parameters become request bodies per media type
(``consumes``), response ``schema``s become content per media type (``produces``), ``definitions``
become component schemas. OpenAPI 3.0's ``nullable: true`` is read as ``type: [..., "null"]``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from schemadiff.errors import InputError
from schemadiff.kinds import Kind
from schemadiff.load import escape_token
from schemadiff.model import Api, Endpoint, Parameter, Resource, Response
from schemadiff.normalise import Node, Normaliser

if TYPE_CHECKING:
    from schemadiff.refs import Document, Workspace

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PLACEHOLDER = re.compile(r"\{[^}/]*\}")


#: the version keys, and the versions of each this tool reads
VERSION_KEYS = {"openapi": "3.", "swagger": "2"}


def detect(data: dict) -> bool:
    """A document that has a version key declares itself OpenAPI (or Swagger), whatever else it
    holds; :func:`check_version_keys` refuses the versions it cannot be read as."""
    return any(key in data for key in VERSION_KEYS)


def _shared_operation_ids(counts: dict[str, int], shown: int = 5) -> list[str]:
    """One warning for every operationId used more than once (Kubernetes has 176 of them: one
    line each would bury the report's end)."""
    shared = sorted((name, count) for name, count in counts.items() if count > 1)
    if not shared:
        return []
    names = ", ".join(f"{name!r} ({count})" for name, count in shared[:shown])
    more = f" and {len(shared) - shown} more" if len(shared) > shown else ""
    noun = "operationId is" if len(shared) == 1 else f"{len(shared)} operationIds are"
    return [f"{noun} each used by several operations: {names}{more}"]


def check_version_keys(doc: Document) -> None:
    """``openapi: 3.0`` unquoted is a YAML float: refused with its line rather than read as
    something else (it would make the document a plain schema, whose operations nobody compares)."""
    for key, readable in VERSION_KEYS.items():
        if key not in doc.data:
            continue
        value = doc.data[key]
        if isinstance(value, str) and value.startswith(readable):
            continue
        # positions cost a second scan of the file: only on the way to an error
        line, column = doc.positions.get(f"/{key}") or (None, None)
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        if not isinstance(value, str):
            hint = f'; write it in quotes ({key}: "{value}")' if isinstance(value, (int, float)) \
                else ""
            raise InputError(f"the {key} version {shown} is not a string{hint}", doc.source.name,
                             line, column)
        raise InputError(f"{key} {shown} is not a version this tool reads (Swagger 2.0, "
                         "OpenAPI 3.0 and 3.1)", doc.source.name, line, column)


def is_openapi_30(data: dict) -> bool:
    return (isinstance(data.get("openapi"), str) and data["openapi"].startswith("3.0")) or \
        str(data.get("swagger", "")).startswith("2")


def build(side: Normaliser) -> Api:
    doc = side.workspace.main
    data = doc.data
    reader = _Reader(side, swagger=str(data.get("swagger", "")).startswith("2"))
    info = _object_at(data, "info")
    resources: dict[str, Resource] = {}
    operation_ids: Counter = Counter()
    paths = _object_at(data, "paths")
    for path, item in paths.items():
        resource = _item_resource(reader, f"/paths/{escape_token(path)}", item, path)
        if resource is None:
            continue
        operation_ids.update(e.operation_id for e in resource.endpoints.values() if e.operation_id)
        key = PLACEHOLDER.sub("{}", path)
        resources[key if key not in resources else path] = resource
    webhooks = _object_at(data, "webhooks")
    for name, item in webhooks.items():
        resource = _item_resource(reader, f"/webhooks/{escape_token(name)}", item,
                                  f"webhook {name}", webhook=True)
        if resource is not None:
            resources[resource.name] = resource
    for resource in _callbacks(reader):
        resources[resource.name] = resource
    api = Api(kind="openapi", title=info.get("title") if isinstance(info.get("title"), str) else None,
              version=str(info["version"]) if info.get("version") is not None else None,
              resources=resources)
    api.schemas = reader.component_schemas()
    api.security_schemes = reader.security_schemes()
    api.servers = reader.servers()
    api.warnings = _shared_operation_ids(operation_ids)
    return api



def _object_at(data: dict, key: str) -> dict:
    """``data[key]`` when it is an object; a part of another type reads as empty."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}

def _item_resource(reader: _Reader, pointer: str, item: Any, name: str,
                   webhook: bool = False, doc: Any = None) -> Resource | None:
    """A path item (or a 3.1 webhook, or a callback) as a resource: one endpoint per operation
    it holds."""
    if not isinstance(item, dict):
        return None
    written = Node(doc or reader.doc, pointer, item)
    target = reader.resolved(written)
    # a path item may state fields beside its $ref: an operation (or the parameters) written
    # there are its own, the others come from the item referred to
    shared = written if isinstance(item.get("parameters"), list) else target
    resource = Resource(name=name, pointer=pointer)
    for method in METHODS:
        holder = written if isinstance(item.get(method), dict) else target
        if isinstance(holder.value.get(method), dict):
            endpoint = reader.endpoint(name, method, shared, holder.child(method), webhook=webhook)
            resource.endpoints[endpoint.key] = endpoint
    return resource


def _callbacks(reader: _Reader) -> list[Resource]:
    """The callbacks of every operation read so far, each expression's path item a resource of
    its own (``callback onEvent of POST /subs``): requests the API sends, like webhooks."""
    found = []
    for operation, label in reader.with_callbacks:
        callbacks = reader.resolved(operation.child("callbacks"))
        if not isinstance(callbacks.value, dict):
            continue
        for name in callbacks.value:
            callback = reader.resolved(callbacks.child(name))
            if not isinstance(callback.value, dict):
                continue
            for expression, item in callback.value.items():
                resource = _item_resource(reader, callback.child(expression).pointer, item,
                                          f"callback {name} {expression} of {label}",
                                          webhook=True, doc=callback.doc)
                if resource is not None:
                    found.append(resource)
    return found


def requirement(raw: dict) -> frozenset:
    """One security alternative: the schemes it needs together, each with the scopes it needs."""
    return frozenset((str(name), frozenset(str(s) for s in scopes) if isinstance(scopes, list)
                      else frozenset()) for name, scopes in raw.items())


def _date_text(value: Any) -> str | None:
    """``x-sunset`` as written: YAML may already have read it as a date."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


MAX_SERVER_URLS = 64


def server_urls(servers: Any) -> list[str] | None:
    """The base URLs an OpenAPI 3 ``servers`` list names, each variable spelled out with every
    value its ``enum`` allows (else its ``default``): a region dropped from an enum is a URL
    that stops working. A list whose variables would name more than MAX_SERVER_URLS URLs keeps
    its templates. None: not a list."""
    if not isinstance(servers, list):
        return None
    urls: list[str] = []
    for server in servers:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        spelled = [server["url"]]
        variables = server.get("variables")
        for name, variable in (variables.items() if isinstance(variables, dict) else ()):
            if not isinstance(variable, dict):
                continue
            allowed = variable.get("enum")
            values = [str(v) for v in allowed] if isinstance(allowed, list) else \
                [str(variable["default"])] if "default" in variable else []
            if not values or len(spelled) * len(values) > MAX_SERVER_URLS:
                continue
            spelled = [url.replace(f"{{{name}}}", value) for url in spelled for value in values]
        urls += [url for url in spelled if url not in urls]
    return urls


def _schema_of(node: Node) -> Node | None:
    """The schema of an OpenAPI 3 parameter or header: its ``schema``, or that of its one
    ``content`` entry (a value sent as JSON, say)."""
    value = node.value if isinstance(node.value, dict) else {}
    if isinstance(value.get("schema"), (dict, bool)):
        return node.child("schema")
    content = value.get("content")
    if not isinstance(content, dict) or not content:
        return None
    media = next(iter(content))
    if isinstance(content[media], dict) and "schema" in content[media]:
        return node.child("content").child(media).child("schema")
    return None


def _by_name(params: list[Node]) -> dict[tuple, Node]:
    """Parameters by (location, name), a later one replacing an earlier one of that name and
    location. A header's name is matched without case (HTTP's header names are case-insensitive:
    ``x-ver`` overrides ``X-Ver``)."""
    merged: dict[tuple, Node] = {}
    for node in params:
        value = node.value
        if not isinstance(value, dict) or not isinstance(value.get("name"), str) or \
                not isinstance(value.get("in", ""), str):
            continue
        location = value.get("in")
        merged[(location, value["name"].lower() if location == "header" else value["name"])] = node
    return merged


def _located(parameter: Node, location: str) -> bool:
    """Is it a parameter ``in`` that location (a resolved parameter may be anything)?"""
    return isinstance(parameter.value, dict) and parameter.value.get("in") == location


class _Reader:
    def __init__(self, side: Normaliser, swagger: bool):
        self.side = side
        self.doc = side.workspace.main
        self.data = self.doc.data
        self.swagger = swagger
        #: operations with ``callbacks``, and their endpoint's label: read after the paths
        self.with_callbacks: list[tuple[Node, str]] = []

    def resolved(self, node: Node) -> Node:
        """Follow a ``$ref`` to a path item, parameter, response, header or request body (OpenAPI
        ignores what stands beside it); a remote one is left as it is."""
        target = self.side.resolve(node, siblings_ignored=True)
        return node if isinstance(target, str) else target

    def endpoint(self, path: str, method: str, item: Node, operation: Node,
                 webhook: bool = False) -> Endpoint:
        value = operation.value
        key = f"{method.upper()} {PLACEHOLDER.sub('{}', path)}"
        tags = value.get("tags") if isinstance(value.get("tags"), list) else []
        endpoint = Endpoint(
            key=key, method=method.upper(), path=path, pointer=operation.pointer,
            title=value.get("summary") if isinstance(value.get("summary"), str) else None,
            description=value.get("description") if isinstance(value.get("description"), str)
            else None,
            operation_id=value.get("operationId") if isinstance(value.get("operationId"), str)
            else None,
            deprecated=value.get("deprecated") is True,
            tags=tuple(str(t) for t in tags if isinstance(t, (str, int, float))),
            sunset=_date_text(value.get("x-sunset")),
            stability=value.get("x-stability-level")
            if isinstance(value.get("x-stability-level"), str) else None,
            webhook=webhook, openapi=True)
        self.parameters(endpoint, item, operation)
        self.request_body(endpoint, item, operation)
        self.responses(endpoint, operation)
        for holder in (operation.value, item.value):   # the operation's own, else its path's
            if not self.swagger and isinstance(holder.get("servers"), list):
                endpoint.servers = server_urls(holder["servers"])
                break
        if not webhook and isinstance(value.get("callbacks"), dict):
            self.with_callbacks.append((operation, endpoint.label))
        security = value.get("security", self.data.get("security"))
        if isinstance(security, list):
            endpoint.security = [requirement(req) for req in security if isinstance(req, dict)]
        return endpoint

    def listed_parameters(self, holder: Node) -> list[Node]:
        """The parameters a path item or an operation lists, references followed."""
        params = holder.value.get("parameters")
        if not isinstance(params, list):
            return []
        listed = holder.child("parameters")
        return [self.resolved(listed.child(index)) for index in range(len(params))]

    def merged_parameters(self, item: Node, operation: Node) -> dict[tuple, Node]:
        """The parameters an operation takes, by (location, name): the path item's, each replaced
        by the operation's own of that name and location."""
        return _by_name(self.listed_parameters(item) + self.listed_parameters(operation))

    def parameters(self, endpoint: Endpoint, item: Node, operation: Node) -> None:
        # a path parameter is its slot in the template, whatever its name or its place in the
        # list: /a/{x}/{y} takes the first segment as x in both versions if one lists y first
        slots = [found[1:-1] for found in PLACEHOLDER.findall(endpoint.path)]
        for (location, matched), node in self.merged_parameters(item, operation).items():
            value = node.value
            name = value["name"]
            if location in ("body", "formData"):
                continue  # Swagger 2.0: a request body, read below
            # a Swagger 2.0 parameter carries type, format, enum, ... itself
            schema = node if self.swagger else _schema_of(node)
            parameter = Parameter(
                name=name, location=str(location), pointer=node.pointer,
                required=value.get("required") is True or location == "path", schema=schema,
                style=value.get("style", value.get("collectionFormat")),
                explode=value.get("explode"), deprecated=value.get("deprecated") is True,
                allow_empty=value.get("allowEmptyValue") is True)
            if location == "path":
                key = ("path", f"#{slots.index(name)}" if name in slots else name)
            else:
                key = (str(location), matched)
            endpoint.parameters[key] = parameter

    def request_body(self, endpoint: Endpoint, item: Node, operation: Node) -> None:
        value = operation.value
        if self.swagger:
            self.swagger_body(endpoint, item, operation)
            return
        if not isinstance(value.get("requestBody"), dict):
            return
        body = self.resolved(operation.child("requestBody"))
        endpoint.body_pointer = body.pointer
        endpoint.body_required = body.value.get("required") is True
        endpoint.bodies = self.content(body)

    def swagger_body(self, endpoint: Endpoint, item: Node, operation: Node) -> None:
        """Swagger 2.0 has no request body object: a ``body`` parameter holds the body's schema,
        else the ``formData`` parameters make one. The operation's own body wins; its form
        fields join the path item's (one of a name and place: the operation's); the path item's
        body or form counts only when the operation sends none of its own."""
        consumes = operation.value.get("consumes", self.data.get("consumes")) or ["application/json"]
        own, shared = self.listed_parameters(operation), self.listed_parameters(item)
        for params in (own, shared):
            body = next((p for p in params if _located(p, "body")), None)
            if body is not None and isinstance(body.value.get("schema"), (dict, bool)):
                endpoint.body_pointer = body.pointer
                endpoint.body_required = body.value.get("required") is True
                for media in consumes:
                    endpoint.bodies[str(media)] = body.child("schema")
                return
            if params is own and any(_located(p, "formData") for p in own):
                break   # the operation's form (with the path item's fields), not a shared body
        form = [node for (location, _), node in _by_name(shared + own).items()
                if location == "formData"]
        if form:
            self.form_body(endpoint, operation, form, consumes)

    def form_body(self, endpoint: Endpoint, operation: Node, form: list[Node],
                  consumes: list) -> None:
        """The ``formData`` parameters as one object schema, each a property (required when
        it is), sent as a form unless the operation consumes another form type."""
        properties = {p.value["name"]: p.value for p in form}
        required = [p.value["name"] for p in form if p.value.get("required") is True]
        synthetic: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            synthetic["required"] = required
        # the operation's (a field may be shared by all the path item's operations)
        endpoint.body_pointer = f"{operation.pointer}/parameters"
        endpoint.body_required = bool(required)
        media = [m for m in consumes if "form" in str(m)] or ["application/x-www-form-urlencoded"]
        # a schema made from the formData parameters: it has no place of its own in the file
        node = Node(self.doc, endpoint.body_pointer + "/~formData", synthetic)
        for name in media:
            endpoint.bodies[str(name)] = node

    def content(self, holder: Node) -> dict[str, Node | None]:
        content = holder.value.get("content")
        out: dict[str, Node | None] = {}
        if isinstance(content, dict):
            at = holder.child("content")
            for media, entry in content.items():
                if isinstance(entry, dict) and isinstance(entry.get("schema"), (dict, bool)):
                    out[media] = at.child(media).child("schema")
                elif isinstance(entry, dict):
                    out[media] = None  # a media type without a schema: anything
        return out

    def responses(self, endpoint: Endpoint, operation: Node) -> None:
        responses = operation.value.get("responses")
        if not isinstance(responses, dict):
            return
        produces = operation.value.get("produces", self.data.get("produces")) or ["application/json"]
        listed = operation.child("responses")
        for status in responses:
            node = self.resolved(listed.child(status))
            if not isinstance(node.value, dict):
                continue
            response = Response(status=str(status), pointer=node.pointer)
            if self.swagger:
                if isinstance(node.value.get("schema"), (dict, bool)):
                    for media in produces:
                        response.content[str(media)] = node.child("schema")
            else:
                response.content = self.content(node)
            headers = node.value.get("headers")
            if isinstance(headers, dict):
                for name in headers:
                    header = self.resolved(node.child("headers").child(name))
                    value = header.value if isinstance(header.value, dict) else {}
                    schema = header if self.swagger else _schema_of(header)
                    response.headers[name.lower()] = Parameter(
                        name=name, location="header", pointer=header.pointer,
                        required=value.get("required") is True, schema=schema)
            endpoint.responses[str(status)] = response

    def component_schemas(self) -> dict[str, Node]:
        if self.swagger:
            container, pointer = self.data.get("definitions"), "/definitions"
        else:
            components = self.data.get("components")
            container = components.get("schemas") if isinstance(components, dict) else None
            pointer = "/components/schemas"
        if not isinstance(container, dict):
            return {}
        return {name: Node(self.doc, f"{pointer}/{escape_token(name)}", value)
                for name, value in container.items()}

    def security_schemes(self) -> dict[str, dict]:
        if self.swagger:
            schemes = self.data.get("securityDefinitions")
        else:
            components = self.data.get("components")
            schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        return {k: v for k, v in schemes.items() if isinstance(v, dict)} \
            if isinstance(schemes, dict) else {}

    def servers(self) -> list[str]:
        if self.swagger:
            host = self.data.get("host")
            base = self.data.get("basePath", "")
            schemes = self.data.get("schemes") or ["https"]
            return [f"{s}://{host}{base}" for s in schemes] if host else []
        return server_urls(self.data.get("servers")) or []



def misfit(data: dict) -> str | None:
    if "openapi" not in data and "swagger" not in data and not isinstance(data.get("paths"), dict):
        return "it has no openapi or swagger key and no paths"
    return None


def normaliser(workspace: Workspace) -> Normaliser:
    """OpenAPI 3.0 and Swagger 2.0 schemas are draft-04-like (boolean exclusive bounds, ``$ref``
    siblings ignored) and know ``nullable``; OpenAPI 3.1 is JSON Schema 2020-12."""
    data = workspace.main.data
    legacy = is_openapi_30(data)
    if legacy and "$schema" not in data:
        workspace.main.draft = 4
    return Normaliser(workspace, nullable_keyword=legacy)


KIND = Kind("openapi", detect=detect, misfit=misfit, normaliser=normaliser, build=build,
            check=check_version_keys)
