"""Real OpenAPI and Swagger histories from ../shared/corpora: each pair runs to completion, and
changes spot-checked by hand against the files are asserted here."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, run_cli


def compare(shared, old: str, new: str) -> dict:
    result = run_cli("diff", str(shared / "corpora" / old), str(shared / "corpora" / new),
                     "--format", "json", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def find(report, **match):
    return [c for c in report["changes"] if all(c.get(k) == v for k, v in match.items())]


def reaching(report, rule_id: str, endpoint: str) -> list[dict]:
    """Records of ``rule_id`` that reach ``endpoint``, wherever they are filed: grouped over many
    endpoints, or nested under the reference swap that caused them."""
    def every(changes):
        for change in changes:
            yield change
            yield from every(change.get("consequences") or ())
    return [c for c in every(report["changes"]) if c["id"] == rule_id and endpoint in c["endpoints"]]


def filed_at(report, rule_id: str, endpoint: str) -> list[dict]:
    """Records of ``rule_id`` filed at ``endpoint`` itself (nested ones too), not those of a shared
    component that merely reaches it."""
    return [c for c in reaching(report, rule_id, endpoint) if c["endpoint"] == endpoint]


def test_stripe_v126_v127_small_change_in_a_4mb_spec_with_circular_refs(shared):
    report = compare(shared, "stripe/spec3.v126.json", "stripe/spec3.v127.json")
    assert report["old"]["kind"] == "openapi" and report["verdict"]["result"] == "compatible"
    assert report["summary"] == {"breaking": 0, "dangerous": 0, "safe": 5, "info": 3}
    added = find(report, rule="resource-added")
    assert [c["resource"] for c in added] == ["/v1/payment_intents/{intent}/increment_authorization"]
    card = find(report, resource="#/components/schemas/payment_method_details_card_present")
    assert [(c["id"], c["details"]["name"]) for c in card] == \
        [("response-property-added", "incremental_authorization_supported")]
    assert len(card[0]["endpoints"]) > 100
    # the same property added to the same inline body of three operations: one record
    options = find(report, rule="property-added", direction="request")
    assert len(options) == 1 and [g["endpoint"] for g in options[0]["grouped"]] == [
        "POST /v1/payment_intents", "POST /v1/payment_intents/{intent}",
        "POST /v1/payment_intents/{intent}/confirm"]
    assert options[0]["details"]["name"] == "request_incremental_authorization_support"


def test_github_v6_7_0_v6_7_1_default_became_example(shared):
    report = compare(shared, "github/api.github.com.v6.7.0.json", "github/api.github.com.v6.7.1.json")
    changes = [(c["id"], c["message"], c["path"]["old"]) for c in report["changes"]]
    pointer = "/components/schemas/full-repository/properties/use_squash_pr_title_as_default"
    assert changes == [("example-changed", "example added", pointer),
                       ("response-default-changed", "default false removed", pointer + "/default")]
    assert report["verdict"]["result"] == "compatible"


@pytest.fixture(scope="module")
def github_v1_v4() -> dict:
    """GitHub v1.0.0 -> v4.0.0, compared once for the tests that look at it."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared/corpora is not beside this clone")
    return compare(SHARED, "github/api.github.com.v1.0.0.json", "github/api.github.com.v4.0.0.json")


def test_github_v1_v4_many_changes(github_v1_v4):
    report = github_v1_v4
    # reference swaps carry their consequences, identical changes are grouped (2,133 before)
    assert report["summary"]["breaking"] > 80 and len(report["changes"]) > 800
    # checked by hand: a new path, a removed one, a type change, a body field made required
    assert find(report, rule="endpoint-added", endpoint="GET /app/hook/deliveries")
    assert find(report, rule="resource-removed",
                resource="/applications/{client_id}/grants/{access_token}")
    use_lfs = find(report, id="response-type-changed", field="use_lfs")
    assert use_lfs[0]["old"] == ["string"] and use_lfs[0]["new"] == ["boolean"]
    token = find(report, id="request-property-became-required",
                 endpoint="DELETE /applications/{client_id}/token")
    assert token[0]["details"]["name"] == "access_token" and token[0]["severity"] == "breaking"
    # lifecycle: the four operations removed were deprecated in v1.0.0, and a path whose operations
    # were all deprecated costs what removing them costs (no breaking resource-removed beside them)
    assert [c["severity"] for c in find(report, rule="deprecated-endpoint-removed")] == \
        ["dangerous"] * 4
    grants = find(report, rule="resource-removed",
                  resource="/applications/{client_id}/grants/{access_token}")
    assert grants[0]["severity"] == "dangerous" and grants[0]["details"]["judged_by"] == \
        "its operations"


def _breaking(report, **match) -> list:
    return [c for c in find(report, **match) if c["severity"] == "breaking"]


def test_github_v1_v4_responses_that_became_unions(github_v1_v4):
    """Checked by hand against the files: these responses became an ``anyOf`` whose branches
    still hold every property the old response had (or, for events, most of them), so only the
    properties no branch carries are removed; the other branches are one dangerous record."""
    report = github_v1_v4
    for endpoint in ("GET /users/{username}/starred", "GET /repos/{owner}/{repo}/stargazers",
                     "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
                     "GET /orgs/{org}/interaction-limits", "GET /repos/{owner}/{repo}/interaction-limits",
                     "GET /user/interaction-limits"):
        assert not filed_at(report, "response-property-removed", endpoint), endpoint
        assert not filed_at(report, "response-type-widened", endpoint), endpoint
        also = reaching(report, "response-union-alternatives-added", endpoint)
        assert len(also) == 1 and also[0]["severity"] == "dangerous", endpoint
    limits = reaching(report, "response-union-alternatives-added", "GET /orgs/{org}/interaction-limits")
    assert limits[0]["message"] == "may now also be an empty object (alternative 1 of `anyOf`)"
    starred = reaching(report, "response-union-alternatives-added", "GET /users/{username}/starred")
    assert "`#/components/schemas/starred-repository`" in starred[0]["message"]
    # issue events: 9 of the 21 old properties are in some event type; the other 12 are in none
    events = "GET /repos/{owner}/{repo}/issues/{issue_number}/events"
    removed = {c["details"]["name"] for c in _breaking(report, id="response-property-removed",
                                                        endpoint=events)}
    assert removed == {"author_association", "body", "body_html", "body_text", "html_url",
                       "issue_url", "message", "pull_request_url", "sha", "state",
                       "submitted_at", "updated_at"}


def test_github_v1_v4_one_branch_oneof_request_bodies(github_v1_v4):
    """``X`` -> ``oneOf: [X]`` around unchanged request bodies is no change; a oneOf that really
    lost branches still breaks."""
    report = github_v1_v4
    assert not [c for c in find(report, rule="anyof-added") if c["details"]["count"] == 1]
    apps = "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps"
    assert not find(report, endpoint=apps, direction="request")
    emails = [c for c in reaching(report, "request-anyof-branch-removed", "POST /user/emails")
              if c["severity"] == "breaking"]
    assert sorted(c["details"]["index"] for c in emails) == [1, 2]


def test_schemastore_github_workflow_new_step_kinds_are_compatible(shared):
    """7c910423d adds step kinds (``wait``, ``cancel``, ...) as oneOf branches that no old step
    can match, inside jobs whose two kinds the checker proves disjoint: a pure widening."""
    folder = "schemastore/github-workflow"
    report = compare(shared, f"{folder}/3fdf6895c.json", f"{folder}/7c910423d.json")
    assert report["verdict"]["result"] == "compatible"
    assert {c["rule"] for c in report["changes"]} == {"anyof-branch-added",
                                                      "property-added-to-closed-object"}


def _without_deprecated(spec: dict, sunset: str | None = None) -> tuple[dict, dict, int]:
    """The spec (with ``x-sunset`` added to each deprecated operation), and a copy without them."""
    old, new = json.loads(json.dumps(spec)), json.loads(json.dumps(spec))
    count = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("deprecated") is True:
                count += 1
                del new["paths"][path][method]
                if sunset:
                    old["paths"][path][method]["x-sunset"] = sunset
    return old, new, count


def test_github_v4_deprecated_operations_removed_before_and_after_their_sunset(shared):
    import schemadiff

    spec = json.loads((shared / "corpora" / "github" / "api.github.com.v4.0.0.json").read_text())
    old, new, count = _without_deprecated(spec)
    assert count == 47  # operations marked deprecated (the other "deprecated" flags are on fields)
    report = schemadiff.compare(old, new)
    removed = [c for c in report.changes if c.rule == "deprecated-endpoint-removed"]
    assert len(removed) == 47 and {c.severity.value for c in removed} == {"dangerous"}
    # paths left empty are judged by their operations: nothing is breaking
    assert report.summary["breaking"] == 0 and report.result == "dangerous"
    old, new, _ = _without_deprecated(spec, sunset="2999-12-31")
    early = schemadiff.compare(old, new)
    assert [c.rule for c in early.changes if c.action == "removed" and c.endpoint].count(
        "endpoint-removed-before-sunset") == 47
    assert early.result == "breaking"
    old, new, _ = _without_deprecated(spec, sunset="2001-01-01")
    late = schemadiff.compare(old, new)
    assert late.result == "compatible"  # every removal was announced and its date has passed


def test_heroku_stability_caps_what_a_change_costs(shared):
    report = compare(shared, "heroku/0.8.0.json", "heroku/1.0.0.json")
    prototype = find(report, rule="endpoint-removed", endpoint="POST /account/payments")
    assert prototype[0]["severity"] == "info"
    assert prototype[0]["details"]["stability"] == "prototype"
    assert prototype[0]["details"]["uncapped_severity"] == "breaking"
    development = find(report, rule="endpoint-removed", endpoint="POST /account/otp-secret")
    assert development[0]["severity"] == "dangerous"
    assert development[0]["details"]["stability"] == "development"
    # a level below stable stated for the first time (0.0.7 -> 0.0.8) takes back the stability an
    # unstated level promised, and caps nothing in the change that states it
    first = compare(shared, "heroku/0.0.7.json", "heroku/0.0.8.json")
    stated = find(first, rule="stability-decreased", resource="organization-app")
    assert stated[0]["severity"] == "breaking" and stated[0]["new"] == "prototype"
    assert len(find(first, rule="stability-changed", old="development", new="production")) == 12
    assert not any(c["details"].get("uncapped_severity") for c in first["changes"]
                   if c["resource"] == "organization-app")


def test_kubernetes_swagger2_v1_11_3_v1_12_3(shared):
    report = compare(shared, "kubernetes/swagger.k8s-v1.11.3.json",
                     "kubernetes/swagger.k8s-v1.12.3.json")
    assert report["old"]["kind"] == "openapi"
    # duplicate operationIds are warnings, not a crash
    shared = [w for w in report["warnings"] if "operationIds are each used by several" in w]
    assert len(shared) == 2 and "176 operationIds" in shared[1]   # one line per side, not 352
    # the rollback endpoints now answer with a Status instead of the DeploymentRollback
    # (one reference swap per status, each with what it removed nested under it)
    rollback = "POST /apis/apps/v1beta1/namespaces/{namespace}/deployments/{name}/rollback"
    swaps = find(report, endpoint=rollback, rule="reference-swapped")
    assert [(c["field"], c["old"], c["new"], c["severity"]) for c in swaps] == [
        (f"<{status}>", "apps.v1beta1.DeploymentRollback", "v1.Status", "breaking")
        for status in (200, 201, 202)]
    removed = {c["details"]["name"] for c in swaps[0]["consequences"]
               if c["id"] == "response-property-removed"}
    assert removed == {"name", "rollbackTo", "updatedAnnotations"}
    # CustomResourceDefinition.spec became required: breaking for the requests that send one,
    # reported once for the definition with every endpoint it reaches
    crd = find(report, id="request-property-became-required",
               resource="#/definitions/v1beta1.CustomResourceDefinition")
    assert crd[0]["details"]["name"] == "spec" and crd[0]["severity"] == "breaking"
    assert "POST /apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions" in crd[0]["endpoints"]
    budget = find(report, resource="#/definitions/v1beta1.PodDisruptionBudgetStatus",
                  id="response-property-became-optional")
    assert budget[0]["details"]["name"] == "disruptedPods" and budget[0]["severity"] == "breaking"
    added = [c for c in find(report, rule="parameter-added")
             if "POST /api/v1/namespaces" in c["endpoints"]]
    assert {c["details"]["name"] for c in added} >= {"dryRun", "includeUninitialized"}


@pytest.mark.parametrize("name", ["stripe/spec3.v126.json", "github/api.github.com.v6.7.0.json",
                                  "kubernetes/swagger.k8s-v1.11.3.json"])
def test_a_spec_compared_with_itself_is_identical(shared, name):
    report = compare(shared, name, name)
    assert report["verdict"]["result"] == "identical" and report["changes"] == []
