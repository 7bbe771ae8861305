"""Property names that look like the field's markers (``{*}``, ``<then>``, ``[]``) are property
names: shown as such, never merged with the marker's records, and given their own example.

The fixture pair changes three such properties and ``additionalProperties`` (shown ``{*}``) from
string to integer. A field used to be a string grammar sharing its namespace with property names:
the property ``{*}`` read as "any other property" and was grouped into its record, ``<then>`` read
as a condition's branch, ``[]`` as an array item, and none got an example.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

PAIR = Path(__file__).parent / "data" / "marker_names"
OLD, NEW = str(PAIR / "old.json"), str(PAIR / "new.json")


def _records() -> dict[str, dict]:
    result = run_cli("diff", OLD, NEW, "--format", "json")
    assert result.returncode == 1, result.stderr
    changes = json.loads(result.stdout)["changes"]
    return {change["field"]: change for change in changes}


def test_marker_named_properties_are_their_own_records_with_examples():
    records = _records()
    assert sorted(records) == ['["[]"]', '["{*}"]', 'box["<then>"]', "{*}"]
    documents = {field: change["example"]["document"] for field, change in records.items()}
    assert documents['["{*}"]'] == {"{*}": "a"}
    assert documents['["[]"]'] == {"[]": "a"}
    assert documents['box["<then>"]'] == {"box": {"<then>": "a"}}
    # the marker itself still means any property the schema does not name
    assert records["{*}"]["path"]["new"] == "/additionalProperties/type"
    assert documents["{*}"] == {"extra_field": "a"}
    for change in records.values():
        assert change["severity"] == "breaking" and change["example"]["verified"] is True


def test_text_report_shows_the_property_names():
    result = run_cli("diff", OLD, NEW)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    shown = [line.split("`")[1] for line in lines if line.lstrip().startswith("breaking  `")]
    assert shown == ['["[]"]', '["{*}"]', 'box["<then>"]', "{*}"]
    assert 'example, accepted by the old schema, rejected by the new: {"box": {"<then>": "a"}}' \
        in result.stdout


API = Path(__file__).parent / "data" / "marker_names_api"


def test_api_properties_named_like_a_dependent_schema_or_a_parameter():
    """In an OpenAPI body, a request property ``<with a>`` and a response property ``{query q}``
    (whose maxLength moved) are properties: shown quoted after the status, and the rule's own
    example is placed in them (the old reading found none: a dependent schema of ``a`` that does
    not exist, a query parameter's value)."""
    result = run_cli("diff", str(API / "old.json"), str(API / "new.json"), "--format", "json")
    assert result.returncode == 1, result.stderr
    records = {change["field"]: change for change in json.loads(result.stdout)["changes"]}
    assert sorted(records) == ['<200>["{query q}"]', '["<with a>"]']
    request, response = records['["<with a>"]'], records['<200>["{query q}"]']
    assert request["id"] == "request-max-length-decreased" and request["severity"] == "breaking"
    assert request["example"]["document"] == {"<with a>": "aaaaaa"}
    assert request["example"]["source"] == "rule"
    assert response["id"] == "response-max-length-increased"
    assert response["example"]["document"] == {"{query q}": "aaaaaa"}
    assert response["example"]["source"] == "rule"
