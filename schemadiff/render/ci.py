"""The formats CI systems read: GitHub workflow commands, JUnit XML, SARIF 2.1.0, GitLab Code Quality.

Each places a change where it shows in the *new* file (where a pull request can annotate it), or in
the old file for what exists only there.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, TextIO

from schemadiff import __version__
from schemadiff.errors import InputError
from schemadiff.model import Change, Severity
from schemadiff.render.common import headline, how_to_pass, view_note, waived_note
from schemadiff.render.escape import gh_data, gh_property, printable, xml_attribute, xml_content
from schemadiff.report import Report
from schemadiff.rules import RULES, load_catalogue

if TYPE_CHECKING:
    from schemadiff.rules import Rule

INFORMATION_URI = "https://github.com/schemadiff/schemadiff"


def place(change: Change) -> dict | None:
    """Where to point at: the new file if the change has a place there, else the old one."""
    location = change.location or {}
    return location.get("new") or location.get("old")


def counts_against(change: Change, report: Report) -> bool:
    threshold = report.settings.fail_on.threshold
    waived = change.waived is not None and not change.waived.get("expired")
    return threshold is not None and change.severity >= threshold and not waived


# --- GitHub -----------------------------------------------------------------------------------

GITHUB_LEVEL = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "notice"}
#: GitHub shows at most 10 annotations of each level per step (and 50 per job); the rest of a
#: step's commands are dropped silently, so the report sends no more than that
ANNOTATIONS_PER_LEVEL = 10
#: a step summary over 1 MiB is refused whole ("$GITHUB_STEP_SUMMARY upload aborted"); the margin
#: leaves room for what other steps of the job write to theirs
STEP_SUMMARY_BYTES = 1024 * 1024 - 24 * 1024


def _level(change: Change) -> str | None:
    """error, warning or notice (a waived change: notice); None for info, left out."""
    level = GITHUB_LEVEL.get(change.severity)
    if level is not None and change.waived and not change.waived.get("expired"):
        return "notice"
    return level


def _annotation(change: Change, level: str) -> str:
    properties = []
    spot = place(change)
    if spot:
        properties += [f"file={gh_property(spot['file'])}", f"line={spot['line']}",
                       f"col={spot['column']}"]
    properties.append(f"title={gh_property(change.id)}")
    message = headline(change)
    if change.waived:
        message += f" ({waived_note(change)})"
    return f"::{level} {','.join(properties)}::{gh_data(message)}"


def annotated(report: Report) -> tuple[list[tuple[Change, str]], dict[str, int]]:
    """What to annotate, breaking first: at most ANNOTATIONS_PER_LEVEL of each level, the last
    notice kept for the note that more are in the job summary when any level overflows; and how
    many of each level are left over."""
    by_level: dict[str, list[Change]] = {"error": [], "warning": [], "notice": []}
    for change in report.digest().changes:
        level = _level(change)
        if level is not None:
            by_level[level].append(change)
    over = {level: max(0, len(found) - ANNOTATIONS_PER_LEVEL) for level, found in by_level.items()}
    if any(over.values()) and len(by_level["notice"]) >= ANNOTATIONS_PER_LEVEL:
        over["notice"] += 1   # its last place goes to the note
    chosen = [(change, level) for level, found in by_level.items()
              for change in found[:len(found) - over[level]]]
    return chosen, over


def render_github(report: Report, stream: TextIO) -> None:
    """``::error file=…,line=…,col=…,title=<rule id>::<message>`` per change (warnings for dangerous,
    notices for safe and waived; info is left out): breaking first, at most ten of each level, as
    GitHub shows no more per step. Every change is in the log all the same, the rest as plain lines;
    then the verdict, how to pass in a folded group when the gate fails, and the Markdown report
    (within GitHub's 1 MiB) appended to the job summary when ``GITHUB_STEP_SUMMARY`` is set."""
    chosen, over = annotated(report)
    for change, level in chosen:
        stream.write(_annotation(change, level) + "\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if any(over.values()):
        left = ", ".join(f"{n} {name}" for name, n in zip(("breaking", "dangerous", "safe"),
                                                          over.values(), strict=True) if n)
        where = "the job summary and the lines below" if summary_file else "the lines below"
        overflow = (f"{left} not annotated (GitHub shows {ANNOTATIONS_PER_LEVEL} annotations of "
                    f"each level per step): see {where}")
        stream.write(f"::notice title=schemadiff::{gh_data(overflow)}\n")
        shown = {id(change) for change, _ in chosen}
        rest = [c for c in report.digest().changes if id(c) not in shown and _level(c) is not None]
        for change in sorted(rest, key=lambda c: -c.severity.rank):   # breaking first, as above
            spot = place(change)
            at = f"{spot['file']}:{spot['line']}: " if spot else ""
            # "schemadiff: " first: a file name from a $ref cannot start a workflow command
            stream.write(printable(f"schemadiff: {at}{change.severity.value}: {headline(change)} "
                                   f"[{change.id}]") + "\n")
    verdict = report.verdict()
    note = view_note(report)
    if note:
        stream.write(printable(f"schemadiff: {note}") + "\n")
    stream.write(f"schemadiff: {verdict['result']} ({_summary(report)}); exit code "
                 f"{verdict['exit_code']}\n")
    advice = how_to_pass(report)
    if advice:   # the log's last lines, folded: what would make this step pass
        stream.write("::group::schemadiff: how to pass\n")
        stream.write(printable(f"schemadiff: {advice.intro}") + "\n")
        stream.write("".join(printable(line) + "\n" for line in advice.toml.split("\n")))
        stream.write("::endgroup::\n")
    if summary_file:
        from schemadiff.render.markdown import Room, layout

        text = layout(report, Room(STEP_SUMMARY_BYTES, lambda t: len(t.encode("utf-8"))))
        try:
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(text + "\n")
        except OSError as err:
            raise InputError(f"cannot write the job summary (GITHUB_STEP_SUMMARY): "
                             f"{err.strerror or err}", summary_file) from None


def _summary(report: Report) -> str:
    return ", ".join(f"{count} {name}" for name, count in report.summary.items())


# --- JUnit ------------------------------------------------------------------------------------

def render_junit(report: Report, stream: TextIO) -> None:
    """One test case per change at or above ``--fail-on`` (a failure, or skipped when waived), and
    a passing case when there is none."""
    threshold = report.settings.fail_on.threshold
    cases = [c for c in report.changes if threshold is not None and c.severity >= threshold]
    failures = sum(1 for c in cases if counts_against(c, report))
    skipped = len(cases) - failures
    name = f"schemadiff {report.old.source} -> {report.new.source}"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="schemadiff" tests="{max(len(cases), 1)}" failures="{failures}">',
             f'  <testsuite name={xml_attribute(name)} tests="{max(len(cases), 1)}" '
             f'failures="{failures}" skipped="{skipped}" errors="0">']
    if not cases:
        lines.append(f'    <testcase classname="schemadiff" name={xml_attribute(_no_break(report))}/>')
    for change in cases:
        spot = place(change)
        attributes = f'classname={xml_attribute(change.resource or "schema")} ' \
                     f'name={xml_attribute(f"{change.id}: {headline(change)}")}'
        if spot:
            attributes += f' file={xml_attribute(spot["file"])} line="{spot["line"]}"'
        lines.append(f"    <testcase {attributes}>")
        if counts_against(change, report):
            detail = f"{change.severity.value}: {printable(headline(change))}"  # lines are ours
            if spot:
                detail += f"\n{spot['file']}:{spot['line']}:{spot['column']}"
            detail += f"\nfingerprint {change.fingerprint}"
            lines.append(f'      <failure type={xml_attribute(change.id)} '
                         f'message={xml_attribute(change.message)}>{xml_content(detail)}</failure>')
        else:
            assert change.waived is not None   # what does not count against the gate is waived
            lines.append(f'      <skipped message={xml_attribute("waived: " + change.waived["reason"])}/>')
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>"]
    stream.write("\n".join(lines) + "\n")


def _no_break(report: Report) -> str:
    return f"no change at or above {report.fail_on}"


# --- SARIF ------------------------------------------------------------------------------------

SARIF_LEVEL = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "note",
               Severity.INFO: "note"}


def _descriptor(rule: Rule) -> dict:
    first = rule.why.split(". ")[0].rstrip(".") + "."
    level = SARIF_LEVEL[rule.fixed] if rule.fixed else (
        "error" if rule.effect.value != "none" else "note")
    return {"id": rule.id, "name": "".join(p.title() for p in rule.id.split("-")),
            "shortDescription": {"text": " ".join(first.split())},
            "fullDescription": {"text": " ".join(rule.why.split())},
            "defaultConfiguration": {"level": level},
            "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules.md#{rule.id}",
            "properties": {"tags": [rule.topic], "effect": rule.effect.value}}


def render_sarif(report: Report, stream: TextIO) -> None:
    """SARIF 2.1.0: the whole rule catalogue in ``tool.driver.rules``; one result per change with
    its location and a ``partialFingerprints`` entry; waived changes carry a suppression."""
    load_catalogue()
    rules = sorted(RULES.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for change in report.changes:
        result = {
            "ruleId": change.id, "ruleIndex": index[change.rule],
            "rule": {"id": change.rule, "index": index[change.rule]},
            "level": SARIF_LEVEL[change.severity],
            "message": {"text": headline(change)},
            "partialFingerprints": {"schemadiff/v1": change.fingerprint},
            "properties": {"severity": change.severity.value, "direction": change.direction,
                           "endpoint": change.endpoint, "field": change.field},
        }
        spot = place(change)
        if spot:
            result["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(spot["file"])},
                "region": {"startLine": spot["line"], "startColumn": spot["column"]}}}]
        if change.waived and not change.waived.get("expired"):
            result["suppressions"] = [{"kind": "external", "status": "accepted",
                                       "justification": change.waived["reason"]}]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "schemadiff", "version": __version__,
                                      "informationUri": INFORMATION_URI,
                                      "rules": [_descriptor(r) for r in rules]}},
                  "results": results,
                  "properties": {"verdict": report.verdict(), "summary": report.summary}}]}
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _uri(path: str) -> str:
    return path.replace(os.sep, "/").replace(" ", "%20")


# --- GitLab Code Quality ----------------------------------------------------------------------

GITLAB_SEVERITY = {Severity.BREAKING: "critical", Severity.DANGEROUS: "major",
                   Severity.SAFE: "minor", Severity.INFO: "info"}


def render_gitlab(report: Report, stream: TextIO) -> None:
    """GitLab Code Quality: a JSON array of issues (waived changes are left out: GitLab has no way
    to show a waiver, and it would fail the merge request widget for nothing)."""
    issues = []
    for change in report.changes:
        if change.waived and not change.waived.get("expired"):
            continue
        spot = place(change)
        issues.append({
            "type": "issue", "check_name": change.id, "description": headline(change),
            "categories": ["Compatibility"], "severity": GITLAB_SEVERITY[change.severity],
            "fingerprint": change.fingerprint,
            "location": {"path": spot["file"] if spot else report.new.source,
                         "lines": {"begin": spot["line"] if spot else 1}}})
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
