"""schemadiff: what changed between two versions of a schema, and whether it breaks anyone.

    >>> import schemadiff
    >>> report = schemadiff.compare("old.json", "new.json")
    >>> report.result, report.summary
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemadiff.errors import InputError
from schemadiff.report import Report, View

__version__ = "0.1.0"
__all__ = ["InputError", "Report", "View", "__version__", "compare"]


def compare(old: Any, new: Any, *, kind: str | None = None, compat: str = "backward",
            strict: bool = False, fail_on: str = "breaking", allow_outside_refs: bool = False,
            allow_remote_refs: bool = False, old_version: str | None = None,
            new_version: str | None = None, config: str | Path | None = None,
            version_check: bool | None = None, timeout: float | None = None) -> Report:
    """Compare two schema versions.

    ``old`` and ``new`` are paths (``str`` or ``Path``; ``-`` is standard input), or documents already
    loaded as dicts. ``kind`` forces ``jsonschema`` or ``hyperschema`` (detected otherwise); ``compat``
    (``backward``, ``forward`` or ``full``) applies to plain JSON Schema, where APIs take direction from
    requests and responses. ``old_version``/``new_version`` turn on the semver check (``version_check``:
    True checks the documents' own versions too, False nothing); ``config``
    names a configuration file (severity overrides, waivers), which the API never looks for by
    itself; the arguments here always win over its settings. A value of the wrong type or outside its choices
    raises :class:`InputError`. Returns a :class:`Report`; ``report.as_dict()`` is the JSON contract
    and ``report.settings`` what the comparison was asked to do. ``timeout`` (seconds) bounds the
    whole comparison: past it, an :class:`InputError` ("gave up after N s"); called from a thread
    other than the main one, the limit is checked between stages rather than interrupting them.
    """
    from schemadiff.pipeline import Request, run

    if isinstance(config, Path):
        config = str(config)
    # the values are checked (and turned into their enums) by the Settings they become
    request = Request(kind=kind, compat=compat, strict=strict, fail_on=fail_on,  # type: ignore[arg-type]
                      allow_outside_refs=allow_outside_refs, allow_remote_refs=allow_remote_refs,
                      old_version=old_version, new_version=new_version, config=config,
                      find_config=config is not None, version_check=version_check,
                      timeout=timeout)
    return run(_input(old, "old"), _input(new, "new"), request)


def _input(value: Any, label: str) -> str | dict:
    if isinstance(value, (str, Path)):
        return str(value)
    if isinstance(value, dict):
        return value
    raise TypeError(f"{label} must be a path or a loaded document (dict), not {type(value).__name__}")
