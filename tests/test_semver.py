"""The version check: SemVer 2.0.0 precedence, pre-releases, versions that are not SemVer, and which
versions are checked at all (stated ones; the documents' own only on request)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEED_NEW, SEED_OLD, SHARED, run_cli
from schemadiff.semver import Version, declared_bump


def test_precedence_follows_semver_2():
    # the list from the SemVer 2.0.0 specification (section 11), plus build metadata and gem style
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
               "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    versions = [Version.parse(text) for text in ordered]
    assert sorted(versions, key=Version.key) == versions
    assert Version.parse("1.0.0+build.7").key() == Version.parse("1.0.0").key()
    assert Version.parse("3.0.0.pre.1") == Version.parse("3.0.0-pre.1")
    assert Version.parse("v2.3.0.pre.2").key() < Version.parse("2.3.0").key()


@pytest.mark.parametrize("text", ["foo", "1.2.3.4", "1.0.0-01", "1.0.0-", "", "2024-05-01x"])
def test_what_is_not_a_version(text):
    assert Version.parse(text) is None


@pytest.mark.parametrize("old, new, bump", [
    ("1.0.0-rc.1", "1.0.0-rc.2", "pre-release"),     # anything goes between pre-releases
    ("3.0.0.pre.1", "3.0.0.pre.2", "pre-release"),
    ("3.0.0-rc.1", "3.0.0", "major"),                # the release declares what its line promised
    ("3.1.0-rc.1", "3.1.0", "minor"), ("3.1.2-rc.1", "3.1.2", "patch"),
    ("2.2.0", "2.3.0.pre.1", "minor"),               # into a pre-release: core against core
    ("2.3.0.pre.1", "3.0.0.pre.1", "major"),
    ("1.0.0", "1.0.0-rc.1", "downgrade"), ("1.0.0-rc.2", "1.0.0-rc.1", "downgrade"),
    ("1.0.0+a", "1.0.0+b", "none"),
])
def test_declared_bump_with_pre_releases(old, new, bump):
    assert declared_bump(Version.parse(old), Version.parse(new)) == bump


def diff_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    result = run_cli("diff", *args, "--format", "json", **({"cwd": cwd} if cwd else {}))
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def version_findings(report: dict) -> list[str]:
    return [c["message"] for c in report["changes"] if c["rule"].startswith("version-")]


def test_a_release_after_its_release_candidate_may_break(seed_report):
    assert seed_report["summary"]["breaking"] == 2   # the seed pair breaks two stable things
    _, report = diff_json(SEED_OLD, SEED_NEW, "--old-version", "3.0.0-rc.1", "--new-version", "3.0.0")
    assert version_findings(report) == []
    assert (report["verdict"]["declared_bump"], report["verdict"]["bump_ok"]) == ("major", True)
    _, gem = diff_json(SEED_OLD, SEED_NEW, "--old-version", "3.0.0.pre.1",
                       "--new-version", "3.0.0.pre.2")
    assert version_findings(gem) == [] and gem["verdict"]["declared_bump"] == "pre-release"
    _, minor = diff_json(SEED_OLD, SEED_NEW, "--old-version", "3.1.0-rc.1", "--new-version", "3.1.0")
    assert version_findings(minor) == ["version 3.1.0-rc.1 → 3.1.0 is a minor bump; the changes "
                                       "need a major bump"]


def test_versions_that_are_not_semver_are_said_once():
    _, report = diff_json(SEED_OLD, SEED_NEW, "--old-version", "foo", "--new-version", "bar")
    assert report["warnings"] == ["versions 'foo' and 'bar' are not SemVer "
                                  "(MAJOR.MINOR.PATCH[-PRE][+BUILD]); the version bump is not checked"]
    assert report["verdict"]["declared_bump"] is None and version_findings(report) == []
    text = run_cli("diff", SEED_OLD, SEED_NEW, "--old-version", "1.0.0", "--new-version", "next").stdout
    assert text.count("'next'") == 1 and "warning: version 'next' is not SemVer" in text


def test_no_version_check_on_the_command_line():
    _, checked = diff_json(SEED_OLD, SEED_NEW, "--old-version", "0.5.0", "--new-version", "0.5.1")
    assert version_findings(checked)
    _, unchecked = diff_json(SEED_OLD, SEED_NEW, "--old-version", "0.5.0", "--new-version", "0.5.1",
                             "--no-version-check")
    assert version_findings(unchecked) == [] and unchecked["verdict"]["bump_ok"] is None
    assert unchecked["new"]["version"] == "0.5.1"


def openapi(version: str, paths: list[str]) -> str:
    return json.dumps({"openapi": "3.0.3", "info": {"title": "Pets", "version": version},
                       "paths": {p: {"get": {"responses": {"200": {"description": "ok"}}}}
                                 for p in paths}})


def test_document_versions_inform_and_are_checked_only_on_request(tmp_path):
    (tmp_path / "old.json").write_text(openapi("1.0.0", ["/pets"]))
    (tmp_path / "new.json").write_text(openapi("1.0.1", ["/pets", "/cats"]))  # needs a minor bump
    code, report = diff_json("old.json", "new.json", cwd=tmp_path)
    assert code == 0 and version_findings(report) == []
    assert report["warnings"] == ["version 1.0.0 → 1.0.1 is a patch bump; the changes need a minor "
                                  "bump (versions from the documents are not checked; "
                                  "--version-check checks them)"]
    code, report = diff_json("old.json", "new.json", "--version-check", cwd=tmp_path)
    assert code == 1 and version_findings(report) and report["verdict"]["bump_ok"] is False
    code, report = diff_json("old.json", "new.json", "--new-version", "1.0.1", cwd=tmp_path)
    assert code == 1, "a version the user states is checked against the document's other one"


def test_kubernetes_info_version_does_not_gate_by_itself():
    old = SHARED / "corpora" / "kubernetes" / "swagger.k8s-v1.11.3.json"
    if not old.is_file():
        pytest.skip("../shared/corpora is not beside this clone")
    _, report = diff_json(str(old), str(old.with_name("swagger.k8s-v1.12.3.json")))
    assert version_findings(report) == []
    assert "version v1.11.3 → v1.12.3 is a minor bump; the changes need a major bump (versions " \
           "from the documents are not checked; --version-check checks them)" in report["warnings"]


def test_a_document_version_that_does_not_move_is_not_warned_about(tmp_path):
    import json

    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "2020-08-27"}, "paths": {}}
    (tmp_path / "a.json").write_text(json.dumps(doc))
    _, report = diff_json(str(tmp_path / "a.json"), str(tmp_path / "a.json"))
    assert report["warnings"] == []
