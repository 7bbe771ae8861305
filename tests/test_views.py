"""Views: what a reader asks to see (--severity, --min-severity, --match-path, --match-endpoint,
--summary, --quiet), the verdict and exit code following what is shown and the report saying so;
and the command line's own manners (-h, -V, completion, help without type labels)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, git, one_line, run_cli

FORMATION = "PATCH /apps/{app_identity}/formation"


def shown(*args: str) -> tuple[int, dict]:
    result = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_severity_keeps_only_those_and_the_exit_code_follows():
    code, report = shown("--severity", "dangerous")
    assert code == 0 and report["verdict"]["result"] == "dangerous"
    assert {c["severity"] for c in report["changes"]} == {"dangerous"}
    assert report["summary"] == {"breaking": 0, "dangerous": 3, "safe": 0, "info": 0}
    assert report["view"]["hidden"] == {"breaking": 2, "dangerous": 0, "safe": 36, "info": 11}
    code, both = shown("--severity", "breaking", "--severity", "info,dangerous")
    assert code == 1 and {c["severity"] for c in both["changes"]} == {"breaking", "dangerous",
                                                                      "info"}


def test_min_severity_is_a_floor():
    code, report = shown("--min-severity", "dangerous")
    assert code == 1 and len(report["changes"]) == 5
    code, report = shown("--min-severity", "safe", "--fail-on", "safe")
    assert code == 1 and {c["severity"] for c in report["changes"]} == {"breaking", "dangerous",
                                                                        "safe"}


def test_the_text_report_says_what_the_view_left_out():
    result = run_cli("diff", SEED_OLD, SEED_NEW, "--severity", "dangerous")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())   # as read, whatever the wrapping
    assert ("view: severity dangerous: 3 of 52 changes shown (not shown: 2 breaking, 36 safe, "
            "11 info); the verdict and exit code count only the changes shown") in text
    assert result.stdout.splitlines()[-1] == "verdict: dangerous (exit code 0; 3 of 52 changes shown)"
    assert "breaking  " not in result.stdout
    for fmt, says in (("markdown", "**view: severity dangerous: 3 of 52 changes shown"),
                      ("html", '<p class="view"><strong>view: severity dangerous: 3 of 52'),
                      ("github", "schemadiff: view: severity dangerous: 3 of 52 changes shown")):
        out = run_cli("diff", SEED_OLD, SEED_NEW, "--severity", "dangerous", "-f", fmt)
        assert out.returncode == 0 and says in out.stdout, fmt


def test_match_endpoint_and_match_path_select_by_glob():
    code, report = shown("--match-endpoint", "*/formation")
    assert code == 1 and {c["endpoint"] for c in report["changes"]} == {FORMATION}
    assert len(report["changes"]) == 3
    code, report = shown("--match-endpoint", "GET /pipelines", "--match-endpoint", "*/formation")
    assert {c["endpoint"] for c in report["changes"]} == {"GET /pipelines", FORMATION}
    code, report = shown("--match-path", "/definitions/event/*")
    assert code == 0 and {c["resource"] for c in report["changes"]} == {"event"}
    assert report["verdict"]["result"] == "dangerous"


def test_a_view_that_shows_nothing_is_not_identical():
    code, report = shown("--match-endpoint", "DELETE /nothing")
    assert code == 0 and report["changes"] == []
    assert report["verdict"]["result"] == "compatible"   # nothing shown, not nothing changed
    text = run_cli("diff", SEED_OLD, SEED_NEW, "--match-endpoint", "DELETE /nothing").stdout
    assert "0 of 52 changes shown (not shown: 2 breaking, 3 dangerous" in " ".join(text.split())


def test_summary_lists_breaking_and_dangerous_and_counts_the_rest():
    result = run_cli("diff", SEED_OLD, SEED_NEW, "--summary")
    assert result.returncode == 1
    assert "=== Breaking and dangerous changes (5) ===" in result.stdout
    assert "=== Other changes (47) ===\n47 changes not listed (--summary)\n" in result.stdout
    assert "safe      " not in result.stdout and "info      " not in result.stdout
    assert "2 breaking · 3 dangerous · 36 safe · 11 info" in result.stdout   # counted in full
    markdown = run_cli("diff", SEED_OLD, SEED_NEW, "--summary", "-f", "markdown").stdout
    assert "## Other changes (47)\n\n47 changes not listed (`--summary`)." in markdown
    assert "**safe**" not in markdown


def test_quiet_prints_nothing_and_keeps_the_exit_code(tmp_path):
    loud = run_cli("diff", SEED_OLD, SEED_NEW, "--quiet")
    assert loud.returncode == 1 and loud.stdout == "" and loud.stderr == ""
    assert run_cli("diff", SEED_OLD, SEED_OLD, "-q").returncode == 0
    out = tmp_path / "report.json"
    written = run_cli("diff", SEED_OLD, SEED_NEW, "-q", "-f", "json", "-o", str(out))
    assert written.returncode == 1 and json.loads(out.read_text())["verdict"]["exit_code"] == 1
    bad = run_cli("diff", SEED_OLD, "missing.json", "-q")
    assert bad.returncode == 2 and "missing.json" in one_line(bad)   # errors are still said


def test_an_unknown_severity_is_a_usage_error():
    result = run_cli("diff", SEED_OLD, SEED_NEW, "--severity", "breaking,fatal")
    assert result.returncode == 2
    assert one_line(result) == ("schemadiff: error: --severity: unknown severity 'fatal' "
                                "(breaking, dangerous, safe, info)")


def test_check_takes_the_same_views(tmp_path):
    repo = tmp_path
    git(repo, "init", "-q")
    (repo / "a.json").write_text((ROOT / SEED_OLD).read_text())
    git(repo, "add", "a.json")
    git(repo, "commit", "-qm", "base")
    (repo / "a.json").write_text((ROOT / SEED_NEW).read_text())
    full = run_cli("check", "a.json", cwd=repo)
    assert full.returncode == 1
    dangerous = run_cli("check", "a.json", "--severity", "dangerous", cwd=repo)
    assert dangerous.returncode == 0 and "3 of 52 changes shown" in dangerous.stdout
    quiet = run_cli("check", "a.json", "-q", cwd=repo)
    assert quiet.returncode == 1 and quiet.stdout == ""


def test_short_options_version_and_completion():
    assert run_cli("-V").stdout.strip() == run_cli("--version").stdout.strip()
    assert run_cli("-V").stdout.startswith("schemadiff ")
    assert run_cli("diff", "-h").stdout == run_cli("diff", "--help").stdout
    top = run_cli("-h").stdout
    assert "--install-completion" in top and "--show-completion" in top
    script = run_cli("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and "complete" in script.stdout and "schemadiff" in script.stdout


@pytest.mark.parametrize("command", ["diff", "check", "changelog", "rules"])
def test_help_has_no_type_labels(command):
    text = run_cli(command, "--help").stdout
    assert "<str>" not in text and "<bool>" not in text and "<float>" not in text
    assert "{" not in text.splitlines()[0]   # usage: OLD NEW, not {old} {new}
    if command == "diff":
        assert text.splitlines()[0].endswith(" diff [OPTIONS] OLD NEW")
        for option in ("--severity LIST", "--min-severity", "--match-path GLOB",
                       "--match-endpoint GLOB", "--summary", "-q, --quiet", "--color",
                       "-o, --output FILE", "-h, --help"):
            assert option in text, option
