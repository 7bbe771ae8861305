"""The command line as users meet it: formats, files, standard input, exit codes and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, run_cli

ORDER_OLD = "samples/jsonschema/order-v1.json"
ORDER_NEW = "samples/jsonschema/order-v2.yaml"


def test_text_is_the_default_and_ends_with_the_verdict_and_how_to_pass():
    result = run_cli("diff", SEED_OLD, SEED_NEW)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Heroku Platform API: samples/heroku/platform-api-0.5.0.json → ")
    assert lines[2] == ("result: breaking (exit code 1) · 2 breaking · 3 dangerous · 36 safe · "
                        "11 info")   # the counts at the top too
    verdict = lines.index("verdict: breaking (exit code 1)")
    assert lines[verdict - 1] == "2 breaking · 3 dangerous · 36 safe · 11 info"
    assert lines[verdict + 2].startswith("How to pass: Fix the 2 breaking changes, or waive each")
    assert lines[-2:] == ['fingerprint = "75ed2f391471"', 'reason = "why this change is acceptable"']
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_plain_schema_pair_in_json_and_yaml():
    result = run_cli("diff", ORDER_OLD, ORDER_NEW, "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["old"]["kind"] == report["new"]["kind"] == "jsonschema"
    ids = sorted(c["id"] for c in report["changes"])
    assert ids == ["description-changed", "enum-value-added", "enum-value-removed",
                   "max-length-decreased", "maximum-decreased", "property-added-to-closed-object",
                   "required-property-added", "type-widened"]
    # inline `customer` vs its $ref, the allOf around `item`, key order, type spellings: no change
    assert not [c for c in report["changes"] if c["field"] and c["field"].startswith("customer")]


@pytest.mark.parametrize("fail_on, code", [("breaking", 1), ("dangerous", 1), ("safe", 1),
                                           ("none", 0)])
def test_fail_on_sets_the_exit_code(fail_on, code):
    assert run_cli("diff", SEED_OLD, SEED_NEW, "--fail-on", fail_on, "-f", "json").returncode == code


def test_compatible_change_exits_0_unless_failing_on_safe(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text('{"type": "object", "properties": {"a": {"type": "string"}}}')
    new.write_text('{"type": "object", "properties": {"a": {"type": ["string", "null"]}}}')
    assert run_cli("diff", str(old), str(new)).returncode == 0
    assert run_cli("diff", str(old), str(new), "--fail-on", "safe").returncode == 1
    forward = run_cli("diff", str(old), str(new), "--compat", "forward", "-f", "json")
    assert forward.returncode == 1
    assert json.loads(forward.stdout)["changes"][0]["severity"] == "breaking"


def test_identical_schemas_written_differently(tmp_path):
    minified = tmp_path / "a.json"
    minified.write_text(json.dumps(json.loads((ROOT / SEED_OLD).read_text()), separators=(",", ":")))
    pretty = tmp_path / "b.yaml"
    pretty.write_text("# same\n" + json.dumps(json.loads((ROOT / SEED_OLD).read_text()), indent=4))
    result = run_cli("diff", str(minified), str(pretty), "-f", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["verdict"]["result"] == "identical"
    assert report["changes"] == []


def test_standard_input(tmp_path):
    text = (ROOT / SEED_NEW).read_text()
    result = run_cli("diff", SEED_OLD, "-", "-f", "json", stdin=text)
    report = json.loads(result.stdout)
    assert report["new"]["source"] == "<stdin>"
    assert report["summary"]["breaking"] == 2


def test_output_file_is_written_and_stdout_stays_empty(tmp_path):
    target = tmp_path / "report.md"
    result = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "markdown", "-o", str(target))
    assert result.returncode == 1
    assert result.stdout == ""
    assert target.read_text().startswith("# Heroku Platform API\n")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def test_output_is_not_touched_when_input_is_bad(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("previous report")
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": ')
    result = run_cli("diff", SEED_OLD, str(bad), "-f", "json", "-o", str(target))
    assert result.returncode == 2
    assert target.read_text() == "previous report"


def _error(*args, **kwargs) -> str:
    result = run_cli(*args, **kwargs)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_missing_file():
    assert _error("diff", "nope.json", SEED_NEW) == "schemadiff: error: nope.json: no such file"


def test_invalid_json_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "type": "object",\n  "properties": {,}\n}\n')
    line = _error("diff", str(bad), SEED_NEW)
    assert line.startswith(f"schemadiff: error: {bad}:3:18: invalid JSON: ")


def test_invalid_yaml_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: object\nproperties:\n  a: [1, 2\n")
    line = _error("diff", SEED_OLD, str(bad))
    assert line.startswith(f"schemadiff: error: {bad}:4:1: invalid YAML: ")


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    assert _error("diff", str(empty), SEED_NEW) == f"schemadiff: error: {empty}: the file is empty"


def test_root_that_is_not_an_object(tmp_path):
    array = tmp_path / "array.json"
    array.write_text("[1, 2]")
    assert _error("diff", SEED_OLD, str(array)) == \
        f"schemadiff: error: {array}:1: the document's root is an array, not an object"


def test_dangling_ref_names_the_pointer_and_where_it_is_used(tmp_path):
    old = tmp_path / "old.json"
    old.write_text('{"properties": {"a": {"type": "string"}}}')
    new = tmp_path / "new.json"
    new.write_text('{\n  "properties": {\n    "a": {"$ref": "#/definitions/missing"}\n  }\n}\n')
    line = _error("diff", str(old), str(new))
    assert line == (f"schemadiff: error: {new}:3:11: $ref '#/definitions/missing' at "
                    "/properties/a/$ref leads nowhere: nothing at /definitions/missing")


def test_ruby_file_without_heredoc(tmp_path):
    ruby = tmp_path / "client.rb"
    ruby.write_text("module PlatformAPI\nend\n")
    assert _error("diff", str(ruby), SEED_NEW) == \
        f"schemadiff: error: {ruby}: no HEROICS_SCHEMA heredoc found in this Ruby file"


def test_unreadable_file(tmp_path):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert _error("diff", str(folder), SEED_NEW) == \
        f"schemadiff: error: {folder}: is a folder, not a file"


def test_not_utf8(tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"description": "caf\xe9"}')
    assert _error("diff", str(latin), SEED_NEW) == f"schemadiff: error: {latin}:1:21: not UTF-8 text"


def test_usage_errors_exit_2():
    assert run_cli("diff", SEED_OLD).returncode == 2
    assert run_cli("diff", SEED_OLD, SEED_NEW, "--format", "pdf").returncode == 2
    assert run_cli("diff", SEED_OLD, SEED_NEW, "--kind", "wsdl").returncode == 2
    assert _error("diff", "-", "-", stdin="{}") == \
        "schemadiff: error: only one of OLD and NEW can be standard input"


def test_deeply_nested_schema_is_an_error_not_a_crash(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"items": ' * 5000 + "{}" + "}" * 5000)
    line = _error("diff", str(deep), SEED_NEW)
    assert "nested too deeply" in line


def test_nested_but_reasonable_schema_compares(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text('{"items": ' * 200 + '{"type": "string"}' + "}" * 200)
    new.write_text('{"items": ' * 200 + '{"type": "integer"}' + "}" * 200)
    report = json.loads(run_cli("diff", str(old), str(new), "-f", "json").stdout)
    assert [c["id"] for c in report["changes"]] == ["type-changed"]
    assert report["changes"][0]["field"] == "[]" * 200


def test_heroics_client_rb_is_read_as_the_schema_it_embeds(tmp_path):
    schema = (ROOT / SEED_NEW).read_text()
    ruby = tmp_path / "client.rb"
    ruby.write_text("# encoding: utf-8\nmodule PlatformAPI\n"
                    "  SCHEMA = Heroics::Schema.new(MultiJson.load(<<-'HEROICS_SCHEMA'))\n"
                    f"{schema}\nHEROICS_SCHEMA\nend\n")
    result = run_cli("diff", SEED_OLD, str(ruby), "-f", "json")
    assert json.loads(result.stdout)["summary"] == {"breaking": 2, "dangerous": 3, "safe": 36,
                                                    "info": 11}


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("schemadiff ")
    assert "Compare two versions of a schema" in run_cli("--help").stdout


def test_python_api_returns_the_json_contract():
    import schemadiff

    report = schemadiff.compare(ROOT / SEED_OLD, ROOT / SEED_NEW)
    data = report.as_dict()
    assert set(data) == {"old", "new", "verdict", "summary", "changes", "waivers", "warnings",
                         "settings"}
    assert data["settings"] == {"kind": None, "compat": "backward", "strict": False,
                                "fail_on": "breaking", "allow_outside_refs": False,
                                "allow_remote_refs": False, "deprecation_days_stable": 0,
                                "deprecation_days_beta": 0, "stability_caps": True, "config": None}
    assert data["verdict"] == {"result": "breaking", "exit_code": 1, "fail_on": "breaking",
                               "required_bump": None, "declared_bump": None, "bump_ok": None}
    loaded = schemadiff.compare({"type": "string"}, {"type": "integer"})
    assert loaded.result == "breaking" and loaded.changes[0].id == "type-changed"
    with pytest.raises(schemadiff.InputError):
        schemadiff.compare(Path("missing.json"), {"type": "string"})


def test_remote_refs_are_never_fetched_unless_asked(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text('{"properties": {"a": {"$ref": "https://example.invalid/a.json"}}}')
    new.write_text('{"properties": {"a": {"$ref": "https://example.invalid/b.json"}}}')
    report = json.loads(run_cli("diff", str(old), str(new), "-f", "json").stdout)
    assert [c["id"] for c in report["changes"]] == ["reference-changed"]
    assert report["changes"][0]["severity"] == "dangerous"
    # asked to, it tries (and this machine has no network: one clear line, exit 2)
    result = run_cli("diff", str(old), str(new), "--allow-remote-refs")
    assert result.returncode == 2
    assert result.stderr.startswith("schemadiff: error: cannot fetch https://example.invalid/a.json")


def test_relative_file_refs_stay_inside_the_schema_folder(tmp_path):
    inner = tmp_path / "api"
    inner.mkdir()
    (tmp_path / "secret.json").write_text('{"type": "string"}')
    (inner / "common.json").write_text('{"definitions": {"name": {"type": "string", "maxLength": 9}}}')
    old = inner / "old.json"
    new = inner / "new.json"
    old.write_text('{"properties": {"n": {"$ref": "common.json#/definitions/name"}}}')
    new.write_text('{"properties": {"n": {"type": "string", "maxLength": 5}}}')
    report = json.loads(run_cli("diff", str(old), str(new), "-f", "json").stdout)
    # the reference gave way to an inline copy: one swap, with what changed in the copy under it
    [swap] = report["changes"]
    assert (swap["id"], swap["old"], swap["new"]) == \
        ("reference-swapped", "common.json#/definitions/name", None)
    assert [(c["id"], c["path"]["old"]) for c in swap["consequences"]] == \
        [("max-length-decreased", "common.json#/definitions/name/maxLength")]
    escape = inner / "escape.json"
    escape.write_text('{"properties": {"n": {"$ref": "../secret.json"}}}')
    line = _error("diff", str(escape), str(new))
    assert "points outside the schema's folder" in line and "--allow-outside-refs" in line
    allowed = run_cli("diff", str(escape), str(new), "--allow-outside-refs", "-f", "json")
    [swap] = json.loads(allowed.stdout)["changes"]
    assert [c["id"] for c in swap["consequences"]] == ["max-length-decreased"]


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("type: object")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    line = _error("diff", str(bomb), str(bomb))
    assert "aliases expand to more than" in line


def test_recursive_yaml_is_refused(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.write_text("type: object\nproperties: &p\n  self: {properties: *p}\n")
    assert "aliases expand to more than" in _error("diff", str(loop), str(loop))
