"""Release notes across the real Heroku history (../shared/corpora/heroku), built into git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli



def heroku_tags(shared: Path) -> list[dict]:
    lines = (shared / "corpora" / "heroku" / "TAGS.txt").read_text().splitlines()
    header = lines[0].split("|")
    return [dict(zip(header, line.split("|"))) for line in lines[1:] if line.strip()]


def build_history_repo(shared: Path, folder: Path, backport_branch: bool = False) -> list[dict]:
    """One commit per tag, dated as in TAGS.txt, tagged vX.Y.Z; a tag whose schema did not change
    keeps the file of the tag before it; v0.0.1 has no schema at all. With ``backport_branch``,
    v2.3.0 (tagged after v3.0.0 with 3.0.0's schema) is made on a maintenance branch that leaves
    main at v2.3.0.pre.2, as a backport is; otherwise every tag is on main in TAGS.txt order."""
    git(folder, "init", "-q", "-b", "main")
    tags = heroku_tags(shared)
    current = None
    for row in tags:
        if row["file"] != "-":
            current = (shared / "corpora" / row["file"]).read_bytes()
        backport = backport_branch and row["tag"] == "v2.3.0"
        if backport:
            git(folder, "checkout", "-q", "-b", "2.x", "v2.3.0.pre.2")
        if current is None:
            (folder / "README").write_text("platform-api\n")
        else:
            (folder / "schema.json").write_bytes(current)
        git(folder, "add", "-A")
        git(folder, "commit", "-qm", row["tag"], "--allow-empty", date=row["date"])
        git(folder, "tag", row["tag"])
        if backport:
            git(folder, "checkout", "-q", "main")
    return tags


@pytest.fixture(scope="module")
def heroku_repo(tmp_path_factory) -> tuple[Path, list[dict]]:
    shared = Path(__file__).resolve().parents[2] / "shared"
    if not (shared / "corpora" / "heroku" / "TAGS.txt").is_file():
        pytest.skip("../shared/corpora is not beside this clone")
    folder = tmp_path_factory.mktemp("platform-api")
    return folder, build_history_repo(shared, folder)


@pytest.fixture(scope="module")
def heroku_history(heroku_repo) -> dict:
    folder, _ = heroku_repo
    result = run_cli("changelog", "schema.json", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_tag_with_a_schema_has_a_section_newest_first(heroku_history, heroku_repo):
    _, tags = heroku_repo
    with_schema = [row["tag"] for row in tags if row["schema source in the gem"] != "None"]
    assert len(with_schema) == 34
    releases = heroku_history["releases"]
    assert sorted(r["tag"] for r in releases) == sorted(with_schema)
    versions = [r["version"] for r in releases]
    assert versions[0] == "3.9.1" and versions[-1] == "0.0.2"
    assert releases[-1]["status"] == "initial"


def test_dates_come_from_the_tags(heroku_history):
    by_version = {r["version"]: r for r in heroku_history["releases"]}
    assert by_version["0.6.0"]["date"] == "2016-03-09"
    assert by_version["3.9.0"]["date"] == "2026-02-19"


def test_unchanged_tags_are_marked_not_repeated(heroku_history):
    by_version = {r["version"]: r for r in heroku_history["releases"]}
    for version in ("0.0.3", "0.0.4", "0.0.5", "0.0.6", "0.5.0", "1.0.1", "2.3.0.pre.2", "3.9.1"):
        assert by_version[version]["status"] == "unchanged", version
        assert "changes" not in by_version[version]
    assert by_version["0.5.0"]["previous"] == "v0.4.0"


def test_the_0_6_0_section_matches_the_seed_pair(heroku_history):
    release = next(r for r in heroku_history["releases"] if r["version"] == "0.6.0")
    assert release["previous"] == "v0.5.0"
    direct = json.loads(run_cli("diff", SEED_OLD, SEED_NEW, "-f", "json").stdout)
    assert release["summary"] == direct["summary"]

    def essence(changes):
        return sorted(tuple(str(c[k]) for k in ("id", "severity", "resource", "endpoint", "field",
                                                 "message")) for c in changes)
    assert essence(release["changes"]) == essence(direct["changes"])
    assert release["verdict"]["required_bump"] == "minor"
    assert release["verdict"]["declared_bump"] == "minor" and release["verdict"]["bump_ok"]


def test_markdown_is_keep_a_changelog(heroku_repo):
    folder, _ = heroku_repo
    text = run_cli("changelog", "schema.json", "--from", "v0.4.0", "--to", "v0.7.0",
                   cwd=folder).stdout
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 0.7.0 - 2016-04-27", "## 0.6.0 - 2016-03-09", "## 0.5.0 - 2016-01-04",
                        "## 0.4.0 - 2016-01-04"]
    section = text.split("## 0.6.0 - 2016-03-09")[1].split("## 0.5.0")[0]
    assert [line for line in section.splitlines() if line.startswith("### ")] == \
        ["### Breaking", "### Added", "### Changed"]
    assert "- resource `pipeline` added, with 5 endpoints: `DELETE /pipelines/{pipeline_id}`" in section
    assert "No change to the schema (same as v0.4.0)." in text


def test_unreleased_section_after_the_last_tag(heroku_repo, tmp_path):
    folder, _ = heroku_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(folder), str(clone)], check=True)
    git(clone, "checkout", "-q", "v0.5.0")
    git(clone, "checkout", "-q", "-b", "next")
    (clone / "schema.json").write_bytes((ROOT / SEED_NEW).read_bytes())
    git(clone, "commit", "-qam", "work in progress")
    data = json.loads(run_cli("changelog", "schema.json", "--from", "v0.4.0", "--to", "next",
                              "--tags", "v0.[45].*", "--format", "json", cwd=clone).stdout)
    first = data["releases"][0]
    assert first["status"] == "unreleased" and first["version"] is None
    assert first["summary"]["breaking"] == 2  # the other two are on prototype resources


def test_html_page_has_a_table_of_contents(heroku_repo):
    folder, _ = heroku_repo
    page = run_cli("changelog", "schema.json", "--from", "v2.2.0", "--format", "html",
                   cwd=folder).stdout
    assert page.startswith("<!DOCTYPE html>")
    assert '<nav>' in page and 'href="#v3.9.0"' in page and 'id="v3.9.0"' in page


def test_changelog_errors(tmp_path, heroku_repo):
    folder, _ = heroku_repo
    result = run_cli("changelog", "schema.json", "--from", "v9.9.9", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip() == "schemadiff: error: --from 'v9.9.9' is not one of the selected tags"
    outside = run_cli("changelog", "schema.json", cwd=tmp_path)
    assert outside.returncode == 2 and "not a git repository" in outside.stderr


# --- git order, partial ranges, missing and renamed files -----------------------------------------

def removed_then_added(history: dict) -> list[tuple[str, str, str]]:
    """Records a section adds back that the section it was compared with had removed: churn."""
    by_tag = {r["tag"]: r for r in history["releases"]}

    def same(change):   # the facts, not the wording (a capped severity adds to the message)
        return (change["rule"].replace("-removed", "").replace("-added", ""), change["resource"],
                change["endpoint"], change["field"], change["direction"],
                change["details"].get("name"), change["path"]["old"] or change["path"]["new"])
    churn = []
    for release in history["releases"]:
        before = by_tag.get(release["previous"])
        while before is not None and "changes" not in before and before["previous"]:
            before = by_tag.get(before["previous"])   # an unchanged tag stands for its previous
        if before is None or "changes" not in before or "changes" not in release:
            continue
        gone = {same(c) for c in before["changes"] if c["action"] == "removed"}
        churn += [(before["tag"], release["tag"], c["message"]) for c in release["changes"]
                  if c["action"] == "added" and same(c) in gone]
    return churn


@pytest.fixture(scope="module")
def backport_history(tmp_path_factory) -> dict:
    shared = Path(__file__).resolve().parents[2] / "shared"
    if not (shared / "corpora" / "heroku" / "TAGS.txt").is_file():
        pytest.skip("../shared/corpora is not beside this clone")
    folder = tmp_path_factory.mktemp("platform-api-2.x")
    build_history_repo(shared, folder, backport_branch=True)
    result = run_cli("changelog", "schema.json", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# the only removed-then-added record left is in the schema itself: 2.2.0 dropped `event`, which
# 2.1.0 had, and 2.3.0.pre.1 brought it back (version order made 8, with the backport and titles)
GENUINE_CHURN = [("v2.2.0", "v2.3.0.pre.1", "resource `event` added")]


def test_each_tag_is_compared_with_its_git_ancestor(heroku_history):
    # all on main in date order: v2.3.0 comes after v3.0.0 and carries its file
    by_tag = {r["tag"]: r for r in heroku_history["releases"]}
    assert (by_tag["v3.0.0.pre.1"]["status"], by_tag["v3.0.0.pre.1"]["previous"]) == \
        ("unchanged", "v2.3.0.pre.2")
    assert by_tag["v3.0.0"]["previous"] == "v3.0.0.pre.1"
    assert (by_tag["v2.3.0"]["status"], by_tag["v2.3.0"]["previous"]) == ("unchanged", "v3.0.0")
    tags = [r["tag"] for r in heroku_history["releases"]]
    assert tags.index("v2.3.0") < tags.index("v3.0.0"), "newest first, by git, not by number"
    assert removed_then_added(heroku_history) == GENUINE_CHURN


def test_a_backport_branch_makes_no_churn(backport_history):
    by_tag = {r["tag"]: r for r in backport_history["releases"]}
    assert by_tag["v2.3.0"]["previous"] == "v2.3.0.pre.2"     # its own line, not v3.0.0.pre.1
    assert by_tag["v3.0.0.pre.1"]["previous"] == "v2.3.0.pre.2"
    assert by_tag["v3.0.0"]["previous"] == "v3.0.0.pre.1"
    assert by_tag["v3.2.0"]["previous"] == "v3.0.0"
    assert removed_then_added(backport_history) == GENUINE_CHURN
    # the release after its pre-releases is checked against the last release (2.2.0) ...
    assert by_tag["v3.0.0"]["verdict"]["declared_bump"] == "major"
    assert by_tag["v3.0.0"]["verdict"]["bump_ok"] is True
    # ... and so is the backport, which broke clients in a minor release
    assert by_tag["v2.3.0"]["verdict"]["declared_bump"] == "minor"
    assert by_tag["v2.3.0"]["verdict"]["bump_ok"] is False


def test_partial_ranges_are_compared_with_the_tag_before_them(heroku_repo):
    folder, _ = heroku_repo
    text = run_cli("changelog", "schema.json", "--from", "v3.5.0", cwd=folder).stdout
    assert "First version" not in text
    oldest = text.split("## 3.5.0 - 2022-09-06")[1]
    assert oldest.lstrip().startswith("Compared with v3.3.0.")
    data = json.loads(run_cli("changelog", "schema.json", "--tags", "v3.*", "--format", "json",
                              cwd=folder).stdout)
    oldest = data["releases"][-1]
    assert (oldest["tag"], oldest["status"], oldest["previous"]) == \
        ("v3.0.0.pre.1", "unchanged", "v2.3.0.pre.2")


def small_repo(folder: Path, steps: list[tuple[str, str, dict]]) -> Path:
    """A repository with one commit per (tag, file name, schema); the file is renamed when the name
    changes."""
    git(folder, "init", "-q", "-b", "main")
    name = None
    for index, (tag, new_name, schema) in enumerate(steps):
        if name and new_name != name:
            git(folder, "mv", name, new_name)
        name = new_name
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(schema, indent=1))
        git(folder, "add", "-A")
        git(folder, "commit", "-qm", tag, date=f"2020-01-{index + 1:02d}")
        git(folder, "tag", tag)
    return folder


def schema(*names: str) -> dict:
    return {"type": "object", "properties": {n: {"type": "string", "description": f"the {n} of it, "
                                                "described at some length so that git sees a rename"}
                                             for n in names},
            "additionalProperties": False}


def test_a_range_that_starts_later_does_not_claim_the_first_version(tmp_path):
    small_repo(tmp_path, [("api-1", "s.json", schema("a")), ("api-2", "s.json", schema("a", "b"))])
    alone = run_cli("changelog", "s.json", "--tags", "api-2", cwd=tmp_path)
    assert alone.returncode == 0, alone.stderr
    assert "First version" not in alone.stdout
    assert "The history shown starts here" in alone.stdout
    both = json.loads(run_cli("changelog", "s.json", "--tags", "api-*", "--format", "json",
                              cwd=tmp_path).stdout)
    assert [(r["tag"], r["status"], r["previous"]) for r in both["releases"]] == \
        [("api-2", "changed", "api-1"), ("api-1", "initial", None)]
    assert both["warnings"] == ["not SemVer, so their version bumps are not checked: api-1, api-2"]


def test_a_path_never_found_is_an_error(heroku_repo):
    folder, _ = heroku_repo
    result = run_cli("changelog", "nothere.json", cwd=folder)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("schemadiff: error: nothere.json is not in any of the selected "
                             "revisions (v0.0.1..v3.9.1)\n")
    nothing = run_cli("changelog", "schema.json", "--tags", "release-*", cwd=folder)
    assert (nothing.returncode, nothing.stderr) == \
        (2, "schemadiff: error: no tag matches --tags 'release-*'\n")


def test_a_renamed_schema_is_followed(tmp_path):
    small_repo(tmp_path, [("v1.0.0", "api/old.json", schema("a", "b")),
                          ("v1.1.0", "api/new.json", schema("a", "b", "c"))])
    data = json.loads(run_cli("changelog", "api/new.json", "--format", "json", cwd=tmp_path).stdout)
    newest, oldest = data["releases"]
    assert (newest["status"], newest["previous"], newest["path"]) == ("changed", "v1.0.0",
                                                                      "api/new.json")
    assert [c["message"] for c in newest["changes"]] == ["optional property `c` added"]
    assert (oldest["status"], oldest["path"]) == ("initial", "api/old.json")
    text = run_cli("changelog", "api/new.json", cwd=tmp_path).stdout
    assert "Compared with v1.0.0." in text
