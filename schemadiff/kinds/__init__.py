"""Document kinds: each reads a loaded document into the model (resources, endpoints, schemas).

``KINDS`` maps a kind's name to its reader; its keys are also the choices of ``--kind``. Detection
asks each kind, most specific first.

The kind decides what is compared at all (an OpenAPI description read as a plain schema has no
operations to lose), and the new side is written by the person the gate checks. So a kind is never
changed to make two sides fit: both sides must be detected as the same kind, or ``--kind`` says
which, and each side must then fit it (:func:`choose_kind`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemadiff.errors import InputError
from schemadiff.registry import LazyRegistry

if TYPE_CHECKING:
    from schemadiff.model import Api
    from schemadiff.normalise import Normaliser
    from schemadiff.refs import Document, Workspace


@dataclass(frozen=True)
class Kind:
    """Everything the pipeline asks of a document kind. Adding a kind is a module in this package
    that defines ``KIND = Kind(...)`` and one line in :data:`KINDS`; nothing else tests a kind's name.
    """

    name: str
    detect: Callable[[dict], bool]                  # is this document of the kind? (asked in KINDS order)
    misfit: Callable[[dict], str | None]            # why a document cannot be read as it (None: it can)
    normaliser: Callable[[Workspace], Normaliser]   # how its schemas are read (drafts, nullable)
    build: Callable[[Normaliser], Api]              # the document -> resources, endpoints, root schema
    check: Callable[[Document], None] = lambda doc: None   # refuse what must not be guessed (InputError)
    # both sides read together before their schemas are (a draft guessed from either): warnings
    prepare: Callable[[Workspace, Workspace], list[str]] = lambda old, new: []


def plain_normaliser(workspace: Workspace) -> Normaliser:
    """JSON Schema as its ``$schema`` (or the default draft) says."""
    from schemadiff.normalise import Normaliser

    return Normaliser(workspace)


# each kind's module is imported when the kind is used, not when the command line lists the choices;
# detection asks them in this order, most specific first
KINDS: Mapping[str, Kind] = LazyRegistry({
    "openapi": "schemadiff.kinds.openapi:KIND",
    "hyperschema": "schemadiff.kinds.hyperschema:KIND",
    "jsonschema": "schemadiff.kinds.jsonschema:KIND",
})


def detect(data: dict, name: str) -> str:
    for kind in KINDS.values():
        if kind.detect(data):
            return kind.name
    raise InputError("not a schema this tool reads (JSON Schema, JSON Hyper-Schema, OpenAPI)", name)


def declares_openapi(data: dict) -> str | None:
    """A document with an ``openapi`` or ``swagger`` key is OpenAPI, whatever else it holds: read as
    another kind, its operations would not be compared."""
    if "openapi" in data or "swagger" in data:
        return "it declares itself an OpenAPI description (its operations would not be compared)"
    return None


def fit_problem(kind: str, data: dict) -> str | None:
    """Why a document cannot be read as ``kind`` (``None`` when it can)."""
    return KINDS[kind].misfit(data)


def choose_kind(old: Document, new: Document, forced: str | None) -> str:
    """The one kind both sides are compared as: ``forced`` (``--kind``) when given and both fit it,
    otherwise what both are detected as; sides detected as different kinds are an input error."""
    for doc in (old, new):
        for kind in KINDS.values():
            kind.check(doc)
    if forced is not None:
        for doc in (old, new):
            problem = fit_problem(forced, doc.data)
            if problem:
                raise InputError(f"--kind {forced} does not fit this document: {problem}",
                                 doc.source.name)
        if forced == "hyperschema" and not any(KINDS["hyperschema"].detect(d.data) for d in (old, new)):
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
