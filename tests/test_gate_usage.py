"""The gate as people call it: ``check`` from pre-commit, ``-o``, forced kinds, the job summary, and
colour only where a person looks (a terminal), each through the real CLI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, SEED_NEW, SEED_OLD, git, one_line, run_cli

ORDER_OLD = "samples/jsonschema/order-v1.json"
ORDER_NEW = "samples/jsonschema/order-v2.yaml"


def one_line_error(result, *parts: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    line = one_line(result)
    assert "Traceback" not in result.stderr and all(part in line for part in parts)


def committed_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "api"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.json").write_bytes((ROOT / SEED_OLD).read_bytes())
    (repo / "b.json").write_bytes((ROOT / ORDER_OLD).read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "a.json").write_bytes((ROOT / SEED_NEW).read_bytes())
    return repo


def test_check_refuses_a_path_that_is_not_there(tmp_path):
    """A misspelled path in the hook's arguments must not pass the gate as "nothing to compare"."""
    repo = committed_repo(tmp_path)
    one_line_error(run_cli("check", "a.jsn", cwd=repo), "a.jsn: no such file in the work tree")
    one_line_error(run_cli("check", "a.json", "nowhere/b.json", cwd=repo), "nowhere/b.json")


def test_check_writes_one_document_per_format_that_needs_it(tmp_path):
    repo = committed_repo(tmp_path)
    for form in ("json", "sarif", "junit", "gitlab", "html"):
        one_line_error(run_cli("check", "a.json", "b.json", "-f", form, cwd=repo),
                       f"--format {form} writes one document, so it takes one file")
    single = run_cli("check", "a.json", "a.json", "-f", "json", cwd=repo)   # named twice: once
    assert single.returncode == 1 and single.stdout.count('"verdict"') == 1
    text = run_cli("check", "a.json", "b.json", cwd=repo)
    assert text.returncode == 1 and text.stdout.count("verdict: ") == 2


def test_output_never_replaces_an_input(tmp_path):
    new = tmp_path / "new.yaml"
    new.write_bytes((ROOT / ORDER_NEW).read_bytes())
    before = new.read_bytes()
    result = run_cli("diff", ORDER_OLD, str(new), "-o", str(new))
    one_line_error(result, f"is also the input {new}")
    assert new.read_bytes() == before


def test_a_forced_kind_that_does_not_fit_is_refused():
    """Forced as a hyper-schema, a plain schema would have no resources: nothing compared."""
    one_line_error(run_cli("diff", ORDER_OLD, ORDER_OLD, "--kind", "hyperschema"),
                   "--kind hyperschema does not fit")
    one_line_error(run_cli("diff", ORDER_OLD, SEED_OLD, "--kind", "hyperschema"),
                   "--kind hyperschema does not fit")


def test_an_unwritable_job_summary_is_a_write_error(tmp_path):
    result = run_cli("diff", ORDER_OLD, ORDER_NEW, "-f", "github",
                     env={"GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")})
    one_line_error(result, "cannot write the job summary")


def _on_a_terminal(*args: str) -> str:
    """Run the CLI with its standard output on a pseudo-terminal; what a person would see."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR",
                                                            "TTY_COMPATIBLE")}
    process = subprocess.Popen([sys.executable, "-m", "schemadiff", *args], cwd=ROOT, env=env,
                               stdout=child, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:   # the terminal closed: the program is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_text_report_is_coloured_on_a_terminal_and_plain_in_a_pipe():
    screen = _on_a_terminal("diff", ORDER_OLD, ORDER_NEW)
    assert "\x1b[" in screen and "verdict" in screen
    piped = run_cli("diff", ORDER_OLD, ORDER_NEW, env={"NO_COLOR": ""})
    assert "\x1b[" not in piped.stdout and "verdict" in piped.stdout
    assert textwrap.dedent(piped.stdout)   # not empty


def _pets(stability: str | None, properties: dict) -> dict:
    operation = {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"type": "object", "required": sorted(properties), "properties": properties}}}}}}
    if stability:
        operation["x-stability-level"] = stability
    return {"openapi": "3.0.3", "info": {"title": "pets", "version": "1"},
            "paths": {"/pets": {"get": operation}}}


def test_a_change_cannot_declare_itself_a_draft_to_pass(tmp_path):
    """The stability that caps a change is the one the old version promised: a pull request that
    marks an operation draft and breaks it in the same change is judged as stable."""
    import json

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_pets(None, {"id": {"type": "string"}, "name": {"type": "string"}})))
    new.write_text(json.dumps(_pets("draft", {"name": {"type": "integer"}})))
    result = run_cli("diff", str(old), str(new), "-f", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    rules = {c["id"]: c["severity"] for c in report["changes"]}
    assert rules["response-property-removed"] == "breaking"
    assert rules["stability-decreased"] == "breaking"
    assert not any("uncapped_severity" in c["details"] for c in report["changes"])


def test_hostile_openapi_fields_are_not_internal_errors(tmp_path):
    """A 5000-digit info.version and a parameter whose name is an object: a report, not a crash."""
    import json

    old = _pets(None, {"id": {"type": "string"}})
    new = _pets(None, {"id": {"type": "string"}})
    new["info"]["version"] = "1" + "0" * 5000 + ".0.0"
    new["paths"]["/pets"]["get"]["parameters"] = [{"name": {"x": 1}, "in": "query"},
                                                  {"name": "limit", "in": ["query"]}]
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    result = run_cli("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert result.returncode in (0, 1) and "internal error" not in result.stderr, result.stderr


def test_check_reads_a_work_tree_file_whose_name_has_a_colon(tmp_path):
    repo = tmp_path / "api"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "v1:schema.json").write_bytes((ROOT / ORDER_OLD).read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    result = run_cli("check", "v1:schema.json", cwd=repo)
    assert result.returncode == 0 and "verdict: identical" in result.stdout, result.stderr


def test_a_reference_to_a_missing_file_names_the_place_that_refers(tmp_path):
    (tmp_path / "old.json").write_text('{"properties": {"a": {"type": "string"}}}')
    (tmp_path / "new.json").write_text('{"properties": {\n  "a": {"$ref": "nope.json"}}}')
    result = run_cli("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    one_line_error(result, f"{tmp_path / 'new.json'}:2:", "$ref 'nope.json' at /properties/a/$ref",
                   "nope.json: no such file")
