"""Document kinds: each reads a loaded document into the model (resources, endpoints, schemas).

``KINDS`` maps a kind's name to its reader; its keys are also the choices of ``--kind``. Detection
asks each kind, most specific first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Callable

from schemadiff.errors import InputError
from schemadiff.registry import LazyRegistry

# readers are imported when a kind is used, not when the command line lists the choices
KINDS: Mapping[str, Callable] = LazyRegistry({
    "openapi": "schemadiff.kinds.openapi:build",
    "hyperschema": "schemadiff.kinds.hyperschema:build",
    "jsonschema": "schemadiff.kinds.jsonschema:build",
})
DETECTORS: Mapping[str, Callable[[dict], bool]] = LazyRegistry({
    "openapi": "schemadiff.kinds.openapi:detect",
    "hyperschema": "schemadiff.kinds.hyperschema:detect",
    "jsonschema": "schemadiff.kinds.jsonschema:detect",
})


def detect(data: dict, name: str) -> str:
    for kind, test in DETECTORS.items():
        if test(data):
            return kind
    raise InputError("not a schema this tool reads (JSON Schema, JSON Hyper-Schema, OpenAPI)", name)
