"""Release notes across the real Heroku history (../shared/corpora/heroku), built into git."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, git, one_line, run_cli


def heroku_tags(shared: Path) -> list[dict]:
    lines = (shared / "corpora" / "heroku" / "TAGS.txt").read_text().splitlines()
    header = lines[0].split("|")
    return [dict(zip(header, line.split("|"), strict=True)) for line in lines[1:] if line.strip()]


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


# --- release notes worth pasting ------------------------------------------------------------------

GOLDEN = ROOT / "tests" / "golden" / "heroku-history"
HEROKU_URL = "https://github.com/heroku/platform-api"


def section_of(text: str, heading: str) -> str:
    """One release's section of a Markdown changelog, up to the next release heading."""
    after = text.split(f"\n{heading}\n", 1)[1]
    return after.split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def recent_notes(heroku_repo) -> str:
    folder, _ = heroku_repo
    result = run_cli("changelog", "schema.json", "--from", "v3.5.0", "--repo-url", HEROKU_URL,
                     cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt, name, since", [("markdown", "CHANGELOG.md", "v3.5.0"),
                                              ("html", "changelog.html", "v3.8.0")])
def test_changelog_golden(heroku_repo, fmt, name, since, update_golden):
    folder, _ = heroku_repo
    result = run_cli("changelog", "schema.json", "--from", since, "--repo-url", HEROKU_URL,
                     "--format", fmt, cwd=folder)
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_version_findings_have_their_own_line_not_a_breaking_bullet(recent_notes):
    section = section_of(recent_notes, "## [3.8.0] - 2025-03-11")
    assert "**Version check (breaking):** version 3.7.0 → 3.8.0 is a minor bump; the changes " \
           "need a major bump" in section
    bullets = [line for line in section.splitlines() if line.startswith("- ")]
    assert not [line for line in bullets if "version" in line and "bump" in line]
    # the counts are the schema's changes; the version verdict is the line above
    assert "**breaking** — 7 breaking, 2 dangerous, 77 safe, 16 info" in section
    breaking = section.split("### Breaking\n", 1)[1].split("\n### ", 1)[0]
    # 7 records: a removed resource with its 4 endpoints is one bullet
    assert len([line for line in breaking.splitlines() if line.startswith("- ")]) == 3


def test_a_new_resource_is_one_bullet_with_its_endpoints(recent_notes):
    section = section_of(recent_notes, "## [3.8.0] - 2025-03-11")
    assert ("- resource `telemetry-drain` added, with 6 endpoints: `DELETE /telemetry-drains/"
            "{telemetry_drain_identity}`, `GET /apps/{app_identity}/telemetry-drains`") in section
    assert "- endpoint `POST /telemetry-drains` added" not in section
    assert "- resource `outbound-ruleset` removed, with 4 endpoints:" in section.split(
        "### Breaking", 1)[1].split("### Added", 1)[0]
    assert "- endpoint `GET /spaces/{space_identity}/outbound-rulesets` removed" not in section
    # endpoints added to resources that already existed keep their own bullets
    assert "- endpoint `GET /apps/{app_identity}/available-stacks` added" in section


def test_info_only_changes_and_changed_examples_are_folded(recent_notes):
    section = section_of(recent_notes, "## [3.8.0] - 2025-03-11")
    shown, folded = section.split("<details>", 1)
    assert "description changed" not in shown and "### Documentation" not in shown
    assert folded.startswith("<summary>15 more changes that affect no client")
    assert "- `build` (response): description changed" in folded
    assert "example changed" not in section
    assert folded.rstrip().endswith("</details>")


def test_counts_per_release_match_the_json(heroku_repo, heroku_history, recent_notes):
    rows = {line.split(" | ")[0].lstrip("| "): line for line in recent_notes.splitlines()
            if line.startswith("| 3.")}
    assert rows["3.8.0"] == "| 3.8.0 | 2025-03-11 | breaking | 7 | 2 | 77 | 16 | minor, needs major |"
    assert rows["3.9.1"] == "| 3.9.1 | 2026-06-04 | no change | | | | | |"
    by_version = {r["version"]: r for r in heroku_history["releases"]}
    for version, row in rows.items():
        release = by_version[version]
        if "changes" not in release:
            continue
        schema_changes = [c for c in release["changes"] if not c["rule"].startswith("version-")]
        counts = [str(sum(1 for c in schema_changes if c["severity"] == s and "waived" not in c))
                  for s in ("breaking", "dangerous", "safe", "info")]
        assert row.split(" | ")[3:7] == counts, version


def test_html_changelog_has_a_chart_and_counts_without_script(heroku_repo, heroku_history):
    folder, _ = heroku_repo
    page = run_cli("changelog", "schema.json", "--from", "v3.0.0", "--format", "html",
                   cwd=folder).stdout
    assert "<script" not in page and "default-src 'none'; style-src 'unsafe-inline'" in page
    assert not re.search(r'(src|href)="(?!#)', page)   # no address outside the page: no network
    chart = page.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    shown = heroku_history["releases"][:heroku_history["releases"].index(
        next(r for r in heroku_history["releases"] if r["tag"] == "v3.0.0")) + 1]
    compared = [r for r in reversed(shown) if "changes" in r]
    titles = [line for line in chart.splitlines() if line.startswith("<title>") and ": " in line]
    assert len(titles) == len(compared) == 8   # 10 tags from v3.0.0, 2 of them unchanged
    for title, release in zip(titles, compared, strict=True):   # oldest on the left
        counts = {s: sum(1 for c in release["changes"] if c["severity"] == s and "waived" not in c
                         and not c["rule"].startswith("version-"))
                  for s in ("breaking", "dangerous", "safe")}
        assert title == (f"<title>{release['version']}: {counts['breaking']} breaking, "
                         f"{counts['dangerous']} dangerous, {counts['safe']} safe</title>")
    assert chart.count('<a href="#v') == 8 and '<a href="#v3.8.0">' in chart
    toc = page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert '<td><a href="#v3.9.0">3.9.0</a></td>' in toc and toc.count("<tr>") == 11


def test_link_references_from_an_option_or_the_remote(heroku_repo, recent_notes, tmp_path):
    assert "## [3.9.0] - 2026-02-19" in recent_notes
    references = [line for line in recent_notes.splitlines() if line.startswith("[")]
    assert references[:2] == [f"[3.9.1]: {HEROKU_URL}/compare/v3.9.0...v3.9.1",
                              f"[3.9.0]: {HEROKU_URL}/compare/v3.8.0...v3.9.0"]
    assert references[-1] == f"[3.5.0]: {HEROKU_URL}/compare/v3.3.0...v3.5.0"
    folder, _ = heroku_repo
    plain = run_cli("changelog", "schema.json", "--from", "v3.9.0", cwd=folder).stdout
    assert "## 3.9.0 - 2026-02-19" in plain and "/compare/" not in plain
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(folder), str(clone)], check=True)
    git(clone, "remote", "set-url", "origin",
        "https://someone:s3cret@github.com/heroku/platform-api.git")
    derived = run_cli("changelog", "schema.json", "--from", "v3.9.0", cwd=clone).stdout
    assert f"[3.9.0]: {HEROKU_URL}/compare/v3.8.0...v3.9.0" in derived
    assert "s3cret" not in derived and "someone" not in derived
    none = run_cli("changelog", "schema.json", "--from", "v3.9.0", "--repo-url", "none", cwd=clone)
    assert "/compare/" not in none.stdout
    bad = run_cli("changelog", "schema.json", "--repo-url", "javascript:alert(1)", cwd=folder)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert one_line(bad) == "schemadiff: error: --repo-url 'javascript:alert(1)' is not an " \
                            "http(s) address"


@pytest.mark.parametrize("remote, address", [
    ("git@github.com:heroku/platform-api.git", HEROKU_URL),
    ("https://github.com/heroku/platform-api.git", HEROKU_URL),
    ("https://token@github.com/heroku/platform-api", HEROKU_URL),
    ("ssh://git@gitlab.example.com:2222/team/api.git", "https://gitlab.example.com/team/api"),
    ("/srv/git/platform-api.git", None),
    ("file:///srv/git/platform-api.git", None),
    ("../platform-api", None),
])
def test_web_address_of_a_remote(remote, address):
    from schemadiff.changelog import web_address

    assert web_address(remote) == address


HAND_WRITTEN = """\
# Changelog

All notable changes to the Platform API schema, written by hand.

## [Unreleased]

- Planned: a `generation` field on apps (not in the schema yet).

## [3.7.0] - 2024-05-28

Our own notes for 3.7.0, **kept as written**.

```markdown
## 3.6.0 inside a code block is not a section
```

## 3.5.0

Hand-written notes for 3.5.0.

[unreleased]: https://github.com/heroku/platform-api/compare/v3.7.0...HEAD
[3.7.0]: https://github.com/heroku/platform-api/compare/v3.6.0...v3.7.0
"""


def test_update_inserts_missing_sections_and_keeps_the_file(heroku_repo, tmp_path):
    folder, _ = heroku_repo
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run_cli("changelog", "schema.json", "--from", "v3.3.0", "--repo-url", HEROKU_URL,
                     "--update", str(changelog), cwd=folder)
    assert (result.returncode, result.stdout) == (0, "")
    assert one_line(result) == f"schemadiff: {changelog}: added 5 sections (3.9.1, 3.9.0, " \
                               "3.8.0, 3.6.0, 3.3.0)"
    text = changelog.read_text(encoding="utf-8")
    lines = text.splitlines()
    position = 0
    for line in HAND_WRITTEN.splitlines():       # every line of the user's, in its order
        position = lines.index(line, position) + (1 if line else 0)
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## [Unreleased]", "## [3.9.1] - 2026-06-04", "## [3.9.0] - 2026-02-19",
                        "## [3.8.0] - 2025-03-11", "## [3.7.0] - 2024-05-28",
                        "## 3.6.0 inside a code block is not a section",
                        "## [3.6.0] - 2024-01-11", "## 3.5.0", "## [3.3.0] - 2021-01-14"]
    references = [line for line in lines if line.startswith("[")]
    assert references == [
        "[unreleased]: https://github.com/heroku/platform-api/compare/v3.7.0...HEAD",
        f"[3.9.1]: {HEROKU_URL}/compare/v3.9.0...v3.9.1",
        f"[3.9.0]: {HEROKU_URL}/compare/v3.8.0...v3.9.0",
        f"[3.8.0]: {HEROKU_URL}/compare/v3.7.0...v3.8.0",
        f"[3.6.0]: {HEROKU_URL}/compare/v3.5.0...v3.6.0",
        f"[3.3.0]: {HEROKU_URL}/compare/v3.2.0...v3.3.0",
        "[3.7.0]: https://github.com/heroku/platform-api/compare/v3.6.0...v3.7.0"]
    assert "### Breaking" in section_of(text, "## [3.8.0] - 2025-03-11")
    again = run_cli("changelog", "schema.json", "--from", "v3.3.0", "--repo-url", HEROKU_URL,
                    "--update", str(changelog), cwd=folder)
    assert again.returncode == 0 and changelog.read_text(encoding="utf-8") == text
    assert one_line(again) == f"schemadiff: {changelog}: every section is there already; left " \
                              "as it was"


def test_update_creates_a_missing_file_and_refuses_other_formats(heroku_repo, tmp_path):
    folder, _ = heroku_repo
    target = tmp_path / "CHANGELOG.md"
    created = run_cli("changelog", "schema.json", "--from", "v3.9.0", "--update", str(target),
                      cwd=folder)
    assert created.returncode == 0, created.stderr
    assert target.read_text(encoding="utf-8") == run_cli(
        "changelog", "schema.json", "--from", "v3.9.0", cwd=folder).stdout
    for extra in (["--format", "html"], ["--output", str(tmp_path / "x.md")]):
        refused = run_cli("changelog", "schema.json", "--update", str(target), *extra, cwd=folder)
        assert refused.returncode == 2 and one_line(refused).startswith("schemadiff: error: --update")


def test_update_keeps_the_files_own_unreleased_section(heroku_repo, tmp_path):
    folder, _ = heroku_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(folder), str(clone)], check=True)
    schema = json.loads((clone / "schema.json").read_text())
    schema["definitions"].pop("telemetry-drain")          # work in progress after the last tag
    (clone / "schema.json").write_text(json.dumps(schema, indent=2))
    git(clone, "commit", "-qam", "drop telemetry drains")
    own, bare = tmp_path / "OWN.md", tmp_path / "BARE.md"
    own.write_text(HAND_WRITTEN, encoding="utf-8")
    bare.write_text(HAND_WRITTEN.replace("## [Unreleased]\n\n- Planned: a `generation` field on "
                                         "apps (not in the schema yet).\n\n", ""), encoding="utf-8")
    for target in (own, bare):
        result = run_cli("changelog", "schema.json", "--from", "v3.9.0", "--to", "main",
                         "--update", str(target), cwd=clone)
        assert result.returncode == 0, result.stderr
    own_headings = [line for line in own.read_text().splitlines() if line.startswith("## ")]
    assert own_headings[:3] == ["## [Unreleased]", "## 3.9.1 - 2026-06-04", "## 3.9.0 - 2026-02-19"]
    assert "resource `telemetry-drain` removed" not in own.read_text()   # the user's words stay
    bare_text = bare.read_text()
    assert [line for line in bare_text.splitlines() if line.startswith("## ")][:2] == \
        ["## Unreleased", "## 3.9.1 - 2026-06-04"]
    assert "- resource `telemetry-drain` removed (stability prototype: info at most), with 6 " \
           "endpoints:" in bare_text   # a prototype resource: folded as info
