"""The CI formats on the seed pair (golden files), their validity, and the CI wiring end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli

GOLDEN = ROOT / "tests" / "golden" / "heroku-0.5.0-0.6.0"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
FORMATS = {"github": "github.txt", "junit": "junit.xml", "sarif": "report.sarif",
           "gitlab": "codequality.json"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_ci_format_golden(fmt, update_golden):
    result = run_cli("diff", SEED_OLD, SEED_NEW, "--format", fmt)
    assert result.returncode == 1, result.stderr
    golden = GOLDEN / FORMATS[fmt]
    if update_golden:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_sarif_is_valid_sarif_2_1_0():
    document = json.loads(run_cli("diff", SEED_OLD, SEED_NEW, "-f", "sarif").stdout)
    schema = json.loads(SARIF_SCHEMA.read_text())
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(document))
    assert errors == []
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "property-removed-from-closed-object" in rule_ids and len(rule_ids) >= 80
    breaking = [r for r in run["results"] if r["level"] == "error"]
    assert len(breaking) == 2  # two more are on a prototype resource: info at most
    first = breaking[0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == SEED_NEW
    assert re.fullmatch(r"[0-9a-f]{12}", first["partialFingerprints"]["schemadiff/v1"])
    assert rule_ids[first["ruleIndex"]] == first["rule"]["id"]


def test_junit_has_one_case_per_failing_change_or_one_passing_case(tmp_path):
    tree = ET.fromstring(run_cli("diff", SEED_OLD, SEED_NEW, "-f", "junit").stdout)
    suite = tree.find("testsuite")
    assert suite.get("failures") == "2" and len(suite.findall("testcase")) == 2
    assert all(case.find("failure") is not None for case in suite.findall("testcase"))
    same = run_cli("diff", SEED_OLD, SEED_OLD, "-f", "junit")
    assert same.returncode == 0
    cases = ET.fromstring(same.stdout).find("testsuite").findall("testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None


def test_gitlab_code_quality_shape():
    issues = json.loads(run_cli("diff", SEED_OLD, SEED_NEW, "-f", "gitlab").stdout)
    assert {i["severity"] for i in issues} == {"critical", "major", "minor", "info"}
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_github_commands_are_escaped(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text('{"properties": {"a,b:c%d": {"type": "string"}}, "additionalProperties": false}')
    new.write_text('{"properties": {}, "additionalProperties": false}')
    line = run_cli("diff", str(old), str(new), "-f", "github").stdout.splitlines()[0]
    # the change is placed in the new file, at the object that lost the property
    assert line == (f"::error file={new},line=1,col=2,title=property-removed-from-closed-object"
                    "::property `a,b:c%25d` removed")


def test_github_step_summary_gets_the_markdown_report(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    run_cli("diff", SEED_OLD, SEED_NEW, "-f", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text()
    assert text.startswith("earlier step\n# Heroku Platform API\n")


# --- end to end: a git repository, a configuration with a waiver, the action and the hook -------


@pytest.fixture
def schema_repo(tmp_path) -> Path:
    repo = tmp_path / "api"
    (repo / "schema").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "schema" / "platform.json").write_bytes((ROOT / SEED_OLD).read_bytes())
    # the gate's configuration is read from the base revision, so the waiver is there already
    (repo / ".schemadiff.toml").write_text(textwrap.dedent("""
        fail-on = "breaking"
        [[waivers]]
        rule = "request-property-renamed"
        endpoint = "POST /organizations/*/whitelisted-addon-services"
        reason = "the dashboard is the only caller and ships the same day"
        """))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "0.5.0")
    git(repo, "tag", "v0.5.0")
    (repo / "schema" / "platform.json").write_bytes((ROOT / SEED_NEW).read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "0.6.0")
    return repo


def test_gate_end_to_end_in_a_git_repository(schema_repo):
    result = run_cli("diff", "v0.5.0:./platform.json", "HEAD:schema/platform.json",
                     "-f", "json", cwd=schema_repo / "schema")
    report = json.loads(result.stdout)
    assert result.returncode == 1  # two breaking changes are left (the rest is on prototype resources)
    assert report["summary"]["breaking"] == 2
    assert report["waivers"][0]["status"] == "used"
    renamed = next(c for c in report["changes"] if c["id"] == "request-property-renamed")
    assert renamed["waived"]["reason"].startswith("the dashboard")
    assert renamed["location"]["new"]["file"] == "schema/platform.json"  # in the repository
    assert report["old"]["source"] == "v0.5.0:./platform.json"
    assert report["settings"]["config"] == "v0.5.0:.schemadiff.toml"
    # the working copy against a revision, from the repository's top folder
    mixed = run_cli("diff", "v0.5.0:schema/platform.json", "schema/platform.json", "-f", "json",
                    "--fail-on", "none", cwd=schema_repo)
    assert mixed.returncode == 0
    assert json.loads(mixed.stdout)["summary"] == report["summary"]


def test_git_errors_are_one_line(schema_repo, tmp_path):
    cases = {
        ("v9.9.9:schema/platform.json", "schema/platform.json"):
            "schemadiff: error: v9.9.9:schema/platform.json: unknown revision 'v9.9.9'",
        ("v0.5.0:nope.json", "schema/platform.json"):
            "schemadiff: error: v0.5.0:nope.json: no nope.json in revision",
        ("--upload-pack=x:schema/platform.json", "schema/platform.json"):
            "schemadiff: error: --upload-pack=x:schema/platform.json: not a revision: '--upload-pack=x'",
    }
    for (old, new), message in cases.items():
        result = run_cli("diff", "--", old, new, cwd=schema_repo)
        assert result.returncode == 2, result.stdout
        assert result.stderr.startswith(message), result.stderr
    outside = run_cli("diff", "HEAD:a.json", "b.json", cwd=tmp_path)
    assert outside.returncode == 2
    assert outside.stderr.startswith("schemadiff: error: not a git repository: ")


def test_a_revision_wins_over_a_file_of_the_same_name(schema_repo):
    """A pull request may add a file named like the base; ``./`` names the file (issue 9)."""
    (schema_repo / "HEAD:schema").mkdir()
    (schema_repo / "HEAD:schema" / "platform.json").write_text("{}")
    result = run_cli("diff", "HEAD:schema/platform.json", "schema/platform.json", cwd=schema_repo)
    assert result.returncode == 0 and "verdict: identical" in result.stdout
    as_file = run_cli("diff", "./HEAD:schema/platform.json", "schema/platform.json",
                      cwd=schema_repo)
    assert as_file.returncode == 2 and "the old side is read as jsonschema" in as_file.stderr


def test_pre_commit_check_compares_with_head(schema_repo):
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["entry"] == "schemadiff check"
    target = schema_repo / "schema" / "platform.json"
    target.write_bytes((ROOT / SEED_OLD).read_bytes())  # back to 0.5.0 in the work tree
    (schema_repo / "new-file.json").write_text('{"type": "object"}')   # not committed yet
    result = run_cli("check", "schema/platform.json", "new-file.json", cwd=schema_repo)
    assert result.returncode == 1
    assert "verdict: breaking" in result.stdout
    assert "schemadiff: new-file.json: new (not in HEAD), nothing to compare" in result.stderr
    clean = run_cli("check", "--rev", "v0.5.0", "schema/platform.json", cwd=schema_repo)
    assert clean.returncode == 0 and "verdict: identical" in clean.stdout


def test_github_action_script(schema_repo, tmp_path):
    """Run the composite action's shell step as GitHub would, with its inputs as environment."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "diff")
    output = tmp_path / "output.txt"
    env = {**os.environ, "SCHEMA": "schema/platform.json", "BASE": "v0.5.0", "REVISION": "HEAD",
           "FAIL_ON": "breaking", "CONFIG": "", "ARGS": "--old-version 0.5.0 --new-version 0.6.0",
           "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(tmp_path), "NO_COLOR": "1",
           "PATH": f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    result = subprocess.run(["bash", "-c", step["run"]], cwd=schema_repo, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs == {"verdict": "breaking", "breaking": "2", "dangerous": "3", "safe": "36",
                       "info": "10", "exit-code": "1"}
    assert "::error file=schema/platform.json,line=" in result.stdout


def test_relative_refs_are_read_from_the_same_revision(tmp_path):
    repo = tmp_path / "r"
    (repo / "api").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "api" / "schema.json").write_text('{"properties": {"n": {"$ref": "common.json#/name"}}}')
    (repo / "api" / "common.json").write_text('{"name": {"type": "string", "maxLength": 10}}')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    git(repo, "tag", "v1")
    (repo / "api" / "common.json").write_text('{"name": {"type": "string", "maxLength": 4}}')
    git(repo, "commit", "-qam", "two")
    (repo / "api" / "common.json").write_text('{"name": {"type": "string", "maxLength": 99}}')
    result = run_cli("diff", "v1:api/schema.json", "HEAD:api/schema.json", "-f", "json", cwd=repo)
    changes = json.loads(result.stdout)["changes"]
    # HEAD's common.json (4), not the work tree's (99)
    assert [(c["id"], c["old"], c["new"]) for c in changes] == [("max-length-decreased", 10, 4)]
    assert changes[0]["path"]["new"] == "common.json#/name/maxLength"  # relative to schema.json
    assert changes[0]["location"]["new"]["file"] == "api/common.json"
