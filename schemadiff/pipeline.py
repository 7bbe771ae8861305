"""The pipeline in one place: source -> load -> model -> compare -> report.

Everything that runs a comparison (the Python API, the CLI, the changelog) goes through :func:`run`,
so options mean the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass, field

from schemadiff import budget
from schemadiff.surface import compare_apis
from schemadiff.diff import Comparison
from schemadiff.errors import InputError
from schemadiff.examples import Examples
from schemadiff.kinds import KINDS, detect
from schemadiff.kinds.openapi import is_openapi_30
from schemadiff.model import COMPATS
from schemadiff.normalise import Normaliser
from schemadiff.refs import Workspace
from schemadiff.policy import Policy, apply_waivers, load_policy, override_severities
from schemadiff.report import FAIL_ON, Report, Side, fingerprint
from schemadiff.semver import check as check_versions
from schemadiff.sources import Source, read_source


@dataclass
class Options:
    """What a run is asked to do. ``None`` means "not said": the configuration file, then the
    built-in default, decides (:meth:`resolve`)."""

    kind: str | None = None
    compat: str | None = None
    strict: bool | None = None
    fail_on: str | None = None
    allow_outside_refs: bool | None = None
    allow_remote_refs: bool | None = None
    config: str | None = None          # --config FILE; otherwise found from the current folder
    use_config: bool = True            # the Python API passes policy explicitly instead
    old_version: str | None = None
    new_version: str | None = None
    repo: str | None = None            # the git repository REV:PATH inputs are read from
    today: dt.date | None = None       # when waivers expire (tests fix it)
    timeout: float | None = None       # seconds for the whole run (--timeout); None: no limit
    policy: Policy = field(default_factory=Policy)

    def resolve(self) -> "Options":
        """Fill what the command line left unsaid from the configuration, then the defaults."""
        if self.use_config:
            self.policy = load_policy(self.config)
        settings = self.policy.settings
        for name, key, default in (("kind", "kind", None), ("compat", "compat", "backward"),
                                   ("strict", "strict", False), ("fail_on", "fail-on", "breaking"),
                                   ("allow_outside_refs", "allow-outside-refs", False),
                                   ("allow_remote_refs", "allow-remote-refs", False)):
            if getattr(self, name) is None:
                setattr(self, name, settings.get(key, default))
        self.check()
        return self

    def check(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise InputError(f"unknown kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.compat not in COMPATS:
            raise InputError(f"unknown compatibility {self.compat!r}; choose one of "
                             f"{', '.join(COMPATS)}")
        if self.fail_on not in FAIL_ON:
            raise InputError(f"unknown --fail-on {self.fail_on!r}; choose one of {', '.join(FAIL_ON)}")
        if self.timeout is not None and not (math.isfinite(self.timeout) and self.timeout > 0):
            raise InputError(f"--timeout must be a positive number of seconds, not {self.timeout}")


def open_side(spec, options: Options, label: str) -> Workspace:
    """Read one side: a path (or ``-``), a Source, or an already loaded document."""
    remote = bool(options.allow_remote_refs)
    if isinstance(spec, dict):
        return Workspace(Source(name=f"<{label}>", text="", key=f"<{label}>"), data=spec,
                         allow_remote=remote)
    if isinstance(spec, tuple):  # (Source, parsed data): a version read once and reused
        return Workspace(spec[0], data=spec[1], allow_remote=remote)
    source = spec if isinstance(spec, Source) else read_source(
        spec, allow_outside_refs=options.allow_outside_refs, repo=options.repo)
    return Workspace(source, allow_remote=remote)


def normaliser(workspace: Workspace, kind: str) -> Normaliser:
    """OpenAPI 3.0 and Swagger 2.0 schemas are draft-04-like (boolean exclusive bounds, ``$ref``
    siblings ignored) and know ``nullable``; OpenAPI 3.1 is JSON Schema 2020-12."""
    data = workspace.main.data
    legacy = kind == "openapi" and is_openapi_30(data)
    if legacy and "$schema" not in data:
        workspace.main.draft = 4
    return Normaliser(workspace, nullable_keyword=legacy)


@contextmanager
def paused_gc():
    """The walk allocates many small objects while both documents sit in memory; the cyclic
    collector would rescan those documents again and again (superlinear time). Nothing the walk
    builds needs it, so it waits until the walk is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(old_spec, new_spec, options: Options) -> Report:
    """Compare two inputs into a Report, within ``options.timeout`` seconds if one is set (an
    InputError "gave up after N s" past it). The limit interrupts any stage in the main thread;
    elsewhere it is checked between stages and between examples."""
    options.resolve()
    try:
        with budget.time_limit(options.timeout, budget.TimedOut):
            return _run(old_spec, new_spec, options)
    except budget.TimedOut:
        raise InputError(f"gave up after {options.timeout:g} s (--timeout)") from None


def _run(old_spec, new_spec, options: Options) -> Report:
    old_ws, new_ws = open_side(old_spec, options, "old"), open_side(new_spec, options, "new")
    kind = options.kind or detect(old_ws.main.data, old_ws.main.source.name)
    if options.kind is None:
        new_kind = detect(new_ws.main.data, new_ws.main.source.name)
        if new_kind != kind:
            kind = "jsonschema" if "jsonschema" in (kind, new_kind) else kind
    build = KINDS[kind]
    budget.check()
    old_side, new_side = normaliser(old_ws, kind), normaliser(new_ws, kind)
    old_api, new_api = build(old_side), build(new_side)
    walk = Comparison(old_side, new_side, compat=options.compat, strict=options.strict)
    try:
        with paused_gc():
            compare_apis(old_api, new_api, walk)
    except RecursionError:
        raise InputError("the schemas are nested too deeply to compare", new_ws.main.source.name) \
            from None
    changes = list(walk.changes.values())
    budget.check()
    Examples(old_side, new_side, options.compat).attach(changes, walk.probes)
    budget.check()
    old_places = old_ws.locate(c.path["old"] for c in changes)
    new_places = new_ws.locate(c.path["new"] for c in changes)
    for change in changes:
        change.location = {"old": old_places.get(change.path["old"]),
                           "new": new_places.get(change.path["new"])}
        change.fingerprint = fingerprint(change)
    report = judge_policy(changes, options, Side(old_ws.main.source.name, kind, old_api.title,
                                                 options.old_version or old_api.version),
                          Side(new_ws.main.source.name, kind, new_api.title,
                               options.new_version or new_api.version))
    report.warnings = [f"{side.main.source.name}: {warning}" for side, api in
                       ((old_ws, old_api), (new_ws, new_api)) for warning in api.warnings]
    return report


def judge_policy(changes: list, options: Options, old: Side, new: Side) -> Report:
    """The team's passes over the judged changes: overrides, waivers, then the version check."""
    policy = options.policy
    today = options.today or dt.date.today()
    changes = override_severities(changes, policy.severity)
    apply_waivers(changes, policy.waivers, today)
    stated = options.old_version is not None or options.new_version is not None
    semver, findings = check_versions(changes, old.version, new.version, stated=stated)
    for finding in findings:
        finding.fingerprint = fingerprint(finding)
    findings = override_severities(findings, policy.severity)  # the version findings get the same
    apply_waivers(findings, policy.waivers, today)              # passes, once, after they exist
    return Report(old=old, new=new, changes=changes + findings, fail_on=options.fail_on,
                  compat=options.compat, strict=options.strict, semver=semver,
                  waivers=[_waiver_status(w, today) for w in policy.waivers],
                  config=policy.source)


def _waiver_status(waiver, today: dt.date) -> dict:
    expired = waiver.expires is not None and waiver.expires < today
    status = "expired" if expired else "used" if waiver.matched else "unused"
    return {**waiver.as_dict(), "status": status, "matched": len(waiver.matched)}
