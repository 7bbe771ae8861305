"""Combinators: ``anyOf``/``oneOf`` branches, ``not``, ``if``/``then``/``else``, ``unevaluated*``.

``allOf`` has no rules of its own: its parts are merged into one view, so splitting an object into
``allOf`` parts is no change at all.
"""

from __future__ import annotations

from schemadiff.model import Effect, Severity
from schemadiff.rules import compares, rule
from schemadiff.samples import MISSING


@rule("anyof-branch-added", action="added", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"anyOf": [{"type": "string"}]},
               {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]}))
def anyof_branch_added(d):
    """Documents of a new shape are accepted. In a response, old clients meet a shape they never
    handled; those that ignore what they do not understand survive, so it is dangerous. Under a
    ``oneOf`` whose branches may overlap, this and every change inside a branch go both ways: a
    document that now matches two branches is rejected."""
    return f"now also accepts another form (alternative {d['index'] + 1}{_label(d)})"


@rule("anyof-branch-removed", action="removed", effect=Effect.NARROWS,
      example=({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]},
               {"anyOf": [{"type": "string"}]}))
def anyof_branch_removed(d):
    """Documents that only matched the removed branch are rejected."""
    return f"no longer accepts one of its forms (alternative {d['index'] + 1}{_label(d)})"


@rule("anyof-added", action="added", effect=Effect.NARROWS,
      example=({"type": "object"},
               {"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]}))
def anyof_added(d):
    """Documents must now match one of a list of schemas."""
    return f"now accepts only values of {_forms(d)} (`{d['keyword']}`)"


@rule("anyof-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
               {"type": "object"}))
def anyof_removed(d):
    """A choice between schemas no longer constrains documents."""
    return f"no longer limited to values of {_forms(d)} (`{d['keyword']}`)"


def _forms(d) -> str:
    """"one of 3 forms" (``anyOf``), "exactly one of 3 forms" (``oneOf``), "a particular form"."""
    if d["count"] == 1:
        return "a particular form"
    return f"{'exactly one' if d['keyword'] == 'oneOf' else 'one'} of {d['count']} forms"


@anyof_branch_added.witnessed_by
@anyof_branch_removed.witnessed_by
def _value_of_the_lone_branch(accept, reject, change, sampler, hint):
    """A value of the branch only one side has (handed over as the hint): its simplest value, then
    one with every listed property, which the other branches are less likely to take."""
    if hint is not None:
        own = sampler.for_node(hint)
        view = own.view((hint,))
        yield own.value(view)
        yield own.object(view, 0, full=True)


@anyof_added.witnessed_by
@anyof_removed.witnessed_by
def _value_outside_the_choice(accept, reject, change, sampler, hint):
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


def _match_branches(walk, old_branches, new_branches):
    """Pair branches by meaning, never by position: equal ones, then same reference, then equivalent
    content, then the only candidate of the same type. Returns pairs and the leftovers.

    Each step sorts the branches left into buckets by a key that a matching pair must share, so
    that K changed branches cost about K tests, not K * K (``equivalent()`` walks both schemas)."""
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
    return pairs, old_left, new_left


def _shape(view) -> tuple:
    """What two equivalent schemas must share: a difference in any of these is reported as a change
    of what is accepted (type, enum, required), so their pair could not be equivalent."""
    if view.never:
        return ("never",)
    return (view.envelope, frozenset(view.enum) if view.enum is not None else None,
            frozenset(view.required))


def _disjoint(side, branches) -> bool:
    """Do the branches admit pairwise different types? Then ``oneOf`` is ``anyOf``: a document can
    never match two of them, and changes inside a branch move acceptance one way only."""
    seen: set = set()
    for branch in branches:
        types = side.view((branch,)).types
        if types is None:
            return False
        widened = set(types) | ({"integer"} if "number" in types else set())
        if widened & seen:
            return False
        seen |= widened
    return True


def _covers(side, branches, envelope, exclusive: bool) -> bool:
    """Does a choice that only one side has accept everything of the other side's types anyway
    (``type: [a, b]`` spelled ``oneOf: [{type: a}, {type: b}]``)? Then it constrains nothing more
    than its types, which ``compare_type`` has already compared."""
    if envelope is None:
        return False
    bare = set()
    for branch in branches:
        view = side.view((branch,))
        if view.type_only:
            bare |= set(view.types) | ({"integer"} if "number" in view.types else set())
    if exclusive and not _disjoint(side, branches):
        return False
    return all(t in bare for t in envelope)


@compares
def compare_choices(old, new, walk, ctx):
    for keyword, old_groups, new_groups in (("anyOf", old.any_of, new.any_of),
                                             ("oneOf", old.one_of, new.one_of)):
        for index in range(max(len(old_groups), len(new_groups))):
            before = old_groups[index] if index < len(old_groups) else None
            after = new_groups[index] if index < len(new_groups) else None
            if before is None:
                if not _covers(walk.new, after, old.envelope, keyword == "oneOf"):
                    walk.report(anyof_added, ctx, old_at=old.where,
                                new_at=after[0].where.rsplit("/", 1)[0], keyword=keyword,
                                count=len(after))
                continue
            if after is None:
                if not _covers(walk.old, before, new.envelope, keyword == "oneOf"):
                    walk.report(anyof_removed, ctx, old_at=before[0].where.rsplit("/", 1)[0],
                                new_at=new.where, keyword=keyword, count=len(before))
                continue
            pairs, removed, added = _match_branches(walk, before, after)
            inner = ctx
            if keyword == "oneOf" and not (_disjoint(walk.old, before) and _disjoint(walk.new, after)):
                inner = ctx.but(both_ways=True)
            for o, n in pairs:
                walk.descend([o], [n], inner)
            for o in removed:
                walk.report(anyof_branch_removed, inner, old_at=o.where,
                            new_at=after[0].where.rsplit("/", 1)[0], keyword=keyword,
                            index=before.index(o), label=_branch_label(o), hint=o)
            for n in added:
                walk.report(anyof_branch_added, inner, old_at=before[0].where.rsplit("/", 1)[0],
                            new_at=n.where, keyword=keyword, index=after.index(n),
                            label=_branch_label(n), hint=n)


@rule("not-added", action="added", effect=Effect.NARROWS,
      example=({"type": "string"},
               {"type": "string", "not": {"const": "root"}}))
def not_added(d):
    """Documents matching the forbidden schema are now rejected."""
    return "now refuses values of a particular form (`not`)"


@rule("not-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "string", "not": {"const": "root"}},
               {"type": "string"}))
def not_removed(d):
    """Documents the `not` schema forbade are accepted again."""
    return "no longer refuses values of a particular form (`not`)"


@rule("not-changed", action="changed", effect=Effect.BOTH,
      example=({"type": "string", "not": {"const": "root"}},
               {"type": "string", "not": {"const": "admin"}}))
def not_changed(d):
    """What is forbidden changed: some documents become rejected, others accepted."""
    return "now refuses values of another form (`not`)"


@not_added.witnessed_by
@not_removed.witnessed_by
def _value_of_the_forbidden_shape(accept, reject, change, sampler, hint):
    """A value matching a ``not`` schema (only one side has it, or the two forbid different things)."""
    for node in hint if isinstance(hint, tuple) else (hint,):
        if node is not None:
            own = sampler.for_node(node)
            yield own.value(own.view((node,)))


not_changed.witnessed_by(_value_of_the_forbidden_shape)


@compares
def compare_not(old, new, walk, ctx):
    for index in range(max(len(old.not_), len(new.not_))):
        before = old.not_[index] if index < len(old.not_) else None
        after = new.not_[index] if index < len(new.not_) else None
        if before is None:
            walk.report(not_added, ctx, old_at=old.where, new_at=after.where, hint=after)
        elif after is None:
            walk.report(not_removed, ctx, old_at=before.where, new_at=new.where, hint=before)
        elif not walk.equivalent([before], [after]):
            walk.report(not_changed, ctx, old_at=before.where, new_at=after.where,
                        hint=(before, after))


@rule("conditional-added", action="added", effect=Effect.NARROWS,
      example=({"type": "object"},
               {"type": "object", "if": {"required": ["card"]}, "then": {"required": ["cvc"]}}))
def conditional_added(d):
    """An ``if``/``then``/``else`` now constrains documents."""
    return "now has requirements that apply under a condition (`if`/`then`/`else`)"


@rule("conditional-removed", action="removed", effect=Effect.WIDENS,
      example=({"type": "object", "if": {"required": ["card"]}, "then": {"required": ["cvc"]}},
               {"type": "object"}))
def conditional_removed(d):
    """An ``if``/``then``/``else`` no longer constrains documents."""
    return "requirements that applied under a condition removed (`if`/`then`/`else`)"


@rule("condition-changed", action="changed", effect=Effect.BOTH,
      example=({"if": {"required": ["card"]}, "then": {"required": ["cvc"]}},
               {"if": {"required": ["iban"]}, "then": {"required": ["cvc"]}}))
def condition_changed(d):
    """The ``if`` schema changed, so other documents take the ``then`` and ``else`` branches."""
    return "conditional requirements now apply under another condition (`if`)"


@compares
def compare_conditionals(old, new, walk, ctx):
    for index in range(max(len(old.conditionals), len(new.conditionals))):
        before = old.conditionals[index] if index < len(old.conditionals) else None
        after = new.conditionals[index] if index < len(new.conditionals) else None
        if before is None:
            walk.report(conditional_added, ctx, old_at=old.where, new_at=after[0].where)
        elif after is None:
            walk.report(conditional_removed, ctx, old_at=before[0].where, new_at=new.where)
        elif not walk.equivalent([before[0]], [after[0]]):
            walk.report(condition_changed, ctx, old_at=before[0].where, new_at=after[0].where)
        else:
            for slot, step in ((1, "<then>"), (2, "<else>")):
                if before[slot] is not None or after[slot] is not None:
                    walk.descend([before[slot]] if before[slot] else None,
                                 [after[slot]] if after[slot] else None, ctx.at(step),
                                 old_at=before[0].where, new_at=after[0].where)


@rule("unevaluated-added", action="added", effect=Effect.NARROWS,
      example=({"properties": {"id": {}}},
               {"properties": {"id": {}}, "unevaluatedProperties": False}))
def unevaluated_added(d):
    """Properties or items that no other keyword evaluated are now constrained."""
    return f"{_unevaluated(d)} not covered by any other rule are now restricted (`{d['keyword']}`)"


@rule("unevaluated-removed", action="removed", effect=Effect.WIDENS,
      example=({"properties": {"id": {}}, "unevaluatedProperties": False},
               {"properties": {"id": {}}}))
def unevaluated_removed(d):
    """Properties or items that no other keyword evaluated are no longer constrained."""
    return f"{_unevaluated(d)} not covered by any other rule are no longer restricted " \
        f"(`{d['keyword']}`)"


def _unevaluated(d) -> str:
    return "properties" if d["keyword"] == "unevaluatedProperties" else "list items"


@unevaluated_added.witnessed_by
@unevaluated_removed.witnessed_by
def _object_or_array_with_more(accept, reject, change, sampler, hint):
    """One property (or item) more than any other keyword evaluates."""
    base = sampler.object(accept, 0)
    if base is not MISSING:
        yield {**base, "extra_field": "a"}
    items = sampler.array(accept, 0)
    if items is not MISSING:
        yield items + ["a"]


@compares
def compare_unevaluated(old, new, walk, ctx):
    for keyword, before, after, step in (
            ("unevaluatedProperties", old.unevaluated_properties, new.unevaluated_properties,
             "{unevaluated}"),
            ("unevaluatedItems", old.unevaluated_items, new.unevaluated_items, "[unevaluated]")):
        if before and after:
            walk.descend(before, after, ctx.at(step))
        elif after:
            walk.report(unevaluated_added, ctx, old_at=old.where, new_at=after[0].where,
                        keyword=keyword)
        elif before:
            walk.report(unevaluated_removed, ctx, old_at=before[0].where, new_at=new.where,
                        keyword=keyword)
