"""What a pull request shows: the Markdown report within a comment's 65,536 characters, and the
github format within the annotations GitHub shows per step (10 of each level), breaking first.

The Markdown is read back with a GitHub-flavoured renderer (markdown-it-py with tables and
strikethrough, as GFM has them) to check that what is kept is whole: one table, balanced
``<details>``, no code span or fence cut open.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import pytest

from conftest import SEED_NEW, SEED_OLD, run_cli

GITHUB_LIMIT = 65_536


class _Text(HTMLParser):
    """The visible text of rendered Markdown, each list item's apart, and backticks left outside
    code (a code span cut open leaves its backtick in the text)."""

    def __init__(self):
        super().__init__()
        self.items: list[str] = []
        self.levels: list[int] = []     # 1 for a top-level item; nested ones (a swap's causes) more
        self.depth = {"code": 0, "li": 0}
        self.stray_backticks = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.depth:
            self.depth[tag] += 1
            if tag == "li":
                self.items.append("")
                self.levels.append(self.depth["li"])

    def handle_endtag(self, tag):
        if tag in self.depth:
            self.depth[tag] -= 1
            if tag == "li":
                self.items[-1] = self.items[-1].strip()

    def handle_data(self, data):
        if self.depth["li"]:
            self.items[-1] += data
        if not self.depth["code"]:
            self.stray_backticks += data.count("`")


def rendered(markdown: str) -> tuple[str, _Text]:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    text = _Text()
    text.feed(html)
    return html, text


def check_whole(markdown: str) -> _Text:
    html, text = rendered(markdown)
    assert html.count("<table>") == 1 and len(re.findall("<th[ >]", html)) == 4   # the counts
    assert markdown.count("<details>") == markdown.count("</details>")
    assert markdown.count("```") % 2 == 0
    assert text.stray_backticks == markdown.count("\\`")   # only those written as text
    return text


def severity_of(item: str) -> str | None:
    found = re.match(r"(breaking|dangerous|safe|info)\b", item.strip())
    return found and found.group(1)


def plain(message: str) -> str:
    """A message as a reader sees it rendered: its `quoted` parts without the backticks."""
    return re.sub(r"`([^`]+)`", r"\1", message)


def cut_line(markdown: str) -> str:
    """The line that says what was left out (before "How to pass", which ends a failing report)."""
    return next(line for line in markdown.splitlines() if line.startswith("... "))


def pair(shared, folder: str, old: str, new: str) -> tuple[str, str]:
    base = shared / "corpora" / folder
    return str(base / old), str(base / new)


@pytest.mark.parametrize("folder, old, new", [
    ("github", "api.github.com.v1.0.0.json", "api.github.com.v4.0.0.json"),
    ("kubernetes", "swagger.k8s-v1.11.3.json", "swagger.k8s-v1.12.3.json"),
])
def test_markdown_fits_a_pull_request_comment_with_every_break(shared, folder, old, new):
    old, new = pair(shared, folder, old, new)
    report = json.loads(run_cli("diff", old, new, "-f", "json").stdout)
    result = run_cli("diff", old, new, "-f", "markdown")
    assert result.returncode == 1, result.stderr
    markdown = result.stdout
    assert len(markdown) <= GITHUB_LIMIT
    text = check_whole(markdown)
    assert "**Verdict: breaking**" in markdown
    for name in ("breaking", "dangerous"):
        expected = [plain(c["message"]) for c in report["changes"] if c["severity"] == name]
        shown = [item for item, level in zip(text.items, text.levels, strict=True)
                 if level == 1 and severity_of(item) == name]
        assert len(shown) == len(expected)
        assert [m for m in expected if not any(f": {m}" in item for item in shown)] == []
    missing = len(report["changes"]) - sum(1 for item, level in zip(text.items, text.levels, strict=True)
                                           if level == 1 and severity_of(item))
    if missing:
        last = cut_line(markdown)
        assert re.fullmatch(rf"\.\.\. {missing} more changes not shown(, and examples left out)?: "
                            rf"run `schemadiff diff {old} {new} --format markdown --max-chars 0` "
                            r"for all\.", last), last


@pytest.mark.skipif(os.environ.get("SCHEMADIFF_HEAVY") != "1",
                    reason="renders 600,000 characters: with SCHEMADIFF_HEAVY=1")
def test_max_chars_zero_shows_everything(shared):
    old, new = pair(shared, "github", "api.github.com.v1.0.0.json", "api.github.com.v4.0.0.json")
    markdown = run_cli("diff", old, new, "-f", "markdown", "--max-chars", "0").stdout
    text = check_whole(markdown)
    assert len(markdown) > 4 * GITHUB_LIMIT
    report = json.loads(run_cli("diff", old, new, "-f", "json").stdout)
    assert len([item for item, level in zip(text.items, text.levels, strict=True)
                if level == 1 and severity_of(item)]) == len(report["changes"])
    assert "not shown" not in markdown


def test_a_small_limit_keeps_the_breaks_and_folds_the_rest():
    markdown = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "markdown", "--max-chars", "6000").stdout
    assert len(markdown) <= 6000
    text = check_whole(markdown)
    severities = [severity_of(item) for item in text.items]
    assert severities.count("breaking") == 2 and severities.count("dangerous") == 3
    assert markdown.index("## Breaking and dangerous changes") < markdown.index("<details>")
    shown = sum(1 for s in severities if s in ("safe", "info"))
    assert cut_line(markdown) == (
        f"... {47 - shown} more changes not shown: run `schemadiff diff {SEED_OLD} {SEED_NEW} "
        "--format markdown --max-chars 0` for all.")
    assert markdown.rstrip().endswith("```")   # how to pass comes last, its waiver lines whole


def test_too_small_for_every_break_keeps_the_breaking_ones_first():
    markdown = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "markdown", "--max-chars", "1200").stdout
    assert len(markdown) <= 1200
    text = check_whole(markdown)
    severities = [severity_of(item) for item in text.items]
    assert severities.count("breaking") == 2 and severities.count("dangerous") < 3
    assert "safe" not in severities
    assert "**Verdict: breaking**" in markdown
    assert re.match(r"\.\.\. \d+ more changes not shown", cut_line(markdown))
    assert "## How to pass" in markdown


def test_max_chars_is_for_markdown_only():
    result = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "json", "--max-chars", "100")
    assert result.returncode == 2
    assert result.stderr.strip() == "schemadiff: error: --max-chars applies to --format markdown only"


def _levels(lines: list[str]) -> dict[str, int]:
    return {level: sum(1 for line in lines if line.startswith(f"::{level} "))
            for level in ("error", "warning", "notice")}


def test_github_annotates_breaking_first_within_the_per_step_limits(shared, tmp_path):
    old, new = pair(shared, "github", "api.github.com.v1.0.0.json", "api.github.com.v4.0.0.json")
    counts = json.loads(run_cli("diff", old, new, "-f", "json").stdout)["summary"]
    summary = tmp_path / "summary.md"
    result = run_cli("diff", old, new, "-f", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert _levels(lines) == {"error": 10, "warning": 10, "notice": 10}
    commands = [line for line in lines if line.startswith(("::error", "::warning", "::notice"))]
    assert [c.split(" ", 1)[0] for c in commands[:20]] == ["::error"] * 10 + ["::warning"] * 10
    left = {name: counts[name] - 10 for name in ("breaking", "dangerous")}
    left["safe"] = counts["safe"] - 9   # the tenth notice is this line
    assert commands[-1] == (f"::notice title=schemadiff::{left['breaking']} breaking, "
                            f"{left['dangerous']} dangerous, {left['safe']} safe not "
                            "annotated (GitHub shows 10 annotations of each level per step): see "
                            "the job summary and the lines below")
    # the rest stays in the log, breaking first, as plain lines no problem matcher reads
    rest = [line for line in lines if line.startswith("schemadiff: ") and ": breaking: " in line]
    assert len(rest) == left["breaking"] and lines.index(rest[0]) == len(commands)
    assert lines[-1] == "::endgroup::"   # how to pass, folded, ends the log
    # the job summary holds every breaking and dangerous change, within GitHub's 1 MiB
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1024 * 1024
    assert len(re.findall(r"(?m)^- \*\*breaking\*\*", text)) == counts["breaking"]
    assert len(re.findall(r"(?m)^- \*\*dangerous\*\*", text)) == counts["dangerous"]


def test_github_seed_annotations():
    lines = run_cli("diff", SEED_OLD, SEED_NEW, "-f", "github").stdout.splitlines()
    assert _levels(lines) == {"error": 2, "warning": 3, "notice": 10}
    assert lines[0].startswith("::error ") and lines[1].startswith("::error ")
    assert lines[14].startswith("::notice title=schemadiff::27 safe not annotated")
