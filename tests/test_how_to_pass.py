"""A gate that fails says how to pass: the configuration lines that would waive each failing
change, by fingerprint, the same words in every format; pasted as they are, they make it pass.
An expired waiver says "expired" in every format."""

from __future__ import annotations

import html
import json
import os
import re
import textwrap
import tomllib

from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli

#: the default run re-checks the pasted waivers in text; SCHEMADIFF_HEAVY=1 (.ci/run) in every format
HEAVY = os.environ.get("SCHEMADIFF_HEAVY") == "1"
FORMATS = ["text", "markdown", "html", "github"]
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


def test_every_format_ends_with_the_same_way_to_pass_and_it_works(tmp_path):
    for fmt in FORMATS:
        result = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path)
        assert result.returncode == 1
        intro, toml = advice_in(fmt, result.stdout)
        assert intro == INTRO, fmt
        waivers = tomllib.loads(toml)["waivers"]
        assert [w["fingerprint"] for w in waivers] == FINGERPRINTS, fmt
    # pasted as shown (a reason written in), the gate passes and says nothing of passing
    (tmp_path / ".schemadiff.toml").write_text(toml)
    for fmt in FORMATS if HEAVY else ["text"]:
        passed = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path)
        assert passed.returncode == 0, passed.stdout
        assert "how to pass" not in passed.stdout.lower(), fmt


def test_the_json_report_has_the_data():
    data = json.loads(run_cli("diff", OLD, NEW, "-f", "json").stdout)
    failing = [c["fingerprint"] for c in data["changes"] if c["severity"] == "breaking"]
    assert failing == FINGERPRINTS


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
    for fmt in FORMATS:
        out = run_cli("diff", OLD, NEW, "-f", fmt, cwd=tmp_path).stdout
        assert says in " ".join(out.split()), fmt
        assert "waived: clients moved" not in out, fmt
        _, toml = advice_in(fmt, out)   # the waiver to extend is named where it is pasted
        assert toml.splitlines()[0].startswith(f"[[waivers]]  # breaking: {says}; PATCH /apps/")


def test_a_configuration_read_from_the_base_revision_is_named_as_the_file_to_edit(tmp_path):
    (tmp_path / "s.json").write_text((ROOT / SEED_OLD).read_text())
    (tmp_path / "pyproject.toml").write_text('[tool.schemadiff]\nfail-on = "breaking"\n')
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "s.json").write_text((ROOT / SEED_NEW).read_text())
    out = run_cli("diff", "HEAD:s.json", "s.json", cwd=tmp_path).stdout
    intro, toml = advice_in("text", out)
    assert intro.startswith("Fix the 2 breaking changes, or waive each with the lines below in "
                            "pyproject.toml (in CI the file is read from the base revision")
    assert len(tomllib.loads(toml)["tool"]["schemadiff"]["waivers"]) == 2
