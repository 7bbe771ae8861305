"""The rule catalogue: ids are unique and kebab-case, each documented, docs/rules.md up to date."""

from __future__ import annotations

import re

from conftest import ROOT, run_cli
from schemadiff.rules import load_catalogue

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_ids_are_kebab_case_and_documented():
    rules = load_catalogue()
    assert len(rules) >= 60
    for rule in rules.values():
        assert KEBAB.match(rule.id), rule.id
        assert not rule.id.startswith(("request-", "response-")), rule.id
        assert len(rule.why) > 20, rule.id


def test_rules_command_lists_every_rule():
    rules = load_catalogue()
    listing = run_cli("rules").stdout
    for rule_id in rules:
        assert re.search(rf"^{re.escape(rule_id)}\s", listing, re.M), rule_id
    assert f"{len(rules)} rules." in listing


def test_docs_rules_md_is_generated_from_the_catalogue():
    generated = run_cli("rules", "--format", "markdown").stdout
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated, \
        "docs/rules.md is stale: run `schemadiff rules --format markdown > docs/rules.md`"


def test_every_rule_is_covered_by_a_fixture_case():
    import json

    rules = load_catalogue()
    seen = set()
    for expected in (ROOT / "tests" / "cases").glob("*/*/expected.json"):
        for mode in json.loads(expected.read_text()).values():
            for change in mode["changes"]:
                rule_id = change["id"]
                for prefix in ("request-", "response-"):
                    if rule_id.startswith(prefix) and rule_id[len(prefix):] in rules:
                        rule_id = rule_id[len(prefix):]
                seen.add(rule_id)
    derived = {r.id for r in rules.values() if r.derived}  # tested in test_policy.py
    assert sorted(set(rules) - seen - derived) == []


def test_every_rule_example_is_reported_by_that_rule():
    """The tiny example shown in docs/rules.md really produces the rule, so the docs cannot lie."""
    import schemadiff

    for rule in load_catalogue().values():
        if rule.derived:
            continue
        old, new = rule.example
        report = schemadiff.compare(old, new)
        assert rule.id in {c.rule for c in report.changes}, (rule.id, [c.id for c in report.changes])


def test_the_text_listing_quotes_code_as_a_terminal_reader_expects():
    from conftest import run_cli

    listing = run_cli("rules").stdout
    assert "``" not in listing and "`default`" in listing


#: words a reader who does not know JSON Schema would not follow, outside `quoted` code
JARGON = re.compile(r"\b(anyOf|oneOf|allOf|not schema|schemas?|documents?|enum|nullable|branch|"
                    r"minLength|maxLength|minItems|maxItems|minimum|maximum|multipleOf|"
                    r"additionalProperties|patternProperties|pattern property|"
                    r"unevaluated\w*|lower bound|upper bound|operationId|serialisation)\b")


def test_every_message_speaks_plainly():
    """Each rule's message for its own example, read with the code parts left out, uses words a
    reader who does not know JSON Schema follows ("now accepts only values of one of 2 forms",
    not "documents must now match anyOf 2 schemas")."""
    import schemadiff

    jargon = {}
    for rule in load_catalogue().values():
        if rule.derived:
            continue
        for change in schemadiff.compare(*rule.example).changes:
            if change.rule == rule.id:
                prose = re.sub(r"`[^`]*`", "", change.message)
                if JARGON.search(prose):
                    jargon[rule.id] = change.message
    assert jargon == {}
