"""Team policy: configuration files, severity overrides, rules switched off, and waivers.

Each is a separate pass over the finished list of change records, after the comparison has judged
them, so that what the schemas say and what a team decided stay apart:

    [tool.schemadiff]                      # pyproject.toml (or the same keys at the top of .schemadiff.toml)
    fail-on = "breaking"
    compat = "backward"
    [tool.schemadiff.severity]
    response-enum-value-added = "breaking" # a rule id (with or without its direction), or "off"
    [[tool.schemadiff.waivers]]
    rule = "request-property-removed"      # and one or more of path, endpoint, fingerprint
    path = "/definitions/inbound-ruleset/*"
    reason = "agreed with the three clients"
    expires = "2026-12-31"

and the lifecycle settings (``lifecycle.py``): ``deprecation-days-stable = 180`` and
``deprecation-days-beta = 31``, the least number of days between deprecating an operation and its
``x-sunset`` date (oasdiff's names; 0, the default, enforces none); ``stability-caps = false``
judges changes to draft/alpha/beta (Heroku prototype/development) operations as if they were stable.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemadiff.errors import InputError
from schemadiff.model import Change, Severity
from schemadiff.report import FAIL_ON
from schemadiff.rules import RULES, load_catalogue

CONFIG_FILES = (".schemadiff.toml", "pyproject.toml")
SETTINGS = {"fail-on", "compat", "strict", "severity", "waivers", "kind", "allow-outside-refs",
            "allow-remote-refs", "deprecation-days-stable", "deprecation-days-beta", "stability-caps"}
#: lifecycle settings (see lifecycle.py): whole days, 0 or more
DAY_SETTINGS = ("deprecation-days-stable", "deprecation-days-beta")
LEVELS = {s.value: s for s in Severity}


@dataclass
class Waiver:
    reason: str
    rule: str | None = None
    path: str | None = None
    endpoint: str | None = None
    fingerprint: str | None = None
    expires: dt.date | None = None
    matched: list[str] = field(default_factory=list)   # fingerprints of the changes it covers

    def covers(self, change: Change) -> bool:
        if self.rule is not None and self.rule not in (change.id, change.rule):
            return False
        if self.fingerprint is not None and self.fingerprint != change.fingerprint:
            return False
        if self.path is not None and not any(
                place is not None and fnmatch.fnmatchcase(place, self.path)
                for place in (change.path["old"], change.path["new"])):
            return False
        if self.endpoint is not None and not any(
                fnmatch.fnmatchcase(endpoint, self.endpoint)
                for endpoint in ([change.endpoint] if change.endpoint else []) + change.endpoints):
            return False
        return True

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in (("rule", self.rule), ("path", self.path),
                                 ("endpoint", self.endpoint), ("fingerprint", self.fingerprint))
               if v is not None}
        out["reason"] = self.reason
        if self.expires is not None:
            out["expires"] = self.expires.isoformat()
        return out


@dataclass
class Policy:
    """Settings from a configuration file; ``source`` names the file (or None: defaults)."""

    source: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)

    def get(self, key: str, default=None):
        return self.settings.get(key, default)


def find_config(start: Path) -> Path | None:
    """The nearest .schemadiff.toml, or pyproject.toml with a [tool.schemadiff] table, upwards."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                try:
                    if "schemadiff" not in tomllib.loads(candidate.read_text("utf-8")).get("tool", {}):
                        continue
                except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                    continue
            return candidate
    return None


def load_policy(explicit: str | None = None, start: Path | None = None) -> Policy:
    """Read the configuration named by ``--config``, or found from ``start`` upwards."""
    path = Path(explicit) if explicit else find_config(start or Path.cwd())
    if path is None:
        return Policy()
    name = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {err}", name) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(err))
        raise InputError(f"invalid TOML: {message}", name, line, column) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("schemadiff", {})
    try:
        return build_policy(data, name)
    except InputError as err:
        if err.line is None and err.subject:  # point at the line that says it
            err.line = _line_of(text, err.subject)
        raise


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[+\s*)?[\"']?{re.escape(key)}\b", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def build_policy(data: dict, name: str) -> Policy:
    unknown = sorted(set(data) - SETTINGS)
    if unknown:
        raise _about(unknown[0], f"unknown setting {unknown[0]!r}; known: "
                                 f"{', '.join(sorted(SETTINGS))}", name)
    load_catalogue()
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise InputError("severity must be a table of rule id = severity", name)
    for rule_id, level in severity.items():
        _check_rule(rule_id, name)
        if level not in LEVELS and level != "off":
            raise _about(rule_id, f"severity of {rule_id!r} must be one of "
                                  f"{', '.join([*LEVELS, 'off'])}, not {level!r}", name)
    waivers = [_waiver(entry, index, name) for index, entry in enumerate(data.get("waivers", []))]
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise _about("fail-on", f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}",
                     name)
    for key in DAY_SETTINGS:
        days = data.get(key, 0)
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise _about(key, f"{key} must be a whole number of days (0 or more), not {days!r}", name)
    if not isinstance(data.get("stability-caps", True), bool):
        raise _about("stability-caps", "stability-caps must be true or false", name)
    settings = {k: v for k, v in data.items() if k not in ("severity", "waivers")}
    return Policy(source=name, settings=settings, severity=dict(severity), waivers=waivers)


def _about(key: str, message: str, name: str) -> InputError:
    """An error about one key of the file; the loader adds the line where the key is written."""
    err = InputError(message, name)
    err.subject = key
    return err


def _check_rule(rule_id: str, name: str) -> None:
    base = rule_id
    for prefix in ("request-", "response-"):
        if rule_id.startswith(prefix) and rule_id[len(prefix):] in RULES:
            base = rule_id[len(prefix):]
    if base not in RULES:
        raise _about(rule_id, f"unknown rule {rule_id!r} (see `schemadiff rules`)", name)


def _waiver(entry, index: int, name: str) -> Waiver:
    where = f"waiver {index + 1}"
    if not isinstance(entry, dict):
        raise InputError(f"{where} must be a table", name)
    unknown = sorted(set(entry) - {"rule", "path", "endpoint", "fingerprint", "reason", "expires"})
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}", name)
    if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
        raise InputError(f"{where} needs a reason", name)
    if not any(entry.get(key) for key in ("rule", "path", "endpoint", "fingerprint")):
        raise InputError(f"{where} must name a rule, path, endpoint or fingerprint", name)
    if entry.get("rule") is not None:
        _check_rule(entry["rule"], name)
    expires = entry.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise InputError(f"{where}: expires must be a date like 2026-12-31", name) from None
    elif isinstance(expires, dt.datetime):
        expires = expires.date()
    elif expires is not None and not isinstance(expires, dt.date):
        raise InputError(f"{where}: expires must be a date like 2026-12-31", name)
    return Waiver(reason=entry["reason"].strip(), rule=entry.get("rule"), path=entry.get("path"),
                  endpoint=entry.get("endpoint"), fingerprint=entry.get("fingerprint"),
                  expires=expires)


def override_severities(changes: list[Change], overrides: dict[str, str]) -> list[Change]:
    """The team's severity for a rule (by its direction-qualified id first, then its own id);
    ``off`` drops the rule's changes altogether."""
    kept = []
    for change in changes:
        level = overrides.get(change.id, overrides.get(change.rule))
        if level == "off":
            continue
        if level is not None:
            change.severity = LEVELS[level]
        kept.append(change)
    return kept


def apply_waivers(changes: list[Change], waivers: list[Waiver], today: dt.date) -> None:
    """Mark the changes a waiver accepts. An expired waiver no longer waives, and says so."""
    for change in changes:
        for waiver in waivers:
            if not waiver.covers(change):
                continue
            waiver.matched.append(change.fingerprint)
            expired = waiver.expires is not None and waiver.expires < today
            change.waived = {"reason": waiver.reason, "expired": expired}
            if waiver.expires is not None:
                change.waived["expires"] = waiver.expires.isoformat()
            if not expired:
                break
