"""Walk two schemas in step and collect change records.

The walk is driven by the comparators of the rule catalogue; this module supplies what they need: the
canonical views of both sides, :meth:`Comparison.descend` to go one level deeper, and
:meth:`Comparison.report` which stamps the context (resource, endpoint, direction, instance field) and the
judged severity onto what a comparator found.

Three habits keep it fast on real schemas, where most of the document does not change:

* a pair of subtrees that are equal as raw JSON (a C-speed ``==``) and whose references lead to equal
  places is skipped without building anything;
* each pair of schema locations is compared once per direction; meeting it again (another endpoint that
  uses the same definition) only adds that endpoint to the records found the first time;
* a pair already being compared higher up (a recursive schema) is not entered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from schemadiff.context import Context
from schemadiff.errors import InputError
from schemadiff.load import unescape_token
from schemadiff.model import Change, Effect, Severity
from schemadiff.normalise import Conj, Node, Normaliser, View, canonical, places
from schemadiff.rules import COMPARATORS, STOP, Rule, judge, load_catalogue, references
from schemadiff.steps import field_text, placeable

if TYPE_CHECKING:
    from schemadiff.inclusion.checker import Checker


def conj(side: Normaliser, nodes: Iterable[Node] | None, at: str) -> Conj:
    """Nodes as a conjunction; none stands for ``true`` (anything), placed at ``at``."""
    return tuple(nodes) if nodes else (Node(side.workspace.main, at, True),)


class Probe(NamedTuple):
    """What examples.py needs to build a counterexample for a record: the rule (its witness),
    the pair of views where it was found, the two bodies (or documents) it was met in, the field
    steps from there to the record, and the rule's hint (the branch removed, ...)."""

    rule: Rule
    views: tuple
    roots: tuple
    steps: tuple
    hint: Any


class _Reach:
    """What the walk learns about a record after filing it, as other places meet it again: the
    endpoints that reach it (a dict: a set in the order met), each resource's shortest field
    to it, and its shortest field overall."""

    __slots__ = ("endpoints", "resources", "steps")

    def __init__(self, endpoint: str | None, resource: str | None, steps: tuple):
        self.endpoints: dict[str, None] = {endpoint: None} if endpoint else {}
        self.resources: dict[str | None, tuple] = {resource: steps}
        self.steps = steps


class Comparison:
    """One comparison of two workspaces. The walk files each record once, frozen, in ``changes``
    (by record key, in the order found) and keeps what it learns about it later (the endpoints
    that reach it, its shortest field) beside it; :meth:`records` hands out the finished records.
    Side tables (``probes``, ``places``, swaps) are keyed by the record key (``Change.key``), so
    they stay valid for the copies later stages make."""

    def __init__(self, old: Normaliser, new: Normaliser, compat: str = "backward",
                 strict: bool = False):
        load_catalogue()
        self.old, self.new = old, new
        self.compat, self.strict = compat, strict
        self.changes: dict[tuple, Change] = {}
        self._log: list[tuple] = []       # (record key, field steps) as found, for the memo
        #: record key -> what the walk learnt about it after filing it (see :class:`_Reach`)
        self._reached: dict[tuple, _Reach] = {}
        self._memo: dict[tuple, list[tuple]] = {}
        #: pair -> what meeting it again reaches, cycles' cuts followed (see _replay)
        self._replays: dict[tuple, tuple[list, list]] = {}
        self._still_open: dict[tuple, tuple] = {}   # pair -> a pair its cuts went back to, open
        self._active: set[tuple] = set()
        self._stable: dict[tuple, bool] = {}
        self._refs: dict[int, tuple] = {}   # id(raw value) -> its $refs and boolean places
        self._views: list[tuple[View, View]] = []   # the pair of views being compared, innermost last
        self._referring: list[tuple[str, str]] = []  # where each of those pairs was referred from
        #: equivalent() answers by content, shared with the probes it starts (see content_key)
        self._equivalent: dict[tuple, tuple] = {}
        #: what examples.py needs to build a counterexample for a record: record key -> probe
        self.probes: dict[tuple, Probe] = {}
        #: inclusion checkers over these two sides, built on first use (see :meth:`checker`)
        self._checkers: dict[tuple[str, str], Checker] = {}
        #: proven disjointness of two places (rules/combinators.py ``apart``), shared with probes
        self.apart_memo: dict[tuple, bool] = {}
        #: where each record was found, for the inclusion checker (second_opinion.py): record key ->
        #: (the pair of views compared there, the context)
        self.places: dict[tuple, tuple] = {}
        #: every pair of whole bodies or documents compared: (old conj, new conj, context, memo key)
        self.bodies: list[tuple] = []
        #: OpenAPI's readOnly/writeOnly take properties out of the request/response view (set by
        #: surface.py for OpenAPI; hyper-schemas use readOnly for "not updatable", not "not sent")
        self.read_write_views = False
        #: reference-swapped record key -> the memo keys of the pairs of targets it made us
        #: compare (one per direction that meets it)
        self.swaps: dict[tuple, list[tuple]] = {}
        #: the finished records, once :meth:`records` made them
        self._final: dict[tuple, Change] | None = None

    # --- entry points -------------------------------------------------------------------------

    def schemas(self, old: Node | None, new: Node | None, ctx: Context, at_old: str = "",
                at_new: str = "") -> None:
        """Compare two schemas; a missing one stands for ``true`` (anything), located at ``at_*``."""
        old_conj = conj(self.old, [old] if old is not None else None, at_old)
        new_conj = conj(self.new, [new] if new is not None else None, at_new)
        # a parameter's value is no document: its examples come from a body that holds it
        depth = len(ctx.field) if ctx.wire is None else 0
        ctx = ctx.but(roots=(old_conj[0], new_conj[0]), depth=depth)
        key = self.compare(old_conj, new_conj, ctx)
        self.bodies.append((old_conj, new_conj, ctx, key))

    # --- the walk -----------------------------------------------------------------------------

    def below(self, key: tuple | None) -> list[Change]:
        """The records found at or below a pair compared (through its memo), still standing."""
        found = self._memo.get(key, ()) if key is not None else ()
        final = self._final or {}
        return [final.get(record) or self.changes[record] for record, _ in found
                if record in self.changes]

    def compare(self, old: Conj, new: Conj, ctx: Context) -> tuple | None:
        """Compare a pair of schemas here; returns the key its memo is filed under (None: equal,
        never walked)."""
        referring = old, new
        old, new = self._through_ref(self.old, old), self._through_ref(self.new, new)
        if self.same(old, new):
            return None
        key = (places(old), places(new), ctx.direction, ctx.reachable, ctx.both_ways, ctx.wire)
        if key[0] != key[1] or _has_all_of(referring[0]) or _has_all_of(referring[1]):
            self._swapped(referring, (old, new), ctx, key)
        if key in self._active:
            # a cycle: the pair is being compared higher up, so what lies below it is not known
            # yet; the memo of every pair around here notes where it was cut, and meeting such a
            # memo again later replays the finished pair's records from there (see _seen)
            self._log.append((_Cut(key), ctx.field))
            return key
        found = self._memo.get(key)
        if found is not None:
            flat = self._replay(key)
            if flat is None:
                self._seen(found, ctx)
            else:
                self._note(flat[0] if self._active else flat[1], ctx)
            return key
        self._active.add(key)
        start = len(self._log)
        try:
            views = self.old.view(old), self.new.view(new)
            self._views.append(views)
            self._referring.append((referring[0][0].where, referring[1][0].where))
            try:
                for comparator in COMPARATORS:
                    if comparator(*views, self, ctx) is STOP:
                        break
            finally:
                self._views.pop()
                self._referring.pop()
        finally:
            self._active.discard(key)
        # remember each record found below this pair once, with its shortest field below it; the
        # log keeps that much for the pairs around this one, and nothing once no pair is open
        depth = len(ctx.field)
        below: dict[tuple, tuple] = {}
        for record_key, steps in self._log[start:]:
            suffix = steps[depth:]
            if record_key not in below or len(suffix) < len(below[record_key]):
                below[record_key] = suffix
        self._memo[key] = list(below.items())
        if self._active:
            self._log[start:] = [(record_key, ctx.field + suffix) for record_key, suffix in below.items()]
        else:
            del self._log[start:]
        return key

    def referring(self) -> tuple[str, str]:
        """Where the pair being compared was referred to from (see the Walk protocol)."""
        return self._referring[-1]

    def _swapped(self, referring: tuple[Conj, Conj], targets: tuple[Conj, Conj], ctx: Context,
                 key: tuple) -> None:
        """This place now refers to another definition (or to an inline copy, or the other way):
        one fact here, whose consequences are whatever differs between the two targets."""
        # a reference followed, or a local one wrapped (``allOf: [{$ref}]`` made nullable, ...)
        refs = [_reference(conj) if conj is not target else _wrapped(conj)
                for conj, target in zip(referring, targets, strict=True)]
        if (refs[0] is None and refs[1] is None) or refs[0] == refs[1]:
            return
        for conj, ref, other in zip(referring, refs, reversed(refs), strict=True):
            if ref is None and (len(conj) != 1 or not isinstance(conj[0].value, dict)
                                or "$ref" in conj[0].value or "allOf" in conj[0].value):
                return  # not a plain inline schema either (an allOf split, a remote reference)
            if ref is None and other in self._scan(conj[0].value)[0]:
                return  # a wrapper around the same definition (made nullable, ...): no swap
        swap = self.report(references.reference_swapped, ctx, old_at=referring[0][0].where,
                           new_at=referring[1][0].where, old=_target_name(refs[0]),
                           new=_target_name(refs[1]))
        if swap is not None:   # one record, whichever directions meet it: each has its pair
            keys = self.swaps.setdefault(swap.key, [])
            if key not in keys:
                keys.append(key)

    def consequences(self) -> list[tuple[tuple, list[tuple[tuple, tuple]]]]:
        """Each reference swap (its record key) with the keys of the records found below the two
        targets it made us compare, each with its field below the referring place."""
        out = []
        for swap, keys in self.swaps.items():
            below: dict[tuple, tuple] = {}
            for key in keys:
                for record_key, suffix in self._memo.get(key, ()):
                    below.setdefault(record_key, suffix)
            out.append((swap, [(k, suffix) for k, suffix in below.items()
                               if k in self.changes and k != swap]))
        return out

    def amend(self, record: Change, **changes: Any) -> Change:
        """A record filed in this walk, replaced by a copy with ``changes`` (a judgement the
        walk makes from records found after it: a removed resource costs what its operations
        cost). Only the walk amends its records; later stages make copies of their own."""
        amended = record.but(**changes)
        self.changes[record.key] = amended
        return amended

    def records(self) -> list[Change]:
        """The records, in the order found, each with every endpoint and resource that reaches
        it and its shortest field: what the walk hands to the stages after it."""
        if self._final is None:
            final = {}
            for key, change in self.changes.items():
                reach = self._reached[key]
                final[key] = change.but(endpoints=list(reach.endpoints),
                                        reached=dict(reach.resources), steps=reach.steps,
                                        field=field_text(reach.steps))
            self._final = final
        return list(self._final.values())

    @staticmethod
    def _through_ref(side: Normaliser, conj: Conj) -> Conj:
        """A schema that is nothing but a ``$ref`` is the schema it refers to: every operation that
        refers to a shared definition then meets the same pair, compared once."""
        if len(conj) != 1:
            return conj
        node = conj[0]
        value = node.value
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str):
            target = side.resolve(node)
            if not isinstance(target, str):
                return (target,)
        return conj

    def descend(self, old: list | None, new: list | None, ctx: Context, old_at: str = "",
                new_at: str = "") -> None:
        """Compare two child schemas (lists of conjoined nodes); None stands for ``true``."""
        self.compare(conj(self.old, old, old_at), conj(self.new, new, new_at), ctx)

    def views(self, old: list | None, new: list | None, old_at: str = "", new_at: str = "") \
            -> tuple[View, View]:
        return self.old.view(conj(self.old, old, old_at)), self.new.view(conj(self.new, new, new_at))

    def equivalent(self, old: list | None, new: list | None) -> bool:
        """True when two child schemas accept the same documents (no change would be reported).

        Answered once per pair of contents: a definition that uses the next one twice (through
        ``allOf``/``anyOf``, or YAML aliases that put one value at many places) would otherwise be
        asked again for every path to it, 2**depth times. A pair met again while it is being
        answered is taken as equivalent (co-inductively, as ``same()`` does for references)."""
        old_conj, new_conj = conj(self.old, old, ""), conj(self.new, new, "")
        key = (content_key(old_conj), content_key(new_conj))
        known = self._equivalent.get(key)
        if known is not None:
            return known[0]
        self._equivalent[key] = (True, old_conj, new_conj)  # the nodes keep their ids taken
        probe = Comparison(self.old, self.new, self.compat, self.strict)
        probe._stable, probe._refs, probe._equivalent = self._stable, self._refs, self._equivalent
        probe._checkers, probe.apart_memo = self._checkers, self.apart_memo
        probe.compare(old_conj, new_conj, Context())
        answer = not any(c.effect is not Effect.NONE for c in probe.changes.values())
        self._equivalent[key] = (answer, old_conj, new_conj)
        return answer

    def checker(self, left: str = "old", right: str = "new") -> Checker:
        """The inclusion checker between two sides ("old" or "new"; the same side twice asks
        about two places of one version), built once per comparison: its answers are memoised per
        pair of places, and it imports the validator only when a question needs it."""
        key = (left, right)
        found = self._checkers.get(key)
        if found is None:
            from schemadiff.inclusion import Side
            from schemadiff.inclusion.checker import Checker

            sides = {name: Side.of_normaliser(getattr(self, name), name) for name in {left, right}}
            found = self._checkers[key] = Checker(sides[left], sides[right])
        return found

    # --- records ------------------------------------------------------------------------------

    def report(self, rule: Rule, ctx: Context, *, old_at: str | None, new_at: str | None,
               old: Any = None, new: Any = None, hint: Any = None, effect: Effect | None = None,
               **details: Any) -> Change | None:
        """Record that ``rule`` applies here; the engine adds context, severity and message.

        ``hint`` is handed to the rule's witness (the branch that was removed, ...), not recorded;
        ``effect`` replaces the rule's own when this occurrence moves acceptance both ways."""
        if rule.api_only and ctx.direction is None:
            return None
        data = {**details, "old": old, "new": new}
        path = {"old": old_at, "new": new_at}
        # prose reads the same in every direction: one record however many directions reach it
        record_id = rule.qualified(ctx.direction if rule.directional else None)
        key = (record_id, old_at, new_at, canonical(details))
        existing = self.changes.get(key)
        if existing is not None:
            self._seen(((key, ()),), ctx)
            return existing
        effect = effect or rule.effect
        if ctx.both_ways and effect in (Effect.NARROWS, Effect.WIDENS):
            effect = Effect.BOTH
        severity = judge(rule, ctx.direction, self.compat, self.strict, effect) if ctx.reachable \
            else Severity.INFO
        if not ctx.reachable:
            details["unreferenced"] = True
        change = Change(
            id=record_id, rule=rule.id, severity=severity, direction=ctx.direction,
            action=rule.action, resource=ctx.resource, endpoint=ctx.endpoint, path=path,
            message=rule.message(data), field=field_text(ctx.field), old=old, new=new,
            details=details, endpoints=[ctx.endpoint] if ctx.endpoint else [], effect=effect,
            steps=ctx.field, reached={ctx.resource: ctx.field}, key=key)
        self.changes[key] = change
        self._reached[key] = _Reach(ctx.endpoint, ctx.resource, ctx.field)
        if self._active:
            self._log.append((key, ctx.field))
        if self._views and ctx.reachable:
            self.places[key] = (self._views[-1], ctx)
        if rule.witness is not None and ctx.roots and self._views and ctx.reachable:
            self.probes[key] = Probe(rule, self._views[-1], ctx.roots, ctx.field[ctx.depth:], hint)
        return change

    def _seen(self, found: Iterable[tuple], ctx: Context, replayed: set | None = None) -> None:
        """Known changes met again from another place, each ``(record key, field steps below
        ctx.field)``: note them (:meth:`_note`), then, below a cycle's cut, replay the records of
        the pair it went back to, each pair once per meeting."""
        cuts = self._note(found, ctx)
        if not cuts:
            return
        replayed = set() if replayed is None else replayed   # each pair once per meeting
        for pair, steps in cuts:   # below a cycle's cut: the records of the pair it went back to
            memo = self._memo.get(pair)
            if memo is not None and pair not in replayed and pair not in self._active:
                replayed.add(pair)
                self._seen(memo, ctx.but(field=steps), replayed)

    def _replay(self, key: tuple) -> tuple[list, list] | None:
        """What :meth:`_seen` does on meeting the finished pair ``key`` again, as one list of
        ``(record key or cut, steps below the meeting)`` to :meth:`_note`, in the order it would
        note them; None while a pair that its cuts go back to is still open (then the walk is
        not settled and ``_seen`` follows the cuts itself).

        Inside a recursive cluster of definitions (Stripe's expandable objects: 21 pairs that
        go back to each other) every meeting would otherwise replay every memo of the cluster,
        hundreds of entries for a handful of records. Once the cluster is finished, the replay
        is the same at every meeting up to the steps in front, so it is made once, and only the
        entries that can change something are kept: the first of each key, one shorter than
        all before it, or the first placeable one (a record's endpoints, shortest field and
        plainest body, and the log's shortest suffix, are all decided by those). Returns the
        list for a meeting inside an open pair (cuts included: the log keeps them) and the one
        without cuts, as a pair."""
        known = self._replays.get(key)
        if known is not None:
            return known
        blocker = self._still_open.get(key)
        if blocker is not None and blocker not in self._memo:
            return None
        entries: list[tuple] = []
        open_pair = _follow(self._memo, self._memo[key], (), entries, set())
        if open_pair is not None:
            self._still_open[key] = open_pair
            return None
        kept: list[tuple] = []
        best: dict = {}   # key -> (shortest steps so far, any placeable so far)
        for found, prefix, suffix in entries:
            length = len(prefix) + len(suffix)
            before = best.get(found)
            if before is not None and length >= before[0] and before[1]:
                continue
            fit = placeable(prefix) and placeable(suffix)
            if before is None or length < before[0] or (fit and not before[1]):
                best[found] = (length if before is None else min(length, before[0]),
                               fit or (before is not None and before[1]))
                kept.append((found, prefix + suffix if suffix else prefix))
        replay = self._replays[key] = (kept, [e for e in kept if type(e[0]) is not _Cut])
        return replay

    def _note(self, found: Iterable[tuple], ctx: Context) -> list[tuple]:
        """Known changes met again from another place, each ``(record key, field steps below
        ctx.field)``: note the endpoint, keep the shortest field, and the plainest body for
        examples. Returns the cycle's cuts met, ``(pair, steps)``, for :meth:`_seen`.

        Runs once per record below every memoised pair met again (a definition used by hundreds of
        endpoints), so in constant time each: what it learns goes to the record's :class:`_Reach`
        (the record itself is frozen), and nothing is looked up twice."""
        field, endpoint, roots, resource = ctx.field, ctx.endpoint, ctx.roots, ctx.resource
        log = self._log if self._active else None
        reached_by_key = self._reached
        # placeable(field + suffix), with the field's half asked once per meeting (a cluster's
        # replay notes thousands of records, each at a long field of its own)
        field_fits = bool(roots) and placeable(field)
        cuts = []
        for key, suffix in found:
            steps = field + suffix if suffix else field
            if log is not None:
                log.append((key, steps))
            if type(key) is _Cut:
                cuts.append((key.pair, steps))
                continue
            reach = reached_by_key.get(key)
            if reach is None:
                continue
            if endpoint and endpoint not in reach.endpoints:
                reach.endpoints[endpoint] = None
            from_there = reach.resources.get(resource)
            if from_there is None or len(steps) < len(from_there):
                reach.resources[resource] = steps
            shorter = len(steps) < len(reach.steps)
            if shorter:
                reach.steps = steps
            if not field_fits or (suffix and not placeable(suffix)):
                continue
            probe = self.probes.get(key)
            if probe is not None and (shorter or not placeable(probe.steps)):
                # build its example from the plainest body that has it
                self.probes[key] = probe._replace(roots=roots, steps=steps[ctx.depth:])
        return cuts

    # --- the fast path ------------------------------------------------------------------------

    def same(self, old: Conj, new: Conj) -> bool:
        """Equal raw JSON whose references all lead to equal places: nothing can differ below."""
        if len(old) != 1 or len(new) != 1:
            return False
        o, n = old[0], new[0]
        if o.doc.draft != n.doc.draft or o.value != n.value:
            return False
        if not isinstance(o.value, (dict, list)):
            return type(o.value) is type(n.value) or (not isinstance(o.value, bool) and \
                not isinstance(n.value, bool))
        refs, old_bools = self._scan(o.value)
        _, new_bools = self._scan(n.value)
        if old_bools != new_bools:
            return False  # Python's == takes true for 1 and false for 0; JSON does not
        return all(self._stable_ref(ref, o, n) for ref in refs)

    def _scan(self, value: Any) -> tuple[tuple, int]:
        found = self._refs.get(id(value))
        if found is None:
            found = self._refs[id(value)] = _scan(value)
        return found

    def _stable_ref(self, ref: str, o: Node, n: Node) -> bool:
        key = (ref, id(o.doc), id(n.doc))
        known = self._stable.get(key)
        if known is not None:
            return known
        self._stable[key] = True  # co-inductive: a cycle of equal definitions is equal
        try:
            # where the reference sits only words an error, and an error here is an answer
            old_target = self.old.workspace.resolve(ref, o.doc, o.pointer)
            new_target = self.new.workspace.resolve(ref, n.doc, n.pointer)
        except InputError:
            stable = False  # a "$ref" that is not a reference (inside an example): decide by walking
        else:
            if isinstance(old_target, str) or isinstance(new_target, str):
                stable = old_target == new_target
            else:
                stable = self.same((Node.of(old_target),), (Node.of(new_target),))
        self._stable[key] = stable
        return stable


@dataclass(frozen=True)
class _Cut:
    """In a memo: the walk went back to ``pair``, still open then, at this field."""

    pair: tuple


def _follow(memos: dict, memo: list, prefix: tuple, entries: list, replayed: set) -> tuple | None:
    """Append to ``entries`` what :meth:`Comparison._seen` notes on meeting ``memo`` at
    ``prefix`` (as ``(key, prefix, suffix)``), in its order (the cuts' pairs replayed depth
    first, each once); the first pair met that is still open (no memo yet) stops it, and is
    returned."""
    cuts = []
    for found, suffix in memo:
        entries.append((found, prefix, suffix))   # steps: prefix + suffix
        if type(found) is _Cut:
            cuts.append((found.pair, prefix + suffix))
    for pair, steps in cuts:
        if pair in replayed:
            continue
        below = memos.get(pair)
        if below is None:
            return pair
        replayed.add(pair)
        open_pair = _follow(memos, below, steps, entries, replayed)
        if open_pair is not None:
            return open_pair
    return None


def _reference(conj: Conj) -> str | None:
    """The ``$ref`` of a schema that is nothing but one."""
    if len(conj) != 1:
        return None
    value = conj[0].value
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str):
        return value["$ref"]
    return None


#: what may sit beside ``allOf: [{"$ref": ...}]`` in a schema that is still just that reference
_WRAPPER_KEYS = {"allOf", "nullable", "type", "description", "title", "readOnly", "writeOnly",
                 "deprecated", "example", "examples", "default"}


def _has_all_of(conj: Conj) -> bool:
    return len(conj) == 1 and isinstance(conj[0].value, dict) and "allOf" in conj[0].value


def _wrapped(conj: Conj) -> str | None:
    """The local ``$ref`` of a schema that only wraps one (OpenAPI 3.0 cannot put ``nullable``
    beside a ``$ref``, so ``{nullable: true, allOf: [{$ref: X}]}`` is how it says "X or null")."""
    if len(conj) != 1 or not isinstance(conj[0].value, dict):
        return None
    value = conj[0].value
    parts = value.get("allOf")
    if not isinstance(parts, list) or len(parts) != 1 or not value.keys() <= _WRAPPER_KEYS:
        return None
    ref = _reference((Node(conj[0].doc, "", parts[0]),))
    return ref if ref is not None and ref.startswith("#/") else None


_LOCAL_PREFIXES = ("#/components/schemas/", "#/definitions/", "#/$defs/")


def _target_name(ref: str | None) -> str | None:
    """How a reviewer names a definition: ``pipeline-build``, ``app/definitions/name``."""
    if ref is None:
        return None
    for prefix in _LOCAL_PREFIXES:
        if ref.startswith(prefix):
            return unescape_token(ref[len(prefix):]) if "/" not in ref[len(prefix):] \
                else ref[len(prefix):]
    return ref


def content_key(nodes: Conj) -> tuple:
    """What a conjunction says, whatever place it sits at: the identity of each node's raw value
    (one value at many places through YAML aliases is one key). References resolve the same
    from any place in a document (refs.Workspace.resolve), so equal keys mean equal schemas."""
    return tuple((id(node.doc), id(node.value)) if isinstance(node.value, (dict, list))
                 else (id(node.doc), repr(node.value)) for node in nodes)


def _scan(value: Any) -> tuple[tuple[str, ...], int]:
    """Every ``$ref`` string in a JSON value (once each, in the order a depth-first walk meets
    them), and a hash of the places of its booleans (kept small: it is held for every subtree
    scanned). Places are hashed step by step rather than spelled as pointers: only their
    identity matters."""
    found: dict[str, None] = {}
    bools: set[int] = set()
    stack = [(0, value)]
    while stack:
        place, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found[ref] = None
            items: Iterable[tuple[Any, Any]] = node.items()
        else:
            items = enumerate(node)
        for key, child in items:
            if isinstance(child, (dict, list)):
                stack.append((hash((place, key)), child))
            elif child is True or child is False:
                bools.add(hash((place, key)))
    return tuple(found), hash(frozenset(bools))
