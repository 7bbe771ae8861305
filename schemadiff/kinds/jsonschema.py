"""A plain JSON Schema: one root schema, and its definitions."""

from __future__ import annotations

from schemadiff.kinds import Kind, declares_openapi, plain_normaliser
from schemadiff.model import Api
from schemadiff.normalise import Node, Normaliser


def detect(data: dict) -> bool:
    return True  # any object is a schema (an empty one accepts everything)


def build(side: Normaliser) -> Api:
    doc = side.workspace.main
    data = doc.data
    title = data.get("title") if isinstance(data.get("title"), str) else None
    version = data.get("version") if isinstance(data.get("version"), str) else None
    return Api(kind="jsonschema", title=title, version=version, resources={},
               root=Node(doc, "", data))


KIND = Kind("jsonschema", detect=detect, misfit=declares_openapi, normaliser=plain_normaliser,
            build=build)
