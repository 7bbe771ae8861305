"""Where a record points in its file: line and column of a JSON pointer.

A pretty-printed file is searched (``load.pretty_offsets``) instead of scanned; whatever the layout,
the answer must be the scan's (``load.json_offsets``), or no answer so that the caller scans.
"""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from schemadiff.load import escape_token, json_offsets, pretty_offsets

KEYS = st.sampled_from(["a", "b", "name", "type", "properties", "x/y", "t~1", 'q"uote', "é", "items"])
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "a", "[", "{x}", "\\"])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=5), max_leaves=30)
DOCUMENTS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=5)


def pointers(value, prefix=""):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from pointers(child, f"{prefix}/{escape_token(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from pointers(child, f"{prefix}/{index}")


def closed(chosen):
    out = {""}
    for pointer in chosen:
        while pointer:
            out.add(pointer)
            pointer = pointer.rsplit("/", 1)[0]
    return out


def layouts(document):
    yield json.dumps(document, indent=2, ensure_ascii=False)
    yield json.dumps(document, indent=1)            # other escapes: \u00e9 for é
    yield json.dumps(document, indent="\t", ensure_ascii=False)
    yield json.dumps(document)                      # one line
    # small containers on one line among the rest, as prettier writes them
    yield json.dumps(document, indent=4, ensure_ascii=False).replace("{\n", "{ ", 1)


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS, st.data())
def test_a_search_finds_what_a_scan_finds(document, data):
    every = list(pointers(document))
    chosen = data.draw(st.lists(st.sampled_from(every), max_size=6))
    wanted = closed(chosen + [p + "/absent" for p in chosen[:2]])
    for text in layouts(document):
        found = pretty_offsets(text, wanted, json.loads(text))
        if found is not None:
            assert found == json_offsets(text, wanted), text


def test_a_pretty_printed_file_is_searched_not_scanned():
    document = {"paths": {f"/p{i}": {"get": {"responses": {"200": {"description": "ok"}}}}
                          for i in range(50)},
                "components": {"schemas": {"A": {"properties": {"b": {"type": "string"}}}}}}
    text = json.dumps(document, indent=2)
    wanted = closed(["/paths/~1p49/get/responses/200", "/components/schemas/A/properties/b"])
    assert pretty_offsets(text, wanted, document) == json_offsets(text, wanted)


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


def test_an_indentation_that_lies_is_not_believed():
    # the nested "name" sits at the indentation of the definitions' members: a search alone would
    # take it for /definitions/name
    document = json.loads(MISLEADING)
    wanted = closed(["/definitions/name"])
    found = pretty_offsets(MISLEADING, wanted, document)
    assert found is None or found == json_offsets(MISLEADING, wanted)
    real = MISLEADING.index('"name": {"type": "integer"}')
    assert json_offsets(MISLEADING, wanted)["/definitions/name"] == real


def test_the_report_points_at_the_changed_definition_whatever_the_layout(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(MISLEADING)
    new.write_text(MISLEADING.replace('"name": {"type": "integer"}', '"name": {"type": "boolean"}'))
    result = subprocess.run([sys.executable, "-m", "schemadiff", "diff", str(old), str(new), "-f", "json",
                             "--fail-on", "none"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    [change] = [c for c in json.loads(result.stdout)["changes"]
                if c["path"]["new"] == "/definitions/name/type"]
    line = new.read_text().splitlines()[change["location"]["new"]["line"] - 1]
    assert '"name": {"type": "boolean"}' in line
