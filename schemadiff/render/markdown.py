"""Markdown: a report a person can paste into a pull request comment, or read in a job summary.

Laid out within a size limit (a pull request comment holds 65,536 characters): the verdict and the
counts, then every breaking and dangerous change, then the rest folded into ``<details>`` per
resource. What does not fit is left out whole, never cut inside a code span, a table or an example,
and the last line says how many changes are missing and which command shows them all. When even
the breaking and dangerous changes do not fit with their examples and details, they are shown
without them first; only then are the last of them left out.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Callable, TextIO

from schemadiff.render.common import (Section, context, counts_text, environment, sections,
                                      spot_text, split)
from schemadiff.report import Report

#: GitHub refuses a pull request comment longer than 65,536 characters; the margin leaves room for
#: a line a workflow adds around the report
GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_MAX_CHARS = GITHUB_COMMENT_LIMIT - 1_536


def tidy(text: str) -> str:
    """One blank line around headings, never two in a row; templates stay readable."""
    out: list[str] = []
    for line in text.splitlines():
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


@dataclass(frozen=True)
class Room:
    """How much a report may take: ``limit`` in the unit ``size`` counts (None: no limit)."""

    limit: int | None
    size: Callable[[str], int] = len

    def fits(self, text: str) -> bool:
        return self.limit is None or self.size(text) <= self.limit


def _blocks(*blocks: str) -> str:
    """Blocks of Markdown, one blank line between them."""
    return "\n".join(tidy(block) for block in blocks if block.strip())


def command(report: Report) -> str:
    """The command that shows every change: the same pair, no limit."""
    return shlex.join(["schemadiff", "diff", report.old.source, report.new.source,
                       "--format", "markdown", "--max-chars", "0"])


#: how much of each change is shown: with its example, with its rule id and place, the message only
FULL, PLACED, BARE = 2, 1, 0


class _Layout:
    """The pieces of one report, each rendered once, and the ways of putting them together."""

    def __init__(self, report: Report):
        self.report = report
        values = context(report)
        values["place"] = lambda change: spot_text(change, report)
        self.macros = environment(autoescape=False).get_template("changelog.md.j2") \
            .make_module(values)
        self.digest, self.rest = split(report)
        self.head = str(self.macros.head())
        self._entries: dict[tuple[int, bool], str] = {}

    def entry(self, change, detail: int) -> str:
        key = (id(change), detail)
        if key not in self._entries:
            text = str(self.macros.entry(change, detail)).rstrip("\n")
            self._entries[key] = text + ("\n\n" if "\n" in text else "\n")   # an example: apart
        return self._entries[key]

    def _groups(self, section: Section, detail: int, level: int) -> list[str]:
        out = []
        for group in section.groups:
            if group.endpoint and not section.status:
                out.append(str(self.macros.endpoint(group, level)))
            out.append("".join(self.entry(change, detail) for change in group.changes))
        return out

    def digest_text(self, detail: int, upto: int | None = None) -> str:
        """The breaking and dangerous changes under resource headings: all, or ``upto`` of them,
        the breaking ones first."""
        changes = self.digest
        if upto is not None:
            chosen = {id(c) for c in sorted(changes, key=lambda c: -c.severity.rank)[:upto]}
            changes = [c for c in changes if id(c) in chosen]
        if not changes:
            return ""
        blocks = ["## Breaking and dangerous changes"]
        for section in sections(self.report, changes):
            blocks.append(str(self.macros.resource(section, 3)))
            blocks += self._groups(section, detail, 4)
        return _blocks(*blocks)

    def rest_text(self, upto: int | None = None) -> str:
        """The other changes (the first ``upto``), in a ``<details>`` block per resource."""
        changes = self.rest[:upto]
        if not changes:
            return ""
        blocks = [f"## Other changes ({counts_text(self.rest)})"]
        for section in sections(self.report, changes):
            whole = [c for c in self.rest if c.resource == section.resource]
            blocks.append(str(self.macros.folded(section, counts_text(whole))))
            blocks += self._groups(section, FULL, 0)
            blocks.append("</details>")
        return _blocks(*blocks)

    def cut_line(self, missing: int, slimmer: bool) -> str:
        return str(self.macros.cut(missing, command(self.report), slimmer))


def _most(fits: Callable[[int], bool], most: int) -> int:
    """The largest n in 0..most with fits(n), for a fits that holds up to some n and not after."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def layout(report: Report, room: Room) -> str:
    """The report within ``room``: see the module's docstring for what goes first."""
    parts = _Layout(report)
    total = len(report.changes)
    for detail in (FULL, PLACED, BARE):
        top = _blocks(parts.head, parts.digest_text(detail))
        slimmer = detail != FULL and any(c.example for c in parts.digest)
        if room.fits(_blocks(top, parts.rest_text(), parts.cut_line(0, True) if slimmer else "")):
            return _blocks(top, parts.rest_text(), parts.cut_line(0, True) if slimmer else "")
        if room.fits(_blocks(top, parts.cut_line(total, True))):
            shown = _most(lambda n: room.fits(_blocks(top, parts.rest_text(n), parts.cut_line(
                len(parts.rest) - n, slimmer))), len(parts.rest))
            return _blocks(top, parts.rest_text(shown), parts.cut_line(len(parts.rest) - shown,
                                                                        slimmer))
    # even bare, the digest does not fit: its last changes go (the head always stays)
    shown = _most(lambda n: room.fits(_blocks(parts.head, parts.digest_text(BARE, n),
                                              parts.cut_line(total - n, True))), len(parts.digest))
    return _blocks(parts.head, parts.digest_text(BARE, shown), parts.cut_line(total - shown, True))


def render(report: Report, stream: TextIO, max_chars: int | None = DEFAULT_MAX_CHARS) -> None:
    """At most ``max_chars`` characters (0 or None: no limit)."""
    stream.write(layout(report, Room(max_chars or None)))
