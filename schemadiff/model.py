"""The vocabulary every stage shares: severities, directions, the API model and change records."""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from dataclasses import field as _field  # Change has an attribute named ``field``
from enum import Enum
from typing import Any


class Severity(str, Enum):
    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank >= other.rank

    def __gt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank > other.rank

    def __le__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank <= other.rank

    def __lt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.SAFE: 1, Severity.DANGEROUS: 2, Severity.BREAKING: 3}
SEVERITIES = [Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE, Severity.INFO]


class Effect(str, Enum):
    """Which way a change moves the set of documents a schema accepts."""

    NARROWS = "narrows"   # the new schema rejects some document the old one accepted
    WIDENS = "widens"     # the new schema accepts some document the old one rejected
    BOTH = "both"         # either may happen (a changed pattern, a replaced type)
    NONE = "none"         # acceptance is unchanged (annotations, structure)


REQUEST = "request"
RESPONSE = "response"
COMPATS = ("backward", "forward", "full")


@dataclass
class Parameter:
    """An OpenAPI parameter (or a response header): where it goes and the schema of its value."""

    name: str
    location: str                 # path | query | header | cookie
    pointer: str
    required: bool = False
    schema: Any = None            # a normalise.Node, or None (anything)
    style: str | None = None
    explode: bool | None = None
    deprecated: bool = False
    allow_empty: bool = False     # ``allowEmptyValue``: ``?q=`` with no value is taken


@dataclass
class Response:
    """One status code of an OpenAPI operation."""

    status: str
    pointer: str
    content: dict[str, Any] = field(default_factory=dict)        # media type -> schema Node
    headers: dict[str, Parameter] = field(default_factory=dict)


@dataclass
class Endpoint:
    """One operation: a hyper-schema link, or an OpenAPI operation."""

    key: str                      # what matches it across versions, e.g. "GET /apps/{}"
    method: str
    path: str                     # readable, e.g. "/apps/{app_identity}"
    pointer: str                  # where it is written
    title: str | None = None
    description: str | None = None
    request: Any = None           # a normalise.Node, or None
    response: Any = None          # a normalise.Node, or None
    params: dict[str, Any] = field(default_factory=dict)   # path parameter name -> Node
    meta: dict[str, Any] = field(default_factory=dict)     # rel, deprecated, ...
    # OpenAPI: parameters by (location, name) (path ones by position), bodies, responses, security
    parameters: dict[tuple, Parameter] = field(default_factory=dict)
    bodies: dict[str, Any] = field(default_factory=dict)   # media type -> schema Node
    body_pointer: str | None = None
    body_required: bool = False
    responses: dict[str, Response] = field(default_factory=dict)
    #: alternatives, each a frozenset of (scheme name, frozenset of scopes); None: not stated
    security: list[frozenset] | None = None
    #: OpenAPI 3: the base URLs it is served at, when the operation or its path item names its
    #: own (``servers``, variables spelled out); None: the document's
    servers: list[str] | None = None
    operation_id: str | None = None
    deprecated: bool = False
    # hyper-schema: the method and href as matched, when other links share them ("PATCH /apps/{}"),
    # and the title that tells this one apart from them ("Transfer to Account")
    route: str | None = None
    variant: str | None = None
    tags: tuple[str, ...] = ()
    sunset: str | None = None     # ``x-sunset``: the date (RFC 3339) after which it may go
    stability: str | None = None  # ``x-stability-level`` (or the resource's Heroku ``stability``)
    webhook: bool = False         # OpenAPI 3.1 ``webhooks``: the API sends the request
    openapi: bool = False         # an OpenAPI operation: the operation's checks apply too

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} ({self.variant})" if self.variant else \
            f"{self.method} {self.path}"


@dataclass
class Resource:
    name: str
    pointer: str
    title: str | None = None
    description: str | None = None
    representation: Any = None    # a normalise.Node: what the API returns for this resource
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)     # stability, deprecation, ...


@dataclass
class Api:
    """A document read by its kind: resources with endpoints, or one root schema."""

    kind: str
    title: str | None
    version: str | None
    resources: dict[str, Resource]
    root: Any = None              # a normalise.Node for plain JSON Schema
    meta: dict[str, Any] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)  # OpenAPI components: name -> Node
    security_schemes: dict[str, Any] = field(default_factory=dict)   # name -> raw definition
    servers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """One change record: the facts (where, what, old and new) and the judgement (rule, severity).

    Frozen: each stage after the walk (examples, the second opinion, ownership, policy, grouping)
    returns copies (``dataclasses.replace``) and never edits what it was given; its lists and
    dicts are not edited either; :meth:`but` is how a stage copies one. ``fingerprint`` is set
    once, when the walk's records are placed (:func:`fingerprint`); a copy keeps it."""

    id: str                       # rule id, qualified by direction: "response-property-removed"
    rule: str                     # the rule's own id: "property-removed"
    severity: Severity
    direction: str | None
    action: str                   # added | removed | changed
    resource: str | None
    endpoint: str | None
    path: dict[str, str | None]   # {"old": pointer, "new": pointer}
    message: str
    field: str | None = None      # where in the instance: "updates[].type"
    old: Any = None
    new: Any = None
    details: dict[str, Any] = _field(default_factory=dict)
    endpoints: list[str] = _field(default_factory=list)   # every endpoint the change reaches
    effect: Effect = Effect.NONE
    example: dict[str, Any] | None = None
    no_example: str | None = None  # why no example was sought to the end: "budget"
    location: dict[str, Any] | None = None
    fingerprint: str = ""
    waived: dict[str, Any] | None = None
    steps: tuple = ()             # the field as steps.Step records (the engine's; not in the contract)
    #: each resource whose representation or endpoints reach the change -> its shortest field
    #: steps from there (the engine's; the contract shows the names as ``resources``)
    reached: dict[str | None, tuple] = _field(default_factory=dict)
    #: a reference swap: the records that follow from it, each with its field below the swap
    consequences: list[Change] = _field(default_factory=list)
    caused_by: str | None = None  # a consequence: the fingerprint of the swap it follows from
    #: one record for identical changes at many places: each place's endpoint, path, fingerprint
    grouped: list[dict[str, Any]] = _field(default_factory=list)
    #: the walk's identity of the record (its rule, places and details), kept by every copy: the
    #: side tables of the walk (examples' probes, the checker's places, swaps) are keyed by it
    key: tuple = _field(default=(), compare=False, repr=False)

    @property
    def resources(self) -> list[str]:
        return [name for name in self.reached if name is not None]

    def but(self, **changes: Any) -> Change:
        """A copy with some fields changed: ``dataclasses.replace`` without re-running
        ``__init__`` through its keyword machinery (the passes after the walk copy thousands of
        records: a swap's consequences, judged and grouped records). Shallow, as replace is."""
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"Change has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(Change)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    def at_pointer(self, glob: str) -> bool:
        """Whether its JSON pointer in either version matches ``glob`` (waivers' ``path``,
        ``--match-path``)."""
        return any(place is not None and fnmatch.fnmatchcase(place, glob)
                   for place in (self.path["old"], self.path["new"]))

    def reaches(self, glob: str) -> bool:
        """Whether an endpoint it reaches (``METHOD /path``) matches ``glob`` (waivers'
        ``endpoint``, ``--match-endpoint``)."""
        return any(fnmatch.fnmatchcase(endpoint, glob)
                   for endpoint in ([self.endpoint] if self.endpoint else []) + self.endpoints)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id, "rule": self.rule, "severity": self.severity.value,
            "direction": self.direction, "action": self.action, "resource": self.resource,
            "endpoint": self.endpoint, "endpoints": self.endpoints, "resources": self.resources,
            "field": self.field, "path": self.path, "old": self.old, "new": self.new,
            "message": self.message, "details": self.details, "fingerprint": self.fingerprint,
        }
        if self.consequences:
            out["consequences"] = [c.as_dict() for c in self.consequences]
        if self.caused_by is not None:
            out["caused_by"] = self.caused_by
        if self.grouped:
            out["grouped"] = self.grouped
        if self.example is not None:
            out["example"] = self.example
        if self.no_example is not None:
            out["no_example"] = self.no_example
        if self.location is not None:
            out["location"] = self.location
        if self.waived is not None:
            out["waived"] = self.waived
        return out


def fingerprint(change: Change) -> str:
    """Stable across runs and wording: the rule, the endpoint and the places, never the message."""
    text = "|".join(str(part) for part in (change.id, change.endpoint, change.path["old"],
                                           change.path["new"]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def fingerprinted(change: Change) -> Change:
    """The record with its fingerprint, computed here once (a record that has one keeps it)."""
    return change if change.fingerprint else change.but(fingerprint=fingerprint(change))
