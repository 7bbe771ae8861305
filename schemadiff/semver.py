"""Is the version bump big enough for what changed?

The bump the changes need: a breaking change needs a major bump; a dangerous change or anything added
(a resource, an endpoint, a property, an enum value) a minor one; anything else a patch. Below 1.0.0
everything moves one step down, as semver allows: 0.5.0 -> 0.6.0 may carry breaking changes. A bump
smaller than needed is a breaking finding of its own (``version-bump-insufficient``), and so is a
version that went down or stayed the same while the schema changed (``version-not-increased``).

Versions follow SemVer 2.0.0 precedence (``1.0.0-rc.1 < 1.0.0``; build metadata is ignored). A
pre-release may change anything relative to the previous pre-release of the same version: that is
what pre-releases are for. Going from a pre-release to its release declares the bump the release
line promised since the last release (``3.0.0`` is at least a major bump, ``3.1.0`` a minor one).
RubyGems spells pre-releases with a dot (Heroku's ``3.0.0.pre.1``); they are read as ``3.0.0-pre.1``.

Which versions are checked: those the user states (``--old-version``/``--new-version``, the tags of a
changelog). Versions written in the documents (OpenAPI ``info.version``) only inform: many APIs do not
version their contract by SemVer (Kubernetes moves ``v1.11.3`` to ``v1.12.3`` with removals), so a
bump that looks too small there is a warning, not a finding, unless ``--version-check`` asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemadiff.model import Change, Severity
from schemadiff.rules.versions import version_bump_insufficient, version_not_increased

if TYPE_CHECKING:
    from schemadiff.rules import Rule

BUMPS = ("none", "patch", "minor", "major")
PRE_RELEASE = "pre-release"   # a pre-release after one of the same version: anything may change

_IDENTIFIER = r"[0-9A-Za-z-]+"
_NUMBER = r"0|[1-9]\d{0,17}"   # bounded: a version of 5000 digits is not SemVer, not a crash
#: MAJOR[.MINOR[.PATCH]] with an optional ``v`` (``1.0`` is read as ``1.0.0``, as OpenAPI documents
#: often write it), then ``-pre`` (SemVer) or ``.pre`` (RubyGems, where the first pre-release
#: identifier starts with a letter), then ``+build``.
_VERSION = re.compile(
    rf"^[vV]?(?P<major>{_NUMBER})(?:\.(?P<minor>{_NUMBER})(?:\.(?P<patch>{_NUMBER}))?)?"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*)"
    rf"|\.(?P<gem_pre>[A-Za-z][0-9A-Za-z-]*(?:\.{_IDENTIFIER})*))?"
    rf"(?:\+(?P<build>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?$")


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()       # the pre-release identifiers; () for a release

    @classmethod
    def parse(cls, text: str | None) -> Version | None:
        """A version, or None when the text is not one (the caller warns)."""
        if not isinstance(text, str):
            return None
        match = _VERSION.match(text.strip())
        if not match:
            return None
        pre = match["pre"] or match["gem_pre"]
        if (pre or match["build"]) and match["patch"] is None:
            return None   # "2024-05-01" is a date, not 2024.0.0-05-01: a short form has no suffix
        identifiers = tuple(pre.split(".")) if pre else ()
        if any(part.isdigit() and len(part) > 1 and part.startswith("0") for part in identifiers):
            return None   # SemVer: numeric identifiers have no leading zeros
        return cls(int(match["major"]), int(match["minor"] or 0), int(match["patch"] or 0),
                   identifiers)

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def key(self) -> tuple:
        """Sorts by SemVer precedence: a pre-release before its release; numeric identifiers by
        value and before alphanumeric ones; fewer identifiers first when the rest are equal."""
        if not self.pre:
            return (self.core, 1, ())
        return (self.core, 0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre))

    def __str__(self) -> str:
        text = ".".join(str(n) for n in self.core)
        return f"{text}-{'.'.join(self.pre)}" if self.pre else text


def required_bump(changes: list[Change], old: Version | None) -> str:
    """What the changes need, after the below-1.0.0 step down."""
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
    """The bump ``new`` declares over ``old``: ``downgrade``, ``none``, ``pre-release`` (a later
    pre-release of the same version), or the largest part of the version that moved."""
    if new.key() < old.key():
        return "downgrade"
    if new.key() == old.key():
        return "none"
    if old.pre and new.core == old.core:
        return PRE_RELEASE if new.pre else _promised(new)
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    return "patch"


def _promised(release: Version) -> str:
    """The bump a release after its own pre-releases declares over the last release, whatever that
    was: X.0.0 comes after some (X-1).y.z, X.Y.0 after some X.(Y-1).z at the latest."""
    if release.minor == 0 and release.patch == 0:
        return "major"
    return "minor" if release.patch == 0 else "patch"


def bump_ok(declared: str, required: str) -> bool:
    if declared == PRE_RELEASE:
        return True
    return declared != "downgrade" and BUMPS.index(declared) >= BUMPS.index(required)


@dataclass(frozen=True)
class VersionCheck:
    """The semver part of the verdict, the findings to add to the changes, and what to warn."""

    verdict: dict
    findings: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check(changes: list[Change], old_text: str | None, new_text: str | None, stated: bool = True,
          enabled: bool | None = None) -> VersionCheck:
    """Check the declared bump against the changes.

    ``stated``: the versions come from the user rather than from the documents. ``enabled``: the
    ``--version-check``/``--no-version-check`` switch; None checks stated versions only, True checks
    document versions too, False checks nothing."""
    empty = {"old_version": old_text, "new_version": new_text, "required_bump": None,
             "declared_bump": None, "bump_ok": None}
    if enabled is False or old_text is None or new_text is None:
        return VersionCheck(empty)
    if not stated and old_text == new_text:
        return VersionCheck(empty)   # a version the documents never move says nothing (Stripe's date)
    old, new = Version.parse(old_text), Version.parse(new_text)
    if old is None or new is None:
        return VersionCheck(empty, warnings=[_not_semver(old_text, old, new_text, new, stated)])
    counted = [c for c in changes if c.waived is None or c.waived.get("expired")]
    required = required_bump(counted, old)
    declared = declared_bump(old, new)
    ok = bump_ok(declared, required)
    findings = _findings(bool(changes), ok, {"old": old_text, "new": new_text, "declared": declared,
                                             "required": required, "below_one": old.major == 0})
    if not stated and not enabled:
        warnings = [f"{finding.message} (versions from the documents are not checked; "
                    f"--version-check checks them)" for finding in findings]
        return VersionCheck(empty, warnings=warnings)
    verdict = {"old_version": old_text, "new_version": new_text, "required_bump": required,
               "declared_bump": declared, "bump_ok": ok}
    return VersionCheck(verdict, findings)


def _not_semver(old_text: str, old: Version | None, new_text: str, new: Version | None,
                stated: bool) -> str:
    wrong = [repr(t) for t, v in ((old_text, old), (new_text, new)) if v is None]
    what = f"version {wrong[0]} is" if len(wrong) == 1 else f"versions {' and '.join(wrong)} are"
    where = "" if stated else " (in the documents)"
    return f"{what}{where} not SemVer (MAJOR.MINOR.PATCH[-PRE][+BUILD]); the version bump is not checked"


def _findings(any_changes: bool, ok: bool, data: dict) -> list[Change]:
    """The one record a wrong bump gives: not increased at all, or not enough."""
    if any_changes and data["declared"] in ("downgrade", "none"):
        return [_finding(version_not_increased, data)]
    if not ok:
        return [_finding(version_bump_insufficient, data)]
    return []


def _finding(kind: Rule, data: dict) -> Change:
    assert kind.fixed is not None   # the version rules' severity does not depend on direction
    return Change(id=kind.id, rule=kind.id, severity=kind.fixed, direction=None, action=kind.action,
                  resource=None, endpoint=None, path={"old": None, "new": None},
                  message=kind.message(data), old=data["old"], new=data["new"],
                  details={k: data[k] for k in ("declared", "required", "below_one")})
