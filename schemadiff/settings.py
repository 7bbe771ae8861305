"""What a run is asked to do, typed and checked once where it enters: the command line, the
environment, a configuration file, or the Python API. Past that boundary every stage reads a frozen
:class:`Settings` and never sees a raw value, so ``strict = "no"`` is an error, not a truthy string.

Precedence: the command line (or the API's arguments), then the environment (security switches
only), then the configuration file, then the defaults. The security switches
(``allow-outside-refs``, ``allow-remote-refs``) are refused in a configuration file: in CI that file
may be written by the pull request the gate is checking (docs/ci.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any

from schemadiff.errors import InputError
from schemadiff.kinds import KINDS
from schemadiff.model import Severity


class Compat(str, Enum):
    """Plain JSON Schema: which way data must stay readable."""

    BACKWARD = "backward"
    FORWARD = "forward"
    FULL = "full"


class FailOn(str, Enum):
    """The least severe change that fails the gate (``none``: nothing does)."""

    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"
    NONE = "none"

    @property
    def threshold(self) -> Severity | None:
        return None if self is FailOn.NONE else Severity(self.value)


#: the document kinds, from the registry, so a new kind is a choice everywhere by itself
Kind = Enum("Kind", {name.upper(): name for name in KINDS}, type=str)  # type: ignore[misc]

#: switches that widen what the tool reads; never from a file the pull request can edit
SECURITY = ("allow-outside-refs", "allow-remote-refs")
ENVIRONMENT = {"allow-outside-refs": "SCHEMADIFF_ALLOW_OUTSIDE_REFS",
               "allow-remote-refs": "SCHEMADIFF_ALLOW_REMOTE_REFS"}
#: how an environment variable says yes or no (SCHEMADIFF_ALLOW_*, SCHEMADIFF_DEBUG)
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one run; the report carries them into every output."""

    kind: Kind | None = None           # None: detected from the documents
    compat: Compat = Compat.BACKWARD
    strict: bool = False
    fail_on: FailOn = FailOn.BREAKING
    allow_outside_refs: bool = False
    allow_remote_refs: bool = False
    deprecation_days_stable: int = 0   # least days from deprecation to x-sunset (lifecycle.py)
    deprecation_days_beta: int = 0
    stability_caps: bool = True        # changes to draft/alpha/beta operations judged milder

    def as_dict(self) -> dict[str, Any]:
        """For the JSON report, named like the rest of it (``fail_on``)."""
        return {field.name: _plain(getattr(self, field.name)) for field in fields(self)}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


#: the spelling of each setting in a configuration file, in field order
KEYS = tuple(field.name.replace("_", "-") for field in fields(Settings))


def _choice(enum: type[Enum]) -> Callable[[Any, str], Any]:
    def parse(value: Any, key: str) -> Any:
        if isinstance(value, enum):
            return value
        if isinstance(value, str):
            try:
                return enum(value)
            except ValueError:
                pass
        choices = ", ".join(str(member.value) for member in enum)
        raise InputError(f"{key} must be one of {choices}, not {value!r}")
    return parse


def _boolean(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    raise InputError(f"{key} must be true or false, not {value!r}")


def _days(value: Any, key: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InputError(f"{key} must be a whole number of days (0 or more), not {value!r}")


PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "kind": _choice(Kind), "compat": _choice(Compat), "strict": _boolean,
    "fail-on": _choice(FailOn), "allow-outside-refs": _boolean, "allow-remote-refs": _boolean,
    "deprecation-days-stable": _days, "deprecation-days-beta": _days, "stability-caps": _boolean,
}


def check(key: str, value: Any) -> Any:
    """One setting, checked and converted; an :class:`InputError` about ``key`` otherwise."""
    try:
        return PARSERS[key](value, key)
    except InputError as err:
        err.subject = key
        raise


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, bool]:
    """The security switches set in the environment (``SCHEMADIFF_ALLOW_REMOTE_REFS=1``)."""
    environ = os.environ if environ is None else environ
    said: dict[str, bool] = {}
    for key, variable in ENVIRONMENT.items():
        raw = environ.get(variable)
        if raw is None:
            continue
        word = raw.strip().lower()
        if word not in TRUE_WORDS + FALSE_WORDS:
            raise InputError(f"{variable} must be 1 or 0 (true/false, yes/no), not {raw!r}")
        said[key] = word in TRUE_WORDS
    return said


def resolve(said: Mapping[str, Any], configured: Mapping[str, Any] | None = None,
            environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from what the caller said (``None`` or absent: not said), then the environment,
    then the (already checked) configuration file, then the defaults. Keys are spelled as in the
    configuration file (``fail-on``)."""
    layers = [{k: check(k, v) for k, v in said.items() if v is not None},
              from_environment(environ), dict(configured or {})]
    chosen: dict[str, Any] = {}
    for key, field in zip(KEYS, fields(Settings), strict=True):
        for layer in layers:
            if key in layer:
                chosen[field.name] = layer[key]
                break
    return Settings(**chosen)
