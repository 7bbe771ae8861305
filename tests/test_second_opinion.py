"""The judgement consults the inclusion checker (schemadiff/second_opinion.py, issue 11 item 2).

Each test states what a user sees: the verdict, the severity and reason of a record, the example a
breaking record carries, and the safety net's record when no keyword rule explains a proven break.
"""

from __future__ import annotations

import json

import schemadiff
from conftest import run_cli, run_json
from schemadiff.diff import Comparison
from schemadiff.examples import Examples
from schemadiff.kinds import KINDS
from schemadiff.pipeline import open_side
from schemadiff.second_opinion import Verification
from schemadiff.settings import resolve
from schemadiff.surface import compare_apis


def write(tmp_path, old, new):
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return str(tmp_path / "old.json"), str(tmp_path / "new.json")


def test_a_type_the_enum_already_implied_is_safe_with_the_reason(tmp_path):
    old, new = write(tmp_path, {"enum": ["a", "b"]}, {"type": "string"})
    code, report = run_json("diff", old, new, "-f", "json")
    assert code == 0 and report["verdict"]["result"] == "compatible"
    narrowed = next(c for c in report["changes"] if c["rule"] == "type-narrowed")
    assert narrowed["severity"] == "safe"
    assert narrowed["message"] == "now must be a string (absorbed by the enum `a` and `b`)"
    assert narrowed["details"]["inclusion"] == "proven"
    assert narrowed["details"]["severity_before"] == "breaking"


def test_a_not_that_excludes_less_only_widens(tmp_path):
    old, new = write(tmp_path, {"type": "string", "not": {"enum": ["a", "b"]}},
                     {"type": "string", "not": {"enum": ["a"]}})
    assert schemadiff.compare(old, new).result == "compatible"
    # forward it does break: "b" is new, and the example says so
    report = schemadiff.compare(old, new, compat="forward")
    assert report.result == "breaking"
    assert report.changes[0].example["document"] == "b"


def test_a_refuted_record_without_its_own_example_carries_the_checkers_witness(tmp_path):
    old, new = write(tmp_path, {"type": "object"},
                     {"type": "object", "dependentSchemas": {"card": {"required": ["cvc"]}}})
    result = run_cli("diff", old, new)
    assert result.returncode == 1
    assert "(found by the inclusion checker): {\"card\": {}}" in " ".join(result.stdout.split())
    report = schemadiff.compare(old, new)
    example = report.changes[0].example
    assert example["source"] == "checker" and example["accepted_by"] == "old"
    assert example["document"] == {"card": {}}


def test_examples_say_who_found_them(tmp_path):
    old, new = write(tmp_path, {"type": "string"}, {"type": "string", "maxLength": 3})
    example = schemadiff.compare(old, new).changes[0].example
    assert example["source"] == "rule"


def test_unknown_stays_as_it_was(tmp_path):
    # a back-reference: the checker cannot model it, so the record keeps its severity
    old, new = write(tmp_path, {"type": "string", "pattern": "^(a)\\1$"},
                     {"type": "string", "pattern": "^(a)\\1b?$"})
    report = schemadiff.compare(old, new)
    changed = next(c for c in report.changes if c.rule == "pattern-changed")
    assert changed.severity.value == "breaking"
    assert "inclusion" not in changed.details


def test_a_draft04_bound_without_schema_is_read_as_draft04_and_said(tmp_path):
    old, new = write(tmp_path, {"type": "number", "minimum": 0},
                     {"type": "number", "minimum": 0, "exclusiveMinimum": True})
    code, report = run_json("diff", old, new, "-f", "json")
    assert code == 1
    assert [c["rule"] for c in report["changes"]] == ["minimum-increased"]
    assert report["changes"][0]["example"]["document"] == 0
    assert any("no $schema; read as draft-04 (from /exclusiveMinimum)" in w
               for w in report["warnings"])


def _walk(old: dict, new: dict):
    """A comparison of two plain schemas, up to the records (what pipeline.run does first)."""
    settings = resolve({})
    sides = [KINDS["jsonschema"].normaliser(open_side(doc, settings, label, None))
             for doc, label in ((old, "old"), (new, "new"))]
    walk = Comparison(*sides)
    compare_apis(KINDS["jsonschema"].build(sides[0]), KINDS["jsonschema"].build(sides[1]), walk,
                 lifecycle=None)
    return walk, Examples(*sides, "backward")


def test_the_safety_net_shows_a_proven_break_no_record_explains():
    old = {"type": "object", "properties": {"bar": {"type": "number"}},
           "additionalProperties": {"type": "string"}}
    new = {"type": "object", "additionalProperties": {"type": "string"}}
    walk, examples = _walk(old, new)
    blind = [c for c in walk.changes.values() if c.severity.value == "breaking"]
    assert blind  # the keyword rules see this one ...
    for key in [k for k, c in walk.changes.items() if c in blind]:
        del walk.changes[key]  # ... but were they blind to it, the net would still catch it
    verification = Verification(walk, "backward", examples)
    changes = verification.safety_net(verification.settle(list(walk.changes.values())), False)
    net = [c for c in changes if c.rule == "not-included"]
    assert len(net) == 1 and net[0].severity.value == "breaking"
    assert net[0].example["source"] == "checker" and net[0].example["document"] == {"bar": 0}
    assert net[0].message == ("a document the old schema accepts is now refused "
                              "(found by the inclusion checker)")


def test_the_safety_net_is_quiet_when_a_record_explains_the_break():
    walk, examples = _walk({"type": "string"}, {"type": "string", "maxLength": 3})
    verification = Verification(walk, "backward", examples)
    changes = verification.safety_net(verification.settle(list(walk.changes.values())), False)
    assert [c.rule for c in changes] == ["max-length-decreased"]


def test_records_are_replaced_not_changed_in_place():
    walk, examples = _walk({"enum": ["a", "b"]}, {"type": "string"})
    before = list(walk.changes.values())
    states = [(c.severity, c.message) for c in before]
    after = Verification(walk, "backward", examples).settle(before)
    assert [(c.severity, c.message) for c in before] == states
    narrowed = [(b, a) for b, a in zip(before, after, strict=True) if b.rule == "type-narrowed"]
    assert [(b.severity.value, a.severity.value) for b, a in narrowed] == [("breaking", "safe")]
    assert narrowed[0][0] is not narrowed[0][1]


def test_a_request_property_hidden_by_readonly_is_left_to_the_conventions(tmp_path):
    """OpenAPI leaves readOnly properties out of request views; the checker reads the raw schema,
    so its proof does not speak for the view and the record keeps its judgement."""
    def spec(schema):
        return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"204": {"description": "ok"}}}}}}
    body = {"type": "object",
            "properties": {"id": {"type": "string", "readOnly": True}, "a": {"type": "string"}}}
    old_path, new_path = write(tmp_path, spec({**body, "not": {"required": ["a"]}}),
                               spec({**body, "not": {"required": ["a", "b"]}}))
    report = schemadiff.compare(old_path, new_path)
    changed = [c for c in report.changes if c.rule == "not-changed"]
    assert [c.severity.value for c in changed] == ["breaking"]
    assert "inclusion" not in changed[0].details
    # the same schemas without readOnly: the checker's proof applies
    plain = {**body, "properties": {"id": {"type": "string"}, "a": {"type": "string"}}}
    old_path, new_path = write(tmp_path, spec({**plain, "not": {"required": ["a"]}}),
                               spec({**plain, "not": {"required": ["a", "b"]}}))
    report = schemadiff.compare(old_path, new_path)
    assert report.result == "compatible", [(c.id, c.severity.value) for c in report.changes]
