"""API lifecycles: sunset dates, the grace period between deprecation and removal, stability levels.

An operation promises more or less depending on where it is in its life. These are the facts and
the team's settings that the surface comparison (``surface.py``) judges removals by, and the pass
that caps what a change to a not-yet-stable operation can cost:

* ``x-sunset`` (oasdiff's extension, an RFC 3339 date) on a deprecated operation: removing it before
  that date is breaking, after it is a notice;
* ``deprecation-days-stable`` / ``deprecation-days-beta`` (oasdiff's option names): the least number
  of days between deprecating an operation and its sunset; 0 (the default) does not enforce one;
* stability (``stability-caps``, on by default): ``x-stability-level`` (oasdiff: draft, alpha,
  beta, stable) on an operation, or Heroku's ``stability`` (prototype, development, production) on
  a hyper-schema resource. Changes to draft/alpha/prototype operations are info, to
  beta/development ones dangerous at most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from schemadiff.model import Api, Change, Severity

#: how much each stability level promises: 0 nothing, 1 some notice, 2 compatibility
STABILITY_RANK = {"draft": 0, "alpha": 0, "prototype": 0, "experimental": 0,
                  "beta": 1, "development": 1,
                  "stable": 2, "production": 2}
#: the most a change to an operation of that rank can cost
CAP = {0: Severity.INFO, 1: Severity.DANGEROUS}


@dataclass(frozen=True)
class Lifecycle:
    """The team's lifecycle settings for one run (``[tool.schemadiff]``) and the date it runs on."""

    today: dt.date = field(default_factory=dt.date.today)
    days_stable: int = 0
    days_beta: int = 0
    stability_caps: bool = True   # ``stability-caps = false`` judges every operation as stable

    def grace_days(self, stability: str | None) -> int:
        """The least number of days between deprecation and sunset for an operation."""
        return self.days_beta if rank(stability) == 1 else self.days_stable


def rank(stability: str | None) -> int:
    """Unknown or unstated levels promise full compatibility, like stable ones."""
    return STABILITY_RANK.get(str(stability).lower(), 2) if stability is not None else 2


def parse_date(text: str | None) -> dt.date | None:
    """An RFC 3339 date or date-time (``2026-12-31``, ``2026-12-31T00:00:00Z``); None if not one."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def stabilities(api: Api) -> tuple[dict[str, str], dict[str, str]]:
    """The stated stability of each endpoint (by label) and each resource (by name)."""
    endpoints, resources = {}, {}
    for resource in api.resources.values():
        level = resource.meta.get("stability")
        if isinstance(level, str):
            resources[resource.name] = level
        for endpoint in resource.endpoints.values():
            own = endpoint.stability or (level if isinstance(level, str) else None)
            if own is not None:
                endpoints[endpoint.label] = own
    return endpoints, resources


#: records about the lifecycle itself: a stability that goes down is judged, never capped
UNCAPPED = {"stability-decreased"}


def cap_by_stability(changes: list[Change], old: Api, new: Api) -> list[Change]:
    """A change reaching only operations that promise less than stability costs at most what they
    promise (the severity it would have had stays in ``details``). A change that also reaches a
    stable operation keeps its severity."""
    # only the old side's promise counts: the new side is written by the change under review,
    # which must not lower the cost of its own breaks by declaring itself a draft
    old_endpoints, old_resources = stabilities(old)
    if not (old_endpoints or old_resources):
        return changes
    return [_capped(change, old_endpoints, old_resources) for change in changes]


def _capped(change: Change, old_endpoints: dict[str, str], old_resources: dict[str, str]) -> Change:
    if change.rule in UNCAPPED:
        return change
    reached = list(dict.fromkeys(([change.endpoint] if change.endpoint else []) +
                                 change.endpoints))
    if reached:
        levels = [old_endpoints.get(e) for e in reached]
    elif change.resources or change.resource is not None:
        # representations only: every resource whose representation shows it
        shown_in = change.resources or [change.resource or ""]
        levels = [old_resources.get(r) for r in shown_in]
    else:
        return change
    promise = max(rank(level) for level in levels)
    cap = CAP.get(promise)
    if cap is None or change.severity <= max(cap, Severity.SAFE, key=lambda s: s.rank):
        return change  # only what would cost callers is capped; a safe change stays safe
    level = next(level for level in levels if rank(level) == promise)
    return change.but(severity=cap, message=f"{change.message} (stability {level}: "
                                                  f"{cap.value} at most)",
                   details={**change.details, "stability": level,
                            "uncapped_severity": change.severity.value})
