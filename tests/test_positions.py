"""Where a record points in its file: the line and column of its JSON pointer, whatever the layout
(a search by indentation would take a nested member for its container's, in these files)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

MISLEADING = """{
  "definitions": {
    "outer": {
      "properties": {
        "inner": {
          "properties": {
    "name": {"type": "string"}
          }
        }
      }
    },
    "name": {"type": "integer"}
  }
}
"""
DOCUMENT = {"definitions": {"outer": {"properties": {"inner": {"properties": {
    "name": {"type": "string"}}}}}, "name": {"type": "integer"}}}
LAYOUTS = {"nested member at its container's indentation": MISLEADING,
           "json.dumps indent=0": json.dumps(DOCUMENT, indent=0),
           "json.dumps indent=2": json.dumps(DOCUMENT, indent=2),
           "one line": json.dumps(DOCUMENT)}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_report_points_at_the_changed_definition(tmp_path, layout):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    text = LAYOUTS[layout]
    old.write_text(text)
    new.write_text(text.replace('"integer"', '"boolean"'))
    result = subprocess.run([sys.executable, "-m", "schemadiff", "diff", str(old), str(new), "-f",
                             "json", "--fail-on", "none"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    [change] = [c for c in json.loads(result.stdout)["changes"]
                if c["path"]["new"] == "/definitions/name/type"]
    place = change["location"]["new"]
    line = new.read_text().splitlines()[place["line"] - 1]
    assert line[place["column"] - 1:].startswith('"type": "boolean"'), (line, place)
