"""Document kinds: each reads a loaded document into the model (resources, endpoints, schemas).

``KINDS`` maps a kind's name to its reader; its keys are also the choices of ``--kind``. Detection
asks each kind, most specific first.
"""

from __future__ import annotations

from typing import Callable

from schemadiff.errors import InputError
from schemadiff.kinds import hyperschema, jsonschema, openapi
from schemadiff.model import Api
from schemadiff.normalise import Normaliser

KINDS: dict[str, Callable[[Normaliser], Api]] = {
    "openapi": openapi.build,
    "hyperschema": hyperschema.build,
    "jsonschema": jsonschema.build,
}
DETECTORS: list[tuple[str, Callable[[dict], bool]]] = [
    ("openapi", openapi.detect),
    ("hyperschema", hyperschema.detect),
    ("jsonschema", jsonschema.detect),
]


def detect(data: dict, name: str) -> str:
    for kind, test in DETECTORS:
        if test(data):
            return kind
    raise InputError("not a schema this tool reads (JSON Schema, JSON Hyper-Schema, OpenAPI)", name)
