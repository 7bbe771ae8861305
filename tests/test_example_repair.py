"""A verified example must be refused for its change alone. The rest of a sampled document comes
from the side that accepts it, and may hold a value only that side knows (an event name, a runner
label) or too few members (``minProperties``): the example then proves nothing about the change it
is shown under. The examples stage repairs such parts with values the refusing side takes."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator

from conftest import run_cli

DATA = Path(__file__).parent / "data" / "example_repair"


def test_each_break_has_an_example_refused_only_where_it_changed():
    result = run_cli("diff", str(DATA / "old.json"), str(DATA / "new.json"), "--format", "json")
    assert result.returncode == 1, result.stderr
    breaking = [c for c in json.loads(result.stdout)["changes"] if c["severity"] == "breaking"]
    assert {c["id"] for c in breaking} == {"property-removed-from-closed-object", "anyof-added",
                                          "enum-value-removed"}
    old = Draft7Validator(json.loads((DATA / "old.json").read_text()))
    new = Draft7Validator(json.loads((DATA / "new.json").read_text()))
    where = {"property-removed-from-closed-object": [],      # the root refuses `concurrency`
             "enum-value-removed": ["on"],
             "anyof-added": ["jobs", "_", "runs-on"]}
    for change in breaking:
        document = change["example"]["document"]
        assert not list(old.iter_errors(document)), change["message"]
        refused = {tuple(error.absolute_path) for error in new.iter_errors(document)}
        assert refused == {tuple(where[change["id"]])}, (change["message"], document)
