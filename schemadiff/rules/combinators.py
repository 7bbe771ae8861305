"""Combinators: ``anyOf``/``oneOf`` branches, ``not``, ``if``/``then``/``else``, ``unevaluated*``.

``allOf`` has no rules of its own: its parts are merged into one view, so splitting an object into
``allOf`` parts is no change at all. A one-branch ``anyOf``/``oneOf`` is its branch, and a schema
that becomes a union (or stops being one) is compared with its closest branch
(:func:`split_unions`): the other branches are reported once, as what documents may now also be
(or may no longer be).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemadiff.errors import InputError
from schemadiff.model import RESPONSE, Effect, Severity
from schemadiff.normalise import Node, canonical_types, intersect_types, type_of
from schemadiff.rules import STOP, Details, compares, rule, show
from schemadiff.samples import MISSING
from schemadiff.steps import ELSE, THEN, UNEVALUATED_ITEMS, UNEVALUATED_PROPERTIES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import Node, View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler


@rule("anyof-branch-added", action="added", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"anyOf": [{"type": "string"}]},
               {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]}))
def anyof_branch_added(d: Details) -> str:
    """Documents of a new shape are accepted. In a response, old clients meet a shape they never
    handled; those that ignore what they do not understand survive, so it is dangerous. Under a
    ``oneOf`` whose branches may overlap, this and every change inside a branch go both ways: a
    document that now matches two branches is rejected."""
    return f"now also accepts another form (alternative {d['index'] + 1}{_label(d)})"


@rule("anyof-branch-removed", action="removed", effect=Effect.NARROWS,
      example=({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]},
               {"anyOf": [{"type": "string"}]}))
def anyof_branch_removed(d: Details) -> str:
    """Documents that only matched the removed branch are rejected."""
    return f"no longer accepts one of its forms (alternative {d['index'] + 1}{_label(d)})"


@rule("anyof-added", action="added", effect=Effect.NARROWS,
      example=({"type": "object"},
               {"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]}))
def anyof_added(d: Details) -> str:
    """Documents must now match one of a list of schemas."""
    return f"now accepts only values of {_forms(d)} (`{d['keyword']}`)"


@rule("anyof-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
               {"type": "object"}))
def anyof_removed(d: Details) -> str:
    """A choice between schemas no longer constrains documents."""
    return f"no longer limited to values of {_forms(d)} (`{d['keyword']}`)"


def _forms(d) -> str:
    """"one of 3 forms" (``anyOf``), "exactly one of 3 forms" (``oneOf``), "a particular form"."""
    if d["count"] == 1:
        return "a particular form"
    return f"{'exactly one' if d['keyword'] == 'oneOf' else 'one'} of {d['count']} forms"


@anyof_branch_added.witnessed_by
@anyof_branch_removed.witnessed_by
def _value_of_the_lone_branch(accept: View, reject: View, change: Change, sampler: Sampler,
                              hint: Any) -> Iterable[Any]:
    """A value of the branch only one side has (handed over as the hint): its simplest value, then
    one with every listed property, which the other branches are less likely to take."""
    if hint is not None:
        own = sampler.for_node(hint)
        view = own.view((hint,))
        yield own.value(view)
        yield own.object(view, 0, full=True)


@anyof_added.witnessed_by
@anyof_removed.witnessed_by
def _value_outside_the_choice(accept: View, reject: View, change: Change, sampler: Sampler,
                              hint: Any) -> Iterable[Any]:
    yield sampler.value(accept)
    yield from ("a", 0, None, True, {}, [])


def _label(d) -> str:
    return f": `{d['label']}`" if d.get("label") else ""


def _branch_label(node) -> str | None:
    value = node.value
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            return value["$ref"]
        if isinstance(value.get("title"), str):
            return value["title"]
    return None


@rule("union-alternatives-added", action="added", effect=Effect.WIDENS,
      response=Severity.DANGEROUS,
      example=({"type": "boolean"},
               {"oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["false", "true"]}]}))
def union_alternatives_added(d: Details) -> str:
    """The schema became a choice (``anyOf``/``oneOf``). The old schema is compared with the
    closest new branch (the same schema or ``$ref`` target, the same discriminator value, title,
    shared properties, or the only branch of its type); the other branches are what documents may
    now also be, reported once. Requests accept more; in a response old clients meet shapes they
    never handled, so it is dangerous. A response property that another branch still carries is
    not reported removed. Under a ``oneOf`` whose other branches are not proven disjoint from
    the old documents, a document that now matches two branches is rejected: both ways."""
    return f"may now also be {d['shapes']} ({_branches(d)}{_overlap(d)})"


@rule("union-alternatives-removed", action="removed", effect=Effect.NARROWS,
      example=({"oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["false", "true"]}]},
               {"type": "boolean"}))
def union_alternatives_removed(d: Details) -> str:
    """The schema was a choice and no longer is: the new schema is compared with the closest old
    branch, and documents of the other branches are rejected."""
    return f"may no longer be {d['shapes']} ({_branches(d)}{_overlap(d)})"


@union_alternatives_added.witnessed_by
@union_alternatives_removed.witnessed_by
def _value_of_another_branch(accept: View, reject: View, change: Change, sampler: Sampler,
                             hint: Any) -> Iterable[Any]:
    """A value of each branch only the accepting side offers (handed over as the hint)."""
    for node in hint or ():
        own = sampler.for_node(node)
        view = own.view((node,))
        yield own.value(view)
        yield own.object(view, 0, full=True)


def _overlap(d) -> str:
    return "; they may overlap, and a value matching two of them is refused" if d.get("overlap") \
        else ""


def _branches(d) -> str:
    indexes = d["indexes"]
    word = "alternative" if len(indexes) == 1 else "alternatives"
    return f"{word} {', '.join(str(i) for i in indexes)} of `{d['keyword']}`"


def _describe(side, node) -> str:
    """A branch in a few words: its reference or title, else what it accepts, in the words of the
    first of :data:`BRANCH_WORDS` that has some."""
    value = node.value
    if isinstance(value, dict):
        for key in ("$ref", "title"):
            if isinstance(value.get(key), str):
                return f"`{value[key]}`"
    view = side.view((node,))
    return next(words for words in (describe(view) for describe in BRANCH_WORDS) if words is not None)


def _all_or_nothing(view) -> str | None:
    if view.never:
        return "nothing"
    return "any value" if view.is_trivial else None


def _enum_words(view) -> str | None:
    """At most four of its values: the reader recognises a set of values by a few of them."""
    if view.enum is None:
        return None
    values = [show(v) for v in view.enum.values()]
    return " or ".join(values[:4] + ([f"{len(values) - 4} more values"] if len(values) > 4 else []))


def _empty_object_words(view) -> str | None:
    closed = view.closed or view.max_properties == 0
    if _kinds_of(view) == frozenset({"object"}) and not view.properties and closed:
        return "an empty object"
    return None


def _array_of_reference_words(view) -> str | None:
    """An array whose items are one reference is named by it, like a branch that is one."""
    if _kinds_of(view) != frozenset({"array"}) or not view.items or len(view.items) != 1:
        return None
    item = view.items[0].value
    if isinstance(item, dict) and isinstance(item.get("$ref"), str):
        return f"an array of `{item['$ref']}`"
    return None


def _pattern_words(view) -> str | None:
    """A string by its (first) pattern, cut short: a pattern can be very long."""
    if not view.patterns:
        return None
    pattern = next(iter(view.patterns))
    shown = pattern if len(pattern) <= 40 else pattern[:39] + "…"
    return f"a string matching `{shown}`"


def _type_words(view) -> str:
    """The last resort, always some words: the types it accepts."""
    kinds = _kinds_of(view)
    if kinds is None:
        return "a value of another shape"
    return " or ".join(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}" for kind in sorted(kinds))


#: how a branch is put in words, most telling first; the last one always has words
BRANCH_WORDS = (_all_or_nothing, _enum_words, _empty_object_words, _array_of_reference_words,
                _pattern_words, _type_words)


def _shapes(side, nodes) -> str:
    shown = [_describe(side, node) for node in nodes[:4]]
    if len(nodes) > 4:
        shown.append(f"{len(nodes) - 4} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _kinds_of(view) -> frozenset | None:
    """The JSON types a view's values can have: its ``type``, or the types of its enum values."""
    if view.never:
        return frozenset()
    if view.enum is not None:
        kinds = canonical_types(type_of(v) for v in view.enum.values())
        return kinds if view.types is None else intersect_types(view.types, kinds)
    return view.envelope


def _types_apart(first, second) -> bool:
    if first is None or second is None:
        return False
    def widened(types):
        return set(types) | ({"integer"} if "number" in types else set())
    return not widened(first) & widened(second)


def apart(walk: Walk, first: tuple, first_side: str, second: Node, second_side: str) -> bool:
    """Proven: no document matches both the conjunction ``first`` and the schema ``second`` (each
    of the side named). Types first (cheap); then the inclusion checker; memoised per pair."""
    key = (first_side, tuple(n.where for n in first), second_side, second.where)
    known = walk.apart_memo.get(key)
    if known is not None:
        return known
    one, other = getattr(walk, first_side).view(first), getattr(walk, second_side).view((second,))
    answer = one.never or other.never or _types_apart(_kinds_of(one), _kinds_of(other)) or \
        walk.checker(first_side, second_side).disjoint(first, second).proven
    walk.apart_memo[key] = answer
    return answer


#: closeness of a branch to the schema on the other side, best first (see :func:`_closeness`)
SAME, SAME_TARGET, SAME_TAG, SAME_TITLE, SHARED_PROPERTIES, SAME_TYPE = 1000, 900, 800, 700, 100, 10
#: pairwise disjointness is asked of the checker for choices of at most this many branches
MAX_CHECKED_BRANCHES = 12
#: branches left unpaired are matched by closeness only while there are this few pairs to score
MAX_CLOSENESS_PAIRS = 256


def _bare(view) -> bool:
    """Says nothing beyond its type, annotations and its choices: the union is the schema."""
    saved = view.types, view.any_of, view.one_of
    view.types, view.any_of, view.one_of = None, [], []
    try:
        return view.is_trivial
    finally:
        view.types, view.any_of, view.one_of = saved


def _targets(side, conj, refs_only: bool = False) -> set:
    """Where the nodes of a conjunction lead through bare ``$ref``s (their places); with
    ``refs_only``, only the nodes that are references count (an inline branch is no target: two
    branches at the same position are not the same schema)."""
    out = set()
    for node in conj:
        if refs_only and not (isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str)):
            continue
        try:
            end = side.resolve(node)
        except InputError:  # a reference cycle: reported where the schema is read
            continue
        out.add(end if isinstance(end, str) else end.where)
    return out


def _tags(side, view, tag: str | None, mapping: dict) -> set:
    """The discriminator values a schema can carry: the enum of its tag property, or the mapping
    entries that refer to it."""
    found = set()
    if tag is not None and view.properties.get(tag):
        values = side.view(tuple(view.properties[tag])).enum
        if values is not None:
            found |= {v for v in values.values() if isinstance(v, str)}
    for node in view.conj:
        ref = node.value.get("$ref") if isinstance(node.value, dict) else None
        found |= {value for value, target in mapping.items() if target == ref}
    return found


def _closeness(walk, target: tuple, target_side, branch: tuple, branch_side, discriminator,
               depth: int = 0) -> int:
    """How surely ``branch`` is what ``target`` became (or was): the same schema, the same
    ``$ref`` target, the same discriminator value, the same title, shared properties (more is
    closer), arrays of close items, then only the same type; 0 when nothing relates them."""
    old_first = target_side is walk.old
    if walk.same(target, branch) if old_first else walk.same(branch, target):
        return SAME
    if _targets(target_side, target) & _targets(branch_side, branch, refs_only=True):
        return SAME_TARGET
    mine, theirs = target_side.view(target), branch_side.view(branch)
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        tag = discriminator["propertyName"]
        mapping = discriminator.get("mapping")
        mapping = mapping if isinstance(mapping, dict) else {}
        if _tags(target_side, mine, tag, mapping) & _tags(branch_side, theirs, tag, mapping):
            return SAME_TAG
    title = mine.annotations.get("title")
    if isinstance(title, str) and title == theirs.annotations.get("title"):
        return SAME_TITLE
    shared = set(mine.properties) & set(theirs.properties)
    if shared:
        return SHARED_PROPERTIES + 500 * len(shared) // len(set(mine.properties) |
                                                              set(theirs.properties))
    kinds_mine, kinds_theirs = _kinds_of(mine), _kinds_of(theirs)
    if kinds_mine == kinds_theirs == frozenset({"array"}) and mine.items and theirs.items and \
            depth < 3:
        inner = _closeness(walk, tuple(mine.items), target_side, tuple(theirs.items),
                           branch_side, None, depth + 1)
        if inner > SAME_TYPE:
            return inner // 2
    if kinds_mine is not None and kinds_theirs is not None and \
            not _types_apart(kinds_mine, kinds_theirs):
        return SAME_TYPE
    return 0


def _closest(walk, target: tuple, target_side, group: list, branch_side, discriminator):
    """The branch of ``group`` closest to ``target``; None when none relates to it, or when only
    types relate them and several branches share the type (a choice of constraints)."""
    scores = [_closeness(walk, target, target_side, (branch,), branch_side, discriminator)
              for branch in group]
    best = max(scores)
    if best == 0 or (best <= SAME_TYPE and scores.count(best) > 1):
        return None
    return group[scores.index(best)]


def _carried(walk, old_conj: tuple, new_conj: tuple, others: list) -> frozenset:
    """Response properties the closest branch lacks and another branch still lists: a reader
    can still receive them, so they are not removed."""
    missing = set(walk.old.view(old_conj).properties) - set(walk.new.view(new_conj).properties)
    if not missing:
        return frozenset()
    elsewhere: set = set()
    for branch in others:
        elsewhere |= set(walk.new.view((branch,)).properties)
    return frozenset(missing & elsewhere)


@dataclass(frozen=True)
class _Choices:
    """One side's open ``anyOf``/``oneOf`` groups as split_unions sorts them: the real choices
    (several branches), and the lone branches spliced into the side's conjunction."""

    side: str           # "old" or "new": the walk's attribute that reads this side
    view: Any
    open: list          # (keyword, group) still to choose from
    many: list          # the (keyword, group) that are real choices
    lone: list          # the branches spliced in (see _sides)

    @property
    def conj(self) -> tuple:
        return tuple(self.view.conj) + tuple(self.lone)

    @property
    def settled(self) -> bool:
        """No choice is left open: each group was a lone branch, spliced in."""
        return len(self.lone) == len(self.open)

    def one_choice(self) -> bool:
        """One real choice and nothing else: the rest is a type, annotations and lone branches,
        so the union *is* the schema."""
        return len(self.many) == 1 and len(self.open) - len(self.lone) == 1 and _bare(self.view)


@dataclass(frozen=True)
class _Split:
    """A plain schema on one side paired with a union on the other: ``best`` is the branch it is
    compared with; the others make one record."""

    action: str         # "added": the new side became a union; "removed": the old side was one
    keyword: str
    group: list
    best: Node

    @property
    def others(self) -> list:
        return [b for b in self.group if b is not self.best]


def _sides(old, new, old_open: list, new_open: list) -> tuple[_Choices, _Choices]:
    """Each side's choices. A lone branch is spliced in unless the other side has a real choice to
    pair it with (then the choices are paired branch by branch, lone ones included)."""
    old_many, old_lone = _real_and_lone(old_open)
    new_many, new_lone = _real_and_lone(new_open)
    return (_Choices("old", old, old_open, old_many, [] if new_many else old_lone),
            _Choices("new", new, new_open, new_many, [] if old_many else new_lone))


def _real_and_lone(groups: list) -> tuple[list, list]:
    """The groups that are real choices, and the branch of each of the others (:func:`_lone`)."""
    lones = [(keyword, group, _lone(keyword, group)) for keyword, group in groups]
    return ([(keyword, group) for keyword, group, one in lones if one is None],
            [one for _, _, one in lones if one is not None])


def _find_split(walk, old: _Choices, new: _Choices) -> _Split | None:
    """A schema that became a union (the old side settled, the new one nothing but one choice),
    or the mirror image, paired with the closest branch when one relates to it."""
    if old.settled and new.one_choice():
        return _closest_split(walk, "added", old, new)
    if new.settled and old.one_choice():
        return _closest_split(walk, "removed", new, old)
    return None


def _closest_split(walk, action: str, plain: _Choices, union: _Choices) -> _Split | None:
    keyword, group = union.many[0]
    best = _closest(walk, plain.conj, getattr(walk, plain.side), group, getattr(walk, union.side),
                    union.view.discriminator)
    return None if best is None else _Split(action, keyword, group, best)


def _compared(old: _Choices, new: _Choices, split: _Split | None) -> tuple[tuple, tuple]:
    """The two conjunctions compared: the closest branch joins the union's side."""
    if split is None:
        return old.conj, new.conj
    if split.action == "added":
        return old.conj, (*new.conj, split.best)
    return (*old.conj, split.best), new.conj


def _inside(walk, ctx, split: _Split | None, old_conj: tuple, new_conj: tuple):
    """The context below a union that appeared in a response: the properties the closest branch
    lacks and another branch lists are still carried, so not removed."""
    if split is None or split.action != "added" or ctx.direction != RESPONSE:
        return ctx
    carried = _carried(walk, old_conj, new_conj, split.others)
    return ctx.but(carried=carried) if carried else ctx


@compares
def split_unions(old: View, new: View, walk: Walk, ctx: Context) -> object:
    """Before anything else: a one-branch ``anyOf``/``oneOf`` is its branch, and a schema that
    became a union (or stopped being one) is compared with its closest branch, so that the rest
    of the catalogue compares like with like (never an object with the bare ``anyOf`` around it)."""
    if not (old.any_of or old.one_of or new.any_of or new.one_of) or old.never or new.never:
        return None
    old_open, new_open = old.open_choices(), new.open_choices()
    if not old_open and not new_open:
        return None
    old_choices, new_choices = _sides(old, new, old_open, new_open)
    split = _find_split(walk, old_choices, new_choices)
    if split is None and _same_lone(walk, old_choices.lone, new_choices.lone):
        return None
    old_conj, new_conj = _compared(old_choices, new_choices, split)
    walk.compare(old_conj, new_conj, _inside(walk, ctx, split, old_conj, new_conj))
    if split is not None:
        _report_alternatives(walk, ctx, split, old_conj, new_conj)
    return STOP


def _lone(keyword: str, group: list):
    """The one branch of a choice that has one: a single branch, or an ``anyOf`` that repeats one
    schema (YAML aliases: ``anyOf: [*a, *a]``); a ``oneOf`` that repeats one matches nothing."""
    first = group[0]
    if len(group) == 1 or (keyword == "anyOf" and all(
            b.doc is first.doc and (b.value is first.value or b.value == first.value)
            for b in group[1:])):
        return first
    return None


def _same_lone(walk, old_lone: list, new_lone: list) -> bool:
    """The same lone branches on both sides (none, or Stripe's expandable ``anyOf: [{$ref:
    ...}]``): the choices pair them as they are, and the walk skips the equal pair at once."""
    return len(old_lone) == len(new_lone) and \
        all(walk.same((o,), (n,)) for o, n in zip(old_lone, new_lone, strict=True))


def _report_alternatives(walk, ctx, split: _Split, old_conj, new_conj) -> None:
    """The branches the other side was not matched with, in one record, leaving out those the
    checker proves the other side already accepts (or accepted): they change nothing. Under
    ``oneOf`` they move acceptance both ways unless each is proven disjoint from every document of
    the other side (then no document can match two branches), and then all of them are shown."""
    keyword, group, others = split.keyword, split.group, split.others
    holder = group[0].where.rsplit("/", 1)[0]
    if split.action == "added":
        side, kind, where = walk.new, union_alternatives_added, {"old_at": old_conj[0].where,
                                                                  "new_at": holder}
        alone = all(apart(walk, old_conj, "old", b, "new") for b in others)
        news = [b for b in others if not _within(walk, old_conj, b, new_inside_old=True)]
    else:
        side, kind, where = walk.old, union_alternatives_removed, {"old_at": holder,
                                                                    "new_at": new_conj[0].where}
        alone = all(apart(walk, new_conj, "new", b, "old") for b in others)
        news = [b for b in others if not _within(walk, new_conj, b, new_inside_old=False)]
    overlap = keyword == "oneOf" and not alone
    shown = others if overlap else news
    if not shown:
        return
    walk.report(kind, ctx, **where, keyword=keyword, indexes=[group.index(b) for b in shown],
                shapes=_shapes(side, shown), overlap=overlap,
                effect=Effect.BOTH if overlap else None, hint=tuple(shown))


def _within(walk, whole: tuple, branch, new_inside_old: bool) -> bool:
    """Proven by the inclusion checker: every document of ``branch`` (a new branch, or an old
    one) is accepted by the other side's schema ``whole`` (one node) anyway."""
    if len(whole) != 1:
        return False
    mine, theirs = (walk.new, walk.old) if new_inside_old else (walk.old, walk.new)
    if not set(mine.view((branch,)).properties) <= set(theirs.view(whole).properties):
        return False  # it names properties the other side does not: not worth a proof search
    checker = walk.checker("old", "new")
    answer = checker.contains(whole[0], branch) if new_inside_old else \
        checker.includes(branch, whole[0])
    return answer.proven


def _match_branches(walk, old_branches, new_branches, discriminator=None):
    """Pair branches by meaning, never by position: equal ones, then same reference, then equivalent
    content, then the only candidate of the same type, then the closest (:func:`_closeness`:
    the same ``$ref`` target, discriminator value or title, shared properties). Returns pairs and
    the leftovers.

    Each step sorts the branches left into buckets by a key that a matching pair must share, so
    that K changed branches cost about K tests, not K * K (``equivalent()`` walks both schemas);
    the last step compares every pair left, so only while few are left."""
    pairs: list = []
    old_left, new_left = list(old_branches), list(new_branches)

    def take(old_key, new_key, test=None, only=False):
        """Pair each old branch with the first new one of its key that passes ``test`` (or, with
        ``only``, with the new one that is alone with its key)."""
        buckets: dict = {}
        for n in new_left:
            key = new_key(n)
            if key is not None:
                buckets.setdefault(key, []).append(n)
        for o in list(old_left):
            key = old_key(o)
            bucket = buckets.get(key) if key is not None else None
            if not bucket or (only and len(bucket) != 1):
                continue
            for n in bucket:
                if test is None or test(o, n):
                    pairs.append((o, n))
                    old_left.remove(o)
                    new_left.remove(n)
                    bucket.remove(n)
                    break

    take(lambda o: walk.old.content_hash(o.value), lambda n: walk.new.content_hash(n.value),
         lambda o, n: walk.same((o,), (n,)))
    take(_branch_label, _branch_label)
    take(lambda o: _shape(walk.old.view((o,))), lambda n: _shape(walk.new.view((n,))),
         lambda o, n: walk.equivalent([o], [n]))
    take(lambda o: walk.old.view((o,)).types, lambda n: walk.new.view((n,)).types, only=True)
    if old_left and new_left and len(old_left) * len(new_left) <= MAX_CLOSENESS_PAIRS:
        scored = sorted(((_closeness(walk, (o,), walk.old, (n,), walk.new, discriminator), i, j)
                         for i, o in enumerate(old_left) for j, n in enumerate(new_left)),
                        key=lambda t: (-t[0], t[1], t[2]))
        taken_old, taken_new = set(), set()
        for score, i, j in scored:
            if score <= SAME_TYPE:
                break  # only types in common: a choice of constraints, not one branch edited
            if i not in taken_old and j not in taken_new:
                taken_old.add(i)
                taken_new.add(j)
                pairs.append((old_left[i], new_left[j]))
        old_left = [o for i, o in enumerate(old_left) if i not in taken_old]
        new_left = [n for j, n in enumerate(new_left) if j not in taken_new]
    return pairs, old_left, new_left


def _shape(view) -> tuple:
    """What two equivalent schemas must share: a difference in any of these is reported as a change
    of what is accepted (type, enum, required), so their pair could not be equivalent."""
    if view.never:
        return ("never",)
    return (view.envelope, frozenset(view.enum) if view.enum is not None else None,
            frozenset(view.required))


def _disjoint(walk, side: str, branches) -> bool:
    """Can no document match two of the branches? Then ``oneOf`` is ``anyOf``, and changes inside
    a branch move acceptance one way only. Pairwise different types prove it cheaply; otherwise
    the inclusion checker is asked about each pair (for a few branches only)."""
    normaliser = getattr(walk, side)
    kinds = [_kinds_of(normaliser.view((branch,))) for branch in branches]
    pending = [(i, j) for i in range(len(branches)) for j in range(i + 1, len(branches))
               if not _types_apart(kinds[i], kinds[j])]
    if not pending:
        return True
    if len(branches) > MAX_CHECKED_BRANCHES:
        return False
    return all(apart(walk, (branches[i],), side, branches[j], side) for i, j in pending)


def _covers(walk, name: str, branches, envelope, exclusive: bool) -> bool:
    """Does a choice that only one side has accept everything of the other side's types anyway
    (``type: [a, b]`` spelled ``oneOf: [{type: a}, {type: b}]``)? Then it constrains nothing more
    than its types, which ``compare_type`` has already compared."""
    if envelope is None:
        return False
    side = getattr(walk, name)
    bare = set()
    for branch in branches:
        view = side.view((branch,))
        if view.type_only:
            bare |= set(view.types) | ({"integer"} if "number" in view.types else set())
    if exclusive and not _disjoint(walk, name, branches):
        return False
    return all(t in bare for t in envelope)


@compares
def compare_choices(old: View, new: View, walk: Walk, ctx: Context) -> None:
    old_open, new_open = old.open_choices(), new.open_choices()
    if not old_open and not new_open:
        return
    for keyword in ("anyOf", "oneOf"):
        old_groups = [g for k, g in old_open if k == keyword]
        new_groups = [g for k, g in new_open if k == keyword]
        for index in range(max(len(old_groups), len(new_groups))):
            before = old_groups[index] if index < len(old_groups) else None
            after = new_groups[index] if index < len(new_groups) else None
            if before is None:
                assert after is not None   # the index is below one of the two lengths
                if not _covers(walk, "new", after, old.envelope, keyword == "oneOf"):
                    walk.report(anyof_added, ctx, old_at=old.where,
                                new_at=after[0].where.rsplit("/", 1)[0], keyword=keyword,
                                count=len(after))
                continue
            if after is None:
                if not _covers(walk, "old", before, new.envelope, keyword == "oneOf"):
                    walk.report(anyof_removed, ctx, old_at=before[0].where.rsplit("/", 1)[0],
                                new_at=new.where, keyword=keyword, count=len(before))
                continue
            _compare_group(old, new, walk, ctx, keyword, before, after)


def _compare_group(old, new, walk, ctx, keyword, before, after) -> None:
    """Two choices: branches paired by meaning, the rest removed or added. Inside a ``oneOf``
    whose branches may overlap, every change goes both ways; a branch added that is proven
    disjoint from every old document (or removed and disjoint from every new one) still moves
    acceptance one way only: no document can newly match, or stop matching, two branches."""
    pairs, removed, added = _match_branches(walk, before, after, new.discriminator)
    inner = ctx
    if keyword == "oneOf" and not (_disjoint(walk, "old", before) and
                                   _disjoint(walk, "new", after)):
        inner = ctx.but(both_ways=True)
    for o, n in pairs:
        walk.descend([o], [n], inner)
    for o in removed:
        alone = inner is ctx or apart(walk, tuple(new.conj), "new", o, "old")
        walk.report(anyof_branch_removed, ctx if alone else inner, old_at=o.where,
                    new_at=after[0].where.rsplit("/", 1)[0], keyword=keyword,
                    index=before.index(o), label=_branch_label(o), hint=o)
    for n in added:
        alone = inner is ctx or apart(walk, tuple(old.conj), "old", n, "new")
        walk.report(anyof_branch_added, ctx if alone else inner,
                    old_at=before[0].where.rsplit("/", 1)[0], new_at=n.where, keyword=keyword,
                    index=after.index(n), label=_branch_label(n), hint=n)


@rule("not-added", action="added", effect=Effect.NARROWS,
      example=({"type": "string"},
               {"type": "string", "not": {"const": "root"}}))
def not_added(d: Details) -> str:
    """Documents matching the forbidden schema are now rejected."""
    return "now refuses values of a particular form (`not`)"


@rule("not-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "string", "not": {"const": "root"}},
               {"type": "string"}))
def not_removed(d: Details) -> str:
    """Documents the `not` schema forbade are accepted again."""
    return "no longer refuses values of a particular form (`not`)"


@rule("not-changed", action="changed", effect=Effect.BOTH,
      example=({"type": "string", "not": {"const": "root"}},
               {"type": "string", "not": {"const": "admin"}}))
def not_changed(d: Details) -> str:
    """What is forbidden changed: some documents become rejected, others accepted."""
    return "now refuses values of another form (`not`)"


@not_added.witnessed_by
@not_removed.witnessed_by
def _value_of_the_forbidden_shape(accept: View, reject: View, change: Change, sampler: Sampler,
                                  hint: Any) -> Iterable[Any]:
    """A value matching a ``not`` schema (only one side has it, or the two forbid different things)."""
    for node in hint if isinstance(hint, tuple) else (hint,):
        if node is not None:
            own = sampler.for_node(node)
            yield own.value(own.view((node,)))


not_changed.witnessed_by(_value_of_the_forbidden_shape)


@compares
def compare_not(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for index in range(max(len(old.not_), len(new.not_))):
        before = old.not_[index] if index < len(old.not_) else None
        after = new.not_[index] if index < len(new.not_) else None
        if before is None:
            assert after is not None   # the index is below one of the two lengths
            walk.report(not_added, ctx, old_at=old.where, new_at=after.where, hint=after)
        elif after is None:
            walk.report(not_removed, ctx, old_at=before.where, new_at=new.where, hint=before)
        elif not walk.equivalent([before], [after]):
            walk.report(not_changed, ctx, old_at=before.where, new_at=after.where,
                        hint=(before, after))


@rule("conditional-added", action="added", effect=Effect.NARROWS,
      example=({"type": "object"},
               {"type": "object", "if": {"required": ["card"]}, "then": {"required": ["cvc"]}}))
def conditional_added(d: Details) -> str:
    """An ``if``/``then``/``else`` now constrains documents."""
    return "now has requirements that apply under a condition (`if`/`then`/`else`)"


@rule("conditional-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "object", "if": {"required": ["card"]}, "then": {"required": ["cvc"]}},
               {"type": "object"}))
def conditional_removed(d: Details) -> str:
    """An ``if``/``then``/``else`` no longer constrains documents."""
    return "requirements that applied under a condition removed (`if`/`then`/`else`)"


@rule("condition-changed", action="changed", effect=Effect.BOTH,
      example=({"if": {"required": ["card"]}, "then": {"required": ["cvc"]}},
               {"if": {"required": ["iban"]}, "then": {"required": ["cvc"]}}))
def condition_changed(d: Details) -> str:
    """The ``if`` schema changed, so other documents take the ``then`` and ``else`` branches."""
    return "conditional requirements now apply under another condition (`if`)"


@compares
def compare_conditionals(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for index in range(max(len(old.conditionals), len(new.conditionals))):
        before = old.conditionals[index] if index < len(old.conditionals) else None
        after = new.conditionals[index] if index < len(new.conditionals) else None
        if before is None:
            assert after is not None   # the index is below one of the two lengths
            walk.report(conditional_added, ctx, old_at=old.where, new_at=after[0].where)
        elif after is None:
            walk.report(conditional_removed, ctx, old_at=before[0].where, new_at=new.where)
        elif not walk.equivalent([before[0]], [after[0]]):
            walk.report(condition_changed, ctx, old_at=before[0].where, new_at=after[0].where)
        else:
            for slot, step in ((1, THEN), (2, ELSE)):
                if before[slot] is not None or after[slot] is not None:
                    walk.descend([before[slot]] if before[slot] else None,
                                 [after[slot]] if after[slot] else None, ctx.at(step),
                                 old_at=before[0].where, new_at=after[0].where)


@rule("unevaluated-added", action="added", effect=Effect.NARROWS,
      example=({"properties": {"id": {}}},
               {"properties": {"id": {}}, "unevaluatedProperties": False}))
def unevaluated_added(d: Details) -> str:
    """Properties or items that no other keyword evaluated are now constrained."""
    return f"{_unevaluated(d)} not covered by any other rule are now restricted (`{d['keyword']}`)"


@rule("unevaluated-removed", action="removed", effect=Effect.WIDENS,
      example=({"properties": {"id": {}}, "unevaluatedProperties": False},
               {"properties": {"id": {}}}))
def unevaluated_removed(d: Details) -> str:
    """Properties or items that no other keyword evaluated are no longer constrained."""
    return f"{_unevaluated(d)} not covered by any other rule are no longer restricted " \
        f"(`{d['keyword']}`)"


def _unevaluated(d) -> str:
    return "properties" if d["keyword"] == "unevaluatedProperties" else "list items"


@unevaluated_added.witnessed_by
@unevaluated_removed.witnessed_by
def _object_or_array_with_more(accept: View, reject: View, change: Change, sampler: Sampler,
                               hint: Any) -> Iterable[Any]:
    """One property (or item) more than any other keyword evaluates."""
    base = sampler.object(accept, 0)
    if base is not MISSING:
        yield {**base, "extra_field": "a"}
    items = sampler.array(accept, 0)
    if items is not MISSING:
        yield [*items, "a"]


@compares
def compare_unevaluated(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for keyword, before, after, step in (
            ("unevaluatedProperties", old.unevaluated_properties, new.unevaluated_properties,
             UNEVALUATED_PROPERTIES),
            ("unevaluatedItems", old.unevaluated_items, new.unevaluated_items, UNEVALUATED_ITEMS)):
        if before and after:
            walk.descend(before, after, ctx.at(step))
        elif after:
            walk.report(unevaluated_added, ctx, old_at=old.where, new_at=after[0].where,
                        keyword=keyword)
        elif before:
            walk.report(unevaluated_removed, ctx, old_at=before[0].where, new_at=new.where,
                        keyword=keyword)
