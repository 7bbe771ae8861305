"""Versions: findings about the version numbers of the two schemas, added by the semver check
(``semver.py``) after the comparison, not by a comparator."""

from __future__ import annotations

from schemadiff.model import Severity
from schemadiff.rules import Details, rule


@rule("version-bump-insufficient", action="changed", fixed=Severity.BREAKING, derived=True)
def version_bump_insufficient(d: Details) -> str:
    """The declared version promises less than the changes deliver: users who pin a range such as
    ``^1.2`` or ``~0.5`` receive a break they were told could not come."""
    below = " (below 1.0.0)" if d["below_one"] else ""
    return (f"version {d['old']} → {d['new']} is a {d['declared']} bump; "
            f"the changes need a {d['required']} bump{below}")


@rule("version-not-increased", action="changed", fixed=Severity.BREAKING, derived=True)
def version_not_increased(d: Details) -> str:
    """Two different schemas under one version, or a version that went back: caches, lock files and
    changelogs can no longer tell them apart."""
    verb = "went down" if d["declared"] == "downgrade" else "stayed the same"
    return f"the version {verb} ({d['old']} → {d['new']}) while the schema changed"
