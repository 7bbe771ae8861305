"""A gate that fails says how to pass: the configuration lines that would waive each failing
change, by fingerprint, the same words in every format; pasted as they are, they make it pass.
An expired waiver says "expired" in every format."""

from __future__ import annotations

import html
import json
import re
import textwrap
import tomllib

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, run_cli

OLD = str(ROOT / SEED_OLD)
NEW = str(ROOT / SEED_NEW)
FINGERPRINTS = ["c714806a64b5", "75ed2f391471"]   # the seed's two breaking changes
INTRO = ("Fix the 2 breaking changes, or waive each with the lines below in .schemadiff.toml (in "
         "CI the file is read from the base revision; see "
         "docs/ci.md#policy-schemadifftoml-or-pyprojecttoml).")


def advice_in(fmt: str, out: str) -> tuple[str, str]:
    """The intro and the configuration lines as each format shows them."""
    if fmt == "text":
        tail = out[out.index("How to pass: "):]
        intro, toml = tail.split("\n\n", 1)
        return " ".join(intro.removeprefix("How to pass: ").split()), toml
    if fmt == "markdown":
        tail = out[out.index("## How to pass\n"):]
        intro = tail.split("\n\n")[1]
        return intro.replace("\\", ""), re.search(r"```toml\n(.*?)```", tail, re.S).group(1)
    if fmt == "html":
        match = re.search(r'<h2>How to pass</h2>\n<p>(.*?)</p>\n<pre>(.*?)</pre>', out, re.S)
        return html.unescape(match.group(1)), html.unescape(match.group(2))
    lines = out.splitlines()   # github: a folded group at the end of the log
    start, end = lines.index("::group::schemadiff: how to pass"), lines.index("::endgroup::")
    return lines[start + 1].removeprefix("schemadiff: "), "\n".join(lines[start + 2:end])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "github"])
def test_every_format_ends_with_the_same_way_to_pass_and_it_works(fmt, tmp_path):
    result = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path)
    assert result.returncode == 1
    intro, toml = advice_in(fmt, result.stdout)
    assert intro == INTRO
    waivers = tomllib.loads(toml)["waivers"]
    assert [w["fingerprint"] for w in waivers] == FINGERPRINTS
    # pasted as shown (with a reason written in), the gate passes
    (tmp_path / ".schemadiff.toml").write_text(toml)
    passed = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout
    assert "How to pass" not in passed.stdout and "how to pass" not in passed.stdout


def test_the_json_report_has_the_data():
    data = json.loads(run_cli("diff", OLD, NEW, "-f", "json").stdout)
    failing = [c["fingerprint"] for c in data["changes"] if c["severity"] == "breaking"]
    assert failing == FINGERPRINTS


def test_a_passing_report_says_nothing_of_passing():
    for fmt in ("text", "markdown", "html", "github"):
        out = run_cli("diff", OLD, NEW, "-f", fmt, "--fail-on", "none")
        assert out.returncode == 0 and "how to pass" not in out.stdout.lower()


def test_fail_on_dangerous_lists_dangerous_changes_too_and_pyproject_gets_its_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.schemadiff]\nfail-on = "dangerous"\n')
    out = run_cli("diff", OLD, NEW, "-f", "markdown", "--config", str(tmp_path / "pyproject.toml"))
    intro, toml = advice_in("markdown", out.stdout)
    assert intro.startswith("Fix the 2 breaking and 3 dangerous changes, or waive each with the "
                            f"lines below in {tmp_path / 'pyproject.toml'}")
    waivers = tomllib.loads(toml)["tool"]["schemadiff"]["waivers"]
    assert len(waivers) == 5


def test_an_expired_waiver_says_so_in_every_format(tmp_path):
    (tmp_path / ".schemadiff.toml").write_text(textwrap.dedent("""
        [[waivers]]
        fingerprint = "c714806a64b5"
        reason = "clients moved"
        expires = "2001-01-01"
        """))
    says = "waiver expired 2001-01-01: clients moved"
    for fmt in ("text", "markdown", "html", "github"):
        out = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path).stdout
        assert says in " ".join(out.split()), fmt
        assert "waived: clients moved" not in out, fmt
    _, toml = advice_in("text", run_cli("diff", OLD, NEW, cwd=tmp_path).stdout)
    assert toml.splitlines()[0].startswith(f"[[waivers]]  # breaking: {says}; PATCH /apps/")
