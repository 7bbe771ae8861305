"""Is the version bump big enough for what changed?

The bump the changes need: a breaking change needs a major bump; a dangerous change or anything added
(a resource, an endpoint, a property, an enum value) a minor one; anything else a patch. Below 1.0.0
everything moves one step down, as semver allows: 0.5.0 -> 0.6.0 may carry breaking changes. A bump
smaller than needed is a breaking finding of its own (``version-bump-insufficient``), and so is a
version that went down or stayed the same while the schema changed (``version-not-increased``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemadiff.model import Change, Severity
from schemadiff.rules.versions import version_bump_insufficient, version_not_increased

BUMPS = ("none", "patch", "minor", "major")
_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-.+]?(.*))?$")


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: str

    @classmethod
    def parse(cls, text: str | None) -> "Version | None":
        if not isinstance(text, str):
            return None
        match = _VERSION.match(text)
        if not match:
            return None
        major, minor, patch, pre = match.groups()
        return cls(int(major), int(minor or 0), int(patch or 0), pre or "")

    def key(self) -> tuple:
        # a pre-release sorts before its release: 2.3.0.pre.1 < 2.3.0
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, self.pre)


def required_bump(changes: list[Change], old: Version | None) -> str:
    """What the changes need, before the below-1.0.0 step down."""
    need = "none"
    for change in changes:
        if change.severity is Severity.BREAKING:
            return _below_one("major", old)
        if change.severity is Severity.DANGEROUS or (
                change.action == "added" and change.severity is Severity.SAFE):
            need = "minor"
        elif need == "none":
            need = "patch"
    return _below_one(need, old)


def _below_one(bump: str, old: Version | None) -> str:
    if old is not None and old.major == 0 and bump in ("major", "minor"):
        return "minor" if bump == "major" else "patch"
    return bump


def declared_bump(old: Version, new: Version) -> str:
    if new.key() < old.key():
        return "downgrade"
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    if new.patch != old.patch or new.pre != old.pre:
        return "patch"
    return "none"


def check(changes: list[Change], old_text: str | None, new_text: str | None,
          stated: bool = True) -> tuple[dict, list]:
    """The semver part of the verdict, and the findings to add to the changes (if any).

    ``stated`` is False when the versions come from the documents (OpenAPI ``info.version``)
    rather than from the user: many specs never move that field (GitHub's says
    ``0.0.0-development``), so an unchanged version there means "not versioned" and is not checked;
    one that went down, or moved too little, still is."""
    old, new = Version.parse(old_text), Version.parse(new_text)
    if old is None or new is None or (not stated and old_text == new_text):
        return {"old_version": old_text, "new_version": new_text, "required_bump": None,
                "declared_bump": None, "bump_ok": None}, []
    counted = [c for c in changes if c.waived is None or c.waived.get("expired")]
    required = required_bump(counted, old)
    declared = declared_bump(old, new)
    ok = declared != "downgrade" and BUMPS.index(declared) >= BUMPS.index(required)
    verdict = {"old_version": old_text, "new_version": new_text, "required_bump": required,
               "declared_bump": declared, "bump_ok": ok}
    findings = []
    data = {"old": old_text, "new": new_text, "declared": declared, "required": required,
            "below_one": old.major == 0}
    if changes and declared in ("downgrade", "none"):
        findings.append(_finding(version_not_increased, data))
    elif not ok:
        findings.append(_finding(version_bump_insufficient, data))
    return verdict, findings


def _finding(kind, data: dict) -> Change:
    return Change(id=kind.id, rule=kind.id, severity=kind.fixed, direction=None, action=kind.action,
                  resource=None, endpoint=None, path={"old": None, "new": None},
                  message=kind.message(data), old=data["old"], new=data["new"],
                  details={k: data[k] for k in ("declared", "required", "below_one")})
