"""The API surface: resources, endpoints and their parameters, and definitions nothing refers to.

These are not set changes of one schema but of the API's shape, so their severities are fixed: what
disappears breaks its callers, what appears is safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schemadiff.model import Severity
from schemadiff.rules import Details, rule, show


def tiny_api(links: Iterable[dict] = (), **resource: Any) -> dict:
    """A hyper-schema with one resource, ``widget``: small enough for the catalogue's examples."""
    return {"definitions": {"widget": {"type": ["object"], "links": list(links), **resource}}}


LIST = {"href": "/widgets", "method": "GET", "rel": "instances"}


@rule("resource-added", action="added", fixed=Severity.SAFE,
      example=(tiny_api(),
               {"definitions": {**tiny_api()["definitions"], "gadget": {"links": []}}}))
def resource_added(d: Details) -> str:
    """A new resource breaks nobody."""
    return f"resource `{d['name']}` added"


@rule("resource-removed", action="removed", fixed=Severity.BREAKING,
      example=({"definitions": {**tiny_api()["definitions"], "gadget": {"links": []}}},
               tiny_api()))
def resource_removed(d: Details) -> str:
    """Every caller of the resource's endpoints and every reader of its representation breaks."""
    return f"resource `{d['name']}` removed"


@rule("endpoint-added", action="added", fixed=Severity.SAFE,
      example=(tiny_api(),
               tiny_api([LIST])))
def endpoint_added(d: Details) -> str:
    """A new endpoint breaks nobody."""
    return f"endpoint `{d['name']}` added"


@rule("endpoint-removed", action="removed", fixed=Severity.BREAKING,
      example=(tiny_api([LIST]),
               tiny_api()))
def endpoint_removed(d: Details) -> str:
    """Callers of the endpoint get an error instead of an answer."""
    return f"endpoint `{d['name']}` removed"


@rule("endpoint-relation-changed", action="changed", fixed=Severity.INFO,
      example=(tiny_api([LIST]),
               tiny_api([{**LIST, "rel": "self"}])))
def endpoint_relation_changed(d: Details) -> str:
    """The link relation (``rel``) names what the endpoint does; generated clients may name their
    methods after it, but requests and responses are unchanged."""
    return f"link relation (`rel`) changed from {show(d['old'])} to {show(d['new'])}"


@rule("stability-changed", action="changed", fixed=Severity.INFO,
      example=(tiny_api(stability="prototype"),
               tiny_api(stability="production")))
def stability_changed(d: Details) -> str:
    """Heroku marks resources prototype, development or production; OpenAPI operations may carry
    ``x-stability-level`` (draft, alpha, beta, stable). Promising more (or stating stability where
    nothing was stated, which promised as much) is a notice for readers."""
    return f"stability changed from {show(d['old'])} to {show(d['new'])}"


@rule("stability-decreased", action="changed", fixed=Severity.BREAKING,
      example=(tiny_api(stability="production"),
               tiny_api(stability="prototype")))
def stability_decreased(d: Details) -> str:
    """The promise of compatibility was taken back (production to development, stable to beta, or
    a lower level stated where none was, since an unstated level promises stability): callers built
    on a promise that no longer holds, and later changes will not be judged by it. The change that
    lowers it is still judged by the old promise."""
    return f"stability lowered from {show(d['old'])} to {show(d['new'])}"


@rule("definition-added", action="added", fixed=Severity.INFO,
      example=({"type": "string"},
               {"type": "string", "$defs": {"spare": {"type": "integer"}}}))
def definition_added(d: Details) -> str:
    """A definition nothing refers to changes nothing the root schema accepts."""
    return f"definition `{d['name']}` added (nothing uses it yet)"


@rule("definition-removed", action="removed", fixed=Severity.INFO,
      example=({"type": "string", "$defs": {"spare": {"type": "integer"}}},
               {"type": "string"}))
def definition_removed(d: Details) -> str:
    """A definition nothing referred to; removing it changes nothing the root schema accepted."""
    return f"unused definition `{d['name']}` removed"
