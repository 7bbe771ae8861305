"""The judgement consults the inclusion checker (issue 11).

A comparator judges one keyword against the same keyword; that explains itself well but is blind
to how keywords act together (an enum already implies its type, a removed property now falls under
``additionalProperties``). This pass gives each breaking or dangerous record whose severity comes
from set semantics a second opinion from :mod:`schemadiff.inclusion`, asked at the record's pair of
places, in the direction that matters there (``old ⊆ new`` where the new side must accept what the
old one did, ``new ⊆ old`` where readers must understand what the new side sends):

- proven: the record's claim is false; it stays, as safe, with the reason;
- refuted: the record stands, and when its rule found no example it carries the checker's
  witness, placed in the whole body and validated like any example (``"source": "checker"``);
- unknown: it stands as it was (never made milder by a guess).

Then a safety net: for each body or document compared, if no record below it moves acceptance the
way that matters and the checker refutes inclusion of the whole, one ``not-included`` record
shows the witness. A proven counterexample is never printed as
"compatible".

Records are not changed in place: a judged record is a new one (``Change.but``). The
checker is asked only where a candidate needs it, memoised per pair of places, within
``VERIFY_SECONDS`` for the pass (past it the answers are "unknown": records stay as they were).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from schemadiff import budget
from schemadiff.context import Context
from schemadiff.diff import Comparison
from schemadiff.examples import Examples, modes
from schemadiff.model import REQUEST, RESPONSE, Change, Severity
from schemadiff.normalise import Node, places
from schemadiff.rules import RULES, breaks, judge, names
from schemadiff.rules.objects import HIDDEN_BY
from schemadiff.steps import DECODED, field_text

if TYPE_CHECKING:
    from schemadiff.inclusion.checker import Answer, Checker
    from schemadiff.normalise import Normaliser, View

#: wall clock for all the checker's questions of one comparison; past it answers are "unknown"
VERIFY_SECONDS = 2.0   # the checker is a second opinion: a hostile schema may not make it the slow part
#: schema nodes looked at when making sure no readOnly/writeOnly hides a property below a place
HIDDEN_SCAN_LIMIT = 20_000
SETTLED = (Severity.BREAKING, Severity.DANGEROUS)


class Verification:
    """The checker's pass over one comparison's records."""

    def __init__(self, walk: Comparison, compat: str, examples: Examples):
        self.walk, self.compat, self.examples = walk, compat, examples
        self._checker: Checker | None = None
        self._answers: dict[tuple, Answer] = {}
        self._hidden: dict[tuple, bool] = {}
        self._deadline = time.monotonic() + VERIFY_SECONDS
        self.refuted: dict[tuple, tuple] = {}   # record key -> (answer, mode, roots, steps)
        self.proven: set[tuple] = set()          # keys of records the checker proved false
        self.asked = 0

    # --- the questions ----------------------------------------------------------------------

    @property
    def checker(self) -> Checker:
        """The comparison's own checker (built on the first question, and already holding what the
        union comparators asked of it), held to this pass's deadline."""
        if self._checker is None:
            self._checker = self.walk.checker()
            self._checker.deadline = self._deadline
        return self._checker

    def ask(self, old: tuple, new: tuple, mode: str) -> Answer:
        """``old ⊆ new`` (backward) or ``new ⊆ old`` (forward), once per pair of places: an
        :class:`~schemadiff.inclusion.Answer` (imported here: greenery only when a question is
        asked)."""
        from schemadiff.inclusion.checker import UNKNOWN, Answer

        key = (places(old), places(new), mode)
        known = self._answers.get(key)
        if known is not None:
            return known
        if time.monotonic() > self._deadline:
            return Answer(UNKNOWN, reason="budget: the checker's time for this comparison ran out")
        budget.check()
        self.asked += 1
        try:   # the deadline also interrupts a long validation of a witness, not only between steps
            with budget.time_limit(max(self._deadline - time.monotonic(), 0.01), budget.OverBudget):
                answer = self.checker.between(old, new, backward=mode == "backward")
        except budget.OverBudget:
            answer = Answer(UNKNOWN, reason="budget")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as err:
            answer = Answer(UNKNOWN, reason=f"the checker could not read the schemas: {err}")
        self._answers[key] = answer
        return answer

    # --- the records -----------------------------------------------------------------------

    def settle(self, changes: list[Change]) -> list[Change]:
        """Each candidate judged by the checker: proven ones come back safe, with the reason.
        Run after the rules' examples: a record with a verified example needs no question."""
        out = []
        for change in changes:
            judged = self._settle_one(change)
            out.append(judged)
        return out

    def _settle_one(self, change: Change) -> Change:
        question = self._question(change)
        if question is None:
            return change
        old, new, ctx, old_view, wanted, whole = question
        answers = self._judgements(old, new, ctx, wanted)
        if all(answer.proven for _, answer in answers):
            self.proven.add(change.key)
            return self._proven(change, old_view, wanted)
        refuted = next(((mode, answer) for mode, answer in answers if answer.refuted), None)
        if refuted is not None:
            mode, answer = refuted
            roots, steps = self._witness_place(change, ctx, whole)
            self.refuted[change.key] = (answer, mode, (roots[0], roots[1]), steps)
        return change

    def _question(self, change: Change) \
            -> tuple[tuple, tuple, Context, View, list[str], bool] | None:
        """What to ask the checker about a record (its two places, the context, the old view,
        the modes its severity comes from, and whether the places are the whole bodies), or None
        when the record is not the checker's to judge."""
        place = self.walk.places.get(change.key)
        rule = RULES.get(change.rule)
        if place is None or rule is None or rule.fixed is not None or rule.unchecked or \
                change.severity not in SETTLED or change.example is not None or \
                change.no_example == "budget":
            # a verified example already proves the record; a schema whose validation ran out
            # of time for the example would only run out again for the checker's witness
            return None
        (old_view, new_view), ctx = place
        if ctx.wire is not None or not ctx.reachable or not ctx.roots or DECODED in ctx.field:
            # values on the wire are text, and a contentSchema describes a string's decoded
            # content, which validators do not read: JSON inclusion decides neither
            return None
        wanted = modes(change, self.compat)
        if not wanted:
            return None   # a convention, not set semantics (a request field no longer read)
        if ctx.both_ways or _lifted(change):
            # inside overlapping oneOf branches only the whole body can tell
            old, new, whole = (ctx.roots[0],), (ctx.roots[1],), True
        else:
            old, new, whole = tuple(old_view.conj), tuple(new_view.conj), False
        if self._hides(old, new, ctx):
            return None
        return old, new, ctx, old_view, wanted, whole

    def _judgements(self, old: tuple, new: tuple, ctx: Context, wanted: list[str]) \
            -> list[tuple[str, Answer]]:
        answers = [(mode, self.ask(old, new, mode)) for mode in wanted]
        if ctx.direction is None and old[0] is not ctx.roots[0] and \
                any(not answer.proven for _, answer in answers):
            # in a plain document, undecided here (a union only several branches cover) or
            # refuted at a place no document reaches: the whole document may still be proven.
            # (Not in an API: its bodies are many and big, the question costs seconds on GitHub,
            # and what is undecided at a place is nearly always undecided for the body too.)
            whole = [(mode, self.ask((ctx.roots[0],), (ctx.roots[1],), mode)) for mode in wanted]
            if all(answer.proven for _, answer in whole):
                return whole
        return answers

    def _witness_place(self, change: Change, ctx: Context, whole: bool) -> tuple[tuple, tuple]:
        """Where a witness for the record is placed: the two bodies and the steps into them (the
        plainest body the record was met in, when the walk kept one)."""
        if whole:
            return ctx.roots, ()
        steps = ctx.field[ctx.depth:]
        probe = self.walk.probes.get(change.key)
        if probe is not None and steps:
            return probe.roots, probe.steps
        return ctx.roots, steps

    def _proven(self, change: Change, old_view: View, wanted: list[str]) -> Change:
        reason = _reason(old_view, wanted)
        details = {**change.details, "inclusion": "proven", "severity_before": change.severity.value}
        proven = change.but(severity=Severity.SAFE, details=details,
                         message=f"{change.message} ({reason})")
        return proven

    def _hides(self, old: tuple, new: tuple, ctx: Context) -> bool:
        """Would OpenAPI's request/response view leave out properties below here? Then the
        checker's answer (about the raw schema) does not speak for the view."""
        keyword = HIDDEN_BY.get(ctx.direction)
        if keyword is None or not self.walk.read_write_views:
            return False
        return self._mentions(self.walk.old, old, keyword) or \
            self._mentions(self.walk.new, new, keyword)

    def _mentions(self, side: Normaliser, conj: tuple, keyword: str) -> bool:
        key = (id(side), places(conj), keyword)
        known = self._hidden.get(key)
        if known is None:
            known = self._hidden[key] = _mentions(side, conj, keyword)
        return known

    def witnesses(self, changes: list[Change]) -> list[Change]:
        """Refuted breaking records without an example of their own carry the checker's witness,
        placed in the whole body and validated like any example."""
        out = []
        for change in changes:
            found = self.refuted.get(change.key)
            if found is not None and change.example is None and \
                    change.severity is Severity.BREAKING:
                answer, mode, roots, steps = found
                about = change.details.get("name")
                about = about if isinstance(about, str) else None
                example = self.examples.confirm(answer.witness, mode, roots, steps, about=about)
                if example is None and steps:
                    # the witness cannot be placed there (a dependent schema the old side did
                    # not have): a whole document, shown if it is refused for this change alone
                    whole = self.ask((roots[0],), (roots[1],), mode)
                    if whole.refuted:
                        example = self.examples.confirm(whole.witness, mode, roots, (), steps,
                                                        about=about)
                if example is not None:
                    change = change.but(example=example, no_example=None)
            out.append(change)
        return out

    # --- the safety net --------------------------------------------------------------------

    def safety_net(self, changes: list[Change], strict: bool) -> list[Change]:
        """One record per body (or document) that the checker proves changed the way that
        matters when no record below it says so. Asked for every plain document, and for the
        bodies of an API where the checker proved a record harmless (so that nothing hides
        behind the record it made milder): asking it of every body of a big API costs seconds
        (Stripe: 10 s), and there the rules' own records cover what changed."""
        endpoints: dict[tuple, list[str]] = {}
        bodies: dict[tuple, tuple] = {}
        for old, new, ctx, key in self.walk.bodies:
            if key is None or ctx.wire is not None or not ctx.reachable:
                continue
            bodies.setdefault(key, (old, new, ctx))
            if ctx.endpoint and ctx.endpoint not in endpoints.setdefault(key, []):
                endpoints[key].append(ctx.endpoint)
        added = []
        for key, (old, new, ctx) in bodies.items():
            found = self.walk.below(key)
            if ctx.direction is not None and not any(c.key in self.proven for c in found):
                continue   # see the docstring
            below = [c for c in found if c.key not in self.proven]
            for mode in self._body_modes(ctx):
                if any(breaks(c.effect, mode) for c in below):
                    continue
                if self._hides(old, new, ctx):
                    continue
                answer = self.ask(old, new, mode)
                if not answer.refuted:
                    continue
                example = self.examples.confirm(answer.witness, mode, (old[0], new[0]), ())
                if example is None:
                    continue
                added.append(self._net_record(old[0], new[0], ctx, mode, example,
                                              endpoints.get(key, []), strict))
                break
        return changes + added

    def _body_modes(self, ctx: Context) -> list[str]:
        if ctx.direction == REQUEST:
            return ["backward"]
        if ctx.direction == RESPONSE:
            return ["forward"]
        return ["backward", "forward"] if self.compat == "full" else [self.compat]

    def _net_record(self, old: Node, new: Node, ctx: Context, mode: str, example: dict,
                    endpoints: list[str], strict: bool) -> Change:
        rule = RULES["not-included"]
        details = {"refused_by": "new" if mode == "backward" else "old"}
        return Change(
            id=rule.qualified(ctx.direction), rule=rule.id,
            severity=judge(rule, ctx.direction, self.compat, strict), direction=ctx.direction,
            action=rule.action, resource=ctx.resource, endpoint=ctx.endpoint,
            path={"old": old.where, "new": new.where}, message=rule.message(details),
            field=field_text(ctx.field), details=details, endpoints=list(endpoints),
            effect=rule.effect, example=example, steps=ctx.field)


def _lifted(change: Change) -> bool:
    """A record whose effect the context changed (overlapping ``oneOf`` branches: both ways)."""
    rule = RULES.get(change.rule)
    return rule is not None and change.effect is not rule.effect


def _reason(old_view: View, wanted: list[str]) -> str:
    """Why the record does not break, as a reader wants it."""
    if wanted == ["backward"] and old_view.enum is not None and len(old_view.enum) <= 12:
        return f"absorbed by the enum {names(list(old_view.enum.values()))}"
    if wanted == ["backward"]:
        return "whatever was accepted before is still accepted: proven"
    if wanted == ["forward"]:
        return "whatever is accepted now was accepted before: proven"
    return "both versions accept the same values: proven"


def _mentions(side: Normaliser, conj: tuple, keyword: str) -> bool:
    """Does ``keyword: true`` appear in these schemas or anything they refer to? (True when
    the look is cut short: unsure counts as yes.)"""
    stack = [node for node in conj if isinstance(node, Node)]
    seen: set[int] = set()
    looked = 0
    while stack:
        node = stack.pop()
        value = node.value
        if not isinstance(value, (dict, list)) or id(value) in seen:
            continue
        seen.add(id(value))
        looked += 1
        if looked > HIDDEN_SCAN_LIMIT:
            return True
        if isinstance(value, dict):
            if value.get(keyword) is True:
                return True
            if isinstance(value.get("$ref"), str):
                try:
                    target = side.resolve(node)
                except Exception:  # noqa: BLE001 - an unreadable reference: unsure
                    return True
                if isinstance(target, Node):
                    stack.append(target)
            for key, child in value.items():
                if isinstance(child, (dict, list)) and key not in ("example", "examples",
                                                                   "enum", "const", "default"):
                    stack.append(Node(node.doc, node.pointer, child))
        else:
            stack.extend(Node(node.doc, node.pointer, child) for child in value
                         if isinstance(child, (dict, list)))
    return False
