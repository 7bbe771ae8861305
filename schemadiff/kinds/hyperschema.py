"""JSON Hyper-Schema in the Heroku/prmd (interagent) style.

Each top-level definition is a resource; its own schema is the representation the API returns; each
of its ``links`` is an endpoint whose ``schema`` is the request and ``targetSchema`` the response.
Links are matched across versions by method and href (with parameter names set aside), never by
their position in the array. Links of one resource that share method and href (Heroku's three
``PATCH /organizations/apps/{...}``: "Update Locked", "Transfer to Account", "Transfer to
Organization") are told apart, named and matched by their ``title``. A link without ``targetSchema``
returns the resource, as heroics assumes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from schemadiff.kinds import Kind, declares_openapi, plain_normaliser
from schemadiff.load import escape_token
from schemadiff.model import Api, Endpoint, Resource
from schemadiff.normalise import Node, Normaliser

#: ``{(%23%2Fdefinitions%2Fapp%2Fdefinitions%2Fidentity)}`` in a Heroku href
HREF_PLACEHOLDER = re.compile(r"\{\(([^)}]*)\)\}|\{([^}]*)\}")


def detect(data: dict) -> bool:
    schema = data.get("$schema")
    if isinstance(schema, str) and "hyper-schema" in schema:
        return True
    definitions = data.get("definitions")
    return isinstance(definitions, dict) and any(
        isinstance(d, dict) and isinstance(d.get("links"), list) for d in definitions.values())


def _snake(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


def parameter_name(reference: str) -> str:
    """``#/definitions/app/definitions/identity`` -> ``app_identity``."""
    parts = [p for p in reference.lstrip("#").split("/") if p and p != "definitions"]
    if not parts:
        return "param"
    return _snake(parts[0] if len(parts) == 1 else f"{parts[0]}_{parts[-1]}")


def read_href(href: str) -> tuple[str, str, list[tuple[str, str | None]]]:
    """An href as people read it, as it is matched, and its parameters (name, schema reference)."""
    params: list[tuple[str, str | None]] = []

    def readable(match: re.Match) -> str:
        if match.group(1) is not None:
            reference = unquote(match.group(1))
            name = parameter_name(reference)
            params.append((name, reference))
        else:
            name = match.group(2)
            params.append((name, None))
        return "{" + name + "}"

    path = HREF_PLACEHOLDER.sub(readable, href)
    return path, HREF_PLACEHOLDER.sub("{}", href), params


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class _Link:
    """A link that has an href, read once: its place among the links, its method, and its href as
    people read it, as it is matched, and its parameters (see :func:`read_href`)."""

    index: int
    value: dict
    method: str
    path: str
    match_path: str
    params: list[tuple[str, str | None]]

    @property
    def route(self) -> str:
        return f"{self.method} {self.match_path}"

    @property
    def title(self) -> str | None:
        return _text(self.value.get("title"))


def _links(links: Any) -> list[_Link]:
    return [_Link(index, link, (_text(link.get("method")) or "GET").upper(), *read_href(link["href"]))
            for index, link in enumerate(links if isinstance(links, list) else ())
            if isinstance(link, dict) and isinstance(link.get("href"), str)]


def _endpoints(side: Normaliser, pointer: str, links: Any, representation: Node | None) \
        -> dict[str, Endpoint]:
    """Each link is an endpoint keyed by its route. Links that share a route are told apart by a
    title no other of them has (the variant), else by their position."""
    readable = _links(links)
    routes = Counter(link.route for link in readable)
    titles = Counter((link.route, link.title) for link in readable)
    endpoints: dict[str, Endpoint] = {}
    for link in readable:
        shared = routes[link.route] > 1
        variant = link.title if shared and link.title and titles[(link.route, link.title)] == 1 \
            else None
        key = f"{link.route} ({variant})" if variant else link.route
        if not variant and key in endpoints:
            key = f"{key} #{link.index}"  # no title tells them apart: keep both, in order
        endpoints[key] = _endpoint(side, pointer, link, representation, key, variant,
                                   link.route if shared else None)
    return endpoints


def _endpoint(side: Normaliser, pointer: str, link: _Link, representation: Node | None, key: str,
              variant: str | None, route: str | None) -> Endpoint:
    """A link's ``schema`` is the request; its ``targetSchema`` the response, and without one the
    resource itself, as heroics assumes."""
    at = f"{pointer}/links/{link.index}"
    value = link.value
    node = Node(side.workspace.main, at, value)
    request = node.child("schema") if isinstance(value.get("schema"), (dict, bool)) else None
    response = node.child("targetSchema") \
        if isinstance(value.get("targetSchema"), (dict, bool)) else representation
    return Endpoint(
        key=key, method=link.method, path=link.path, pointer=at, title=link.title,
        description=_text(value.get("description")), request=request, response=response,
        params=_href_parameters(side, link.params, at), meta={"rel": value.get("rel")},
        route=route, variant=variant)


def _href_parameters(side: Normaliser, params: list[tuple[str, str | None]], at: str) \
        -> dict[str, Node]:
    """The href placeholders that refer to a schema (``#/...``), by name: their schemas are the
    parameters' (one that resolves to a remote schema is not followed)."""
    doc = side.workspace.main
    parameters = {}
    for name, reference in params:
        if reference and reference.startswith("#/"):
            target = side.workspace.resolve(reference, doc, at + "/href")
            if not isinstance(target, str):
                parameters[name] = Node.of(target)
    return parameters


def build(side: Normaliser) -> Api:
    doc = side.workspace.main
    data = doc.data
    resources: dict[str, Resource] = {}
    definitions = data.get("definitions")
    for name, definition in (definitions.items() if isinstance(definitions, dict) else ()):
        if not isinstance(definition, dict):
            continue
        pointer = f"/definitions/{escape_token(name)}"
        representation = Node(doc, pointer, definition)
        resources[name] = Resource(
            name=name, pointer=pointer, title=_text(definition.get("title")),
            description=_text(definition.get("description")), representation=representation,
            endpoints=_endpoints(side, pointer, definition.get("links"), representation),
            meta={"stability": definition.get("stability")})
    if isinstance(data.get("links"), list):
        resources["(root)"] = Resource(name="(root)", pointer="",
                                       endpoints=_endpoints(side, "", data["links"], None))
    return Api(kind="hyperschema", title=_text(data.get("title")), version=None, resources=resources)


def misfit(data: dict) -> str | None:
    if not isinstance(data.get("definitions"), dict):
        return "it has no definitions, so no resources (its own schema would not be compared)"
    return declares_openapi(data)


KIND = Kind("hyperschema", detect=detect, misfit=misfit, normaliser=plain_normaliser, build=build)
