"""Start-up cost: what ``import schemadiff``, ``--version`` and ``--help`` load (issue 15).

Each heavy module below costs tens of milliseconds to import; none of them is needed to print the
version or the help, or to use the API before a comparison runs. A renderer's libraries are imported
only when its format is used.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.sax.saxutils as saxutils

import pytest

from conftest import ROOT
from schemadiff.render import escape

HEAVY = ("deepdiff", "jsonschema", "referencing", "jinja2", "rich", "git", "yaml", "markdown_it",
         "urllib.request", "http.client", "schemadiff.pipeline", "schemadiff.kinds.openapi",
         "pydantic")


def loaded_after(code: str) -> list[str]:
    """The heavy modules present after running ``code`` in a fresh interpreter."""
    probe = (f"import sys\n{code}\n"
             f"import json\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def as_command(*args: str) -> str:
    return ("import runpy\n"
            f"sys.argv = ['schemadiff', *{list(args)!r}]\n"
            "try:\n    runpy.run_module('schemadiff', run_name='__main__')\n"
            "except SystemExit:\n    pass\n")


def test_import_schemadiff_loads_nothing_heavy():
    assert loaded_after("import schemadiff") == []


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("diff", "--help")])
def test_version_and_help_load_nothing_heavy(args):
    assert loaded_after(as_command(*args)) == []


def test_json_output_does_not_load_the_text_and_template_renderers(tmp_path):
    old = ROOT / "samples/heroku/platform-api-0.5.0.json"
    new = ROOT / "samples/heroku/platform-api-0.6.0.json"
    loaded = loaded_after(as_command("diff", str(old), str(new), "--format", "json",
                                     "--output", str(tmp_path / "out.json")))
    assert not {"rich", "jinja2", "markdown_it", "http.client"} & set(loaded)
    assert json.loads((tmp_path / "out.json").read_text())["changes"]


def test_text_output_off_a_terminal_does_not_load_rich(tmp_path):
    old = ROOT / "samples/heroku/platform-api-0.5.0.json"
    new = ROOT / "samples/heroku/platform-api-0.6.0.json"
    loaded = loaded_after(as_command("diff", str(old), str(new), "--output", str(tmp_path / "out.txt")))
    assert "rich" not in loaded
    assert "verdict: breaking" in (tmp_path / "out.txt").read_text()


def test_a_json_pair_with_nothing_to_prove_loads_neither_yaml_nor_the_validator(tmp_path):
    """PyYAML reads YAML documents only, and jsonschema checks examples only: a JSON pair whose
    records need no example (here a property that now accepts more) loads neither."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text('{"type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}}')
    new.write_text('{"type": "object", "properties": {"a": {"type": "string", "maxLength": 9}}}')
    code = (f"import schemadiff\nreport = schemadiff.compare({str(old)!r}, {str(new)!r})\n"
            "assert [c.severity.value for c in report.changes] == ['safe'], report.changes")
    assert not {"yaml", "jsonschema", "referencing"} & set(loaded_after(code))


def test_junit_output_does_not_load_the_network_modules(tmp_path):
    old = ROOT / "samples/heroku/platform-api-0.5.0.json"
    new = ROOT / "samples/heroku/platform-api-0.6.0.json"
    loaded = loaded_after(as_command("diff", str(old), str(new), "-f", "junit",
                                     "--output", str(tmp_path / "out.xml")))
    assert not {"urllib.request", "http.client", "xml.sax.saxutils"} & set(loaded)


@pytest.mark.parametrize("value", ["plain", 'say "hi"', "it's", 'both "and\' quotes',
                                   "a & b < c > d", "line\nbreak\ttab\rreturn", "", "&amp;"])
def test_ci_xml_escaping_matches_the_standard_library(value):
    assert escape.xml_escape(value) == saxutils.escape(value)
    assert escape.xml_quoteattr(value) == saxutils.quoteattr(value)
