"""The inclusion checker against hand-made pairs with known answers, and a hypothesis property.

Every "no" must carry a witness that the plain ``jsonschema`` validator (checked here again,
independently of the checker's own validation) accepts with the old schema and refuses with the new.
"""

from __future__ import annotations

import json
import os
import time

import jsonschema
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from hypothesis_jsonschema import from_schema

from schemadiff.inclusion import Checker, Side, guess_draft, includes

D4 = "http://json-schema.org/draft-04/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"
D2020 = "https://json-schema.org/draft/2020-12/schema"


def d7(schema: dict) -> dict:
    return {"$schema": D7, **schema}


def d2020(schema: dict) -> dict:
    return {"$schema": D2020, **schema}


def valid(schema, document, cls=None) -> bool:
    """The plain validator's judgement (its class from ``$schema``, else the one given)."""
    if isinstance(schema, bool):
        return schema
    cls = cls or jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(document)


def assert_answer(old, new, expected: str, cls=None):
    answer = includes(old, new)
    assert answer.verdict == expected, answer
    if expected == "no":
        assert valid(old, answer.witness, cls), f"the old schema refuses the witness {answer.witness!r}"
        assert not valid(new, answer.witness, cls), f"the new schema accepts the witness {answer.witness!r}"
    if expected == "unknown":
        assert answer.reason and "\n" not in answer.reason
    return answer


CASES = {
    # --- types and enums ---
    "integer into number": (d7({"type": "integer"}), d7({"type": "number"}), "yes"),
    "number into integer": (d7({"type": "number"}), d7({"type": "integer"}), "no"),
    "enum absorbed by its type": (d7({"enum": ["a", "b"]}), d7({"type": "string"}), "yes"),
    "enum value removed": (d7({"enum": ["a", "b"]}), d7({"enum": ["a"]}), "no"),
    "mixed enum into a type list": (d7({"enum": ["a", 1, None]}), d7({"type": ["string", "integer", "null"]}),
                                    "yes"),
    "type dropped from a list": (d7({"type": ["string", "null"]}), d7({"type": "string"}), "no"),
    "const into enum": (d7({"const": 3}), d7({"enum": [1, 2, 3]}), "yes"),
    "true into false": (True, False, "no"),
    "false into anything": (False, d7({"type": "string"}), "yes"),
    "anything into true": (d7({"type": "object"}), True, "yes"),
    # --- numbers ---
    "minimum raised": (d7({"type": "number", "minimum": 0}), d7({"type": "number", "minimum": 1}), "no"),
    "minimum lowered": (d7({"type": "number", "minimum": 1}), d7({"type": "number", "minimum": 0}), "yes"),
    "maximum turned exclusive": (d7({"type": "number", "maximum": 5}),
                                 d7({"type": "number", "exclusiveMaximum": 5}), "no"),
    "exclusive max with lower min still loses the top": (
        d7({"type": "number", "minimum": 1, "maximum": 5}),
        d7({"type": "number", "minimum": 0, "exclusiveMaximum": 5}), "no"),
    "integers: minimum 3 is exclusiveMinimum 2": (d7({"type": "integer", "minimum": 3}),
                                                  d7({"type": "integer", "exclusiveMinimum": 2}), "yes"),
    "integers: exclusiveMaximum 10 is maximum 9": (d7({"type": "integer", "exclusiveMaximum": 10}),
                                                   d7({"type": "integer", "maximum": 9}), "yes"),
    "numbers: exclusiveMinimum 2 is not minimum 3": (d7({"type": "number", "exclusiveMinimum": 2}),
                                                     d7({"type": "number", "minimum": 3}), "no"),
    "multipleOf 4 into multipleOf 2": (d7({"type": "integer", "multipleOf": 4}),
                                       d7({"type": "integer", "multipleOf": 2}), "yes"),
    "multipleOf 2 into multipleOf 4": (d7({"type": "integer", "multipleOf": 2}),
                                       d7({"type": "integer", "multipleOf": 4}), "no"),
    "multipleOf 1 makes numbers integers": (d7({"type": "number", "multipleOf": 1}),
                                            d7({"type": "integer"}), "yes"),
    "empty interval": (d7({"type": "integer", "minimum": 5, "maximum": 4}), d7({"type": "string"}), "yes"),
    "small integer range into enum": (d7({"type": "integer", "minimum": 1, "maximum": 3}),
                                      d7({"enum": [1, 2, 3]}), "yes"),
    # --- strings ---
    "maxLength lowered": (d7({"type": "string", "maxLength": 5}), d7({"type": "string", "maxLength": 3}),
                          "no"),
    "minLength lowered": (d7({"type": "string", "minLength": 2}), d7({"type": "string", "minLength": 1}),
                          "yes"),
    "pattern widened": (d7({"type": "string", "pattern": "^[a-c]+$"}),
                        d7({"type": "string", "pattern": "^[a-z]+$"}), "yes"),
    "pattern narrowed": (d7({"type": "string", "pattern": "^[a-z]+$"}),
                         d7({"type": "string", "pattern": "^[a-c]+$"}), "no"),
    "unanchored pattern is a search": (d7({"type": "string", "pattern": "^abc"}),
                                       d7({"type": "string", "pattern": "b"}), "yes"),
    "anchored pattern no longer implied": (d7({"type": "string", "pattern": "b"}),
                                           d7({"type": "string", "pattern": "^abc"}), "no"),
    "dollar admits a final newline": (d7({"type": "string", "pattern": "^a$"}),
                                      d7({"type": "string", "pattern": "^a\\Z"}), "no"),
    "pattern with length bounds": (d7({"type": "string", "pattern": "^[0-9]{3}$"}),
                                   d7({"type": "string", "maxLength": 4}), "yes"),
    "back-reference": (d7({"type": "string", "pattern": "^(a)\\1$"}),
                       d7({"type": "string", "pattern": "^a+$"}), "unknown"),
    "look-ahead": (d7({"type": "string", "pattern": "^(?=a)"}),
                   d7({"type": "string", "pattern": "^a"}), "unknown"),
    "unicode digits are more than 0-9": (d7({"type": "string", "pattern": "^\\d+$"}),
                                         d7({"type": "string", "pattern": "^[0-9]+$"}), "unknown"),
    "0-9 are digits": (d7({"type": "string", "pattern": "^[0-9]+$"}),
                       d7({"type": "string", "pattern": "^\\d+$"}), "yes"),
    "format added": (d7({"type": "string"}), d7({"type": "string", "format": "date"}), "no"),
    # --- arrays ---
    "tuple position narrowed": (d7({"type": "array", "items": [{"type": "string"}, {"type": "number"}]}),
                                d7({"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}),
                                "no"),
    "tuple additionalItems closed": (d7({"type": "array", "items": [{"type": "string"}]}),
                                     d7({"type": "array", "items": [{"type": "string"}],
                                         "additionalItems": False}), "no"),
    "tuple position added over open rest": (
        d7({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}}),
        d7({"type": "array", "items": [{"type": "string"}, {"type": "number"}]}), "yes"),
    "prefixItems position narrowed": (d2020({"prefixItems": [{"type": "number"}]}),
                                      d2020({"prefixItems": [{"type": "integer"}]}), "no"),
    "items narrowed": (d7({"type": "array", "items": {"type": "number"}}),
                       d7({"type": "array", "items": {"type": "integer"}}), "no"),
    "maxItems lowered": (d7({"type": "array", "maxItems": 3}), d7({"type": "array", "maxItems": 2}), "no"),
    "closed tuple fits maxItems": (d7({"type": "array", "items": [{}, {}], "additionalItems": False}),
                                   d7({"type": "array", "maxItems": 2}), "yes"),
    "uniqueItems added": (d7({"type": "array", "items": {"type": "integer"}}),
                          d7({"type": "array", "items": {"type": "integer"}, "uniqueItems": True}), "no"),
    "contains added": (d7({"type": "array"}), d7({"type": "array", "contains": {"type": "string"}}), "no"),
    "contains widened": (d7({"type": "array", "contains": {"type": "string", "maxLength": 2}}),
                         d7({"type": "array", "contains": {"type": "string"}}), "yes"),
    # --- objects ---
    "required added": (d7({"type": "object"}), d7({"type": "object", "required": ["a"]}), "no"),
    "required dropped": (d7({"type": "object", "required": ["a"]}), d7({"type": "object"}), "yes"),
    "property now under additionalProperties": (
        d7({"type": "object", "properties": {"bar": {"type": "number"}}}),
        d7({"type": "object", "additionalProperties": {"type": "string"}}), "no"),
    "property added with the schema additionalProperties imposed": (
        d7({"type": "object", "additionalProperties": {"type": "string"}}),
        d7({"type": "object", "properties": {"foo": {"type": "string"}},
            "additionalProperties": {"type": "string"}}), "yes"),
    "property false removed from a closed object": (
        d7({"type": "object", "properties": {"a": {}, "foo": False}, "additionalProperties": False}),
        d7({"type": "object", "properties": {"a": {}}, "additionalProperties": False}), "yes"),
    "object closed": (d7({"type": "object", "properties": {"a": {}}}),
                      d7({"type": "object", "properties": {"a": {}}, "additionalProperties": False}), "no"),
    "patternProperties narrowed": (d7({"type": "object", "patternProperties": {"^x": {"type": "number"}}}),
                                   d7({"type": "object", "patternProperties": {"^x": {"type": "integer"}}}),
                                   "no"),
    "maxProperties lowered": (d7({"type": "object", "maxProperties": 3}),
                              d7({"type": "object", "maxProperties": 1}), "no"),
    "required implies minProperties": (d7({"type": "object", "required": ["a", "b"]}),
                                       d7({"type": "object", "minProperties": 2}), "yes"),
    "dependencies (array form) grew": (d7({"dependencies": {"a": ["b"]}}),
                                       d7({"dependencies": {"a": ["b", "c"]}}), "no"),
    "dependencies (array form) shrank": (d7({"dependencies": {"a": ["b", "c"]}}),
                                         d7({"dependencies": {"a": ["b"]}}), "yes"),
    "dependencies (schema form) narrowed": (
        d7({"dependencies": {"a": {"properties": {"b": {"type": "number"}}}}}),
        d7({"dependencies": {"a": {"properties": {"b": {"type": "integer"}}}}}), "no"),
    "dependentRequired added": (d2020({"type": "object"}),
                                d2020({"type": "object", "dependentRequired": {"a": ["b"]}}), "no"),
    "dependentSchemas widened": (
        d2020({"dependentSchemas": {"a": {"properties": {"b": {"type": "integer"}}}}}),
        d2020({"dependentSchemas": {"a": {"properties": {"b": {"type": "number"}}}}}), "yes"),
    "propertyNames added": (d7({"type": "object"}), d7({"type": "object", "propertyNames": {"maxLength": 2}}),
                            "no"),
    "closed object names fit propertyNames": (
        d7({"type": "object", "properties": {"ab": {}}, "additionalProperties": False}),
        d7({"type": "object", "propertyNames": {"maxLength": 2}}), "yes"),
    "unevaluatedProperties false": (d2020({"type": "object"}),
                                    d2020({"type": "object", "unevaluatedProperties": False}), "unknown"),
    # --- connectives ---
    "anyOf branch is the old schema": (d7({"type": "string"}),
                                       d7({"anyOf": [{"type": "string"}, {"type": "null"}]}), "yes"),
    "anyOf with {} makes it optional": (d7({"type": "object", "required": ["a"]}),
                                        d7({"anyOf": [{"type": "object", "required": ["a"]}, {}]}), "yes"),
    "old anyOf: each branch fits": (d7({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
                                    d7({"type": ["string", "number"]}), "yes"),
    "old anyOf: a branch does not fit": (d7({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
                                         d7({"type": "string"}), "no"),
    "union split by type": (d7({"type": ["string", "integer"]}),
                            d7({"anyOf": [{"type": "string"}, {"type": "integer"}]}), "yes"),
    "oneOf with disjoint branches": (d7({"type": "boolean"}),
                                     d7({"oneOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}),
                                     "yes"),
    "oneOf single branch around the old schema": (
        d7({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}),
        d7({"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}]}),
        "yes"),
    "oneOf overlapping branches": (d7({"type": "integer"}),
                                   d7({"oneOf": [{"type": "integer"}, {"type": "number"}]}), "no"),
    "not narrowed widens": (d7({"not": {"type": "string", "maxLength": 3}}),
                            d7({"not": {"type": "string", "maxLength": 2}}), "yes"),
    "not widened narrows": (d7({"not": {"enum": ["a"]}}), d7({"not": {"enum": ["a", "b"]}}), "no"),
    "not of another type": (d7({"type": "integer"}), d7({"not": {"type": "string"}}), "yes"),
    "if-then-else: both branches fit": (
        d7({"type": "integer", "minimum": 0}),
        d7({"if": {"minimum": 10}, "then": {"type": "integer"}, "else": {"type": "number"}}), "yes"),
    "if-then-else added": (d7({"type": "integer"}),
                           d7({"if": {"minimum": 10}, "then": {"multipleOf": 2}}), "no"),
    "allOf merged": (d7({"allOf": [{"type": "integer"}, {"minimum": 0}]}),
                     d7({"type": "number", "minimum": -1}), "yes"),
    # --- drafts ---
    "$ref siblings ignored before 2019-09": (
        d7({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s"}),
        d7({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s", "maxLength": 1}), "yes"),
    "$ref siblings apply from 2019-09": (
        {"$schema": D2019, "$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"},
        {"$schema": D2019, "$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 1}, "no"),
    "draft-04 boolean exclusiveMinimum": (
        {"$schema": D4, "type": "number", "minimum": 0},
        {"$schema": D4, "type": "number", "minimum": 0, "exclusiveMinimum": True}, "no"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_known_pairs(name):
    old, new, expected = CASES[name]
    assert_answer(old, new, expected)


def test_draft_04_guessed_from_the_shape_and_said():
    old = {"type": "number", "minimum": 0}
    new = {"type": "number", "minimum": 0, "exclusiveMinimum": True}
    answer = assert_answer(old, new, "no", cls=jsonschema.Draft4Validator)
    assert answer.witness == 0
    assert any("draft-04" in note and "/exclusiveMinimum" in note for note in answer.notes)
    assert guess_draft({"properties": {"a": {"id": "x"}}})[0] == 4
    assert guess_draft({"type": "string"}) == (2020, None)


LIST = {"definitions": {"node": {"type": "object", "properties": {
    "value": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}}}},
    "$ref": "#/definitions/node"}


def _list_of(value_type: str) -> dict:
    schema = json.loads(json.dumps(LIST))
    schema["definitions"]["node"]["properties"]["value"]["type"] = value_type
    return d7(schema)


def test_recursive_schema_widened_is_included():
    assert_answer(_list_of("integer"), _list_of("number"), "yes")


def test_recursive_schema_narrowed_deep_down_has_a_nested_witness():
    answer = assert_answer(_list_of("number"), _list_of("integer"), "no")
    assert answer.witness not in ({}, None)


def test_mutually_recursive_schemas():
    def tree(leaf: str) -> dict:
        return d7({"definitions": {
            "tree": {"type": "object", "properties": {"kids": {"$ref": "#/definitions/forest"},
                                                      "leaf": {"type": leaf}}},
            "forest": {"type": "array", "items": {"$ref": "#/definitions/tree"}}},
            "$ref": "#/definitions/tree"})
    assert_answer(tree("integer"), tree("number"), "yes")
    assert_answer(tree("number"), tree("integer"), "no")


def test_multi_file_refs(tmp_path):
    for version, kind in (("old", "integer"), ("new", "string")):
        folder = tmp_path / version
        folder.mkdir()
        (folder / "root.json").write_text(json.dumps(d7({
            "type": "object", "properties": {"id": {"$ref": "common.json#/definitions/id"}}})))
        (folder / "common.json").write_text(json.dumps(d7({"definitions": {"id": {"type": kind}}})))
    old = Side.of(path=tmp_path / "old" / "root.json", label="old")
    new = Side.of(path=tmp_path / "new" / "root.json", label="new")
    checker = Checker(old, new)
    answer = checker.includes()
    assert answer.verdict == "no" and answer.witness == {"id": 0}
    assert checker.contains().verdict == "no"
    same = Side.of(path=tmp_path / "old" / "root.json", label="new")
    assert Checker(old, same).includes().verdict == "yes"


def test_places_inside_documents_are_compared():
    old = Side.of(d7({"definitions": {"a": {"type": "integer"}, "b": {"type": "number"}}}), label="old")
    new = Side.of(d7({"definitions": {"a": {"type": "number"}, "b": {"type": "integer"}}}), label="new")
    checker = Checker(old, new)
    assert checker.includes(old.at("/definitions/a"), new.at("/definitions/a")).verdict == "yes"
    assert checker.includes(old.at("/definitions/b"), new.at("/definitions/b")).witness == 0.5
    assert checker.contains(old.at("/definitions/a"), new.at("/definitions/a")).verdict == "no"


def test_hostile_pattern_gives_up_quickly():
    blowup = "(a|b)*a" + "(a|b)" * 14
    start = time.monotonic()
    answer = includes(d7({"type": "string", "pattern": blowup}), d7({"type": "string", "pattern": "^a"}))
    assert answer.verdict == "unknown"
    assert time.monotonic() - start < 5


def test_budget_turns_into_unknown():
    wide = d7({"type": "object", "properties": {f"p{i}": {"type": "number"} for i in range(50)}})
    narrow = d7({"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(50)}})
    old, new = Side.of(narrow, label="old"), Side.of(wide, label="new")
    assert Checker(old, new, budget=5).includes() == Checker(old, new, budget=5).includes()
    assert Checker(old, new, budget=5).includes().reason.startswith("budget")
    assert Checker(old, new).includes().verdict == "yes"


def test_deep_nesting_is_bounded():
    schema: dict = {"type": "integer"}
    for _ in range(400):
        schema = {"type": "array", "items": schema}
    other = json.loads(json.dumps(schema).replace('"integer"', '"string"'))
    start = time.monotonic()
    answer = includes(d7(schema), d7(other))
    assert answer.verdict in ("no", "unknown")
    assert time.monotonic() - start < 10


# --- the property: "yes" is never contradicted, "no" always carries a real witness -------------

NAMES = ["a", "b"]


def _leaf() -> st.SearchStrategy:
    return st.one_of(
        st.fixed_dictionaries({"type": st.just("string")},
                              optional={"minLength": st.integers(0, 3), "maxLength": st.integers(1, 5),
                                        "pattern": st.sampled_from(["^[a-c]+$", "^a", "b$", "^[0-9]*$"])}),
        st.fixed_dictionaries({"type": st.sampled_from(["integer", "number"])},
                              optional={"minimum": st.integers(-3, 2), "maximum": st.integers(0, 6),
                                        "exclusiveMaximum": st.integers(1, 7),
                                        "multipleOf": st.sampled_from([1, 2, 0.5])}),
        st.fixed_dictionaries({"type": st.sampled_from(["boolean", "null", ["string", "null"]])}),
        st.builds(lambda v: {"enum": v}, st.lists(st.sampled_from(["a", "b", 1, 2.5, None, True]),
                                                  min_size=1, max_size=3, unique=True)),
        st.just({}),
    )


def _compound(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(lambda props, req, extra: {"type": "object", "properties": props,
                                             "required": sorted(set(req)), **extra},
                  st.dictionaries(st.sampled_from(NAMES), children, max_size=2),
                  st.lists(st.sampled_from(NAMES), max_size=2),
                  st.fixed_dictionaries({}, optional={
                      "additionalProperties": st.one_of(st.booleans(), children),
                      "patternProperties": st.builds(lambda c: {"^x": c}, children),
                      "dependencies": st.one_of(st.just({"a": ["b"]}),
                                                st.builds(lambda c: {"a": c}, children)),
                      "maxProperties": st.integers(0, 3)})),
        st.builds(lambda items, extra: {"type": "array", "items": items, **extra}, children,
                  st.fixed_dictionaries({}, optional={"maxItems": st.integers(0, 3),
                                                      "minItems": st.integers(0, 2),
                                                      "uniqueItems": st.just(True)})),
        st.builds(lambda a, b, more: {"type": "array", "items": [a, b], "additionalItems": more},
                  children, children, st.one_of(st.booleans(), children)),
        st.builds(lambda a, b: {"anyOf": [a, b]}, children, children),
        st.builds(lambda a, b: {"oneOf": [a, b]}, children, children),
        st.builds(lambda a, b: {"allOf": [a, b]}, children, children),
        st.builds(lambda a, b: {**a, "not": b}, children, _leaf()),
        st.builds(lambda a, b, c: {"if": a, "then": b, "else": c}, _leaf(), children, children),
    )


SCHEMAS = st.recursive(_leaf(), _compound, max_leaves=4)
HEAVY = os.environ.get("SCHEMADIFF_HEAVY") == "1"   # set by .ci/run: many more generated pairs
PAIRS = settings(max_examples=int(os.environ.get("INCLUSION_EXAMPLES", 300 if HEAVY else 50)),
                 deadline=None,
                 database=None, derandomize=not os.environ.get("INCLUSION_RANDOM"),
                 suppress_health_check=list(HealthCheck))


EDITS = (
    lambda n: n.update(type="number") if n.get("type") == "integer" else n.update(type="integer"),
    lambda n: n.pop("type", None),
    lambda n: n.update(maxLength=n.get("maxLength", 4) - 1),
    lambda n: n.update(minimum=n.get("minimum", 0) - 1),
    lambda n: n.update(exclusiveMaximum=n.get("exclusiveMaximum", 5) + 1),
    lambda n: n.update(pattern="^[a-z]+$"),
    lambda n: n.update(required=["a"]) if not n.get("required") else n.update(required=[]),
    lambda n: n.update(additionalProperties=not n.get("additionalProperties", True)),
    lambda n: n.update(additionalItems=False),
    lambda n: n.update(enum=(n.get("enum") or ["a"]) + ["new"]),
    lambda n: n.update(uniqueItems=True),
    lambda n: n.update(anyOf=[dict(n), {"type": "null"}]),
    lambda n: n.update(maxItems=n.get("maxItems", 3) + 1),
)


def _edited(schema: dict) -> st.SearchStrategy:
    """The schema with one small edit somewhere: pairs that are close, where answers are hard."""
    def edit(choice):
        copy = json.loads(json.dumps(schema))
        spots = []
        stack = [copy]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                spots.append(node)
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, (dict, list)))
        spot, change = choice
        EDITS[change](spots[spot % len(spots)])
        return copy
    return st.tuples(st.integers(0, 20), st.integers(0, len(EDITS) - 1)).map(edit)


SEARCH = settings(max_examples=int(os.environ.get("INCLUSION_SEARCH", 25)), deadline=None,
                  database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def separating(old, new):
    """A document the old schema accepts and the new refuses, as hypothesis-jsonschema finds one
    (None if it finds none, or cannot draw from the old schema)."""
    try:
        return find(from_schema(old), lambda doc: valid(old, doc) and not valid(new, doc),
                    settings=SEARCH)
    except NoSuchExample:
        return None
    except Exception:  # noqa: BLE001 - a schema hypothesis-jsonschema cannot sample
        return None


@PAIRS
@given(st.data())
def test_answers_agree_with_the_validator(data):
    old = d7(data.draw(SCHEMAS, label="old"))
    new = d7(data.draw(st.one_of(SCHEMAS, st.just(old), _edited(old)), label="new"))
    answer = includes(old, new)
    if answer.verdict == "no":
        assert valid(old, answer.witness) and not valid(new, answer.witness), answer
    elif answer.verdict == "yes":
        found = separating(old, new)
        assert found is None, f"'yes' but the new schema refuses {found!r}"


def test_strict_properties_refuses_pattern_matched_names_too():
    old = {"$schema": "http://interagent.github.io/interagent-hyper-schema", "type": "object",
           "patternProperties": {"^x": {"type": "string"}}}
    new = {**old, "strictProperties": True}
    answer = includes(old, new)
    assert answer.verdict == "no" and set(answer.witness) and all(k.startswith("x") or k
                                                                  for k in answer.witness)
    assert includes(new, new).verdict == "yes"
    assert includes(new, old).verdict == "yes"


def test_many_hostile_patterns_share_one_bound():
    patterns = [f"(a|b)*{c}(a|b)" + "(a|b)" * 13 for c in "abcdefghij"]
    old = d7({"type": "object", "properties": {f"p{i}": {"type": "string", "pattern": p}
                                               for i, p in enumerate(patterns)}})
    new = d7({"type": "object", "properties": {f"p{i}": {"type": "string", "pattern": "^x"}
                                               for i in range(len(patterns))}})
    start = time.monotonic()
    answer = includes(old, new)
    assert answer.verdict in ("no", "unknown")
    assert time.monotonic() - start < 8


def test_a_reference_leading_nowhere_is_unknown_not_a_crash(tmp_path):
    answer = includes(d7({"properties": {"a": {"$ref": "#/definitions/missing"}}}),
                      d7({"properties": {"a": {"type": "string"}}}))
    assert answer.verdict == "unknown" and "leads nowhere" in answer.reason
    (tmp_path / "root.yaml").write_text("$schema: http://json-schema.org/draft-07/schema#\n"
                                        "properties:\n  a: {$ref: '../outside.json'}\n")
    side = Side.of(path=tmp_path / "root.yaml")
    answer = Checker(side, Side.of(d7({}), label="new")).contains()
    assert answer.verdict in ("yes", "unknown")
    answer = Checker(side, Side.of(d7({"properties": {"a": False}}), label="new")).includes()
    assert answer.verdict == "unknown" and "outside" in answer.reason


def test_an_unknown_from_one_question_budget_is_not_remembered():
    old = Side.of(d7({"definitions": {"x": {"type": "object", "properties": {
        f"p{i}": {"type": "integer"} for i in range(30)}}}}), label="old")
    new = Side.of(d7({"definitions": {"x": {"type": "object", "properties": {
        f"p{i}": {"type": "number"} for i in range(30)}}}}), label="new")
    checker = Checker(old, new, budget=10)
    assert checker.includes(old.at("/definitions/x"), new.at("/definitions/x")).verdict == "unknown"
    checker.budget = 1000
    assert checker.includes(old.at("/definitions/x"), new.at("/definitions/x")).verdict == "yes"
