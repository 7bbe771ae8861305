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


def build_history_repo(shared: Path, folder: Path) -> list[dict]:
    """One commit per tag, dated as in TAGS.txt, tagged vX.Y.Z; a tag whose schema did not change
    keeps the file of the tag before it; v0.0.1 has no schema at all."""
    git(folder, "init", "-q", "-b", "main")
    tags = heroku_tags(shared)
    current = None
    for row in tags:
        if row["file"] != "-":
            current = (shared / "corpora" / row["file"]).read_bytes()
        if current is None:
            (folder / "README").write_text("platform-api\n")
        else:
            (folder / "schema.json").write_bytes(current)
        git(folder, "add", "-A")
        git(folder, "commit", "-qm", row["tag"], "--allow-empty", date=row["date"])
        git(folder, "tag", row["tag"])
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
        ["### Breaking", "### Added", "### Changed", "### Removed", "### Documentation"]
    assert "- resource `pipeline` added" in section
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
    assert '<nav><ol>' in page and 'href="#v3.9.0"' in page and 'id="v3.9.0"' in page


def test_changelog_errors(tmp_path, heroku_repo):
    folder, _ = heroku_repo
    result = run_cli("changelog", "schema.json", "--from", "v9.9.9", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip() == "schemadiff: error: --from 'v9.9.9' is not one of the selected tags"
    outside = run_cli("changelog", "schema.json", cwd=tmp_path)
    assert outside.returncode == 2 and "not a git repository" in outside.stderr
