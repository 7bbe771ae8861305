"""Release notes across a history: Keep a Changelog Markdown, one HTML page with a table of
contents, or JSON (one entry per release, each with the change records of the JSON contract)."""

from __future__ import annotations

import json
from typing import TextIO

from schemadiff.changelog import History
from schemadiff.render.common import environment
from schemadiff.render.markdown import tidy


def _context(history: History) -> dict:
    # records that name their resource or endpoint themselves need no lead-in
    return {"history": history, "releases": history.releases,
            "surface": {"resource-added", "resource-removed", "endpoint-added", "endpoint-removed"}}


def render_markdown(history: History, stream: TextIO) -> None:
    text = environment(autoescape=False).get_template("history.md.j2").render(_context(history))
    stream.write(tidy(text))


def render_html(history: History, stream: TextIO) -> None:
    stream.write(environment(autoescape=True).get_template("history.html.j2").render(
        _context(history)))


def render_json(history: History, stream: TextIO) -> None:
    json.dump(history.as_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


HISTORY_FORMATS = {"markdown": render_markdown, "html": render_html, "json": render_json}
