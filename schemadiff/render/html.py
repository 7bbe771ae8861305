"""HTML: one self-contained page (inline CSS, no scripts, no network), every schema string escaped.

It navigates without JavaScript (the page's CSP allows none): a table of contents with the counts
and the worst severity of each resource, a linkable id on every resource and endpoint, a severity
filter made of radio buttons that CSS reads (``:checked``), sections that fold (``<details>``), and
for each change the source lines around it in both versions, side by side. The order is
``Report.digest()``'s: the breaking and dangerous changes first; the other resources start folded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from schemadiff.model import SEVERITIES
from schemadiff.render.common import context, environment
from schemadiff.report import Digest, Part, Report, Section

if TYPE_CHECKING:
    from schemadiff.model import Change

#: a table of contents longer than this starts folded: the first screen is for the changes
TOC_OPEN_UP_TO = 40


@dataclass(frozen=True)
class Shown:
    """A resource's section as the page shows it: its id, its endpoints' ids and its counts."""

    section: Section
    id: str
    group_ids: tuple[str, ...]
    counts: dict[str, int]


def slug(text: str) -> str:
    """An id-safe form of a name: lower-case letters, digits and single dashes; a short hash
    when nothing of the name is left (non-Latin names)."""
    found = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return found or hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _unique(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}-{n}"
    taken.add(name)
    return name


def shown(digest: Digest) -> list[tuple[Part, list[Shown]]]:
    """Each part of the digest with its sections, every one with ids unique on the page."""
    taken: set[str] = {"top", "contents", "changes", "show-all", "show-risky", "show-breaking",
                       "notable", "rest", "how-to-pass"}
    out = []
    for part in digest.parts:
        views = []
        for section in part.sections:
            anchor = _unique("r-" + slug(section.resource or "schema"), taken)
            groups = tuple(_unique(f"{anchor}--{slug(g.endpoint)}", taken) if g.endpoint
                           else anchor for g in section.groups)
            counts = {s.value: 0 for s in SEVERITIES}
            for change in section.changes:
                counts[change.severity.value] += 1
            views.append(Shown(section, anchor, groups, counts))
        out.append((part, views))
    return out


def render(report: Report, stream: TextIO) -> None:
    values = context(report)
    values.update(parts=shown(values["digest"]), excerpt=report.excerpts.around,
                  toc_open=len(values["digest"].sections) <= TOC_OPEN_UP_TO, worst_of=_worst_of)
    stream.write(environment(autoescape=True).get_template("report.html.j2").render(values))


def _worst_of(changes: Iterable[Change]) -> str:
    return max((c.severity for c in changes), key=lambda s: s.rank).value
