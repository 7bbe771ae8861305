"""The CI gate: configuration discovery and precedence, overrides, waivers, the semver check."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli
from schemadiff.semver import Version, declared_bump, required_bump

OLD = str(ROOT / SEED_OLD)
NEW = str(ROOT / SEED_NEW)


def write(path, text):
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def report_in(folder, *args):
    result = run_cli("diff", OLD, NEW, "-f", "json", *args, cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_config_is_found_upwards_from_the_current_folder_to_the_repository_top(tmp_path):
    write(tmp_path / ".schemadiff.toml", 'fail-on = "none"\n')
    git(tmp_path, "init", "-q")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    code, report = report_in(inner)
    assert code == 0 and report["verdict"]["fail_on"] == "none"
    assert report["settings"]["config"] == str(tmp_path / ".schemadiff.toml")


def test_config_above_the_repository_or_outside_one_is_not_used(tmp_path):
    write(tmp_path / ".schemadiff.toml", 'fail-on = "none"\n')
    clone = tmp_path / "clone"
    (clone / "a").mkdir(parents=True)
    git(clone, "init", "-q")
    for folder in (clone, clone / "a"):   # in a repository: up to its top only
        code, report = report_in(folder)
        assert code == 1 and report["settings"]["config"] is None
    loose = tmp_path / "loose"   # outside any repository: the current folder only
    loose.mkdir()
    code, report = report_in(loose)
    assert code == 1 and report["settings"]["config"] is None


def test_pyproject_section_is_used_and_one_without_it_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", """
        [tool.schemadiff]
        fail-on = "dangerous"
        [tool.schemadiff.severity]
        response-enum-value-added = "breaking"
        """)
    git(tmp_path, "init", "-q")
    inner = tmp_path / "pkg"
    inner.mkdir()
    write(inner / "pyproject.toml", '[project]\nname = "x"\n')
    _code, report = report_in(inner)
    assert report["verdict"]["fail_on"] == "dangerous"
    enum = [c for c in report["changes"] if c["id"] == "response-enum-value-added"]
    assert enum[0]["severity"] == "breaking"
    assert report["summary"]["breaking"] == 3  # the enum, and two outside prototype resources


def test_command_line_wins_over_the_file(tmp_path):
    write(tmp_path / ".schemadiff.toml", 'fail-on = "none"\n')
    code, report = report_in(tmp_path, "--fail-on", "breaking")
    assert code == 1 and report["verdict"]["fail_on"] == "breaking"


def test_explicit_config_file(tmp_path):
    config = write(tmp_path / "gate.toml", '[severity]\n"property-renamed" = "off"\n')
    _, report = report_in(ROOT, "--config", str(config))
    assert not [c for c in report["changes"] if c["rule"] == "property-renamed"]
    assert report["summary"]["breaking"] == 2


def test_rules_switched_off_by_direction(tmp_path):
    write(tmp_path / ".schemadiff.toml", '[severity]\nrequest-required-property-added = "off"\n'
                                         'description-changed = "off"\n')
    _, report = report_in(tmp_path)
    ids = {c["id"] for c in report["changes"]}
    assert "request-required-property-added" not in ids and "description-changed" not in ids
    assert "request-property-removed-from-closed-object" in ids


def test_waiver_matched_expired_and_unused(tmp_path):
    write(tmp_path / ".schemadiff.toml", """
        stability-caps = false  # judge the prototype inbound-ruleset as if stable: waivers matter
        [[waivers]]
        rule = "request-property-removed"
        path = "/definitions/inbound-ruleset/*"
        endpoint = "PUT /spaces/*"
        reason = "agreed with the three clients"
        expires = "2099-12-31"

        [[waivers]]
        rule = "response-property-removed-from-closed-object"
        reason = "old news"
        expires = "2001-01-01"

        [[waivers]]
        rule = "enum-value-removed"
        reason = "nothing like it here"
        """)
    _, report = report_in(tmp_path)
    waived = [c for c in report["changes"] if c.get("waived")]
    by_id = {c["id"]: c["waived"] for c in waived}
    assert by_id["request-property-removed"] == {"reason": "agreed with the three clients",
                                                 "expired": False, "expires": "2099-12-31"}
    assert by_id["response-property-removed-from-closed-object"]["expired"] is True
    statuses = [w["status"] for w in report["waivers"]]
    assert statuses == ["used", "expired", "unused"]
    # the waived dangerous change no longer counts; the expired one still does
    assert report["summary"]["dangerous"] == 3 and report["summary"]["breaking"] == 4
    # the text report wraps at the terminal's width around file paths of any length: read it unwrapped
    text = " ".join(run_cli("diff", OLD, NEW, cwd=tmp_path).stdout.split())
    assert "waiver expired: rule response-property-removed-from-closed-object: old news" in text
    assert "waiver unused: rule enum-value-removed: nothing like it here" in text
    assert "waived: agreed with the three clients" in text


def test_waivers_can_make_the_gate_pass(tmp_path):
    rules = ["request-property-removed-from-closed-object", "request-required-property-added",
             "response-property-removed-from-closed-object", "request-property-renamed"]
    write(tmp_path / ".schemadiff.toml", "".join(
        f'[[waivers]]\nrule = "{r}"\nreason = "accepted for 0.6.0"\n' for r in rules))
    code, report = report_in(tmp_path)
    assert code == 0 and report["summary"]["breaking"] == 0
    assert report["verdict"]["result"] == "dangerous"


def test_waiver_by_fingerprint(tmp_path):
    _, plain = report_in(ROOT)
    target = next(c for c in plain["changes"] if c["id"] == "request-property-renamed")
    write(tmp_path / ".schemadiff.toml",
          f'[[waivers]]\nfingerprint = "{target["fingerprint"]}"\nreason = "renamed on purpose"\n')
    _, report = report_in(tmp_path)
    assert [c["id"] for c in report["changes"] if c.get("waived")] == ["request-property-renamed"]


@pytest.mark.parametrize("text, where, message", [
    ('compat = "full"\nfail-on = "sometimes"\n', ":2",
     "fail-on must be one of breaking, dangerous, safe, none, not 'sometimes'"),
    ('[severity]\nno-such-rule = "info"\n', ":2", "unknown rule 'no-such-rule' (see `schemadiff rules`)"),
    ('[[waivers]]\nrule = "enum-value-added"\n', "", "waiver 1 needs a reason"),
    ('[[waivers]]\nreason = "x"\n', "", "waiver 1 must name a rule, path, endpoint or fingerprint"),
    ('colour = "blue"\n', ":1", "unknown setting 'colour'; known: compat, deprecation-days-beta, "
                                 "deprecation-days-stable, fail-on, kind, severity, stability-caps, "
                                 "strict, waivers"),
    ('deprecation-days-stable = -1\n', ":1",
     "deprecation-days-stable must be a whole number of days (0 or more), not -1"),
    ('stability-caps = "yes"\n', ":1", "stability-caps must be true or false, not 'yes'"),
])
def test_bad_configuration_is_one_clear_line(tmp_path, text, where, message):
    config = write(tmp_path / ".schemadiff.toml", text)
    result = run_cli("diff", OLD, NEW, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"schemadiff: error: {config}{where}: {message}"]


def test_invalid_toml_names_line_and_column(tmp_path):
    config = write(tmp_path / ".schemadiff.toml", 'fail-on = "breaking"\nseverity = {\n')
    result = run_cli("diff", OLD, NEW, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"schemadiff: error: {config}:2:")


# --- semver -------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, bump", [
    ("0.5.0", "0.6.0", "minor"), ("1.2.3", "1.2.4", "patch"), ("1.2.3", "2.0.0", "major"),
    ("v1.2.3", "v1.3.0", "minor"), ("2.3.0.pre.1", "2.3.0", "minor"), ("1.0.0", "1.0.0", "none"),
    ("1.1.0", "1.0.9", "downgrade"),
])
def test_declared_bump(old, new, bump):
    assert declared_bump(Version.parse(old), Version.parse(new)) == bump


def test_seed_pair_below_one_needs_only_a_minor_bump():
    _code, report = report_in(ROOT, "--old-version", "0.5.0", "--new-version", "0.6.0")
    verdict = report["verdict"]
    assert (verdict["required_bump"], verdict["declared_bump"], verdict["bump_ok"]) == \
        ("minor", "minor", True)
    assert not [c for c in report["changes"] if c["rule"].startswith("version-")]


def test_patch_bump_below_one_is_insufficient():
    _, report = report_in(ROOT, "--old-version", "0.5.0", "--new-version", "0.5.1")
    finding = [c for c in report["changes"] if c["rule"] == "version-bump-insufficient"]
    assert finding[0]["severity"] == "breaking"
    assert finding[0]["message"] == ("version 0.5.0 → 0.5.1 is a patch bump; the changes need a "
                                     "minor bump (below 1.0.0)")
    assert report["verdict"]["bump_ok"] is False


def test_after_one_a_breaking_change_needs_a_major_bump():
    _, minor = report_in(ROOT, "--old-version", "1.4.0", "--new-version", "1.5.0")
    assert minor["verdict"]["required_bump"] == "major" and minor["verdict"]["bump_ok"] is False
    _, major = report_in(ROOT, "--old-version", "1.4.0", "--new-version", "2.0.0")
    assert major["verdict"]["bump_ok"] is True


def test_version_that_went_down_or_stayed_is_reported():
    _, down = report_in(ROOT, "--old-version", "1.4.0", "--new-version", "1.3.0")
    assert [c["message"] for c in down["changes"] if c["rule"] == "version-not-increased"] == \
        ["the version went down (1.4.0 → 1.3.0) while the schema changed"]
    _, same = report_in(ROOT, "--old-version", "1.4.0", "--new-version", "1.4.0")
    assert [c["rule"] for c in same["changes"] if c["rule"].startswith("version-")] == \
        ["version-not-increased"]


def test_additions_need_minor_and_prose_needs_patch(tmp_path):
    old = tmp_path / "old.json"
    old.write_text('{"type": "object", "properties": {"a": {"type": "string"}}, '
                   '"additionalProperties": false}')
    added = tmp_path / "added.json"
    added.write_text('{"type": "object", "properties": {"a": {"type": "string"}, "b": {}}, '
                     '"additionalProperties": false}')
    prose = tmp_path / "prose.json"
    prose.write_text('{"type": "object", "properties": {"a": {"type": "string", '
                     '"description": "x"}}, "additionalProperties": false}')
    import schemadiff

    assert schemadiff.compare(old, added, old_version="1.0.0", new_version="1.0.1") \
        .verdict()["required_bump"] == "minor"
    assert schemadiff.compare(old, prose, old_version="1.0.0", new_version="1.0.1") \
        .verdict()["bump_ok"] is True
    assert required_bump([], Version.parse("1.0.0")) == "none"
