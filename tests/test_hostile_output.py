"""Output that a schema cannot forge and a run that cannot lie with its exit code (issue 9, items 5
and 6).

Each case runs the real CLI: the exit code, one line on standard error, never a traceback, nothing
written outside the temporary folder, and a time limit.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, git, one_line

LIMIT = 30  # seconds

#: a property name that tries to start an Actions log line, write the clipboard (OSC 52), make a
#: hyperlink (OSC 8), move the cursor, and break out of a code span
HOSTILE = ("x\n::error file=README.md,line=1::FORGED\r\x1b]52;c;cHduZWQ=\x07\x1b]8;;http://evil\x1b\\"
           "\x1b[2A\x00\u202e`y``")
TITLE = "Orders\n\n**Verdict: compatible**\n\n<!--\n# Forged heading\n<img src=x onerror=alert(1)>"


def cli(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GITHUB_STEP_SUMMARY", "SCHEMADIFF_DEBUG")}
    environment.update({"NO_COLOR": "1", **(env or {})})
    result = subprocess.run([sys.executable, "-m", "schemadiff", *args], cwd=cwd, env=environment,
                            timeout=LIMIT, **({"capture_output": True, "text": True} | kwargs))
    if isinstance(result.stderr, str):
        assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    """A breaking change on a property with a hostile name, in a schema with a hostile title."""
    old = {"title": "Orders", "type": "object", "additionalProperties": False,
           "properties": {HOSTILE: {"type": "string"}, "id": {"type": "string"}}}
    new = {"title": TITLE, "type": "object", "additionalProperties": False,
           "properties": {"id": {"type": "string"}}}
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return tmp_path / "old.json", tmp_path / "new.json"


def render(pair, fmt: str) -> str:
    old, new = pair
    result = cli("diff", old.name, new.name, "-f", fmt, cwd=old.parent)
    assert result.returncode == 1, result.stderr
    return result.stdout


CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "junit"])
def test_no_control_character_reaches_the_output(pair, fmt):
    out = render(pair, fmt)
    assert not CONTROLS.search(out)
    assert "\x1b" not in out and "\r" not in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_escape_controls_as_json_does(pair, fmt):
    out = render(pair, fmt)
    assert not re.search("[\x00-\x09\x0b-\x1f]", out)
    assert "\\u001b]52;c;cHduZWQ=" in out and json.loads(out)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "junit"])
def test_a_name_cannot_start_a_line(pair, fmt):
    lines = render(pair, fmt).splitlines()
    forged = [line for line in lines if "FORGED" in line or "Forged" in line or "onerror" in line]
    assert forged
    for line in forged:
        stripped = line.lstrip()
        assert not stripped.startswith(("::error file=README", "# Forged", "<img", "<!--",
                                        "**Verdict", "FORGED"))


def test_github_commands_are_ours_alone(pair):
    lines = render(pair, "github").splitlines()
    start, end = lines.index("::group::schemadiff: how to pass"), lines.index("::endgroup::")
    outside, advice = lines[:start] + lines[end + 1:], lines[start + 1:end]
    assert all(line.startswith(("::error ", "::warning ", "::notice ", "schemadiff: "))
               for line in outside), lines
    assert sum("FORGED" in line for line in outside) == 1
    # how to pass: our words, the configuration lines, and a schema's name only in a comment
    assert advice[0].startswith("schemadiff: Fix the ")
    assert all(line.startswith(("[[waivers]]  # ", "fingerprint = ", "reason = "))
               for line in advice[1:]), advice
    assert all(line.startswith("[[waivers]]  # ") for line in advice if "FORGED" in line)


def test_markdown_cannot_forge_the_verdict_hide_it_or_break_a_code_span(pair):
    out = render(pair, "markdown")
    assert out.count("**Verdict:") == 1 and "**Verdict: breaking**" in out
    assert "<!--" not in out.replace("\\<!--", "")
    assert "<img" not in out.replace("\\<img", "")
    assert re.search(r"^# .*\\\*\\\*Verdict: compatible\\\*\\\*", out, re.M)  # escaped, in the title
    removed = next(line for line in out.splitlines() if "removed" in line and "FORGED" in line)
    # the name's own backticks end its code span early, but what follows is escaped text
    assert removed.startswith("- **breaking**: property `x\\n::error file=README.md,line=1::FORGED")
    assert removed.endswith("`y\\`\\`\\` removed <sub>`property-removed-from-closed-object` · "
                            "line 1</sub>")


def test_markdown_code_spans_and_text_are_unbreakable():
    from schemadiff.render.escape import md_code, md_message, md_text

    assert md_code("a``b") == "```a``b```"
    assert md_code("`x") == "`` `x ``"
    assert md_code("p\n# h") == "`p\\n# h`"
    assert md_text("<!-- *a* [b](c) | ~d~ &lt;") == "\\<!-- \\*a\\* \\[b\\](c) \\| \\~d\\~ \\&lt;"
    assert md_message("field `a<b>` of <x>") == "field `a<b>` of \\<x\\>"


def test_junit_stays_valid_xml(pair):
    out = render(pair, "junit")
    document = xml.dom.minidom.parseString(out.encode("utf-8"))
    assert document.getElementsByTagName("failure")


def test_text_shows_control_characters_as_escapes(pair):
    out = render(pair, "text")
    assert "x\\n::error file=README.md,line=1::FORGED\\r\\x1b]52;c;cHduZWQ=\\x07" in out
    assert "\\u202e" in out


# --- --output -----------------------------------------------------------------------------------


def test_output_through_a_symlink_to_dev_null_leaves_the_device(pair, tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(os.devnull)
    before = os.stat(os.devnull)
    result = cli("diff", "old.json", "new.json", "-f", "json", "-o", str(link), cwd=tmp_path)
    assert result.returncode == 1, result.stderr   # the verdict, not an error hiding it
    assert link.is_symlink() and os.readlink(link) == os.devnull
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino,
                                                                            before.st_rdev)
    direct = cli("diff", "old.json", "new.json", "-o", os.devnull, cwd=tmp_path)
    assert direct.returncode == 1 and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_to_dev_stdout_is_written_in_place(pair, tmp_path):
    result = cli("diff", "old.json", "new.json", "-f", "json", "-o", "/dev/stdout", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["verdict"]["result"] == "breaking"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_link_to_standard_output_sent_to_a_file_is_written_through(pair, tmp_path):
    """``-o /dev/stdout > file``: the link leads to a regular file, and must still not be
    replaced (a link of our own stands in for /dev/stdout, so a failure cannot harm the machine)."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    with open(tmp_path / "captured.json", "w") as captured:
        result = subprocess.run([sys.executable, "-m", "schemadiff", "diff", "old.json", "new.json",
                                 "-f", "json", "-o", str(link)], cwd=tmp_path, stdout=captured,
                                stderr=subprocess.PIPE, text=True, timeout=LIMIT)
    assert result.returncode == 1, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    report = json.loads((tmp_path / "captured.json").read_text())
    assert report["verdict"]["result"] == "breaking"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_one_line_and_exit_2(pair, tmp_path):
    result = cli("diff", "old.json", "new.json", "-o", "/dev/full", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result) == "schemadiff: error: /dev/full: cannot write: No space left on device"
    with open("/dev/full", "w") as full:
        piped = subprocess.run([sys.executable, "-m", "schemadiff", "diff", "old.json", "new.json"],
                               cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True,
                               timeout=LIMIT)
    assert piped.returncode == 2
    assert piped.stderr.splitlines() == ["schemadiff: error: <stdout>: cannot write: No space left "
                                         "on device"]


def test_a_closed_pipe_never_exits_1(pair, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "schemadiff", "diff", "old.json", "new.json",
                                "-f", "json"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()   # the reader went away before anything was written
    _, error = process.communicate(timeout=LIMIT)
    assert process.returncode == 2, error
    assert "Traceback" not in error
    assert error.strip().splitlines() == ["schemadiff: error: <stdout>: cannot write: Broken pipe"]
    for args in (["--help"], ["rules"]):   # typer's own output too
        process = subprocess.Popen([sys.executable, "-m", "schemadiff", *args], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        process.stdout.close()
        _, error = process.communicate(timeout=LIMIT)
        assert process.returncode == 2 and "Traceback" not in error, error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_without_reader_and_a_folder_are_refused(pair, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    result = cli("diff", "old.json", "new.json", "-o", "fifo", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result) == "schemadiff: error: fifo: cannot write: a FIFO with no reader"
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)
    folder = cli("diff", "old.json", "new.json", "-o", str(tmp_path), cwd=tmp_path)
    assert folder.returncode == 2 and one_line(folder).endswith(": cannot write: is a folder")


def test_a_symlink_to_a_file_elsewhere_is_replaced_not_followed(pair, tmp_path):
    elsewhere = tmp_path / "outside"
    elsewhere.mkdir()
    precious = elsewhere / "precious.txt"
    precious.write_text("keep me")
    work = tmp_path / "work"
    work.mkdir()
    (work / "report.txt").symlink_to(precious)
    result = cli("diff", "../old.json", "../new.json", "-o", "report.txt", cwd=work)
    assert result.returncode == 1
    assert precious.read_text() == "keep me"
    assert not (work / "report.txt").is_symlink()
    assert "verdict: breaking" in (work / "report.txt").read_text()


# --- exit codes ---------------------------------------------------------------------------------

BEFORE = "type: object\nproperties:\n  a:\n    enum: [1]\n"
CRASH = "type: object\nproperties:\n  a:\n    enum: [!!set {a, b}]\n"   # not a JSON value


def test_an_unexpected_failure_is_exit_2_with_one_line(tmp_path):
    """Whatever fails inside, the CLI says so on one line and exits 2, never 1 ("breaking")."""
    fault = ("import sys, schemadiff.pipeline as p\n"
             "def boom(*args, **kwargs):\n    raise KeyError('surprise')\n"
             "p.run = boom\nfrom schemadiff.cli import main\n"
             "sys.argv = ['schemadiff', *sys.argv[1:]]\nmain()\n")
    (tmp_path / "a.json").write_text("{}")
    environment = {k: v for k, v in os.environ.items() if k != "SCHEMADIFF_DEBUG"}
    run = subprocess.run([sys.executable, "-c", fault, "diff", "a.json", "a.json"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=LIMIT, env=environment)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["schemadiff: internal error: KeyError: 'surprise'; run with "
                                       "--debug for the traceback"]
    for extra, env in ((["--debug"], {}), ([], {"SCHEMADIFF_DEBUG": "1"})):
        debug = subprocess.run([sys.executable, "-c", fault, *extra, "diff", "a.json", "a.json"],
                               cwd=tmp_path, capture_output=True, text=True, timeout=LIMIT,
                               env={**environment, **env})
        assert debug.returncode == 2
        assert debug.stderr.startswith("Traceback") and "KeyError: 'surprise'" in debug.stderr


def test_a_value_that_is_not_json_is_never_exit_1(tmp_path):
    (tmp_path / "old.yaml").write_text(BEFORE)
    (tmp_path / "new.yaml").write_text(CRASH)
    for fmt in ("json", "text"):
        result = cli("diff", "old.yaml", "new.yaml", "-f", fmt, cwd=tmp_path)
        assert result.returncode == 2
        assert one_line(result).startswith("schemadiff: ")


def test_the_action_never_reports_an_earlier_runs_outputs(tmp_path):
    """The action run twice in one job: a good schema, then one that fails. The second run must
    fail the step and must not publish the first run's verdict."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "good.json").write_text('{"type": "object"}')
    (repo / "bad.yaml").write_text(BEFORE)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "bad.yaml").write_text(CRASH)
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "diff")
    temp = tmp_path / "runner-temp"
    temp.mkdir()

    def run_step(schema: str) -> tuple[int, dict]:
        output = tmp_path / f"output-{schema}.txt"   # GitHub gives each step its own file
        env = {**os.environ, "SCHEMA": schema, "BASE": "HEAD", "REVISION": "", "FAIL_ON": "breaking",
               "CONFIG": "", "ARGS": "", "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(temp),
               "NO_COLOR": "1",
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        env.pop("GITHUB_STEP_SUMMARY", None)
        result = subprocess.run(["bash", "-c", step["run"]], cwd=repo, env=env,
                                capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, dict(line.split("=", 1) for line in output.read_text().splitlines())

    code, outputs = run_step("good.json")
    assert code == 0 and outputs["verdict"] == "identical" and outputs["breaking"] == "0"
    assert (temp / "schemadiff.json").exists()
    code, outputs = run_step("bad.yaml")
    assert code == 2
    assert outputs == {"verdict": "error", "exit-code": "2"}
    assert not (temp / "schemadiff.json").exists()
