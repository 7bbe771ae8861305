"""Hyper-schema links that share method and href are named and matched by their title."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SHARED, run_cli

ORG_APP = "PATCH /organizations/apps/{organization_app_identity}"


def heroku_pair(old: str, new: str) -> dict:
    folder = SHARED / "corpora" / "heroku"
    if not (folder / f"{old}.json").is_file():
        pytest.skip("../shared/corpora is not beside this clone")
    result = run_cli("diff", str(folder / f"{old}.json"), str(folder / f"{new}.json"), "-f", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def surface(report: dict, resource: str) -> list[str]:
    """The endpoint records of a resource, without the note a stability cap adds to them."""
    return sorted(re.sub(r" \(stability [^)]*\)$", "", c["message"]) for c in report["changes"]
                  if c["resource"] == resource and c["rule"] in ("endpoint-added", "endpoint-removed"))


def test_removed_links_that_share_method_and_href_are_named_by_title():
    report = heroku_pair("2.2.0", "2.3.0.pre.1")
    removed = [m for m in surface(report, "organization-app") if m.startswith(f"endpoint `{ORG_APP}")]
    assert removed == [f"endpoint `{ORG_APP} (Transfer to Account)` removed",
                       f"endpoint `{ORG_APP} (Transfer to Organization)` removed",
                       f"endpoint `{ORG_APP} (Update Locked)` removed"]
    text = run_cli("diff", str(SHARED / "corpora/heroku/2.2.0.json"),
                   str(SHARED / "corpora/heroku/2.3.0.pre.1.json")).stdout
    assert text.count(f"endpoint `{ORG_APP}` removed") == 0


def test_links_are_matched_by_title_not_by_position():
    # 0.1.0 -> 0.2.0: a link before them went, so the three PATCH links moved up one place each
    assert surface(heroku_pair("0.1.0", "0.2.0"), "organization-app") == \
        ["endpoint `POST /organizations/{organization_identity}/apps` removed"]
    # 0.0.7 -> 0.0.8: "Update Locked" stays, "Update" goes, two transfers arrive
    route = "PATCH /organizations/apps/{app_identity}"
    changes = heroku_pair("0.0.7", "0.0.8")["changes"]
    names = {(c["rule"], c["endpoint"]) for c in changes if c["resource"] == "organization-app"
             and c["rule"] in ("endpoint-added", "endpoint-removed")}
    assert ("endpoint-added", f"{route} (Transfer to Account)") in names
    assert ("endpoint-added", f"{route} (Transfer to Organization)") in names
    assert not any("Update Locked" in endpoint for _, endpoint in names)


def hyper(links: list[dict]) -> dict:
    return {"$schema": "http://interagent.github.io/interagent-hyper-schema",
            "definitions": {"app": {"type": "object", "properties": {"name": {"type": "string"}},
                                    "definitions": {"id": {"type": "string"}}, "links": links}}}


def link(title: str, body: dict | None = None) -> dict:
    return {"method": "PATCH", "href": "/apps/{(%23%2Fdefinitions%2Fapp%2Fdefinitions%2Fid)}",
            "rel": "update", "title": title,
            **({"schema": {"type": "object", "properties": body}} if body is not None else {})}


def test_a_lone_link_whose_title_changed_is_the_same_endpoint(tmp_path: Path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(hyper([link("Update", {}), link("Lock")])))
    new.write_text(json.dumps(hyper([link("Lock"), link("Change", {"x": {"type": "string"}})])))
    report = json.loads(run_cli("diff", str(old), str(new), "-f", "json").stdout)
    assert sorted((c["rule"], c["endpoint"]) for c in report["changes"]) == [
        ("property-added", "PATCH /apps/{app_id} (Change)"),
        ("title-changed", "PATCH /apps/{app_id} (Change)")]
