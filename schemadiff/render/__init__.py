"""Renderers: one per output format, each writing a report to a text stream.

``RENDERERS`` maps a format name to its function; its keys are also the choices of ``--format``.
"""

from __future__ import annotations

from typing import Callable, TextIO

from schemadiff.render import ci, html, json_out, markdown, text
from schemadiff.report import Report

RENDERERS: dict[str, Callable[[Report, TextIO], None]] = {
    "text": text.render,
    "markdown": markdown.render,
    "html": html.render,
    "json": json_out.render,
    "github": ci.render_github,
    "junit": ci.render_junit,
    "sarif": ci.render_sarif,
    "gitlab": ci.render_gitlab,
}
