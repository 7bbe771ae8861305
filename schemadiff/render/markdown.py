"""Markdown: a report a person can paste into a pull request comment, or read in a job summary.

Laid out within a size limit (a pull request comment holds 65,536 characters): the verdict and the
counts, then every breaking and dangerous change, then the rest folded into ``<details>`` per
resource. What does not fit is left out whole, never cut inside a code span, a table or an example,
and a line says how many changes are missing and which command shows them all; a failing report
ends with how to pass. When the breaking and dangerous changes do not fit with their examples and
details, how to pass gives up its waiver lines first (pointing to the command), then the changes
their examples and rule ids; only then are the last dangerous changes left out.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, cast

from schemadiff.render.common import context, counts_text, environment, spot_text
from schemadiff.report import Group, Report, Section

if TYPE_CHECKING:
    from schemadiff.model import Change

#: GitHub refuses a pull request comment longer than 65,536 characters; the margin leaves room for
#: a line a workflow adds around the report
GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_MAX_CHARS = GITHUB_COMMENT_LIMIT - 1_536


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


def _only(sections: tuple[Section, ...], keep: set[int]) -> list[Section]:
    """The sections cut down to the changes whose id() is in ``keep`` (the empty ones dropped)."""
    out = []
    for section in sections:
        groups = tuple(Group(g.endpoint, tuple(c for c in g.changes if id(c) in keep))
                       for g in section.groups)
        groups = tuple(g for g in groups if g.changes)
        if groups:
            out.append(Section(section.resource, section.status, groups))
    return out


class _Layout:
    """The pieces of one report, each rendered once, and the ways of putting them together, in
    the order of ``Report.digest()``: its "notable" part, then the "rest"."""

    def __init__(self, report: Report):
        self.report = report
        values = context(report)
        values["place"] = lambda change: spot_text(change, report)
        #: the template's macros, called by name (jinja2 does not type them)
        self.macros: Any = cast(Any, environment(autoescape=False).get_template("changelog.md.j2")
                                .make_module(values))
        parts = {part.key: part for part in values["digest"].parts}
        self.notable, self.rest = parts.get("notable"), parts.get("rest")
        self.digest = [c for s in self.notable.sections for c in s.changes] if self.notable else []
        self.others = [c for s in self.rest.sections for c in s.changes] if self.rest else []
        self.omitted = self.rest.omitted if self.rest else 0     # not listed at all (--summary)
        self.head = str(self.macros.head())
        self.has_advice = values["advice"] is not None
        self._entries: dict[tuple[int, int], str] = {}

    def entry(self, change: Change, detail: int) -> str:
        key = (id(change), detail)
        if key not in self._entries:
            text = str(self.macros.entry(change, detail)).rstrip("\n")
            self._entries[key] = text + ("\n\n" if "\n" in text else "\n")   # an example: apart
        return self._entries[key]

    def _groups(self, section: Section, detail: int, level: int) -> list[str]:
        if section.status:   # a new or removed resource: one list, no endpoint headings
            return ["".join(self.entry(change, detail) for change in section.changes)]
        out = []
        for group in section.groups:
            if group.endpoint and not section.status:
                out.append(str(self.macros.endpoint(group, level)))
            out.append("".join(self.entry(change, detail) for change in group.changes))
        return out

    def digest_text(self, detail: int, upto: int | None = None) -> str:
        """The breaking and dangerous changes under resource headings: all, or ``upto`` of them,
        the breaking ones first."""
        if not self.digest or self.notable is None:   # no digest without the notable part
            return ""
        ranked = sorted(self.digest, key=lambda c: -c.severity.rank)[:upto]
        blocks = [f"## {self.notable.title} ({self.notable.count})"]
        for section in _only(self.notable.sections, {id(c) for c in ranked}):
            blocks.append(str(self.macros.resource(section, 3)))
            blocks += self._groups(section, detail, 4)
        return _blocks(*blocks)

    def rest_text(self, upto: int | None = None) -> str:
        """The other changes (the first ``upto``), in a ``<details>`` block per resource."""
        if self.rest is None:
            return ""
        blocks = [f"## {self.rest.title} ({counts_text(self.others) or self.rest.count})"]
        if self.omitted:
            blocks.append(str(self.macros.unlisted(self.omitted)))
        whole = {section.resource: section for section in self.rest.sections}
        for section in _only(self.rest.sections, {id(c) for c in self.others[:upto]}):
            blocks.append(str(self.macros.folded(section, counts_text(
                whole[section.resource].changes))))
            blocks += self._groups(section, FULL, 0)
            blocks.append("</details>")
        return _blocks(*blocks)

    def cut_line(self, missing: int, slimmer: bool) -> str:
        return str(self.macros.cut(missing, command(self.report), slimmer))

    def advice(self, whole: bool) -> str:
        """How to pass (the report's last words when it fails): with the waiver lines, or only
        the command that shows them."""
        return str(self.macros.how_to_pass(whole, command(self.report))) if self.has_advice else ""


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
    """The report within ``room``: see the module's docstring for what goes first. How to pass
    comes last, whole when it fits beside every breaking and dangerous change, else as a
    pointer to the command that shows it."""
    parts = _Layout(report)
    total = len(parts.digest) + len(parts.others)
    for detail in (FULL, PLACED, BARE):
        top = _blocks(parts.head, parts.digest_text(detail))
        slimmer = detail != FULL and any(c.example for c in parts.digest)
        for advice in dict.fromkeys((parts.advice(True), parts.advice(False))):
            whole = _blocks(top, parts.rest_text(), parts.cut_line(0, True) if slimmer else "",
                            advice)
            if room.fits(whole):
                return whole
            if room.fits(_blocks(top, parts.cut_line(total, True), advice)):
                others = len(parts.others)
                # the lambda runs within this iteration: the loop variables cannot move under it
                shown = _most(lambda n: room.fits(_blocks(top, parts.rest_text(n), parts.cut_line(  # noqa: B023
                    others - n, slimmer), advice)), others)  # noqa: B023
                return _blocks(top, parts.rest_text(shown),
                               parts.cut_line(others - shown, slimmer), advice)
    # even bare, the digest does not fit: its last changes go (the head always stays)
    advice = parts.advice(False)
    shown = _most(lambda n: room.fits(_blocks(parts.head, parts.digest_text(BARE, n),
                                              parts.cut_line(total - n, True), advice)),
                  len(parts.digest))
    return _blocks(parts.head, parts.digest_text(BARE, shown), parts.cut_line(total - shown, True),
                   advice)


def render(report: Report, stream: TextIO, max_chars: int | None = DEFAULT_MAX_CHARS) -> None:
    """At most ``max_chars`` characters (0 or None: no limit)."""
    stream.write(layout(report, Room(max_chars or None)))
