"""Records as a reviewer reads them: each filed where its definition lives, the consequences of a
reference swap under the swap, and identical changes at many places once.

The walk finds each change where it first meets it (the first endpoint to use a shared definition);
these passes move it to the place a reviewer looks for it, without changing what was found:

* :func:`attribute` files a change inside a definition under what owns the definition: a
  hyper-schema resource (``/definitions/app/definitions/name`` belongs to ``app``) or an OpenAPI
  component; the record keeps every endpoint and resource that reaches it.
* :func:`fold` puts what differs between two definitions under the ``reference-swapped`` record of
  the place that switched from one to the other, and makes that record as severe as the worst of
  them: the definitions themselves did not change.
* :func:`group` makes one record of the same change (rule, field, values) found at many places
  (a query parameter added to every operation), with the list of its endpoints and places.
"""

from __future__ import annotations

import re
from typing import Any

from schemadiff.load import unescape_token
from schemadiff.model import Change, Severity
from schemadiff.normalise import canonical
from schemadiff.report import group_fingerprint, order
from schemadiff.steps import field_text, from_schema_pointer

#: where a definition lives: an OpenAPI component, a Swagger or hyper-schema definition
_OWNED = re.compile(r"^/(components/schemas|definitions)/([^/]+)(/.*)?$")

#: the heading of a record grouped from places in several resources
ACROSS = "(across resources)"


# --- ownership ---------------------------------------------------------------------------------

def attribute(change: Change, kind: str, resources: set[str]) -> Change:
    """The change filed under the owner of the definition it lies in. OpenAPI: a component schema
    that several operations use (``#/components/schemas/card``; one used by a single operation
    stays with it). Hyper-schema: the resource whose definition holds it (a link's own schemas stay
    with the link), with the field as seen from that resource when it reaches the change itself."""
    # the side that points at the object holding what appeared or went, not at the thing itself
    first, second = ("old", "new") if change.action == "added" else ("new", "old")
    site = change.path[first] or change.path[second] or ""
    match = _OWNED.match(site)
    if not match:
        return change
    rest = match.group(3) or ""
    if kind == "openapi":
        if len(change.endpoints) < 2:
            return change
        steps = from_schema_pointer(rest)
        return change.but(resource=f"#/{match.group(1)}/{match.group(2)}", endpoint=None,
                          steps=steps, field=field_text(steps))
    owner = unescape_token(match.group(2))
    if kind != "hyperschema" or owner not in resources or rest.startswith("/links/"):
        return change
    if owner == change.resource and len(change.endpoints) < 2:
        return change  # its own representation, or the one endpoint of its own that uses it
    steps = change.reached.get(owner, change.steps)
    return change.but(resource=owner, endpoint=None, steps=steps, field=field_text(steps))


# --- reference swaps ----------------------------------------------------------------------------

def _same_place(change: Change) -> bool:
    """Do both sides of a record sit at one place (one pointer, or one inside the other: the
    object that gained a property and the property)? Then it is a change of that place, met
    through a swap, not a difference between the two definitions swapped."""
    old, new = change.path["old"], change.path["new"]
    if old is None or new is None:
        return True
    return old == new or new.startswith(old + "/") or old.startswith(new + "/")


#: a swap's record key -> its consequences, each with its field below the swap's place
Below = dict[tuple, list[tuple[Change, tuple]]]


def fold(changes: list[Change], swaps: list[tuple[tuple, list[tuple[tuple, tuple]]]]) \
        -> list[Change]:
    """Nest each swap's consequences under it (copies, with their field below the swap's place)
    and return the records left at the top. A swap is as severe as its worst consequence that is
    not waived; a consequence of several swaps is listed under each. ``swaps`` name records by
    their key (the walk's :meth:`~schemadiff.diff.Comparison.consequences`)."""
    below, layout = _without_layout(_consequences(changes, swaps))
    changes = [change for change in changes if change.key not in layout]
    if not below:
        return changes
    below = _own_consequences(below)
    return [_nest(change, change, below, ()) for change in _tops(changes, below)]


def _consequences(changes: list[Change], swaps: list[tuple[tuple, list[tuple[tuple, tuple]]]]) \
        -> Below:
    """Each swap still in ``changes`` with its consequences still there, other than changes of
    a place both sides share (met through the swap, but not a difference of the two targets)."""
    by_key = {change.key: change for change in changes if change.key}
    return {swap: [(by_key[key], suffix) for key, suffix in found
                   if key in by_key and key != swap and not _same_place(by_key[key])]
            for swap, found in swaps if swap in by_key}


def _without_layout(below: Below) -> tuple[Below, set[tuple]]:
    """A swap to an equivalent definition, or one whose only differences are changes of
    definitions both sides share (reported where those live), is layout: no record. Dropping
    one may empty a swap that had only it below: repeated until none is left empty."""
    layout: set[tuple] = set()
    while True:
        emptied = {key for key, found in below.items() if not found}
        if not emptied:
            return below, layout
        layout |= emptied
        below = {key: [(c, suffix) for c, suffix in found if c.key not in layout]
                 for key, found in below.items() if key not in layout}


def _own_consequences(below: Below) -> Below:
    """A swap below another one keeps its own consequences: the outer lists only the inner swap."""
    deeper = {key: {c.key for inner, _ in found if inner.key in below and inner.key != key
                    for c, _ in below[inner.key]}
              for key, found in below.items()}
    return {key: [(c, suffix) for c, suffix in found if c.key not in deeper[key]]
            for key, found in below.items()}


def _tops(changes: list[Change], below: Below) -> list[Change]:
    """The records no swap nests; of swaps that are consequences of each other in a circle, the
    first stays at the top."""
    nested = {change.key for found in below.values() for change, _ in found}
    top = [change for change in changes if change.key not in nested]
    reached = _reachable(top, below)
    for change in changes:
        if change.key not in reached:
            top.append(change)
            reached |= _reachable([change], below)
    return top


def _reachable(start: list[Change], below: Below) -> set[tuple]:
    seen: set[tuple] = set()
    stack = list(start)
    while stack:
        change = stack.pop()
        if change.key in seen:
            continue
        seen.add(change.key)
        stack += [consequence for consequence, _ in below.get(change.key, ())]
    return seen


def _nest(original: Change, shown: Change, below: Below, path: tuple) -> Change:
    """``shown`` (the record itself at the top, a copy below a swap) with the consequences of
    ``original`` nested as copies at their field below it, and its severity from them."""
    found = below.get(original.key)
    if not found or original.key in path:
        return shown
    inside = (*path, original.key)
    consequences = []
    for consequence, suffix in found:
        steps = shown.steps + suffix
        # prose reads the same both ways and keeps the direction first seen: here it is the swap's
        direction = shown.direction if consequence.id == consequence.rule else consequence.direction
        copy = consequence.but(steps=steps, field=field_text(steps), resource=shown.resource,
                       endpoint=shown.endpoint, caused_by=shown.fingerprint, consequences=[],
                       direction=direction)
        consequences.append(_nest(consequence, copy, below, inside))
    consequences = sorted(consequences, key=order)
    counted = [c.severity for c in consequences if c.waived is None or c.waived.get("expired")]
    worst = max(counted, key=lambda s: s.rank, default=shown.severity)
    judged: dict[str, Any] = {}
    if worst > shown.severity:
        judged = {"severity": worst, "details": {**shown.details, "judged_by": "its consequences"}}
    example = shown.example
    if example is None and worst >= Severity.DANGEROUS:
        # the proof of its worst consequence proves the swap breaks someone too
        example = next((c.example for c in consequences
                        if c.severity == worst and c.example is not None), None)
    return shown.but(consequences=consequences, example=example, **judged)


# --- identical changes --------------------------------------------------------------------------

def _sameness(change: Change) -> tuple:
    """What makes two records the same change for a reader: the rule, where in the body, the
    values and the judgement; and, at a resource's own level, the resource (its heading)."""
    waived = canonical(change.waived) if change.waived else None
    return (change.id, change.direction, change.field, change.message, change.severity,
            canonical(change.old), canonical(change.new), canonical(change.details), waived,
            tuple(c.fingerprint for c in change.consequences),
            change.resource if change.endpoint is None else None)


def group(changes: list[Change]) -> list[Change]:
    """One record for each set of identical changes, in the order of the first of each; a record
    alone stays as it is (with its own fingerprint)."""
    sets: dict[tuple, list[Change]] = {}
    for change in changes:
        sets.setdefault(_sameness(change), []).append(change)
    return [members[0] if len(members) == 1 else _grouped(members) for members in sets.values()]


def _grouped(members: list[Change]) -> Change:
    members = sorted(members, key=order)
    first = members[0]
    endpoints = list(dict.fromkeys(e for m in members for e in m.endpoints))
    reached: dict = {}
    for member in members:
        for resource, steps in member.reached.items():
            if resource not in reached or len(steps) < len(reached[resource]):
                reached[resource] = steps
    resources = {m.resource for m in members}
    own_endpoints = {m.endpoint for m in members}
    proven = next((m for m in members if m.example is not None), first)
    return first.but(endpoints=endpoints, reached=reached,
                     example=proven.example, no_example=proven.no_example,
                     resource=first.resource if len(resources) == 1 else ACROSS,
                     endpoint=first.endpoint if len(own_endpoints) == 1 else None,
                     grouped=[{"endpoint": m.endpoint, "path": m.path,
                               "fingerprint": m.fingerprint} for m in members],
                     fingerprint=group_fingerprint(first))   # the members share all it reads
