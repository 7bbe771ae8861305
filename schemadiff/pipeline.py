"""The pipeline in one place: source -> load -> model -> compare -> report.

Everything that runs a comparison (the Python API, the CLI, the changelog) goes through :func:`run`,
so options mean the same thing everywhere.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from schemadiff.surface import compare_apis
from schemadiff.diff import Comparison
from schemadiff.errors import InputError
from schemadiff.examples import Examples
from schemadiff.kinds import KINDS, detect
from schemadiff.model import COMPATS
from schemadiff.normalise import Normaliser
from schemadiff.refs import Workspace
from schemadiff.report import FAIL_ON, Report, Side
from schemadiff.sources import Source, read_source


@dataclass
class Options:
    kind: str | None = None
    compat: str = "backward"
    strict: bool = False
    fail_on: str = "breaking"
    allow_outside_refs: bool = False

    def check(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise InputError(f"unknown kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.compat not in COMPATS:
            raise InputError(f"unknown compatibility {self.compat!r}; choose one of "
                             f"{', '.join(COMPATS)}")
        if self.fail_on not in FAIL_ON:
            raise InputError(f"unknown --fail-on {self.fail_on!r}; choose one of {', '.join(FAIL_ON)}")


def open_side(spec, options: Options, label: str) -> Workspace:
    """Read one side: a path (or ``-``), a Source, or an already loaded document."""
    if isinstance(spec, dict):
        return Workspace(Source(name=f"<{label}>", text="", key=f"<{label}>"), data=spec)
    source = spec if isinstance(spec, Source) else read_source(
        spec, allow_outside_refs=options.allow_outside_refs)
    return Workspace(source)


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
    options.check()
    old_ws, new_ws = open_side(old_spec, options, "old"), open_side(new_spec, options, "new")
    kind = options.kind or detect(old_ws.main.data, old_ws.main.source.name)
    if options.kind is None:
        new_kind = detect(new_ws.main.data, new_ws.main.source.name)
        if new_kind != kind:
            kind = "jsonschema" if "jsonschema" in (kind, new_kind) else kind
    build = KINDS[kind]
    old_side, new_side = Normaliser(old_ws), Normaliser(new_ws)
    old_api, new_api = build(old_side), build(new_side)
    walk = Comparison(old_side, new_side, compat=options.compat, strict=options.strict)
    try:
        with paused_gc():
            compare_apis(old_api, new_api, walk)
    except RecursionError:
        raise InputError("the schemas are nested too deeply to compare", new_ws.main.source.name) \
            from None
    changes = list(walk.changes.values())
    Examples(old_side, new_side, options.compat).attach(changes, walk.probes)
    return Report(
        old=Side(old_ws.main.source.name, kind, old_api.title, old_api.version),
        new=Side(new_ws.main.source.name, kind, new_api.title, new_api.version),
        changes=changes, fail_on=options.fail_on, compat=options.compat, strict=options.strict)
