"""Soundness, checked with hypothesis: schemadiff never calls a change harmless that rejects data.

For generated pairs of schemas (a random schema and a random mutation of it), documents are drawn
from the old schema with hypothesis-jsonschema and validated against the new one with jsonschema. If
any is rejected, the comparison under ``backward`` must have reported a breaking or dangerous change;
the mirror holds for ``forward`` (documents drawn from the new schema, checked against the old).
And a schema compared with an equivalent rewrite of itself must give no breaking or dangerous change.
The other direction too: where the inclusion checker proves ``old ⊆ new`` (and a long search finds
no separating document), no breaking record under ``backward`` (mirror: ``forward``). Draft-04
boolean bounds in files without ``$schema`` have their own generator, validated with draft-04.

Run with ``-s`` to see how many pairs were tried and how many documents told them apart. The default
run tries 30 pairs per test; ``SCHEMADIFF_HEAVY=1`` (what ``.ci/run`` sets) tries 400.
"""

from __future__ import annotations

import copy
import json
import os

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from hypothesis_jsonschema import from_schema

import schemadiff

DRAFT7 = "http://json-schema.org/draft-07/schema#"
NAMES = ["a", "b", "c", "d"]
PATTERNS = ["^[a-z]+$", "^[0-9]+$", "^x", "b$"]
STATS = {"pairs": 0, "separated": 0, "equivalent": 0, "proven": 0, "draft4": 0}

#: the default run stays quick; SCHEMADIFF_HEAVY=1 (set by .ci/run) tries many more pairs
HEAVY = os.environ.get("SCHEMADIFF_HEAVY") == "1"
#: how hard to look for a document that tells two schemas apart
SEARCH = settings(max_examples=int(os.environ.get("SOUNDNESS_SEARCH", 120)), deadline=None,
                  database=None, derandomize=True, suppress_health_check=list(HealthCheck))
#: a long search, before believing that no document separates two schemas the checker proved
LONG_SEARCH = settings(SEARCH, max_examples=int(os.environ.get("SOUNDNESS_LONG_SEARCH",
                                                               400 if HEAVY else 100)))
PAIRS = settings(max_examples=int(os.environ.get("SOUNDNESS_EXAMPLES", 400 if HEAVY else 30)),
                 deadline=None,
                 derandomize=not os.environ.get("SOUNDNESS_RANDOM"), database=None,
                 suppress_health_check=list(HealthCheck))
#: the proven-inclusion test searches long for each pair: fewer pairs by default
PROVEN_PAIRS = settings(PAIRS, max_examples=int(os.environ.get("SOUNDNESS_PROVEN_EXAMPLES",
                                                                60 if HEAVY else 12)))


def leaf() -> st.SearchStrategy:
    return st.one_of(
        st.fixed_dictionaries({"type": st.just("string")},
                              optional={"minLength": st.integers(0, 3),
                                        "maxLength": st.integers(3, 6),
                                        "pattern": st.sampled_from(PATTERNS),
                                        "enum": st.lists(st.sampled_from(["a", "b", "xy", "12"]),
                                                         min_size=1, max_size=3, unique=True)}),
        st.fixed_dictionaries({"type": st.sampled_from(["integer", "number"])},
                              optional={"minimum": st.integers(-5, 0), "maximum": st.integers(1, 9),
                                        "exclusiveMaximum": st.integers(2, 10),
                                        "multipleOf": st.sampled_from([1, 2, 3, 0.5])}),
        st.fixed_dictionaries({"type": st.sampled_from(["boolean", "null",
                                                         ["string", "null"], ["integer", "string"]])}),
        st.builds(lambda v: {"const": v}, st.sampled_from(["a", 1, True, None])),
        st.builds(lambda v: {"enum": v}, st.lists(st.sampled_from(["a", "b", 1, 2, None]),
                                                  min_size=1, max_size=4, unique=True)),
    )


def compound(children: st.SearchStrategy) -> st.SearchStrategy:
    obj = st.builds(
        lambda props, required, closed, extra: {
            "type": "object", "properties": props,
            **({"required": sorted(set(required) & set(props))} if required else {}),
            **({"additionalProperties": False} if closed else {}), **extra},
        st.dictionaries(st.sampled_from(NAMES), children, max_size=3),
        st.lists(st.sampled_from(NAMES), max_size=2), st.booleans(),
        st.fixed_dictionaries({}, optional={"minProperties": st.integers(0, 2),
                                            "maxProperties": st.integers(2, 4)}))
    arr = st.builds(
        lambda items, extra: {"type": "array", "items": items, **extra}, children,
        st.fixed_dictionaries({}, optional={"minItems": st.integers(0, 2),
                                            "maxItems": st.integers(2, 4),
                                            "uniqueItems": st.just(True)}))
    anyof = st.builds(lambda a, b: {"anyOf": [a, b]}, children, children)
    oneof = st.builds(lambda a, b: {"oneOf": [a, b]}, children, children)
    allof = st.builds(lambda a, b: {"allOf": [a, b]}, children, children)
    negation = st.builds(lambda a, b: {**a, "not": b}, children, leaf())
    conditional = st.builds(lambda a, b, c: {"if": a, "then": b, "else": c}, leaf(), children, children)
    tuple_ = st.builds(lambda a, b, more: {"type": "array", "items": [a, b], "additionalItems": more},
                       children, children, st.one_of(st.booleans(), leaf()))
    open_obj = st.builds(
        lambda extra, pattern, deps, names: {"type": "object", "additionalProperties": extra,
                                             **pattern, **deps, **names},
        st.one_of(st.booleans(), children),
        st.one_of(st.just({}), st.builds(lambda c: {"patternProperties": {"^x": c}}, children)),
        st.one_of(st.just({}), st.just({"dependencies": {"a": ["b"]}}),
                  st.builds(lambda c: {"dependencies": {"a": c}}, children)),
        st.one_of(st.just({}), st.just({"propertyNames": {"maxLength": 2}})))
    contains = st.builds(lambda c: {"type": "array", "contains": c}, children)
    return st.one_of(obj, arr, anyof, oneof, allof, negation, conditional, tuple_, open_obj, contains)


SCHEMAS = st.recursive(leaf(), compound, max_leaves=5)


def mutate(schema, draw) -> dict:
    """One random edit somewhere in the schema: most edits change what it accepts."""
    schema = copy.deepcopy(schema)
    spots = []

    def walk(node):
        if isinstance(node, dict):
            spots.append(node)
            for key in ("properties",):
                for child in node.get(key, {}).values():
                    walk(child)
            for key in ("items",):
                if key in node:
                    walk(node[key])
            for key in ("anyOf", "oneOf", "allOf"):
                for child in node.get(key, []):
                    walk(child)
            for key in ("not", "if", "then", "else", "additionalProperties", "contains",
                        "additionalItems"):
                if isinstance(node.get(key), dict):
                    walk(node[key])
            if isinstance(node.get("items"), list):
                for child in node["items"]:
                    walk(child)
            for child in node.get("patternProperties", {}).values():
                walk(child)
    walk(schema)
    node = draw(st.sampled_from(spots))
    edits = [
        lambda n: n.update(type="string") if n.get("type") != "string" else n.update(type="integer"),
        lambda n: n.pop("type", None),
        lambda n: n.update(maxLength=n.get("maxLength", 5) - 2),
        lambda n: n.update(minLength=n.get("minLength", 0) + 2),
        lambda n: n.pop("maxLength", None) or n.pop("pattern", None),
        lambda n: n.update(pattern=draw(st.sampled_from(PATTERNS))),
        lambda n: n.update(minimum=n.get("minimum", 0) + 1),
        lambda n: n.update(maximum=n.get("maximum", 5) - 1),
        lambda n: n.update(multipleOf=draw(st.sampled_from([2, 3, 0.25]))),
        lambda n: n.update(enum=(n.get("enum") or ["a"])[:-1] or ["zz"]),
        lambda n: n.update(enum=(n.get("enum") or []) + ["new"]),
        lambda n: n.pop("enum", None) or n.pop("const", None),
        lambda n: n.update(required=sorted(set(n.get("required", [])) | {draw(st.sampled_from(NAMES))})),
        lambda n: n.update(required=[]) if "required" in n else n.update(required=["a"]),
        lambda n: n.update(additionalProperties=not n.get("additionalProperties", True)),
        lambda n: n.setdefault("properties", {}).update({draw(st.sampled_from(NAMES)): draw(leaf())}),
        lambda n: n.get("properties", {}).pop(draw(st.sampled_from(NAMES)), None),
        lambda n: n.update(items=draw(leaf())),
        lambda n: n.update(minItems=n.get("minItems", 0) + 1),
        lambda n: n.update(maxItems=max(0, n.get("maxItems", 3) - 1)),
        lambda n: n.update(uniqueItems=not n.get("uniqueItems", False)),
        lambda n: n.update(anyOf=n["anyOf"][:1]) if "anyOf" in n
        else n.update(anyOf=[draw(leaf()), draw(leaf())]),
        lambda n: n["anyOf"].append(draw(leaf())) if "anyOf" in n else n.update(not_=None),
        lambda n: n.update(minProperties=n.get("minProperties", 0) + 1),
        lambda n: n.update(maxProperties=max(0, n.get("maxProperties", 3) - 1)),
        lambda n: n.update(exclusiveMaximum=n.get("exclusiveMaximum", 5) - 1),
        lambda n: n.update(oneOf=[draw(leaf()), draw(leaf())]) if "oneOf" not in n else n.pop("oneOf"),
        lambda n: n.update({"not": draw(leaf())}) if "not" not in n else n.pop("not"),
        lambda n: n.update(additionalProperties=draw(leaf())),
        lambda n: n.update(patternProperties={"^x": draw(leaf())}),
        lambda n: n.update(dependencies={"a": ["c"]}),
        lambda n: n.update(propertyNames={"maxLength": 1}),
        lambda n: n.update(contains=draw(leaf())) if "contains" not in n else n.pop("contains"),
        lambda n: n.update(items=[draw(leaf())]),
        lambda n: n.update(additionalItems=False),
        lambda n: n.update({"if": draw(leaf()), "then": draw(leaf())}),
        lambda n: n.update(allOf=[draw(leaf())]),
    ]
    draw(st.sampled_from(edits))(node)
    node.pop("not_", None)
    return schema


def with_draft(schema: dict) -> dict:
    return {"$schema": DRAFT7, **schema}


def separated(source: dict, target: dict, validator=jsonschema.Draft7Validator, search=SEARCH):
    """A document valid under ``source`` that ``target`` rejects, searched for by hypothesis."""
    check_source = validator(source)
    check_target = validator(target)
    try:
        return find(from_schema(source),
                    lambda doc: check_source.is_valid(doc) and not check_target.is_valid(doc),
                    settings=search)
    except NoSuchExample:
        return None
    except Exception:  # noqa: BLE001 - a schema hypothesis-jsonschema cannot sample
        return None


def harmful(report) -> bool:
    return report.summary["breaking"] + report.summary["dangerous"] > 0


@PAIRS
@given(data=st.data())
def test_a_rejected_old_document_is_always_reported(data):
    old = with_draft(data.draw(SCHEMAS))
    if data.draw(st.integers(0, 4)) == 0:
        new = with_draft(data.draw(SCHEMAS))  # now and then two unrelated schemas
    else:
        new = with_draft(mutate(old, data.draw))
    assume(old != new)
    STATS["pairs"] += 1
    for compat, source, target in (("backward", old, new), ("forward", new, old)):
        document = separated(source, target)
        if document is None:
            continue
        STATS["separated"] += 1
        report = schemadiff.compare(old, new, compat=compat)
        assert harmful(report), (
            f"{compat}: {json.dumps(document)} is accepted by one schema and rejected by the other, "
            f"but nothing breaking or dangerous was reported: "
            f"{[(c.id, c.severity.value, c.field) for c in report.changes]}\n"
            f"old={json.dumps(old)}\nnew={json.dumps(new)}")


def rewrite(schema, draw):
    """An equivalent spelling: type lists, enum and required order, const as enum, $refs, allOf."""
    if isinstance(schema, list):
        return [rewrite(s, draw) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: rewrite(v, draw) if k in ("items", "not") else v for k, v in schema.items()}
    if "properties" in out:
        out["properties"] = {k: rewrite(v, draw) for k, v in reversed(out["properties"].items())}
    if "anyOf" in out:
        out["anyOf"] = [rewrite(s, draw) for s in reversed(out["anyOf"])]
    if isinstance(out.get("type"), str) and draw(st.booleans()):
        out["type"] = [out["type"]]
    if isinstance(out.get("enum"), list):
        out["enum"] = list(reversed(out["enum"]))
    if "const" in out and draw(st.booleans()):
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("required"), list):
        out["required"] = list(reversed(out["required"]))
    if out.get("type") == "object" and out.get("properties") and draw(st.booleans()):
        props = out.pop("properties")
        names = list(props)
        half = len(names) // 2
        out = {"allOf": [{**out, "properties": {n: props[n] for n in names[:half]}},
                         {"properties": {n: props[n] for n in names[half:]}}]}
        if out["allOf"][0].get("additionalProperties") is False:
            return {**schema}  # a closed object cannot be split: allOf would close each part
    return dict(reversed(list(out.items())))


def with_refs(schema: dict) -> dict:
    """Move every property schema behind a $ref into definitions."""
    definitions = {}

    def move(node):
        if isinstance(node, dict):
            for name, child in list(node.get("properties", {}).items()):
                move(child)
                key = f"d{len(definitions)}"
                definitions[key] = child
                node["properties"][name] = {"$ref": f"#/definitions/{key}"}
            if isinstance(node.get("items"), dict):
                move(node["items"])
            for child in node.get("anyOf", []) + node.get("allOf", []):
                move(child)
    schema = copy.deepcopy(schema)
    move(schema)
    return {**schema, "definitions": definitions} if definitions else schema


@PAIRS
@given(data=st.data())
def test_an_equivalent_rewrite_is_never_harmful(data):
    old = with_draft(data.draw(SCHEMAS))
    new = with_draft(with_refs(rewrite(old, data.draw)))
    STATS["equivalent"] += 1
    for compat in ("backward", "forward"):
        report = schemadiff.compare(old, new, compat=compat)
        assert not harmful(report), (
            f"{compat}: {[(c.id, c.severity.value, c.field) for c in report.changes]}\n"
            f"old={json.dumps(old)}\nnew={json.dumps(new)}")


@PROVEN_PAIRS
@given(data=st.data())
def test_no_break_where_the_checker_proves_inclusion(data):
    """The other direction: where the checker proves ``old ⊆ new`` (and a long search finds no
    document that separates them), the report holds no breaking record under ``backward``, and
    the mirror under ``forward``."""
    from schemadiff.inclusion import includes

    old = with_draft(data.draw(SCHEMAS))
    new = with_draft(mutate(old, data.draw))
    assume(old != new)
    for compat, source, target in (("backward", old, new), ("forward", new, old)):
        if includes(source, target).verdict != "yes":
            continue
        assert separated(source, target, search=LONG_SEARCH) is None, (compat, old, new)
        STATS["proven"] += 1
        report = schemadiff.compare(old, new, compat=compat)
        assert report.summary["breaking"] == 0, (
            f"{compat}: the checker proves inclusion, yet "
            f"{[(c.id, c.severity.value, c.field) for c in report.changes if c.severity.value == 'breaking']}"
            f"\nold={json.dumps(old)}\nnew={json.dumps(new)}")


def draft4_number() -> st.SearchStrategy:
    """A number with draft-04 boolean exclusive bounds, in a file without ``$schema``."""
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={"minimum": st.integers(-3, 3), "maximum": st.integers(0, 6),
                  "exclusiveMinimum": st.booleans(), "exclusiveMaximum": st.booleans()})


def draft4_mutate(schema: dict, draw) -> dict:
    schema = copy.deepcopy(schema)
    node = schema["properties"]["n"] if "properties" in schema else schema
    edit = draw(st.sampled_from(["exclusiveMinimum", "exclusiveMaximum", "minimum", "maximum",
                                 "type"]))
    if edit.startswith("exclusive"):
        node[edit] = not node.get(edit, False)
    elif edit == "type":
        node["type"] = "number" if node["type"] == "integer" else "integer"
    else:
        node[edit] = node.get(edit, 0) + draw(st.sampled_from([-1, 1]))
    return schema


@PAIRS
@given(data=st.data())
def test_draft04_bounds_without_schema(data):
    """Boolean ``exclusiveMinimum``/``exclusiveMaximum`` in files without ``$schema``: read as
    draft-04 (as its validators do), both ways."""
    number = data.draw(draft4_number())
    old = data.draw(st.sampled_from([number, {"type": "object", "properties": {"n": number}}]))
    new = draft4_mutate(old, data.draw)
    assume(old != new)
    STATS["draft4"] += 1
    for compat, source, target in (("backward", old, new), ("forward", new, old)):
        document = separated(source, target, validator=jsonschema.Draft4Validator)
        report = schemadiff.compare(old, new, compat=compat)
        if document is not None:
            assert harmful(report), (compat, document, old, new,
                                     [(c.id, c.severity.value) for c in report.changes])
        elif report.summary["breaking"] and not any(c.example for c in report.changes):
            # no drawn document separates them, yet a break without proof: it must not be one
            # the checker proves false (integer [0, 0] -> number [0, 0] forward is real: 0.0)
            from schemadiff.inclusion import includes
            assert includes(source, target).verdict != "yes", (compat, old, new)


@pytest.fixture(scope="module", autouse=True)
def _report_stats():
    yield
    print(f"\nsoundness: {STATS['pairs']} mutated pairs, {STATS['separated']} told apart by a "
          f"drawn document (each checked against the report), {STATS['equivalent']} equivalent "
          f"rewrites, {STATS['proven']} proven inclusions with no break reported, "
          f"{STATS['draft4']} draft-04 pairs without $schema")
