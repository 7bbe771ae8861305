"""The API surface: items matched once (pairs.pairs), then the checks of surface.SURFACE in order."""

from __future__ import annotations

import inspect
import json

from conftest import run_json
from schemadiff import surface
from schemadiff.pairs import Presence, pairs


def test_pairs_keep_the_old_order_then_what_the_new_version_adds():
    found = pairs({"b": 1, "a": 2, "c": 3}, {"c": 30, "d": 4, "a": 20})
    assert [(p.key, p.old, p.new, p.presence) for p in found] == [
        ("b", 1, None, Presence.REMOVED), ("a", 2, 20, Presence.COMMON),
        ("c", 3, 30, Presence.COMMON), ("d", None, 4, Presence.ADDED)]
    assert [p.key for p in found.removed] == ["b"]
    assert [p.key for p in found.added] == ["d"]
    assert [p.both for p in found.common] == [(2, 20), (3, 30)]
    assert [p.key for p in pairs({"b": 1, "a": 2}, {"c": 3}, sort=True)] == ["a", "b", "c"]


def test_pairs_of_lists_match_by_key_and_keep_a_present_none_apart_from_absence():
    servers = pairs(["https://a", "https://b", "https://a"], ["https://b", "https://c"],
                    key=lambda url: url)
    assert [(p.key, p.presence) for p in servers] == [
        ("https://a", Presence.REMOVED), ("https://b", Presence.COMMON),
        ("https://c", Presence.ADDED)]
    # a media type without a schema is still there: its value is None, but it is not removed
    media = pairs({"text/plain": None}, {"text/plain": None, "application/json": None})
    assert [(p.key, p.presence) for p in media] == [("text/plain", Presence.COMMON),
                                                   ("application/json", Presence.ADDED)]
    assert not pairs(None, {}) and not pairs({"a": 1}, {"a": 2}).changed
    assert [p.present for p in pairs({"a": 1}, {"b": 2})] == [1, 2]


def test_every_surface_check_is_listed_once_in_the_table():
    """A check that is written but not listed would never run: the table is the only order."""
    listed = [check for level in surface.SURFACE.values()
              for checks in (level.added, level.removed, level.common) for check in checks]
    checks = [function for name, function in inspect.getmembers(surface, inspect.isfunction)
              if function.__module__ == surface.__name__ and not name.startswith("_")
              and list(inspect.signature(function).parameters) == ["item", "walk", "ctx"]]
    assert sorted(c.__name__ for c in listed) == sorted(c.__name__ for c in checks)
    assert len(set(listed)) == len(listed)


def _webhook(parameters: list) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "Pets", "version": "1"},
            "webhooks": {"newPet": {"post": {
                "parameters": parameters,
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok"}}}}}}


def test_a_webhooks_parameters_are_headers_the_api_sends(tmp_path):
    """The API sends a webhook's request: a header it stops sending breaks its receivers (a
    parameter a client stops sending would be dangerous at most), a new one breaks nobody."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_webhook([{"name": "X-Signature", "in": "header", "required": True,
                                         "schema": {"type": "string"}}])))
    new.write_text(json.dumps(_webhook([{"name": "X-Trace", "in": "header",
                                         "schema": {"type": "string"}}])))
    code, report = run_json("diff", str(old), str(new))
    seen = {(c["id"], c["severity"], c["message"], c["path"]["old"], c["path"]["new"])
            for c in report["changes"]}
    assert seen == {
        ("header-removed", "breaking", "response header `X-Signature` removed",
         "/webhooks/newPet/post/parameters/0", "/webhooks/newPet/post"),
        ("header-added", "safe", "response header `X-Trace` added",
         "/webhooks/newPet/post", "/webhooks/newPet/post/parameters/0")}
    assert code == 1
