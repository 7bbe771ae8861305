"""Markdown: a changelog a person can paste into release notes or a pull request."""

from __future__ import annotations

from typing import TextIO

from schemadiff.render.common import context, environment
from schemadiff.report import Report


def tidy(text: str) -> str:
    """One blank line around headings, never two in a row; templates stay readable. Fenced code
    blocks are kept as they are (a ``#`` there is a comment, not a heading)."""
    out: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        blank = not line.strip()
        if blank:
            if out and out[-1] != "":
                out.append("")
            continue
        if out and out[-1] != "" and (line.startswith("#") or out[-1].startswith("#")):
            out.append("")
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render(report: Report, stream: TextIO) -> None:
    stream.write(tidy(environment(autoescape=False).get_template("changelog.md.j2").render(
        context(report))))
