"""Verified examples: for a breaking change, a small document one side accepts and the other rejects.

A rule that knows how to tell its two schemas apart declares a ``witness`` (the removed enum value, a
string one longer than the new ``maxLength``, ...). Here that local value is placed where the change
is (its field path inside the request, response or document), wrapped in the simplest document the
accepting schema allows, and checked with the ``jsonschema`` validator against both whole schemas. An
example is shown only when the accepting side accepts it and the other rejects it; otherwise none.

All of it runs within budgets (:mod:`schemadiff.budget`): each validation, and the stage as a whole,
has a wall-clock limit, regexes are matched through :func:`budget.search`, samples have a size
limit; a record whose search ran out says so (``no_example: "budget"``) instead of hanging.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from schemadiff import budget
from schemadiff.errors import InputError
from schemadiff.model import REQUEST, RESPONSE, Change
from schemadiff.normalise import Node, Normaliser, View
from schemadiff.rules import breaks
from schemadiff.samples import MISSING, Sampler, string_for
from schemadiff.steps import Additional, Dependent, Item, Path, Pattern, Position, Property, in_instance

if TYPE_CHECKING:
    from schemadiff.diff import Probe

if TYPE_CHECKING:
    from schemadiff.rules import Rule

MAX_TRIES = 8


def __getattr__(name: str):
    """The validator's names, where they were before :mod:`schemadiff.verify` held them."""
    if name in ("Verifier", "validator_class", "SPECIFICATIONS", "VALIDATORS", "BUDGETED"):
        from schemadiff import verify
        return getattr(verify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class StageOutOfTime(budget.OverBudget):
    """The examples stage as a whole ran past EXAMPLES_SECONDS."""


def modes(change: Change, compat: str) -> list[str]:
    """Which way a set-theoretic counterexample can exist for this change, most telling first."""
    if change.direction == REQUEST:
        compat = "backward"
    elif change.direction == RESPONSE:
        compat = "forward"
    return [mode for mode in ("backward", "forward")
            if compat in (mode, "full") and breaks(change.effect, mode)]


class Examples:
    """Builds and verifies examples for the records of one comparison."""

    def __init__(self, old: Normaliser, new: Normaliser, compat: str):
        self.sides = {"old": old, "new": new}   # for the validators, made on first use
        self.samplers = {"old": Sampler(old), "new": Sampler(new)}
        self._verifiers: dict | None = None
        self.compat = compat

    @property
    def verifiers(self) -> dict:
        """The validators of both sides, set up (and jsonschema imported) when the first example
        is checked: most comparisons have no breaking record to prove."""
        if self._verifiers is None:
            from schemadiff.verify import Verifier
            self._verifiers = {label: Verifier(side, label) for label, side in self.sides.items()}
        return self._verifiers

    def attach(self, changes: list[Change], probes: dict[tuple, Probe]) -> list[Change]:
        """The records, each breaking or dangerous one with an example where one is found, all
        within EXAMPLES_SECONDS; a record whose search ran out of budget (or came after the
        stage's time) is marked. ``probes`` are the walk's, by record key."""
        wanted = [(change, probes[change.key]) for change in changes if change.key in probes
                  and change.severity.value in ("breaking", "dangerous")]
        found: dict[tuple, dict[str, Any]] = {}   # record key -> what to set on its copy
        deadline = time.monotonic() + budget.EXAMPLES_SECONDS
        done = 0
        try:
            with budget.time_limit(budget.EXAMPLES_SECONDS, StageOutOfTime):
                while done < len(wanted):
                    change, probe = wanted[done]
                    done += 1
                    if time.monotonic() >= deadline:  # where no alarm can interrupt (a thread)
                        raise StageOutOfTime("the examples stage ran out of time")
                    budget.check()  # the whole run's --timeout, likewise
                    self._attach_one(change, probe, found)
        except budget.OverBudget as err:
            for change, _ in wanted[max(done - 1, 0):]:
                if change.key not in found:  # the alarm may come just after one was found
                    found[change.key] = self._out_of_budget(change, err)
        return [change.but(**found[change.key]) if change.key in found else change
                for change in changes]

    def _attach_one(self, change: Change, probe: Probe, found: dict) -> None:
        try:
            example = self.find(change, *probe)
        except budget.OverBudget as err:
            if isinstance(err, StageOutOfTime):
                raise  # every record left is out of budget too
            found[change.key] = self._out_of_budget(change, err)
            return
        except Exception:  # an example is a bonus; never let it sink a report
            if os.environ.get("SCHEMADIFF_DEBUG_EXAMPLES"):
                raise  # the tests set this, so that a fault here is seen
            return
        if example is not None:
            found[change.key] = {"example": example}

    @staticmethod
    def _out_of_budget(change: Change, err: BaseException) -> dict[str, Any]:
        if os.environ.get("SCHEMADIFF_DEBUG_EXAMPLES"):  # so that the tests see a lost example
            raise RuntimeError(f"no example (budget) for {change.id}: {err}") from None
        return {"no_example": "budget"}

    def find(self, change: Change, rule: Rule, views: tuple[View, View], roots: tuple[Node, Node],
             steps: tuple, hint: Any) -> dict | None:
        try:
            return self._find(change, rule, views, roots, steps, hint)
        finally:
            # the two samplers point at each other only while one example is sought: a cycle
            # left behind would keep both parsed documents for the cyclic collector to free
            for sampler in self.samplers.values():
                sampler.peer = None

    def _find(self, change: Change, rule, views, roots, steps, hint) -> dict | None:
        for mode in modes(change, self.compat):
            accept, reject = ("old", "new") if mode == "backward" else ("new", "old")
            index = 0 if accept == "old" else 1
            accept_view, reject_view = views[index], views[1 - index]
            sampler = self.samplers[accept]
            sampler.peer = self.samplers[reject]
            try:
                candidates = list(rule.witness(accept_view, reject_view, change, sampler, hint))
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                continue
            samplers = (self.samplers[accept], self.samplers[reject])
            ordered = (roots[index], roots[1 - index])
            for local in candidates[:MAX_TRIES]:
                if local is MISSING:
                    continue
                document = place(samplers, ordered, steps, local)
                if document is MISSING:
                    continue
                # the refusing side first: most candidates that fail are accepted by both
                errors = self.verifiers[reject].errors(ordered[1], document)
                about = change.details.get("name")
                if errors and not all(_close(e, steps, about) for e in errors):
                    document, errors = self._repaired(document, errors, steps, about,
                                                      samplers[1], reject, ordered[1])
                if not errors or not at_the_change(errors, steps):
                    continue
                if self.verifiers[accept].accepts(ordered[0], document) is True:
                    return _example(document, accept, roots, "rule")
        return None

    def _repaired(self, document: Any, errors: list, steps: Path, about: Any, sampler: Sampler,
                  side: str, root: Node) -> tuple[Any, list]:
        """The document with the parts the refusing side rejects away from the change replaced by
        values that side takes (sampled from the subschema that failed), and its errors then.
        The rest of a sampled document comes from the accepting side and may hold a value only
        that side knows (a runner label, an event name): an example must be refused for its
        change alone. A few rounds at most; the accepting side still has the last word."""
        for _ in range(REPAIR_ROUNDS):
            away = [error for error in errors if not _close(error, steps, about)]
            if not away:
                break
            changed = False
            for error in away[:REPAIR_ROUNDS]:
                try:
                    value = sampler.value(sampler.view((_loose(root, error.schema),)))
                except (KeyError, TypeError, ValueError, IndexError, AttributeError, InputError):
                    continue   # a subschema that cannot be read apart from its place
                path = list(error.absolute_path)
                if value is not MISSING and path:
                    replaced = _replaced(document, path, value)
                    if replaced is not MISSING:
                        document, changed = replaced, True
            if not changed:
                break
            errors = self.verifiers[side].errors(root, document)
        return document, errors

    def confirm(self, local: Any, mode: str, roots: tuple[Node, Node], steps: tuple,
                change_at: tuple | None = None, about: str | None = None) -> dict | None:
        """The inclusion checker's witness (a value at ``steps``) as an example: placed in the
        simplest document around it, kept only if the validators confirm it and every reason
        to refuse it sits at the change (``change_at``, by default where it was placed) and,
        for a record about one property (``about``), names that property: the checker answers
        for the whole place, and a witness of another change there would mislead."""
        accept, reject = ("old", "new") if mode == "backward" else ("new", "old")
        index = 0 if accept == "old" else 1
        ordered = (roots[index], roots[1 - index])
        try:
            document = place((self.samplers[accept], self.samplers[reject]), ordered, steps, local)
            if document is MISSING or self.verifiers[accept].accepts(ordered[0], document) is not True:
                return None
            errors = self.verifiers[reject].errors(ordered[1], document)
        except budget.OverBudget:
            return None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
            if os.environ.get("SCHEMADIFF_DEBUG_EXAMPLES"):
                raise
            return None
        if not errors or not at_the_change(errors, steps if change_at is None else change_at):
            return None
        if about is not None and not all(_names(error, about) for error in errors):
            return None
        return _example(document, accept, roots, "checker")


def _names(error, name: str) -> bool:
    """Is a validation error about property ``name`` (below it, or naming it: required,
    additional properties, dependencies)?"""
    return name in error.absolute_path or repr(name) in error.message or \
        f"'{name}'" in error.message or name in str(error.message).split(", ")


def _example(document, accept: str, roots: tuple[Node, Node], source: str) -> dict:
    """The example's contract (docs/json.md): ``source`` says who found it, the rule's own
    witness ("rule") or the inclusion checker ("checker")."""
    reject = "new" if accept == "old" else "old"
    return {"document": document, "verified": True, "accepted_by": accept, "rejected_by": reject,
            "schema": {"old": _where(roots[0]), "new": _where(roots[1])}, "source": source}


def _where(root: Node) -> str | None:
    """The pointer of the schema the document was checked against; None where there was none (an
    absent request body accepts anything)."""
    return None if root.value is True else root.where


def place(samplers: tuple[Sampler, Sampler], roots: tuple[Node, Node], steps: tuple,
          leaf: Any) -> Any:
    """The simplest document both root schemas allow around ``steps``, with ``leaf`` there.

    The accepting side (first) decides the shape; properties the other side requires are filled
    in too, so that the only reason the other side can refuse the document is the change itself.
    """
    accept, reject = samplers
    views = accept.view((roots[0],)), reject.view((roots[1],))
    return _place(accept, reject, views, list(steps), leaf, 0)


def _object(accept: Sampler, reject: Sampler, views, depth: int):
    base = accept.object(views[0], depth)
    if base is MISSING:
        return MISSING
    if views[1] is not None:
        extra = reject.object(views[1], depth)
        if extra is not MISSING:
            base = {**extra, **base}
    return base


def _place(accept: Sampler, reject: Sampler, views, steps: list, leaf, depth: int):
    """The simplest document that ``accept`` allows with ``leaf`` at ``steps`` (MISSING when there
    is none we can build); ``views`` are the (accepting, refusing) views at this level."""
    if not steps:
        return leaf
    if depth > 64:
        return MISSING
    step = steps[0]
    placer = _PLACERS.get(type(step))
    if placer is None:   # a condition's branch, contains, a decoded string, ...: not built here
        return MISSING
    return placer(accept, reject, views, step, steps[1:], leaf, depth)


def _below(accept: Sampler, reject: Sampler, nodes, other_nodes, rest: list, leaf, depth: int):
    """Place the rest of the path inside ``nodes`` (and the refusing side's ``other_nodes``)."""
    return _place(accept, reject, (accept.view(nodes), reject.view(other_nodes) if other_nodes else None),
                  rest, leaf, depth + 1)


def _place_item(accept: Sampler, reject: Sampler, views, step: Item | Position, rest: list, leaf,
                depth: int):
    """An array item (``[]``) or a tuple position (``[n]``), with the items before and after it
    that the array needs."""
    view, other = views
    holder = _holder(accept, view, lambda v: bool(v.items or v.prefix)) or view
    position = step.index if isinstance(step, Position) else len(holder.prefix)
    nodes = holder.items if isinstance(step, Item) else (
        holder.prefix[position] if position < len(holder.prefix) else holder.items)
    if not nodes:  # any item goes here: the leaf must be the item itself
        if rest:
            return MISSING
        nodes = (Node(view.conj[0].doc, view.where, True),)
    other_holder = _holder(reject, other, lambda v: bool(v.items or v.prefix)) if other else None
    other_nodes = None
    if other_holder is not None:
        other_nodes = other_holder.prefix[position] if position < len(other_holder.prefix) \
            else other_holder.items
    child = _below(accept, reject, nodes, other_nodes, rest, leaf, depth)
    if child is MISSING:
        return MISSING
    before = accept.items(holder, depth, 0, position, taken=[child])
    if before is MISSING:
        return MISSING
    after = accept.items(holder, depth, position + 1, max(holder.min_items or 0, position + 1),
                         taken=[*before, child])
    return MISSING if after is MISSING else [*before, child, *after]


def _place_dependent(accept: Sampler, reject: Sampler, views, step: Dependent, rest: list, leaf,
                     depth: int):
    """Inside the schema a present property brings in (``<with name>``): the object gets that
    property too."""
    view, other = views
    name = step.name
    if name not in view.dependent_schemas:
        return MISSING
    base = _object(accept, reject, views, depth)
    if base is MISSING:
        return MISSING
    trigger = view.properties.get(name)
    base[name] = accept.value(accept.view(trigger), depth + 1) if trigger else "a"
    other_inner = other.dependent_schemas.get(name) if other is not None else None
    child = _below(accept, reject, view.dependent_schemas[name], other_inner, rest, leaf, depth)
    return {**base, **child} if isinstance(child, dict) else MISSING


def _place_unnamed(accept: Sampler, reject: Sampler, views, step: Additional | Pattern,
                   rest: list, leaf, depth: int):
    """A property the schema does not name: any other (``{*}``) or one matching a pattern
    (``{/p/}``)."""
    view, other = views
    if isinstance(step, Pattern):
        found = string_for(step.pattern)
        if found is None:
            return MISSING
        name = found
    else:
        name = "extra_field"
    base = _object(accept, reject, views, depth)
    nodes = view.open_schema_for(name)
    if not nodes:
        return MISSING
    other_nodes = other.open_schema_for(name) if other is not None else None
    child = _below(accept, reject, nodes, other_nodes, rest, leaf, depth)
    if base is MISSING or child is MISSING:
        return MISSING
    base[name] = child
    return base


def _place_property(accept: Sampler, reject: Sampler, views, step: Property, rest: list, leaf,
                    depth: int):
    """A named property, found in the view or in the first union branch that declares it."""
    view, other = views
    name = step.name
    holder = _holder(accept, view, lambda v: name in v.properties)
    if holder is None:
        return MISSING
    other_holder = _holder(reject, other, lambda v: name in v.properties) if other else None
    child = _below(accept, reject, holder.properties[name],
                   other_holder.properties[name] if other_holder is not None else None,
                   rest, leaf, depth)
    base = _object(accept, reject, views, depth)
    extra = _object(accept, reject, (holder, other_holder), depth) if holder is not view else {}
    if child is MISSING or base is MISSING or extra is MISSING:
        return MISSING
    return {**base, **extra, name: child}


#: how an example is placed through each kind of step; the others (a condition's branch,
#: ``contains``, a decoded string, property names, parameters) get none
_PLACERS: dict[type, Callable[..., Any]] = {
    Item: _place_item, Position: _place_item, Dependent: _place_dependent,
    Additional: _place_unnamed, Pattern: _place_unnamed, Property: _place_property}


def _holder(sampler: Sampler, view: View | None, test, depth: int = 0) -> View | None:
    """The view itself, or the first anyOf/oneOf branch (recursively) that passes ``test``."""
    if view is None:
        return None
    if test(view):
        return view
    if depth > 8:
        return None
    for group in view.any_of + view.one_of:
        for branch in group:
            found = _holder(sampler, sampler.view((branch,)), test, depth + 1)
            if found is not None:
                return found
    return None


#: errors these raise sit above the place that caused them (a ``false`` subschema's error, validator
#: None, carries no path at all in the jsonschema library)
COMBINATORS = {"anyOf", "oneOf", "allOf", "$ref", "not", "if", "then", "else", "dependencies",
               "dependentSchemas", "properties", "items", "additionalProperties",
               "patternProperties", "prefixItems", "additionalItems", None}


#: how many rounds (and errors per round) a sampled document is repaired for the refusing side
REPAIR_ROUNDS = 3


def _loose(root: Node, schema: Any) -> Node:
    """A subschema a validator error names, as a node of the root's document (its references
    resolve there), at a place of its own: it is sampled, never reported."""
    return Node(root.doc, f"{root.pointer}/#sample-{id(schema)}", schema)


def _replaced(document: Any, path: list, value: Any) -> Any:
    """A copy of the document with the value at ``path`` replaced (MISSING: no such place)."""
    key, rest = path[0], path[1:]
    if isinstance(document, dict) and isinstance(key, str) and key in document:
        inner = _replaced(document[key], rest, value) if rest else value
        return MISSING if inner is MISSING else {**document, key: inner}
    if isinstance(document, list) and isinstance(key, int) and 0 <= key < len(document):
        inner = _replaced(document[key], rest, value) if rest else value
        return MISSING if inner is MISSING else [*document[:key], inner, *document[key + 1:]]
    return MISSING


def _on_the_way(path: list, steps: Path) -> bool:
    """Does a validator error's instance path follow the change's (instance) steps as far as both
    go (one is a prefix of the other)?"""
    return all(step.matches(key) for key, step in zip(path, steps, strict=False))


def _close(error: Any, steps: Path, about: Any) -> bool:
    """Is a validation error where the change is: on the way to its field, at most one step
    below it, and that step its own property when the record names one? (Stricter than
    :func:`at_the_change`, for which everything below a document's root is at a root change.)"""
    steps = in_instance(steps)
    path = list(error.absolute_path)
    if not _on_the_way(path, steps):
        return False
    if len(path) <= len(steps):
        return True
    return len(path) == len(steps) + 1 and (not isinstance(about, str) or path[-1] == about)


def at_the_change(errors, steps: Path) -> bool:
    """Is every reason for refusing the document where the change is (at or below its field), or
    a combinator on the way to it? Then the example shows this change and nothing else."""
    steps = in_instance(steps)
    found = False
    for error in errors:
        path = list(error.absolute_path)
        if _on_the_way(path, steps) and (len(path) >= len(steps) or error.validator in COMBINATORS):
            found = True
        else:
            return False
    return found


def describe(example: dict) -> dict:
    """What people read: the note and the document as text."""
    note = f"accepted by the {example['accepted_by']} schema, rejected by the {example['rejected_by']}"
    if example.get("source") == "checker":
        note += " (found by the inclusion checker)"
    return {"note": note, "text": json.dumps(example["document"], indent=2, ensure_ascii=False),
            "compact": json.dumps(example["document"], ensure_ascii=False)}
