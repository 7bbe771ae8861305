"""The pipeline in one place: source -> load -> model -> compare -> report.

Everything that runs a comparison (the Python API, the CLI, the changelog) goes through :func:`run`,
so settings mean the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from schemadiff import budget
from schemadiff.arrange import fold, group
from schemadiff.diff import Comparison
from schemadiff.errors import InputError
from schemadiff.examples import Examples
from schemadiff.excerpts import Excerpts
from schemadiff.gitsource import split
from schemadiff.inputs import read_source
from schemadiff.kinds import KINDS, choose_kind
from schemadiff.lifecycle import Lifecycle
from schemadiff.model import fingerprint, fingerprinted
from schemadiff.policy import Policy, apply_waivers, load_policy, override_severities, waive
from schemadiff.refs import Workspace
from schemadiff.report import Report, Side
from schemadiff.second_opinion import Verification
from schemadiff.semver import check as check_versions
from schemadiff.settings import KEYS, Compat, FailOn, Kind, Settings, check, resolve
from schemadiff.sources import Source
from schemadiff.surface import compare_apis

if TYPE_CHECKING:
    from schemadiff.policy import Waiver


@dataclass(frozen=True)
class Request:
    """What the caller asked for, before any configuration file is read. The settings it states
    are checked here (``None``: not said, so the configuration file, then the default, decides);
    :func:`run` turns them into :class:`~schemadiff.settings.Settings`."""

    kind: Kind | None = None
    compat: Compat | None = None
    strict: bool | None = None
    fail_on: FailOn | None = None
    allow_outside_refs: bool | None = None
    allow_remote_refs: bool | None = None
    deprecation_days_stable: int | None = None
    deprecation_days_beta: int | None = None
    stability_caps: bool | None = None
    config: str | None = None          # --config FILE; otherwise see policy.locate_config
    find_config: bool = True           # False: use ``policy`` as given (the API, changelog steps)
    policy: Policy | None = None
    old_version: str | None = None
    new_version: str | None = None
    version_check: bool | None = None  # None: stated versions only; True: document ones too
    repo: str | None = None            # the git repository REV:PATH inputs are read from
    today: dt.date | None = None       # when waivers expire (tests fix it)
    timeout: float | None = None       # seconds for the whole run (--timeout); None: no limit

    def __post_init__(self) -> None:
        for key, value in self.said().items():
            object.__setattr__(self, key.replace("-", "_"), check(key, value))
        for name in ("config", "old_version", "new_version", "repo"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{name} must be a string, not {value!r}")
        if self.timeout is not None and (isinstance(self.timeout, bool) or
                                         not isinstance(self.timeout, (int, float)) or
                                         not (math.isfinite(self.timeout) and self.timeout > 0)):
            raise InputError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.version_check is not None and not isinstance(self.version_check, bool):
            raise InputError(f"version_check must be true or false, not {self.version_check!r}")

    def said(self) -> dict[str, Any]:
        """The settings stated, keyed as a configuration file spells them."""
        return {key: getattr(self, field.name) for key, field in zip(KEYS, fields(Settings), strict=True)
                if getattr(self, field.name) is not None}


def open_side(spec: Any, settings: Settings, label: str, repo: str | None) -> Workspace:
    """Read one side: a path (or ``-``), a Source, or an already loaded document."""
    remote = settings.allow_remote_refs
    if isinstance(spec, dict):
        return Workspace(Source(name=f"<{label}>", text="", key=f"<{label}>"), data=spec,
                         allow_remote=remote)
    if isinstance(spec, tuple):  # (Source, parsed data): a version read once and reused
        return Workspace(spec[0], data=spec[1], allow_remote=remote)
    source = spec if isinstance(spec, Source) else read_source(
        spec, allow_outside_refs=settings.allow_outside_refs, repo=repo)
    return Workspace(source, allow_remote=remote)


def policy_for(request: Request, old_spec: Any, old: Workspace) -> Policy:
    """The team's configuration: as given, or found (from the base revision when the old side is
    read from git: the pull request under check must not configure its own gate)."""
    if request.policy is not None or not request.find_config:
        return request.policy or Policy()
    revision = None
    if isinstance(old_spec, str) and old.main.source.blob is not None:
        revision = split(old_spec)[0]
    return load_policy(request.config, revision=revision, spec=str(old_spec),
                       repo_folder=request.repo)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Parsing, the model and the walk allocate millions of containers while both documents sit in
    memory; the cyclic collector, triggered by those allocations, would rescan the (acyclic) parsed
    documents again and again: superlinear in their size (Stripe x8: parse and model 1.8 s with it,
    0.6 s without). Nothing a run builds needs it, so it waits until the run is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(old_spec: Any, new_spec: Any, request: Request) -> Report:
    """Compare two inputs into a Report, within ``request.timeout`` seconds if one is set (an
    InputError "gave up after N s" past it). The limit interrupts any stage in the main thread;
    elsewhere it is checked between stages and between examples."""
    with paused_gc():
        try:
            with budget.time_limit(request.timeout, budget.TimedOut):
                return _run(old_spec, new_spec, request)
        except budget.TimedOut:
            raise InputError(f"gave up after {request.timeout:g} s (--timeout)") from None


def _run(old_spec: Any, new_spec: Any, request: Request) -> Report:
    reading = resolve(request.said())   # the security switches never come from a file
    old_ws = open_side(old_spec, reading, "old", request.repo)
    new_ws = open_side(new_spec, reading, "new", request.repo)
    policy = policy_for(request, old_spec, old_ws)
    settings = resolve(request.said(), policy.settings)
    kind = choose_kind(old_ws.main, new_ws.main, settings.kind.value if settings.kind else None)
    reader = KINDS[kind]
    budget.check()
    drafts = reader.prepare(old_ws, new_ws)
    old_side, new_side = reader.normaliser(old_ws), reader.normaliser(new_ws)
    old_api, new_api = reader.build(old_side), reader.build(new_side)
    walk = Comparison(old_side, new_side, compat=settings.compat.value, strict=settings.strict)
    try:
        changes = compare_apis(old_api, new_api, walk, lifecycle(settings, request.today))
    except RecursionError:
        raise InputError("the schemas are nested too deeply to compare", new_ws.main.source.name) \
            from None
    budget.check()
    examples = Examples(old_side, new_side, settings.compat.value)
    changes = examples.attach(changes, walk.probes)
    budget.check()
    verification = Verification(walk, settings.compat.value, examples)
    changes = verification.witnesses(verification.settle(changes))
    changes = verification.safety_net(changes, settings.strict)
    budget.check()
    old_places = old_ws.locate(c.path["old"] for c in changes)
    new_places = new_ws.locate(c.path["new"] for c in changes)
    # where each record is in its files, and its fingerprint: set here, once (copies keep it)
    changes = [change.but(location={"old": _at(old_places, change.path["old"]),
                                    "new": _at(new_places, change.path["new"])},
                          fingerprint=change.fingerprint or fingerprint(change))
               for change in changes]
    report = judge_policy(changes, request, settings, policy,
                          Side(old_ws.main.source.name, kind, old_api.title,
                               request.old_version or old_api.version, old_ws.main.source.file),
                          Side(new_ws.main.source.name, kind, new_api.title,
                               request.new_version or new_api.version, new_ws.main.source.file),
                          swaps=walk.consequences())
    report.excerpts = Excerpts.of({"old": old_ws.documents(), "new": new_ws.documents()})
    report.warnings += [f"{side.main.source.name}: {warning}" for side, api in
                        ((old_ws, old_api), (new_ws, new_api)) for warning in api.warnings]
    report.warnings += policy.notes + drafts
    return report


def _at(places: dict[str, Any], pointer: str | None) -> Any:
    """Where a pointer was found in its file (None: the record has no place on that side)."""
    return places.get(pointer) if pointer is not None else None


def lifecycle(settings: Settings, today: dt.date | None) -> Lifecycle:
    """The lifecycle settings, on the day of the run."""
    return Lifecycle(today=today or dt.date.today(), days_stable=settings.deprecation_days_stable,
                     days_beta=settings.deprecation_days_beta,
                     stability_caps=settings.stability_caps)


def judge_policy(changes: list, request: Request, settings: Settings, policy: Policy, old: Side,
                 new: Side, swaps: Sequence = ()) -> Report:
    """The team's passes over the judged changes: overrides and waivers, each record on its own;
    then reference swaps take their consequences under them and identical changes become one
    record (waivable by that record's fingerprint); then the version check."""
    today = request.today or dt.date.today()
    changes = apply_waivers(override_severities(changes, policy.severity), policy.waivers, today)
    changes = group(fold(changes, list(swaps)))
    changes = [waive(c, policy.waivers, today) if c.grouped and c.waived is None else c
               for c in changes]
    stated = request.old_version is not None or request.new_version is not None
    versions = check_versions(changes, old.version, new.version, stated=stated,
                              enabled=request.version_check)
    semver, findings = versions.verdict, list(versions.findings)
    findings = [fingerprinted(finding) for finding in findings]
    findings = override_severities(findings, policy.severity)  # the version findings get the same
    findings = apply_waivers(findings, policy.waivers, today)  # passes, once, after they exist
    return Report(old=old, new=new, changes=changes + findings, settings=settings, semver=semver,
                  waivers=[_waiver_status(w, today) for w in policy.waivers],
                  config=policy.source, warnings=list(versions.warnings))


def _waiver_status(waiver: Waiver, today: dt.date) -> dict:
    expired = waiver.expires is not None and waiver.expires < today
    status = "expired" if expired else "used" if waiver.matched else "unused"
    return {**waiver.as_dict(), "status": status, "matched": len(waiver.matched)}
