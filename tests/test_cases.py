"""Fixture pairs: tests/cases/<topic>/<case>/{old,new,expected}.json, one folder per rule or tricky case.

``expected.json`` holds, per mode, the verdict and the records (rule id, severity, field, and for API
cases the endpoint) that the comparison must give, in order. Modes: ``backward``, ``forward`` and
``full`` for plain JSON Schema (``--compat``), ``api`` for hyper-schema (direction from context) and
``strict`` (``--strict``). ``"example": true`` demands a verified example; every example shown is
validated here again, independently, with jsonschema.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012

import schemadiff
from schemadiff.examples import validator_class
from schemadiff.inclusion import guess_draft
from schemadiff.kinds.openapi import is_openapi_30
from schemadiff.refs import draft_of

CASES = Path(__file__).parent / "cases"
FOLDERS = sorted(p.parent for p in CASES.glob("*/*/expected.json"))
SPECS = {4: DRAFT4, 6: DRAFT6, 7: DRAFT7, 2019: DRAFT201909, 2020: DRAFT202012}


def check_example(document: dict, example: dict) -> None:
    """The example is accepted by one side and rejected by the other, by jsonschema itself."""
    for side in ("old", "new"):
        data = json.loads((document[side]).read_text())
        draft = draft_of(data, 4 if "hyper-schema" in str(data.get("$schema")) else 2020)
        if "$schema" not in data:  # read as the draft the keywords give away, as the report does
            guesses = [guess_draft(json.loads(document[s].read_text())) for s in ("old", "new")]
            own = guess_draft(data)
            evidence = [guess for guess, where in guesses if where is not None]
            draft = own[0] if own[1] is not None else evidence[0] if evidence else draft
        uri = f"urn:case:{side}"
        registry = Registry().with_resource(uri, Resource(contents=data, specification=SPECS[draft]))
        if isinstance(data.get("id"), str):
            registry = registry.with_resource(data["id"].rstrip("#"),
                                              Resource(contents=data, specification=SPECS[draft]))
        pointer = example["schema"][side]
        if pointer is None:
            valid = True
        else:
            cls = validator_class(draft, is_openapi_30(data))   # OpenAPI 3.0 reads `nullable`
            validator = cls({"$ref": f"{uri}#{pointer}"}, registry=registry,
                            format_checker=cls.FORMAT_CHECKER)
            valid = validator.is_valid(example["document"])
        assert valid == (example["accepted_by"] == side), (side, example)


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(CASES)) for f in FOLDERS])
def test_case(folder: Path):
    expected = json.loads((folder / "expected.json").read_text())
    files = {"old": folder / "old.json", "new": folder / "new.json"}
    for mode, want in expected.items():
        compat = mode if mode in ("backward", "forward", "full") else "backward"
        report = schemadiff.compare(files["old"], files["new"], compat=compat, strict=mode == "strict")
        got = []
        for change, spec in zip(report.changes, want["changes"], strict=False):  # counts asserted below
            got.append({key: (change.example is not None if key == "example"
                              else getattr(change, key) if key != "severity"
                              else change.severity.value) for key in spec})
        assert len(report.changes) == len(want["changes"]), (mode, [c.id for c in report.changes])
        assert got == want["changes"], mode
        assert report.result == want["result"], mode
        for change in report.changes:
            if change.example is not None:
                check_example(files, change.example)
