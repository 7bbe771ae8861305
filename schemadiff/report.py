"""The result of a comparison: the change records in a stable order, the summary and the verdict.

``Report.as_dict()`` is the JSON contract (docs/json.md); every renderer reads the same data, and
every human-facing one lays it out through ``Report.digest()``: the breaks first.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from schemadiff.excerpts import Excerpts
from schemadiff.model import REQUEST, RESPONSE, SEVERITIES, Change, Severity, fingerprinted
from schemadiff.settings import Settings


@dataclass
class Side:
    source: str
    kind: str
    title: str | None = None
    version: str | None = None
    file: str | None = None     # the main file as locations name it (not part of the JSON)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "title": self.title,
                "version": self.version}


def group_fingerprint(change: Change) -> str:
    """A record grouped from identical changes at many places: its rule, field and values, never
    its endpoints or places, so it stays the same as places come and go."""
    from schemadiff.normalise import canonical

    text = "|".join(("grouped", change.id, str(change.field), canonical(change.old),
                     canonical(change.new), canonical(change.details),
                     str(change.resource) if change.endpoint is None else ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


_DIRECTION_ORDER = {None: 0, RESPONSE: 1, REQUEST: 2}


def order(change: Change) -> tuple:
    """By resource, its representation before its endpoints, then the worst first."""
    return (change.resource or "", change.endpoint is not None, change.endpoint or "",
            -change.severity.rank, _DIRECTION_ORDER.get(change.direction, 3), change.field or "",
            change.id, str(change.path["old"]), str(change.path["new"]))


@dataclass(frozen=True)
class View:
    """What the reader asked to see. A change is shown when its severity is one of ``severities``
    (None: any), its JSON pointer matches one of ``paths`` and an endpoint it reaches matches one
    of ``endpoints`` (an empty tuple: no condition). ``summary`` lists only breaking and dangerous
    changes and counts the rest. Applied once, by :meth:`Report.viewed`: the verdict and exit code
    then count only what is shown."""

    severities: frozenset[Severity] | None = None
    paths: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    summary: bool = False

    @property
    def filters(self) -> bool:
        return self.severities is not None or bool(self.paths) or bool(self.endpoints)

    def shows(self, change: Change) -> bool:
        return ((self.severities is None or change.severity in self.severities)
                and (not self.paths or any(change.at_pointer(glob) for glob in self.paths))
                and (not self.endpoints or any(change.reaches(glob) for glob in self.endpoints)))

    def conditions(self) -> list[str]:
        """The filters as a reader would write them: ``severity breaking, dangerous``."""
        out = []
        if self.severities is not None:
            out.append("severity " + ", ".join(s.value for s in SEVERITIES
                                                if s in self.severities))
        if self.paths:
            out.append("path " + " or ".join(self.paths))
        if self.endpoints:
            out.append("endpoint " + " or ".join(self.endpoints))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"severity": None if self.severities is None else
                [s.value for s in SEVERITIES if s in self.severities],
                "match_path": list(self.paths), "match_endpoint": list(self.endpoints),
                "summary": self.summary}


#: rules whose change stands for a whole resource: its section says "(added)" / "(removed)"
SURFACE_RULES = frozenset({"resource-added", "resource-removed"})


@dataclass(frozen=True)
class Group:
    """The changes of one endpoint, or of the resource's representation (``endpoint`` None)."""

    endpoint: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Section:
    """One resource's changes (``resource`` None: a plain schema), representation first, then
    each endpoint. ``status`` is "added"/"removed" when the whole resource is."""

    resource: str | None
    status: str | None
    groups: tuple[Group, ...]

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(change for group in self.groups for change in group.changes)

    @property
    def count(self) -> int:
        return sum(len(group.changes) for group in self.groups)

    @property
    def worst(self) -> Severity:
        return max((change.severity for change in self.changes), default=Severity.INFO)


@dataclass(frozen=True)
class Part:
    """A run of sections under one heading. ``key`` is "notable" (every breaking and dangerous
    change, resources with a break first) or "rest" (the others, by resource); ``omitted`` counts
    the changes of this part left out of ``sections`` (``--summary`` lists no "rest")."""

    key: str
    title: str
    sections: tuple[Section, ...]
    omitted: int = 0

    @property
    def count(self) -> int:
        return sum(section.count for section in self.sections) + self.omitted


@dataclass(frozen=True)
class Digest:
    """The order every human-facing format shows a report in, decided here once: the verdict and
    counts (``Report.verdict()``, ``Report.summary``), then ``parts``: "notable" (breaking and
    dangerous changes, grouped by resource and endpoint), then "rest". A part with no change is
    left out; ``parts`` is empty for identical schemas."""

    parts: tuple[Part, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(section for part in self.parts for section in part.sections)

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every change listed, in reading order."""
        return tuple(change for section in self.sections for change in section.changes)


def notable(change: Change) -> bool:
    """What a reader must see first: breaking and dangerous changes, waived or not."""
    return change.severity >= Severity.DANGEROUS


def group_sections(changes: list[Change], statuses: dict[str | None, str]) -> tuple[Section, ...]:
    """Changes (already in report order) as sections by resource, then groups by endpoint."""
    grouped: dict[str | None, list[tuple[str | None, list[Change]]]] = {}
    for change in changes:
        groups = grouped.setdefault(change.resource, [])
        if not groups or groups[-1][0] != change.endpoint:
            groups.append((change.endpoint, []))
        groups[-1][1].append(change)
    return tuple(Section(resource, statuses.get(resource),
                         tuple(Group(endpoint, tuple(members)) for endpoint, members in groups))
                 for resource, groups in grouped.items())


@dataclass
class Report:
    old: Side
    new: Side
    changes: list[Change]
    settings: Settings = field(default_factory=Settings)   # what the run was asked to do
    semver: dict[str, Any] | None = None        # required/declared bump, when versions are known
    waivers: list[dict[str, Any]] = field(default_factory=list)   # each with its status
    config: str | None = None                   # the configuration file that was applied
    warnings: list[str] = field(default_factory=list)   # things worth knowing that are not changes
    excerpts: Excerpts = field(default_factory=Excerpts)   # source lines around the changes
    view: View | None = None                    # what the reader asked to see (--severity, ...)
    hidden: dict[str, int] | None = None        # changes the view left out, by severity

    def __post_init__(self) -> None:
        # a list of its own, in order: the caller's list and records stay as they were
        self.changes = sorted((fingerprinted(change) for change in self.changes), key=order)

    def viewed(self, view: View) -> Report:
        """A new report holding only the changes ``view`` shows: its summary, verdict and exit code
        count those alone, and ``hidden`` says what was left out (a renderer must say so)."""
        hidden = dict(self.hidden or {s.value: 0 for s in SEVERITIES})
        shown = []
        for change in self.changes:
            if view.shows(change):
                shown.append(change)
            else:
                hidden[change.severity.value] += 1
        return dataclasses.replace(self, changes=shown, view=view, hidden=hidden)

    @property
    def total(self) -> int:
        """How many changes the comparison found, shown or not."""
        return len(self.changes) + sum((self.hidden or {}).values())

    @property
    def failing(self) -> list[Change]:
        """The changes that make the gate fail: counted, and at or above ``fail_on``."""
        threshold = self.settings.fail_on.threshold
        if threshold is None:
            return []
        return [c for c in self.counted if c.severity >= threshold]

    @property
    def fail_on(self) -> str:
        return self.settings.fail_on.value

    @property
    def counted(self) -> list[Change]:
        """The changes that count towards the verdict (waived ones do not)."""
        return [c for c in self.changes if c.waived is None or c.waived.get("expired")]

    @property
    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in SEVERITIES}
        for change in self.counted:
            counts[change.severity.value] += 1
        return counts

    @property
    def result(self) -> str:
        if not self.changes:   # nothing shown is not the same as nothing changed
            return "compatible" if self.total else "identical"
        summary = self.summary
        if summary["breaking"]:
            return "breaking"
        if summary["dangerous"]:
            return "dangerous"
        return "compatible"

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0

    def digest(self) -> Digest:
        """The report in reading order (see :class:`Digest`); under ``View(summary=True)`` the
        other changes are counted (``Part.omitted``), not listed."""
        statuses = {c.resource: c.action for c in self.changes if c.rule in SURFACE_RULES}
        first = group_sections([c for c in self.changes if notable(c)], statuses)
        first = tuple(sorted(first, key=lambda section: -section.worst.rank))   # stable: by name
        others = [c for c in self.changes if not notable(c)]
        rest = not (self.view and self.view.summary)
        parts = []
        if first:
            parts.append(Part("notable", "Breaking and dangerous changes", first))
        if others:
            parts.append(Part("rest", "Other changes", group_sections(others, statuses))
                         if rest else Part("rest", "Other changes", (), omitted=len(others)))
        return Digest(tuple(parts))

    def verdict(self) -> dict[str, Any]:
        semver = self.semver or {}
        return {"result": self.result, "exit_code": self.exit_code, "fail_on": self.fail_on,
                "required_bump": semver.get("required_bump"),
                "declared_bump": semver.get("declared_bump"), "bump_ok": semver.get("bump_ok")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.as_dict(), "new": self.new.as_dict(),
            "verdict": self.verdict(), "summary": self.summary,
            "changes": [c.as_dict() for c in self.changes],
            "waivers": self.waivers,
            "warnings": self.warnings,
            "settings": {**self.settings.as_dict(), "config": self.config},
            **({"view": {**self.view.as_dict(), "shown": len(self.changes),
                         "hidden": self.hidden}} if self.view else {}),
        }
