"""Release notes across a history: Keep a Changelog Markdown, one HTML page with a table of
contents, or JSON (one entry per release, each with the change records of the JSON contract)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from schemadiff.changelog import SURFACE, History, Release, group_of, label
from schemadiff.render.common import environment
from schemadiff.render.markdown import tidy


@dataclass(frozen=True)
class Bar:
    """One release in the chart: its stacked segments (severity, y, height), bottom up."""

    release: Release
    x: int
    segments: tuple[tuple[str, int, int], ...]
    total: int


#: the chart's geometry, in SVG user units
PLOT_HEIGHT, BAR_WIDTH, BAR_STEP, LABEL_HEIGHT = 160, 18, 26, 64
CHARTED = ("breaking", "dangerous", "safe")


def chart(history: History) -> dict:
    """Breaking, dangerous and safe changes per release, oldest on the left: bars for an inline SVG
    (no script, no network). A segment of at least one change is at least 2 units high."""
    compared = [r for r in reversed(history.releases) if r.report is not None]
    totals = [sum(r.notes().counts[s] for s in CHARTED) for r in compared]
    top = max(totals, default=0) or 1
    bars = []
    for index, (release, total) in enumerate(zip(compared, totals, strict=True)):
        counts = release.notes().counts
        y, segments = PLOT_HEIGHT, []
        for severity in CHARTED:
            if counts[severity]:
                height = max(2, round(counts[severity] * PLOT_HEIGHT / top))
                y -= height
                segments.append((severity, y, height))
        bars.append(Bar(release, 8 + index * BAR_STEP, tuple(segments), total))
    return {"bars": bars, "width": 16 + len(bars) * BAR_STEP, "plot": PLOT_HEIGHT,
            "height": PLOT_HEIGHT + LABEL_HEIGHT, "bar_width": BAR_WIDTH, "top": top}


def _context(history: History) -> dict:
    # records that name their resource or endpoint themselves (SURFACE) need no lead-in
    return {"history": history, "releases": history.releases, "surface": SURFACE,
            "links": history.links(), "label": label, "group_of": group_of}


def render_markdown(history: History, stream: TextIO) -> None:
    text = environment(autoescape=False).get_template("history.md.j2").render(_context(history))
    stream.write(tidy(text))


def markdown_sections(history: History) -> dict[str, str]:
    """Each release's Markdown section alone, by heading label, for ``--update``; and the link
    reference lines under ``"references"`` (one per release, by label)."""
    module: Any = environment(autoescape=False).get_template("history.md.j2").make_module(
        _context(history))   # the template's macros, called by name (jinja2 does not type them)
    return {label(release): tidy(str(module.section(release))) for release in history.releases}


def render_html(history: History, stream: TextIO) -> None:
    stream.write(environment(autoescape=True).get_template("history.html.j2").render(
        _context(history), chart=chart(history)))


def render_json(history: History, stream: TextIO) -> None:
    json.dump(history.as_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


HISTORY_FORMATS = {"markdown": render_markdown, "html": render_html, "json": render_json}
