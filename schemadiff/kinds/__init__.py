"""Document kinds: each reads a loaded document into the model (resources, endpoints, schemas).

``KINDS`` maps a kind's name to its reader; its keys are also the choices of ``--kind``. Detection
asks each kind, most specific first.

The kind decides what is compared at all (an OpenAPI description read as a plain schema has no
operations to lose), and the new side is written by the person the gate checks. So a kind is never
changed to make two sides fit: both sides must be detected as the same kind, or ``--kind`` says
which, and each side must then fit it (:func:`choose_kind`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Callable

from schemadiff.errors import InputError
from schemadiff.registry import LazyRegistry

if TYPE_CHECKING:
    from schemadiff.refs import Document

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


def fit_problem(kind: str, data: dict) -> str | None:
    """Why a document cannot be read as ``kind`` (``None`` when it can)."""
    declares_openapi = "openapi" in data or "swagger" in data
    if kind == "openapi" and not declares_openapi and not isinstance(data.get("paths"), dict):
        return "it has no openapi or swagger key and no paths"
    if kind != "openapi" and declares_openapi:
        return "it declares itself an OpenAPI description (its operations would not be compared)"
    if kind == "hyperschema" and not isinstance(data.get("definitions"), dict):
        return "it has no definitions, so no resources (its own schema would not be compared)"
    return None


def choose_kind(old: Document, new: Document, forced: str | None) -> str:
    """The one kind both sides are compared as: ``forced`` (``--kind``) when given and both fit it,
    otherwise what both are detected as; sides detected as different kinds are an input error."""
    from schemadiff.kinds.openapi import check_version_keys

    for doc in (old, new):
        check_version_keys(doc)
    if forced is not None:
        for doc in (old, new):
            problem = fit_problem(forced, doc.data)
            if problem:
                raise InputError(f"--kind {forced} does not fit this document: {problem}",
                                 doc.source.name)
        if forced == "hyperschema" and not any(DETECTORS["hyperschema"](d.data) for d in (old, new)):
            raise InputError("--kind hyperschema does not fit: neither side has links (read as "
                             "resources, a plain schema would not be compared at all)",
                             new.source.name)
        return forced
    old_kind, new_kind = detect(old.data, old.source.name), detect(new.data, new.source.name)
    if old_kind != new_kind:
        raise InputError(f"the old side is read as {old_kind} ({old.source.name}) and the new side "
                         f"as {new_kind}: sides of different kinds are not compared (pass --kind "
                         "to compare both as one kind)", new.source.name)
    return old_kind
