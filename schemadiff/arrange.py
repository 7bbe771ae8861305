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

from schemadiff.diff import field_text
from schemadiff.load import unescape_token
from schemadiff.model import Change, Severity
from schemadiff.normalise import canonical
from schemadiff.report import group_fingerprint, order

#: where a definition lives: an OpenAPI component, a Swagger or hyper-schema definition
_OWNED = re.compile(r"^/(components/schemas|definitions)/([^/]+)(/.*)?$")

#: the heading of a record grouped from places in several resources
ACROSS = "(across resources)"


# --- ownership ---------------------------------------------------------------------------------

def attribute(change: Change, kind: str, resources: set[str]) -> None:
    """File a change inside a definition under its owner. OpenAPI: a component schema that several
    operations use (``#/components/schemas/card``; one used by a single operation stays with it).
    Hyper-schema: the resource whose definition holds it (a link's own schemas stay with the link),
    with the field as seen from that resource when it reaches the change itself."""
    # the side that points at the object holding what appeared or went, not at the thing itself
    first, second = ("old", "new") if change.action == "added" else ("new", "old")
    site = change.path[first] or change.path[second] or ""
    match = _OWNED.match(site)
    if not match:
        return
    rest = match.group(3) or ""
    if kind == "openapi":
        if len(change.endpoints) < 2:
            return
        change.resource = f"#/{match.group(1)}/{match.group(2)}"
        change.endpoint = None
        change.steps = instance_steps(rest)
        change.field = field_text(change.steps)
        return
    owner = unescape_token(match.group(2))
    if kind != "hyperschema" or owner not in resources or rest.startswith("/links/"):
        return
    if owner == change.resource and len(change.endpoints) < 2:
        return  # its own representation, or the one endpoint of its own that uses it
    change.resource, change.endpoint = owner, None
    if owner in change.reached:
        change.steps = change.reached[owner]
        change.field = field_text(change.steps)


def instance_steps(pointer: str) -> tuple:
    """The instance field a schema pointer describes: ``/properties/a/items/properties/b/maxLength``
    is ``a[].b``. Stops at the first token that is not a way into the instance."""
    tokens = [unescape_token(t) for t in pointer.split("/")[1:]]
    steps: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token == "properties" and following is not None:
            steps.append(following)
            index += 2
        elif token == "items" and following is not None and following.isdigit():
            steps.append(f"[{following}]")
            index += 2
        elif token == "prefixItems" and following is not None:
            steps.append(f"[{following}]")
            index += 2
        elif token in ("items", "additionalItems"):
            steps.append("[]")
            index += 1
        elif token == "additionalProperties":
            steps.append("{*}")
            index += 1
        elif token == "patternProperties" and following is not None:
            steps.append(f"{{/{following}/}}")
            index += 2
        elif token in ("allOf", "anyOf", "oneOf") and following is not None:
            index += 2
        else:
            break
    return tuple(steps)


# --- reference swaps ----------------------------------------------------------------------------

def _same_place(change: Change) -> bool:
    """Do both sides of a record sit at one place (one pointer, or one inside the other: the
    object that gained a property and the property)? Then it is a change of that place, met
    through a swap, not a difference between the two definitions swapped."""
    old, new = change.path["old"], change.path["new"]
    if old is None or new is None:
        return True
    return old == new or new.startswith(old + "/") or old.startswith(new + "/")


def fold(changes: list[Change], swaps: list[tuple[Change, list[tuple[Change, tuple]]]]) \
        -> list[Change]:
    """Nest each swap's consequences under it (copies, with their field below the swap's place)
    and return the records left at the top. A swap is as severe as its worst consequence that is
    not waived; a consequence of several swaps is listed under each."""
    present = {id(change) for change in changes}
    below = {id(swap): [(change, suffix) for change, suffix in found
                        if id(change) in present and change is not swap and not _same_place(change)]
             for swap, found in swaps if id(swap) in present}
    # a swap to an equivalent definition, or one whose only differences are changes of
    # definitions both sides share (reported where those live), is layout: no record
    empty = {key for key, found in below.items() if not found}
    while True:
        below = {key: [(c, suffix) for c, suffix in found if id(c) not in empty]
                 for key, found in below.items() if key not in empty}
        emptied = {key for key, found in below.items() if not found}
        if not emptied:
            break
        empty |= emptied
    changes = [change for change in changes if id(change) not in empty]
    if not below:
        return changes
    # a swap below another one keeps its own consequences: the outer lists only the inner swap
    deeper = {key: {id(c) for inner, _ in found if id(inner) in below and id(inner) != key
                    for c, _ in below[id(inner)]}
              for key, found in below.items()}
    below = {key: [(c, suffix) for c, suffix in found if id(c) not in deeper[key]]
             for key, found in below.items()}
    nested: set[int] = {id(change) for found in below.values() for change, _ in found}
    top = [change for change in changes if id(change) not in nested]
    # swaps that are consequences of each other in a circle: the first stays at the top
    reached = _reachable(top, below)
    for change in changes:
        if id(change) not in reached:
            top.append(change)
            reached |= _reachable([change], below)
    return [_nest(change, change, below, ()) for change in top]


def _reachable(start: list[Change], below: dict) -> set[int]:
    seen: set[int] = set()
    stack = list(start)
    while stack:
        change = stack.pop()
        if id(change) in seen:
            continue
        seen.add(id(change))
        stack += [consequence for consequence, _ in below.get(id(change), ())]
    return seen


def _nest(original: Change, shown: Change, below: dict, path: tuple) -> Change:
    """``shown`` (the record itself at the top, a copy below a swap) with the consequences of
    ``original`` nested as copies at their field below it, and its severity from them."""
    found = below.get(id(original))
    if not found or id(original) in path:
        return shown
    inside = path + (id(original),)
    consequences = []
    for consequence, suffix in found:
        steps = shown.steps + suffix
        # prose reads the same both ways and keeps the direction first seen: here it is the swap's
        direction = shown.direction if consequence.id == consequence.rule else consequence.direction
        copy = consequence.but(steps=steps, field=field_text(steps), resource=shown.resource,
                       endpoint=shown.endpoint, caused_by=shown.fingerprint, consequences=[],
                       details=dict(consequence.details), direction=direction)
        consequences.append(_nest(consequence, copy, below, inside))
    shown.consequences = sorted(consequences, key=order)
    counted = [c.severity for c in shown.consequences if c.waived is None or c.waived.get("expired")]
    worst = max(counted, key=lambda s: s.rank, default=shown.severity)
    if worst > shown.severity:
        shown.severity = worst
        shown.details["judged_by"] = "its consequences"
    if shown.example is None and worst >= Severity.DANGEROUS:
        # the proof of its worst consequence proves the swap breaks someone too
        shown.example = next((c.example for c in shown.consequences
                              if c.severity == worst and c.example is not None), None)
    return shown


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
    record = first.but(endpoints=endpoints, reached=reached, details=dict(first.details),
                     example=proven.example, no_example=proven.no_example,
                     resource=first.resource if len(resources) == 1 else ACROSS,
                     endpoint=first.endpoint if len(own_endpoints) == 1 else None,
                     grouped=[{"endpoint": m.endpoint, "path": m.path,
                               "fingerprint": m.fingerprint} for m in members])
    record.fingerprint = group_fingerprint(first)   # the members share all it reads
    return record
