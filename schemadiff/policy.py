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

The file is the one ``--config`` names, else the base revision's when the old side is ``REV:PATH``
(the pull request under check must not configure its own gate), else the nearest one up to the top
of the repository (:func:`locate_config`). Its values are checked as they are read
(:mod:`schemadiff.settings`); the security switches are refused here.

The lifecycle settings (``lifecycle.py``): ``deprecation-days-stable = 180`` and
``deprecation-days-beta = 31``, the least number of days between deprecating an operation and its
``x-sunset`` date (oasdiff's names; 0, the default, enforces none); ``stability-caps = false``
judges changes to draft/alpha/beta (Heroku prototype/development) operations as if they were stable.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemadiff.errors import InputError
from schemadiff.model import Change, Severity
from schemadiff.rules import RULES, load_catalogue
from schemadiff.settings import ENVIRONMENT, PARSERS, SECURITY, check
from schemadiff.sources import decode, read_regular_file

CONFIG_FILES = (".schemadiff.toml", "pyproject.toml")
SETTINGS = {*PARSERS, "severity", "waivers"}
LEVELS = {s.value: s for s in Severity}
MAX_CONFIG_BYTES = 1 << 20   # a configuration is a few lines; anything larger is not one


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
        if self.path is not None and not change.at_pointer(self.path):
            return False
        return self.endpoint is None or change.reaches(self.endpoint)

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
    """What a configuration file says; ``source`` names the file (or None: defaults).
    ``settings`` holds checked, typed values (see :mod:`schemadiff.settings`), keyed as written."""

    source: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # where the configuration came from, if surprising


@dataclass(frozen=True)
class ConfigText:
    """A configuration file's text and the name messages give it (a path, or ``REV:path``)."""

    name: str
    text: str
    pyproject: bool


def find_config(start: Path) -> Path | None:
    """The nearest .schemadiff.toml, or pyproject.toml with a [tool.schemadiff] table, from
    ``start`` up to the top of its git repository, never above it (a folder above the clone is not
    the project's). Outside a repository only ``start`` itself is looked at."""
    start = start.absolute()
    folders = [start, *start.parents]
    top = next((i for i, folder in enumerate(folders) if (folder / ".git").exists()), 0)
    for folder in folders[: top + 1]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not os.path.lexists(candidate):
                continue   # anything else by that name is read, and refused if not a file
            if name == "pyproject.toml" and not _has_table(_read_file(candidate), str(candidate)):
                continue
            return candidate
    return None


def config_at_revision(revision: str, spec: str, repo_folder: str | None) -> ConfigText | None:
    """The configuration as the base revision has it at the top of the repository; the pull
    request's own copy does not count, so it cannot change the gate that checks it."""
    from schemadiff.gitsource import open_repo, resolve_commit

    commit = resolve_commit(open_repo(repo_folder), revision, spec)
    for name in CONFIG_FILES:
        try:
            blob = commit.tree / name
        except KeyError:
            continue
        label = f"{revision}:{name}"
        if blob.type != "blob" or blob.size > MAX_CONFIG_BYTES:
            raise InputError("not a configuration file (a folder, or larger than 1 MB)", label)
        text = decode(blob.data_stream.read(), label)
        if name == "pyproject.toml" and not _has_table(text, label):
            continue
        return ConfigText(label, text, name == "pyproject.toml")
    return None


def _same_text(path: Path, text: str) -> bool:
    try:
        return _read_file(path) == text
    except InputError:   # the work tree's file is not read anyway
        return False


def _has_table(text: str, name: str) -> bool:
    """Whether a pyproject.toml has a [tool.schemadiff] table (an unreadable one has none)."""
    try:
        return "schemadiff" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return False


def _read_file(path: Path) -> str:
    """A configuration file's text: a regular file of at most 1 MiB (not a FIFO or a device
    that would never end)."""
    name = str(path)
    return decode(read_regular_file(path, name, MAX_CONFIG_BYTES, "a configuration file"), name)


def locate_config(explicit: str | None = None, *, revision: str | None = None,
                  spec: str = "", repo_folder: str | None = None,
                  start: Path | None = None) -> tuple[ConfigText | None, list[str]]:
    """Which configuration applies: ``--config``; else, when the old side is read from a git
    revision, the one in that revision; else the nearest in the work tree. Also returns notes for
    the report (a work-tree configuration that was passed over)."""
    if explicit:
        path = Path(explicit)
        return ConfigText(explicit, _read_file(path), path.name == "pyproject.toml"), []
    if revision is not None:
        found = config_at_revision(revision, spec, repo_folder)
        try:
            local = find_config(start or Path.cwd())
        except InputError as err:   # only looked for to say it is passed over
            local = Path(err.source or "the work tree's configuration")
        if local is None or (found is not None and _same_text(local, found.text)):
            return found, []
        return found, [f"{local}: ignored; the configuration is read from the base revision "
                       f"{revision} (or pass --config)"]
    nearest = find_config(start or Path.cwd())
    return (ConfigText(str(nearest), _read_file(nearest), nearest.name == "pyproject.toml")
            if nearest else None), []


def load_policy(explicit: str | None = None, start: Path | None = None, *,
                revision: str | None = None, spec: str = "",
                repo_folder: str | None = None) -> Policy:
    """Read and check the configuration that applies (see :func:`locate_config`)."""
    config, notes = locate_config(explicit, revision=revision, spec=spec, repo_folder=repo_folder,
                                  start=start)
    if config is None:
        return Policy(notes=notes)
    policy = parse_policy(config)
    policy.notes = notes
    return policy


def parse_policy(config: ConfigText) -> Policy:
    name, text = config.name, config.text
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(err))
        raise InputError(f"invalid TOML: {message}", name, line, column) from None
    if config.pyproject:
        data = data.get("tool", {}).get("schemadiff", {})
        if not isinstance(data, dict):
            raise InputError("[tool.schemadiff] must be a table", name)
    try:
        return build_policy(data, name)
    except InputError as err:
        if err.line is None and err.subject:  # point at the line that says it
            err.line = _line_of(text, err.subject)
        raise


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*(\[+[ \t]*)?[\"']?{re.escape(key)}\b", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def build_policy(data: dict, name: str) -> Policy:
    unknown = sorted(set(data) - SETTINGS)
    if unknown:
        raise _about(unknown[0], f"unknown setting {unknown[0]!r}; known: "
                                 f"{', '.join(sorted(SETTINGS - set(SECURITY)))}", name)
    for key in SECURITY:
        if key in data:
            raise _about(key, f"{key} cannot be set in a configuration file (a pull request could "
                              f"set it); pass --{key} or {ENVIRONMENT[key]}=1", name)
    load_catalogue()
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise _about("severity", "severity must be a table of rule id = severity", name)
    for rule_id, level in severity.items():
        _check_rule(rule_id, name)
        if not isinstance(level, str) or (level not in LEVELS and level != "off"):
            raise _about(rule_id, f"severity of {rule_id!r} must be one of "
                                  f"{', '.join([*LEVELS, 'off'])}, not {level!r}", name)
    entries = data.get("waivers", [])
    if not isinstance(entries, list):
        raise _about("waivers", "waivers must be an array of tables ([[waivers]])", name)
    waivers = [_waiver(entry, index, name) for index, entry in enumerate(entries)]
    settings = {}
    for key in PARSERS.keys() & data.keys():
        try:
            settings[key] = check(key, data[key])
        except InputError as err:
            raise _about(key, err.message, name) from None
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


def _waiver(entry: Any, index: int, name: str) -> Waiver:
    where = f"waiver {index + 1}"
    if not isinstance(entry, dict):
        raise InputError(f"{where} must be a table", name)
    unknown = sorted(set(entry) - {"rule", "path", "endpoint", "fingerprint", "reason", "expires"})
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}", name)
    if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
        raise InputError(f"{where} needs a reason", name)
    for key in ("rule", "path", "endpoint", "fingerprint"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise InputError(f"{where}: {key} must be a string, not {entry[key]!r}", name)
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
        kept.append(change if level is None else change.but(severity=LEVELS[level]))
    return kept


def apply_waivers(changes: list[Change], waivers: list[Waiver], today: dt.date) -> list[Change]:
    """The changes, those a waiver accepts marked (each waiver notes what it matched). An expired
    waiver no longer waives, and says so."""
    return [waive(change, waivers, today) for change in changes]


def waive(change: Change, waivers: list[Waiver], today: dt.date) -> Change:
    """One change, marked by the waivers that accept it (itself when none does)."""
    waived = None
    for waiver in waivers:
        if not waiver.covers(change):
            continue
        waiver.matched.append(change.fingerprint)
        expired = waiver.expires is not None and waiver.expires < today
        waived = {"reason": waiver.reason, "expired": expired}
        if waiver.expires is not None:
            waived["expires"] = waiver.expires.isoformat()
        if not expired:
            break
    return change if waived is None else change.but(waived=waived)
