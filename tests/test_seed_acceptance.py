"""The acceptance table of the seed pair (platform-api 0.5.0 -> 0.6.0), checked on the real CLI."""

from __future__ import annotations

import pytest

from conftest import SEED_NEW, SEED_OLD, run_json


def records(report, **match):
    return [c for c in report["changes"] if all(c.get(k) == v for k, v in match.items())]


def one(report, **match):
    found = records(report, **match)
    assert len(found) == 1, (match, [c["message"] for c in found])
    return found[0]


NEW_RESOURCES = ["pipeline", "pipeline-coupling", "pipeline-promotion", "pipeline-promotion-target",
                 "space-app-access"]


def test_verdict_is_breaking_with_exit_code_1(seed_report):
    assert seed_report["verdict"]["result"] == "breaking"
    assert seed_report["verdict"]["exit_code"] == 1
    assert seed_report["_exit"] == 1


def test_five_added_resources_and_their_18_endpoints_are_safe(seed_report):
    added = records(seed_report, rule="resource-added")
    assert sorted(c["resource"] for c in added) == NEW_RESOURCES
    endpoints = records(seed_report, rule="endpoint-added")
    assert len(endpoints) == 18
    assert {c["resource"] for c in endpoints} == set(NEW_RESOURCES)
    assert {c["severity"] for c in added + endpoints} == {"safe"}
    assert "POST /pipeline-promotions" in {c["endpoint"] for c in endpoints}


def test_inbound_ruleset_representation_loses_default_action(seed_report):
    change = one(seed_report, resource="inbound-ruleset", endpoint=None,
                 id="response-property-removed-from-closed-object")
    # inbound-ruleset is a prototype resource: it promises no stability, so info at most
    assert change["severity"] == "info"
    assert change["details"]["stability"] == "prototype"
    assert change["details"]["uncapped_severity"] == "breaking"
    assert change["details"]["name"] == "default_action"
    assert change["path"]["old"] == "/definitions/inbound-ruleset/properties/default_action"
    assert "GET /spaces/{space_identity}/inbound-ruleset" in change["endpoints"]


def test_formation_batch_update_items_drop_process_and_require_type(seed_report):
    endpoint = "PATCH /apps/{app_identity}/formation"
    removed = one(seed_report, endpoint=endpoint, rule="property-removed-from-closed-object")
    assert removed["details"] == {"name": "process", "was_required": True}
    assert removed["severity"] == "breaking" and removed["direction"] == "request"
    assert removed["field"] == "updates[]"
    assert removed["path"]["old"] == "/definitions/formation/definitions/update/properties/process"
    required = one(seed_report, endpoint=endpoint, rule="required-property-added")
    assert required["details"]["name"] == "type" and required["severity"] == "breaking"


def test_inbound_ruleset_put_no_longer_takes_required_default_action_is_info_on_a_prototype(seed_report):
    change = one(seed_report, endpoint="PUT /spaces/{space_identity}/inbound-ruleset",
                 direction="request")
    assert change["id"] == "request-property-removed"
    assert change["severity"] == "info"  # a prototype resource
    assert change["details"] == {"name": "default_action", "was_required": True,
                                 "stability": "prototype", "uncapped_severity": "dangerous"}


def test_whitelisted_addon_service_rename_is_info_on_a_prototype(seed_report):
    change = one(seed_report, resource="whitelisted-addon-service")
    assert change["id"] == "request-property-renamed"
    assert change["severity"] == "info"  # a prototype resource
    assert change["details"]["uncapped_severity"] == "breaking"
    assert change["details"]["old_name"] == "addon"
    assert change["details"]["new_name"] == "addon_service"
    assert change["details"]["old_types"] == ["array", "string"]
    assert change["details"]["new_types"] == ["string"]


def test_app_git_url_pattern_change_is_dangerous_in_responses(seed_report):
    change = one(seed_report, resource="app", rule="pattern-changed")
    assert change["severity"] == "dangerous" and change["direction"] == "response"
    assert change["old"].startswith("^git@heroku")
    assert change["new"].startswith("^https://git")
    # the three PATCH /organizations/apps/{...} links are three endpoints, named by their titles
    assert len(change["endpoints"]) == 13
    assert "PATCH /organizations/apps/{organization_app_identity} (Transfer to Account)" in \
        change["endpoints"]


def test_event_gains_enum_value_and_anyof_branch(seed_report):
    enum = one(seed_report, resource="event", id="response-enum-value-added")
    assert enum["details"]["values"] == ["space"] and enum["severity"] == "dangerous"
    assert enum["field"] == "resource"
    branch = one(seed_report, resource="event", id="response-anyof-branch-added")
    assert branch["severity"] == "dangerous"
    assert branch["details"]["label"] == "#/definitions/space"


@pytest.mark.parametrize("resource, names", [
    ("plan", {"installable_inside_private_network", "installable_outside_private_network",
              "space_default"}),
    ("oauth-authorization", {"user"}),
    ("user-preferences", {"default-organization", "dismissed-pipelines-github-banners"}),
])
def test_new_optional_response_properties_are_safe(seed_report, resource, names):
    found = records(seed_report, resource=resource, endpoint=None, action="added")
    assert {c["details"]["name"] for c in found} == names
    assert {c["severity"] for c in found} == {"safe"}


def test_new_source_blob_properties_are_safe(seed_report):
    build = records(seed_report, resource="build", field="source_blob")
    app_setup = records(seed_report, resource="app-setup", field="source_blob")
    assert {c["details"]["name"] for c in build} == {"checksum"}
    assert {c["details"]["name"] for c in app_setup} == {"checksum", "version"}
    assert {c["severity"] for c in build + app_setup} == {"safe"}


def test_inlined_buildpacks_ref_is_no_change(seed_report):
    build = [c for c in records(seed_report, resource="build")
             if "buildpacks" in (c["path"]["old"] or "") + (c["path"]["new"] or "")]
    assert build == []
    assert not [c for c in records(seed_report, resource="build")
                if c["severity"] in ("breaking", "dangerous")]


def test_description_and_example_edits_are_info_only(seed_report):
    prose = [c for c in seed_report["changes"] if c["rule"] in ("description-changed",
                                                                 "example-changed")]
    assert len(prose) == 8
    assert {c["severity"] for c in prose} == {"info"}


def test_nothing_else_is_breaking_or_dangerous(seed_report):
    assert seed_report["summary"]["breaking"] == 2
    assert seed_report["summary"]["dangerous"] == 3


def client_rb_versions(seed_text: str) -> tuple[str, str]:
    """Both versions of lib/platform-api/client.rb from the seed diff (hunks only: each hunk's
    context lines go to both sides, '-' lines to the old one, '+' lines to the new one)."""
    old, new = [], []
    for line in seed_text.split("\n")[3:]:
        if line.startswith("@@"):
            continue
        if line.startswith("-"):
            old.append(line[1:])
        elif line.startswith("+"):
            new.append(line[1:])
        else:
            old.append(line)
            new.append(line)
    return "\n".join(old), "\n".join(new)


def test_the_seed_itself_two_heroics_clients(tmp_path, shared):
    """The document this project was made from: the diff of client.rb between the two gems."""
    seed = next((shared / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    old_rb, new_rb = client_rb_versions(seed)
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "client.rb").write_text(old_rb, encoding="utf-8")
    (tmp_path / "new" / "client.rb").write_text(new_rb, encoding="utf-8")
    code, report = run_json("diff", str(tmp_path / "old" / "client.rb"),
                            str(tmp_path / "new" / "client.rb"))
    _, direct = run_json("diff", SEED_OLD, SEED_NEW)
    assert code == 1 and report["summary"] == direct["summary"]
    renamed = one(report, id="request-property-renamed")
    location = renamed["location"]["new"]
    assert location["file"].endswith("new/client.rb")
    line = new_rb.split("\n")[location["line"] - 1]
    assert '"addon_service"' in line  # the line and column point into the Ruby file

