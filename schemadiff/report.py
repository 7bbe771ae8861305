"""The result of a comparison: the change records in a stable order, the summary and the verdict.

``Report.as_dict()`` is the JSON contract (docs/json.md); every renderer reads the same data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from schemadiff.excerpts import Excerpts
from schemadiff.model import REQUEST, RESPONSE, SEVERITIES, Change
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


def fingerprint(change: Change) -> str:
    """Stable across runs and wording: the rule, the endpoint and the places, never the message."""
    text = "|".join(str(part) for part in (change.id, change.endpoint, change.path["old"],
                                           change.path["new"]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


_DIRECTION_ORDER = {None: 0, RESPONSE: 1, REQUEST: 2}


def order(change: Change) -> tuple:
    """By resource, its representation before its endpoints, then the worst first."""
    return (change.resource or "", change.endpoint is not None, change.endpoint or "",
            -change.severity.rank, _DIRECTION_ORDER.get(change.direction, 3), change.field or "",
            change.id, str(change.path["old"]), str(change.path["new"]))


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

    def __post_init__(self):
        self.changes.sort(key=order)
        for change in self.changes:
            change.fingerprint = change.fingerprint or fingerprint(change)

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
        if not self.changes:
            return "identical"
        summary = self.summary
        if summary["breaking"]:
            return "breaking"
        if summary["dangerous"]:
            return "dangerous"
        return "compatible"

    @property
    def exit_code(self) -> int:
        threshold = self.settings.fail_on.threshold
        if threshold is None:
            return 0
        return 1 if any(c.severity >= threshold for c in self.counted) else 0

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
        }
