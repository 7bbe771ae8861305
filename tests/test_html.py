"""The HTML page is self-contained and escapes every string that comes from a schema."""

from __future__ import annotations

import json
import re

from conftest import SEED_NEW, SEED_OLD, run_cli

HOSTILE = '<script>alert(1)</script>'


def test_schema_strings_are_escaped(tmp_path):
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps({"title": HOSTILE, "type": "object", "properties": {
        HOSTILE: {"type": "string", "description": "x"}, "a": {"enum": ["<b>"]}}}))
    new.write_text(json.dumps({"title": HOSTILE, "type": "object", "properties": {
        "a": {"enum": ["<b>", "<img src=x onerror=alert(1)>"]},
        "`<i>`": {"type": "string"}}}))
    page = run_cli("diff", str(old), str(new), "-f", "html").stdout
    assert "<script" not in page
    assert "<img" not in page
    assert "<i>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_page_is_self_contained():
    page = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page
    assert "<style>" in page
