"""HTML: one self-contained page (inline CSS, no scripts, no network), every schema string escaped."""

from __future__ import annotations

from typing import TextIO

from schemadiff.render.common import context, environment
from schemadiff.report import Report


def render(report: Report, stream: TextIO) -> None:
    stream.write(environment(autoescape=True).get_template("report.html.j2").render(
        context(report)))
