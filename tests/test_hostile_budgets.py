"""Budgets, not hangs: each input here once hung a CI job (or grew to gigabytes). Each is a small
generated pair run through the real CLI; the test states the verdict a user sees and bounds the
CPU time (load on a shared machine stretches wall time, not CPU time) and, where the attack was
memory, the peak resident size."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import schemadiff
from conftest import ROOT
from schemadiff import budget

#: CPU seconds one hostile case may take, interpreter start-up included
CPU_LIMIT = 6.0
#: a hang guard only: past this the test fails instead of waiting forever
WALL_LIMIT = 120

_MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss}, out)
sys.exit(done.returncode)
"""


def run_measured(tmp_path: Path, *args: str):
    """Run the CLI through a small parent that reports the child's CPU time and peak memory.
    Example-building faults are not raised here (``SCHEMADIFF_DEBUG_EXAMPLES`` off): running
    out of budget is the outcome these cases expect."""
    usage_file = tmp_path / "usage.json"
    env = {"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "SCHEMADIFF_DEBUG_EXAMPLES": ""}
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(usage_file), sys.executable,
                             "-m", "schemadiff", *args], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=WALL_LIMIT)
    usage = json.loads(usage_file.read_text())
    assert "Traceback" not in result.stderr, result.stderr
    return result, usage["cpu"], usage["peak_kb"]


def write_pair(tmp_path: Path, old, new, suffix: str = "json") -> tuple[str, str]:
    paths = []
    for name, doc in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.{suffix}"
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
        paths.append(str(path))
    return paths[0], paths[1]


def compare_json(tmp_path: Path, old, new, suffix: str = "json", *extra: str):
    old_path, new_path = write_pair(tmp_path, old, new, suffix)
    result, cpu, peak_kb = run_measured(tmp_path, "diff", old_path, new_path, "--format", "json",
                                        *extra)
    assert cpu < CPU_LIMIT, f"{cpu:.1f} s of CPU"
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout), peak_kb


def record(report: dict, rule_id: str) -> dict:
    found = [c for c in report["changes"] if c["id"] == rule_id]
    assert len(found) == 1, [c["id"] for c in report["changes"]]
    return found[0]


def with_sibling(schema: dict, number_type: str) -> dict:
    """An object whose required ``s`` is hostile and whose sibling ``n`` is what changes: building
    an example for ``n`` needs a value for ``s``."""
    return {"type": "object", "required": ["s", "n"],
            "properties": {"s": schema, "n": {"type": number_type}}}


EVIL = "a" * 40 + "!"


@pytest.mark.parametrize("hostile", [
    pytest.param({"type": "string", "pattern": "^((a{1000}){1000}){1000}$"}, id="counted-repeats"),
    pytest.param({"type": "string", "minLength": 3_000_000_000}, id="min-length-3e9"),
    pytest.param({"type": "array", "minItems": 3_000_000_000}, id="min-items-3e9"),
])
def test_a_hostile_sibling_costs_the_example_not_the_run(tmp_path, hostile):
    code, report, peak_kb = compare_json(tmp_path, with_sibling(hostile, "integer"),
                                         with_sibling(hostile, "string"))
    assert code == 1
    change = record(report, "type-changed")
    assert change["field"] == "n"
    assert change["no_example"] == "budget" and "example" not in change
    assert peak_kb < 300_000, f"peak {peak_kb} KB"   # minItems: 3e9 once grew to 2.8 GB


@pytest.mark.parametrize("hostile", [
    pytest.param({"type": "string", "pattern": "^(a+)+$", "example": EVIL}, id="nested-quantifier"),
    pytest.param({"type": "string", "pattern": "^(a|a)+$", "default": EVIL}, id="overlapping-branches"),
])
def test_a_catastrophic_pattern_on_a_schema_example_is_not_run(tmp_path, hostile):
    """The schema's own example cannot be checked within budget, so the sampler makes a short
    string of its own, which the validator can check: the record still gets its example."""
    code, report, _ = compare_json(tmp_path, with_sibling(hostile, "integer"),
                                   with_sibling(hostile, "string"))
    assert code == 1
    change = record(report, "type-changed")
    assert change["example"]["document"] == {"s": "a", "n": 0}


def test_a_sampled_string_is_not_matched_against_a_catastrophic_pattern(tmp_path):
    code, report, _ = compare_json(tmp_path, {"type": "string", "minLength": 40},
                                   {"type": "string", "minLength": 40, "pattern": "^(a|a)+b$"})
    assert code == 1
    assert record(report, "pattern-added")["no_example"] == "budget"


def test_pattern_properties_against_a_long_name_in_normalisation(tmp_path):
    pattern = {"^(a+)+$": {"type": "string"}}
    code, report, _ = compare_json(
        tmp_path, {"type": "object", "properties": {EVIL: {"type": "string"}},
                   "patternProperties": pattern},
        {"type": "object", "properties": {}, "patternProperties": pattern})
    assert code == 0
    assert record(report, "property-removed")["details"]["name"] == EVIL


def test_the_text_report_says_no_example_budget(tmp_path):
    hostile = {"type": "array", "minItems": 3_000_000_000}
    old, new = write_pair(tmp_path, with_sibling(hostile, "integer"), with_sibling(hostile, "string"))
    result, cpu, _ = run_measured(tmp_path, "diff", old, new)
    assert result.returncode == 1 and cpu < CPU_LIMIT
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "[type-changed" in line)
    end = next(i for i in range(at, len(lines)) if lines[i].endswith("]"))   # the record, wrapped
    assert lines[end + 1].strip() == "no example (budget)"
    for format, shown in (("markdown", "No example (budget)."),
                          ("html", '<p class="example">no example (budget)</p>')):
        result, _, _ = run_measured(tmp_path, "diff", old, new, "--format", format)
        assert result.returncode == 1 and shown in result.stdout


def _chain(depth: int, leaf: str, keyword: str) -> dict:
    """definitions d0..dN, each using the next one twice."""
    defs = {f"d{i}": {keyword: [{"$ref": f"#/definitions/d{i + 1}"}] * 2} for i in range(depth)}
    defs[f"d{depth}"] = {"type": "object", "properties": {"x": {"type": leaf}}}
    return {"definitions": defs, "$ref": "#/definitions/d0"}


@pytest.mark.parametrize("keyword", ["allOf", "anyOf"])
def test_ref_fan_out_is_linear(tmp_path, keyword):
    code, report, _ = compare_json(tmp_path, _chain(30, "integer", keyword),
                                   _chain(30, "string", keyword))
    assert code == 1
    assert record(report, "type-changed")["field"] == "x"


def _aliases(depth: int, leaf: str, keyword: str) -> str:
    lines = [f"  a{depth}: &a{depth} {{type: object, properties: {{x: {{type: {leaf}}}}}}}"]
    lines += [f"  a{i}: &a{i} {{{keyword}: [*a{i + 1}, *a{i + 1}]}}" for i in range(depth - 1, -1, -1)]
    return "definitions:\n" + "\n".join(lines) + "\nanyOf: [*a0]\n"


@pytest.mark.parametrize("keyword", ["allOf", "anyOf"])
def test_yaml_alias_fan_out_under_the_alias_bomb_guard(tmp_path, keyword):
    old, new = _aliases(19, "integer", keyword), _aliases(19, "string", keyword)
    assert len(old) < 720  # 2**19 places, under the loader's 20 million values
    code, report, _ = compare_json(tmp_path, old, new, "yaml")
    assert code == 1
    assert report["summary"]["breaking"] == 1


def _branches(count: int, kind: str) -> dict:
    return {"oneOf": [{"type": "object", "required": [f"p{i}"], "properties": {f"p{i}": {"type": kind}}}
                      for i in range(count)]}


def test_two_hundred_changed_one_of_branches(tmp_path):
    code, report, _ = compare_json(tmp_path, _branches(200, "integer"), _branches(200, "string"))
    assert code == 1
    removed = [c for c in report["changes"] if c["id"] == "anyof-branch-removed"]
    assert len(removed) == 200
    assert len([c for c in report["changes"] if c["id"] == "anyof-branch-added"]) == 200
    assert all(c["example"]["verified"] for c in removed)   # each checked against 200 branches


def _added(count: int) -> tuple[dict, dict]:
    old = {"type": "object", "properties": {"id": {"type": "integer"}}}
    new = {"type": "object", "properties": {"id": {"type": "integer"},
                                            **{f"p{i}": {"type": "string"} for i in range(count)}}}
    return old, new


def test_thousands_of_added_properties_each_with_an_example(tmp_path):
    code, report, _ = compare_json(tmp_path, *_added(3000))
    assert code == 0
    assert report["summary"]["dangerous"] == 3000
    assert all("example" in c for c in report["changes"])


def test_timeout_gives_up_with_exit_2(tmp_path):
    old, new = write_pair(tmp_path, *_added(20_000))
    result, _, _ = run_measured(tmp_path, "diff", old, new, "--timeout", "0.5")
    assert result.returncode == 2
    assert result.stderr == "schemadiff: error: gave up after 0.5 s (--timeout)\n"
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_timeout_must_be_a_positive_number(tmp_path, value):
    old, new = write_pair(tmp_path, *_added(1))
    result, _, _ = run_measured(tmp_path, "diff", old, new, "--timeout", value)
    assert result.returncode == 2
    assert "--timeout must be a positive number of seconds" in result.stderr


def test_python_api_timeout_in_and_out_of_the_main_thread():
    old, new = _added(20_000)
    with pytest.raises(schemadiff.InputError, match=r"gave up after 0\.3 s"):
        schemadiff.compare(old, new, timeout=0.3)
    outcome: list = []

    def in_a_thread():
        try:
            schemadiff.compare(old, new, timeout=0.3)
        except schemadiff.InputError as err:
            outcome.append(str(err))
    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join(WALL_LIMIT)
    assert outcome and outcome[0].startswith("gave up after 0.3 s")


# --- the pieces -------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, risky", [
    (r"^(a+)+$", True), (r"^(a|a)+b$", True), (r"(\w+\s?)*", True), (r"^([a-z]+-?)+$", True),
    (r"^([a-z]{2,3})+$", True), (r"((a+)+)+", True), (r"^(.+\/)+(.+)\.(ya?ml)$", True),
    (r"^(-[a-z]+)*$", False), (r"^(\d+\.)+\d+$", False), (r"^[a-z]+$", False),
    (r"^(\d{3})+$", False), (r"^((a{1000}){1000}){1000}$", False), (r"^(ab|a)+$", False),
    (r"^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$", False), (r"^(foo|bar)+$", False),
    (r"^(([01]?\d?\d|2[0-4]\d|25[0-5])\.){3}([01]?\d?\d|2[0-4]\d|25[0-5])$", False),
    (r"(", False),
])
def test_risky_shapes(pattern, risky):
    assert budget.risky(pattern) is risky


def test_search_refuses_a_risky_pattern_on_a_long_text_and_runs_it_on_a_short_one():
    assert budget.search(r"^(a+)+$", "aaaa") is True
    with pytest.raises(budget.OverBudget):
        budget.search(r"^(a+)+$", EVIL)
    assert budget.matches(r"^(a+)+$", EVIL) is None
    assert budget.matches(r"(", "a") is None


def test_search_is_interrupted_when_it_runs_too_long():
    # polynomial, not caught by its shape: O(n**6) on 3000 characters is stopped by the clock
    with pytest.raises(budget.OverBudget, match="gave up after"):
        budget.search(r"^a*a*a*a*a*a*c$", "a" * 3000)


def test_sizes():
    assert budget.size(budget.MAX_SAMPLE_SIZE) == budget.MAX_SAMPLE_SIZE
    assert budget.length(65_537) == 65_537   # a real schema's maxLength: 65536, and one more
    with pytest.raises(budget.OverBudget):
        budget.size(3_000_000_000)


def test_process_memory_is_measured_for_the_child_only(tmp_path):
    """The measure itself: a child that allocates 200 MB shows it; the CLI's cases do not."""
    usage_file = tmp_path / "usage.json"
    subprocess.run([sys.executable, "-c", _MEASURE, str(usage_file), sys.executable, "-c",
                    "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"],
                   check=True, timeout=WALL_LIMIT)
    assert json.loads(usage_file.read_text())["peak_kb"] > 200_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
