"""The rule catalogue: every rule has a stable id, the way it moves acceptance, and a message.

A *rule* is declared once, by decorating the function that words its message; the function's docstring
says why the rule judges as it does. The *comparators* (one small function per keyword, registered with
:func:`compares`) look at two canonical views and report facts by rule. The severity is not decided by
either: :func:`judge` derives it from the rule's effect and the direction the change is seen in, so the
same rule serves requests, responses and plain schemas (its id is then prefixed ``request-`` or
``response-``), and users can override it by id.
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from schemadiff.model import REQUEST, RESPONSE, Change, Effect, Severity

if TYPE_CHECKING:
    from schemadiff.context import Context
    from schemadiff.inclusion.checker import Checker
    from schemadiff.normalise import Conj, Node, Normaliser, View
    from schemadiff.samples import Sampler


class Walk(Protocol):
    """What a comparator may ask of the walk that calls it (``diff.Comparison`` is the one
    implementation): report a rule here, go one level deeper, or ask about two child schemas."""

    old: Normaliser
    new: Normaliser
    strict: bool
    compat: str
    read_write_views: bool
    apart_memo: dict[tuple, bool]   # what combinators.apart() found, per pair of places

    def report(self, rule: Rule, ctx: Context, *, old_at: str | None, new_at: str | None,
               old: Any = None, new: Any = None, hint: Any = None, effect: Effect | None = None,
               **details: Any) -> Change | None: ...

    def compare(self, old: Conj, new: Conj, ctx: Context) -> tuple | None: ...

    def descend(self, old: list | None, new: list | None, ctx: Context, old_at: str = "",
                new_at: str = "") -> None: ...

    def schemas(self, old: Node | None, new: Node | None, ctx: Context, at_old: str = "",
                at_new: str = "") -> None: ...

    def views(self, old: list | None, new: list | None, old_at: str = "",
              new_at: str = "") -> tuple[View, View]: ...

    def equivalent(self, old: list | None, new: list | None) -> bool: ...

    def same(self, old: Any, new: Any) -> bool: ...

    def checker(self, left: str = "old", right: str = "new") -> Checker: ...

    def amend(self, record: Change, **changes: Any) -> Change: ...

    def referring(self) -> tuple[str, str]:
        """Where the pair being compared was referred to from (the ``$ref`` or the wrapper
        around it; the schema itself when it was not reached through a reference)."""
        ...


#: ``comparator(old_view, new_view, walk, ctx)``: reports through ``walk``; may return STOP
Comparator = Callable[["View", "View", Walk, "Context"], object]
#: what a comparator reports with a rule (``walk.report(rule, ..., **details)``) and its wording reads
Details = Mapping[str, Any]
#: ``witness(accept, reject, change, sampler, hint)``: see :meth:`Rule.witnessed_by`
Witness = Callable[["View", "View", Change, "Sampler", Any], Iterable[Any]]


@dataclass(eq=False)
class Rule:
    id: str
    topic: str
    action: str                                   # added | removed | changed
    effect: Effect
    wording: Callable[[Details], str] = field(repr=False)
    why: str = ""
    conventions: Mapping[str, Severity] = field(default_factory=dict)   # request/response/schema
    fixed: Severity | None = None                 # a severity that does not depend on direction
    api_only: bool = False                        # only reported for requests and responses
    witness: Witness | None = field(default=None, repr=False)   # see :meth:`witnessed_by`
    example: tuple | None = None                  # (old, new): the smallest change the rule reports
    derived: bool = False                         # added by a pass after the comparison (semver)
    #: judges a meaning validators do not check (x-extensible-enum, contentEncoding): the
    #: inclusion checker, which decides what validators accept, cannot speak for it (second_opinion.py)
    unchecked: bool = False

    @property
    def directional(self) -> bool:
        """Does the direction matter? Not for prose: a description change is the same either way."""
        return self.effect is not Effect.NONE or bool(self.conventions)

    def message(self, details: Mapping) -> str:
        return self.wording(details)

    def witnessed_by(self, function: Witness) -> Witness:
        """Declare how to tell the two schemas apart: ``function(accept, reject, change, sampler,
        hint)`` yields local values that the accepting view should take and the rejecting one refuse.
        ``examples.py`` places each where the change is and keeps the first the validator confirms."""
        self.witness = function
        return function

    def qualified(self, direction: str | None) -> str:
        return f"{direction}-{self.id}" if direction in (REQUEST, RESPONSE) else self.id

    def severities(self) -> dict[str, Severity]:
        """What the rule gives in each context, for the catalogue listing."""
        return {context: judge(self, direction, compat, strict=False)
                for context, direction, compat in (("request", REQUEST, "backward"),
                                                   ("response", RESPONSE, "forward"),
                                                   ("backward", None, "backward"),
                                                   ("forward", None, "forward"))}


RULES: dict[str, Rule] = {}
#: the comparators in the order they run (filled from ORDER by :func:`load_catalogue`)
COMPARATORS: list[Comparator] = []
_REGISTERED: dict[str, Comparator] = {}
#: Every comparator, by ``topic.function``, in the order the walk calls them. The order is part of
#: the contract: ``compare_admission`` and ``compare_type`` run first because they may return STOP
#: (the two sides no longer overlap), which skips every comparator after them at that place. A
#: comparator registered with ``@compares`` and missing here is an error, not silently last.
ORDER = (
    "combinators.split_unions",   # first: hands a schema that became a union to its closest branch
    "values.compare_admission", "values.compare_type", "values.compare_enum",
    "values.compare_extensible_enum",
    "objects.compare_properties", "objects.compare_additional", "objects.compare_pattern_properties",
    "objects.compare_property_names", "objects.compare_property_counts",
    "objects.compare_dependencies",
    "arrays.compare_items", "arrays.compare_contains", "arrays.compare_array_sizes",
    "strings.compare_lengths", "strings.compare_patterns", "strings.compare_formats",
    "strings.compare_content",
    "numbers.compare_bounds", "numbers.compare_multiple_of",
    "combinators.compare_choices", "combinators.compare_not", "combinators.compare_conditionals",
    "combinators.compare_unevaluated",
    "annotations.compare_annotations", "annotations.compare_extensions",
    "operations.compare_discriminator",
)
#: a comparator returns STOP when nothing below it is worth comparing (the types no longer overlap)
STOP = object()


def rule(rule_id: str, *, action: str, effect: Effect = Effect.NONE, request: Severity | None = None,
         response: Severity | None = None, schema: Severity | None = None, fixed: Severity | None = None,
         api_only: bool = False, topic: str | None = None, example: tuple | None = None,
         derived: bool = False, unchecked: bool = False) -> Callable[[Callable[[Details], str]], Rule]:
    """Declare a rule; the decorated function turns a change's details into its one-sentence message."""
    def declare(wording: Callable[[Details], str]) -> Rule:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} declared twice")
        conventions = {k: v for k, v in (("request", request), ("response", response),
                                          ("schema", schema)) if v is not None}
        declared = Rule(rule_id, topic or wording.__module__.rsplit(".", 1)[-1], action, effect,
                        wording, inspect.getdoc(wording) or "", conventions, fixed, api_only,
                        example=example, derived=derived, unchecked=unchecked)
        RULES[rule_id] = declared
        return declared
    return declare


def compares(comparator: Comparator) -> Comparator:
    """Register a comparator: ``comparator(old_view, new_view, walk, ctx)`` reports through
    ``walk.report`` and may return STOP; it runs where :data:`ORDER` puts it."""
    _REGISTERED[f"{comparator.__module__.rsplit('.', 1)[-1]}.{comparator.__name__}"] = comparator
    return comparator


def limit_rules(name: str, unit: str, *, topic: str, upper: bool, tighter_why: str, looser_why: str,
                examples: tuple[tuple, tuple],
                looser_response: Severity | None = Severity.DANGEROUS) -> tuple[Rule, Rule]:
    """Declare the pair of rules for a numeric limit (``maxLength``, ``minItems``, ...), worded in
    what it counts (``unit``: "character", "item", ...): "now at most 20 characters (was 50)".

    A maximum that decreases, or a minimum that increases, tightens what is accepted; the opposite
    loosens it. A limit that appears or disappears counts as the same move from or to no limit.
    """
    bound = "at most" if upper else "at least"

    def count(number: int) -> str:
        return f"{number} {unit if number == 1 else plural(unit)}"

    def wording(tighter: bool) -> Callable[[Details], str]:
        def words(d: Details) -> str:
            if d["old"] is None:
                return f"now {bound} {count(d['new'])}"
            if d["new"] is None:
                return f"no longer limited to {bound} {count(d['old'])}"
            return f"now {bound} {count(d['new'])} (was {d['old']})"
        words.__doc__ = tighter_why if tighter else looser_why
        return words

    down, up = f"{name}-decreased", f"{name}-increased"
    tighter = rule(down if upper else up, action="changed", effect=Effect.NARROWS,
                   topic=topic, example=examples[0])(wording(True))
    looser = rule(up if upper else down, action="changed", effect=Effect.WIDENS,
                  response=looser_response, topic=topic, example=examples[1])(wording(False))
    return tighter, looser


def compare_limit(walk: Walk, ctx: Context, rules: tuple[Rule, Rule], old_value: int | float | None,
                  new_value: int | float | None, old_at: str,
                  new_at: str, *, upper: bool) -> None:
    """Report a numeric limit that moved; ``None`` is no limit."""
    if old_value == new_value:
        return
    if old_value is None:
        tighter = True
    elif new_value is None:
        tighter = False
    else:
        tighter = new_value < old_value if upper else new_value > old_value
    walk.report(rules[0] if tighter else rules[1], ctx, old_at=old_at, new_at=new_at,
                old=old_value, new=new_value)


def breaks(effect: Effect, compat: str) -> bool:
    if effect is Effect.NONE:
        return False
    if compat == "full":
        return True
    if effect is Effect.BOTH:
        return True
    return (effect is Effect.NARROWS) == (compat == "backward")


def judge(rule: Rule, direction: str | None, compat: str, strict: bool,
          effect: Effect | None = None) -> Severity:
    """The severity of a rule seen in a direction.

    Requests must stay backward compatible and responses forward compatible; a plain schema follows
    ``compat``. Pure set semantics gives breaking or safe (info for annotations). For requests and
    responses a rule may state the convention API providers follow instead (tolerant readers: a new
    response field is safe even on a closed object); for plain schemas it may cap the severity (an
    open-content risk is dangerous, not breaking). ``strict`` keeps the more severe judgement.
    ``effect`` replaces the rule's own where the context changes it (inside overlapping ``oneOf``
    branches every change goes both ways).
    """
    if rule.fixed is not None:
        return rule.fixed
    if direction == REQUEST:
        compat = "backward"
    elif direction == RESPONSE:
        compat = "forward"
    effect = rule.effect if effect is None else effect
    if effect is Effect.NONE:
        pure = Severity.INFO
    else:
        pure = Severity.BREAKING if breaks(effect, compat) else Severity.SAFE
    if direction is None:
        # plain schemas: pure set semantics; a rule may cap it (an open-content risk is dangerous)
        cap = rule.conventions.get("schema")
        return pure if strict or cap is None else min(pure, cap, key=lambda s: s.rank)
    convention = rule.conventions.get(direction)
    if convention is None:
        return pure
    return max(pure, convention, key=lambda s: s.rank) if strict else convention


def at(view: View, keyword: str) -> str:
    """The pointer of a keyword in a view, or of the schema itself when the keyword is absent."""
    site = view.sites.get(keyword)
    return f"{site}/{keyword}" if site is not None else view.where


def plural(noun: str) -> str:
    """"property" -> "properties", "item" -> "items"."""
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def show(value: Any, limit: int = 60) -> str:
    """A value as compact JSON, shortened for a sentence."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def names(values: Iterable[Any], limit: int = 6) -> str:
    """`a`, `b` and `c` (with the rest counted)."""
    items = [f"`{v}`" if isinstance(v, str) else show(v) for v in values]
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


TOPICS = ("values", "objects", "arrays", "strings", "numbers", "combinators", "inclusion",
          "annotations", "api", "operations", "references", "versions")


def load_catalogue() -> dict[str, Rule]:
    """Import every topic module so that all rules and comparators are registered, in a fixed order."""
    for topic in TOPICS:  # import_module: ``annotations`` is also a __future__ name here
        importlib.import_module(f"schemadiff.rules.{topic}")
    missing = [r.id for r in RULES.values() if r.example is None and not r.derived]
    if missing:
        raise RuntimeError(f"rules without an example: {', '.join(missing)}")
    if len(COMPARATORS) != len(_REGISTERED):
        unlisted = sorted(set(_REGISTERED) - set(ORDER))
        if unlisted:
            raise RuntimeError(f"comparators missing from rules.ORDER: {', '.join(unlisted)}")
        COMPARATORS[:] = [_REGISTERED[name] for name in ORDER]
    return RULES
