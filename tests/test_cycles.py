"""Recursive schemas: a change below a cycle reaches every endpoint that reaches it, whichever
endpoint the walk met first (the memo of a pair compared inside a cycle is incomplete until the
pair it went back to is finished)."""

from __future__ import annotations

import json

from conftest import run_cli


def _spec(leaf_type: str) -> dict:
    def get(ref):
        return {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}}}}
    return {"openapi": "3.0.3", "info": {"title": "cycle", "version": "1"},
            "paths": {"/p": get("A"), "/z": get("B")},
            "components": {"schemas": {
                # A -> C (changed) and A -> B -> A: /z reaches C only through the cycle
                "A": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"},
                                                       "b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "C": {"type": "object", "properties": {"n": {"type": leaf_type}}}}}}


def test_a_change_below_a_cycle_reaches_every_endpoint(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_spec("integer")))
    new.write_text(json.dumps(_spec("string")))
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.returncode == 1, result.stderr
    [change] = json.loads(result.stdout)["changes"]
    assert change["id"] == "response-type-changed"
    assert change["endpoints"] == ["GET /p", "GET /z"]


def test_the_endpoint_reached_through_the_cycle_alone_still_breaks(tmp_path):
    """The stability cap of the first endpoint must not hide the break of the second one."""
    specs = []
    for leaf in ("integer", "string"):
        spec = _spec(leaf)
        spec["paths"]["/p"]["get"]["x-stability-level"] = "draft"
        specs.append(spec)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(specs[0]))
    new.write_text(json.dumps(specs[1]))
    result = run_cli("diff", str(old), str(new), "--format", "json")
    report = json.loads(result.stdout)
    assert report["verdict"]["result"] == "breaking", report["changes"]
    assert result.returncode == 1
