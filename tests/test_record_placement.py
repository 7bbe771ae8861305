"""Issue 12, items 1-3: a record is filed where its definition lives, a reference swap is one record
with its consequences under it, and the same change at many places is one record.

The real histories (../shared/corpora, skipped where absent) are read as a reviewer reads a report:
by resource and endpoint. Small pairs written here check the formats and waivers."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections import Counter
from pathlib import Path

from conftest import run_cli
from test_real_specs import compare, find


@functools.cache
def _compared(shared: Path, old: str, new: str) -> dict:
    return compare(shared, old, new)


def report_of(shared: Path, old: str, new: str) -> dict:
    """Each real pair compared once for this module (GitHub v1 -> v4 takes seconds)."""
    return copy.deepcopy(_compared(shared, old, new))


def every(changes: list, depth: int = 0):
    """Each record with how deep it sits under reference swaps."""
    for change in changes:
        yield change, depth
        yield from every(change.get("consequences", []), depth + 1)


# --- 1. ownership -------------------------------------------------------------------------------

def test_heroku_app_name_pattern_is_filed_under_app(shared):
    report = report_of(shared, "heroku/2.2.0.json", "heroku/2.3.0.pre.1.json")
    pattern = [c for c in report["changes"]
               if c["path"]["new"] == "/definitions/app/definitions/name/pattern"]
    assert sorted((c["id"], c["resource"], c["endpoint"], c["field"]) for c in pattern) == [
        ("request-pattern-changed", "app", None, "{app_identity}"),
        ("response-pattern-changed", "app", None, "name")]
    for change in pattern:   # every place that uses it is still listed
        assert len(change["endpoints"]) > 75 and "GET /apps/{app_identity}" in change["endpoints"]
        assert {"add-on", "app"} <= set(change["resources"])
    text = run_cli("diff", str(shared / "corpora/heroku/2.2.0.json"),
                   str(shared / "corpora/heroku/2.3.0.pre.1.json"), "--fail-on", "none").stdout
    app = " ".join(text.split("\napp\n", 1)[1].split("\n\n", 1)[0].split())   # unwrapped
    assert "`{app_identity}`: text must now match the pattern" in app
    assert "`name`: text must now match the pattern" in app
    assert re.search(r"reaches 9\d endpoints: `[^`]+`, `[^`]+`, `[^`]+` and 9\d more", app)
    add_on = text.split("\nadd-on\n", 1)[1].split("\n\n", 1)[0]
    assert "must now match the pattern" not in add_on


def test_heroku_release_changes_are_filed_under_release(shared):
    report = report_of(shared, "heroku/3.7.0.json", "heroku/3.8.0.json")
    for name in ("artifacts", "eligible_for_rollback"):
        # (pipeline-deployment's own representation now includes release's: its own change)
        added = [c for c, _ in every(report["changes"])
                 if c["path"] == {"old": "/definitions/release/properties",
                                  "new": f"/definitions/release/properties/{name}"}]
        assert [(c["resource"], c["endpoint"], c["field"]) for c in added] == \
            [("release", None, None)], name
        assert {"GET /pipelines/{pipeline_id}/latest-deployments",
                "GET /pipelines/{pipeline_id}/latest-releases",
                "GET /apps/{app_identity}/releases"} <= set(added[0]["endpoints"])


# --- 2. reference swaps -------------------------------------------------------------------------

def test_heroku_latest_builds_reference_swap_is_reported_once(shared):
    report = report_of(shared, "heroku/3.7.0.json", "heroku/3.8.0.json")
    latest = "GET /pipelines/{pipeline_id}/latest-builds"
    swaps = find(report, rule="reference-swapped", old="build", new="pipeline-build")
    assert len(swaps) == 1
    swap = swaps[0]
    assert (swap["resource"], swap["endpoint"], swap["field"], swap["severity"]) == \
        ("pipeline-build", latest, "[]", "breaking")
    assert swap["message"] == "now uses `pipeline-build` instead of `build`"
    assert swap["details"]["judged_by"] == "its consequences"
    optional = [c for c in swap["consequences"] if c["id"] == "response-property-became-optional"]
    assert sorted(c["details"]["name"] for c in optional) == \
        ["created_at", "id", "source_blob", "status", "updated_at", "user"]
    for consequence in swap["consequences"]:
        assert consequence["caused_by"] == swap["fingerprint"]
        assert consequence["field"] is not None and consequence["field"].startswith("[]")
    # nothing of it is repeated at the top of the report
    assert not [c for c in report["changes"] if c["rule"] == "property-became-optional"
                and latest in c["endpoints"]]


def test_github_v1_v4_no_null_field_where_a_field_exists(shared):
    """A record has no field only at the top of what it is filed under: the root of its component,
    or an operation's own level (its request body, a parameter, a status)."""
    from schemadiff.steps import from_schema_pointer

    report = report_of(shared, "github/api.github.com.v1.0.0.json",
                     "github/api.github.com.v4.0.0.json")
    component = re.compile(r"^/components/schemas/([^/]+)(/.*)?$")
    nulls = 0
    for change, depth in every(report["changes"]):
        resource = change["resource"] or ""
        first, second = ("old", "new") if change["action"] == "added" else ("new", "old")
        site = change["path"][first] or change["path"][second] or ""
        place = component.match(site)
        if resource.startswith("#/components/schemas/") and depth == 0:
            # filed under a component: both sides of it live in that component (a consequence
            # of a swap is filed with its swap: its two sides are the two definitions swapped)
            for side in ("old", "new"):
                match = component.match(change["path"][side] or "")
                assert match is None or match.group(1) == resource.rsplit("/", 1)[1], change
        if change["field"] is not None:
            continue
        assert depth == 0 or change["endpoint"] is not None, change   # a request body's top
        nulls += 1
        if resource.startswith("#/components/schemas/"):
            assert place and from_schema_pointer(place.group(2) or "") == (), change
        else:
            assert place is None, change   # a field inside a component would have a name
    assert nulls > 0
    # the issue's own example: what changed is `user` inside gist-simple, reached from the gists
    user = [c for c, _ in every(report["changes"])
            if c["path"]["old"] == "/components/schemas/gist-simple/properties/user/type"]
    assert user and all(c["field"].endswith("user") for c in user)


def test_github_v1_v4_no_line_repeats_under_a_heading(shared):
    report = report_of(shared, "github/api.github.com.v1.0.0.json",
                     "github/api.github.com.v4.0.0.json")
    lines = Counter()
    for change in report["changes"]:
        lines[(change["resource"], change["endpoint"], change["id"], change["field"],
               change["message"], change["path"]["new"])] += 1
        nested = Counter((c["id"], c["field"], c["message"], c["path"]["new"])
                         for c in change.get("consequences", []))
        assert max(nested.values(), default=1) == 1, change["fingerprint"]
    assert [line for line, count in lines.items() if count > 1] == []
    # the same (rule, message, new place) is never told twice under one heading, but for a
    # change seen in both directions, which may be judged differently in each
    by_rule = Counter((c["resource"], c["endpoint"], c["rule"], c["message"], c["path"]["new"],
                       c["direction"]) for c in report["changes"])
    assert [line for line, count in by_rule.items() if count > 1] == []
    swapped = find(report, rule="reference-swapped", old="repository", new="minimal-repository")
    assert len(swapped) == 3   # three places now return the smaller schema
    assert all(c["severity"] == "breaking" and c["consequences"] for c in swapped)


# --- 3. grouping --------------------------------------------------------------------------------

def test_kubernetes_has_one_dry_run_record(shared):
    report = report_of(shared, "kubernetes/swagger.k8s-v1.11.3.json",
                     "kubernetes/swagger.k8s-v1.12.3.json")
    dry_run = [c for c in find(report, rule="parameter-added")
               if c["details"]["name"] == "dryRun"]
    assert len(dry_run) == 1
    assert len(dry_run[0]["endpoints"]) == len(dry_run[0]["grouped"]) == 381
    assert dry_run[0]["resource"] == "(across resources)" and dry_run[0]["endpoint"] is None
    assert len({g["fingerprint"] for g in dry_run[0]["grouped"]}) == 381
    status = [c for c in find(report, rule="success-status-added")
              if c["details"]["status"] == "202"]
    assert len(status) == 1 and len(status[0]["endpoints"]) == 69
    assert len(report["changes"]) < 200   # 873 before


def _api(operations: dict) -> dict:
    return {"openapi": "3.0.3", "info": {"title": "Shop", "version": "1.0.0"},
            "paths": {path: {"get": {"operationId": path.strip("/"), "parameters": params,
                                     "responses": {"200": {"description": "ok"}}}}
                      for path, params in operations.items()}}


PATHS = ("/carts", "/orders", "/products", "/reviews", "/users")
TENANT = {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}


def _shop(tmp_path: Path) -> tuple[str, str]:
    """Five operations that each gain the same required query parameter."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_api({path: [] for path in PATHS})))
    new.write_text(json.dumps(_api({path: [TENANT] for path in PATHS})))
    return str(old), str(new)


def test_identical_changes_are_one_record_in_every_format(tmp_path):
    old, new = _shop(tmp_path)
    result = run_cli("diff", old, new, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    [tenant] = report["changes"]
    assert tenant["id"] == "required-parameter-added" and tenant["severity"] == "breaking"
    assert tenant["endpoints"] == [f"GET {path}" for path in PATHS]
    assert [g["path"]["new"] for g in tenant["grouped"]] == \
        [f"/paths/~1{path[1:]}/get/parameters/0" for path in PATHS]
    text = run_cli("diff", old, new).stdout
    listed = text.split("How to pass", 1)[0]   # the footer names it once more, to waive it
    assert listed.count("required query parameter `tenant` added") == 1
    assert "reaches 5 endpoints: `GET /carts`, `GET /orders`, `GET /products` and 2 more" in text
    markdown = run_cli("diff", old, new, "--format", "markdown").stdout
    assert "reaches 5 endpoints: `GET /carts`, `GET /orders`, `GET /products` and 2 more" in markdown
    html = run_cli("diff", old, new, "--format", "html").stdout
    reach = html.split('<details class="more"><summary>reaches', 1)[1].split("</details>", 1)[0]
    assert reach.startswith(" 5 endpoints</summary>")
    assert all(f"<code>GET {path}</code>" in reach for path in PATHS)


def test_a_grouped_record_is_waived_by_its_fingerprint(tmp_path):
    old, new = _shop(tmp_path)
    result = run_cli("diff", old, new, "--format", "json", cwd=tmp_path)
    [tenant] = json.loads(result.stdout)["changes"]
    config = tmp_path / ".schemadiff.toml"
    config.write_text(f'[[waivers]]\nfingerprint = "{tenant["fingerprint"]}"\n'
                      f'reason = "every client sends the tenant already"\n')
    waived = run_cli("diff", old, new, "--format", "json", cwd=tmp_path)
    assert waived.returncode == 0, waived.stdout
    report = json.loads(waived.stdout)
    assert report["changes"][0]["waived"]["reason"] == "every client sends the tenant already"
    assert report["changes"][0]["fingerprint"] == tenant["fingerprint"]   # stable across runs
    assert [w["status"] for w in report["waivers"]] == ["used"]
    # one more operation with the same change: the same record, the same fingerprint, still waived
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(_api({path: [] for path in (*PATHS, "/wishlists")})))
    after.write_text(json.dumps(_api({path: [TENANT] for path in (*PATHS, "/wishlists")})))
    grown = run_cli("diff", str(before), str(after), "--format", "json", cwd=tmp_path)
    assert grown.returncode == 0
    [record] = json.loads(grown.stdout)["changes"]
    assert record["fingerprint"] == tenant["fingerprint"] and len(record["endpoints"]) == 6
    # a waiver of one place waives that place only: the other four still fail the gate
    one = tenant["grouped"][0]
    config.write_text(f'[[waivers]]\nfingerprint = "{one["fingerprint"]}"\nreason = "carts"\n')
    partly = run_cli("diff", old, new, "--format", "json", cwd=tmp_path)
    assert partly.returncode == 1
    records = json.loads(partly.stdout)["changes"]
    assert sorted((len(c["endpoints"]), bool(c.get("waived"))) for c in records) == \
        [(1, True), (4, False)]


def test_a_reference_swap_is_shown_with_its_consequences_below_it():
    case = "tests/cases/refs/reference-swapped"
    text = run_cli("diff", f"{case}/old.json", f"{case}/new.json").stdout
    swap, required, *_ = [line for line in text.splitlines() if "`owner`" in line]
    assert swap.startswith("  breaking  `owner`: now uses `bot` instead of `user`")
    assert required.startswith("            breaking  `owner`: property `id` is now required")
    html = run_cli("diff", f"{case}/old.json", f"{case}/new.json", "--format", "html").stdout
    nested = html.split('<ul class="changes consequences">', 1)[1]
    assert "property <code>id</code> is now required" in nested.split("</ul>", 1)[0]
    markdown = run_cli("diff", f"{case}/old.json", f"{case}/new.json", "--format",
                       "markdown").stdout
    assert "\n  - **breaking** · `owner`: property `id` is now required" in markdown
