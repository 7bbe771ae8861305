"""Release notes across a history: one section per tag that touched a schema, newest first.

The tags are the version-like ones (or those matching ``--tags``), in version order. Each release is
compared with the one before it through the same pipeline as ``diff``; a release whose file is the
same blob as the previous one is listed as unchanged, not repeated. Every schema version is read
and parsed once, cached by its git blob id, so an unchanged version costs nothing.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from schemadiff.errors import InputError
from schemadiff.gitsource import blob_source, open_repo, repo_path, resolve_commit
from schemadiff.load import parse
from schemadiff.model import Change, Severity
from schemadiff.pipeline import Options, run
from schemadiff.report import Report
from schemadiff.semver import Version
from schemadiff.sources import Source, unwrap_ruby_client

VERSION_TAG = re.compile(r"^v?\d+(\.\d+)*([.-]?[0-9A-Za-z.]+)?$")
GROUPS = ("Breaking", "Added", "Changed", "Deprecated", "Removed", "Documentation")
PROSE = {"description-changed", "title-changed", "example-changed"}


@dataclass
class Release:
    tag: str                       # "v0.6.0", or the revision of the Unreleased section
    version: str | None            # "0.6.0"; None when unreleased
    date: dt.date | None
    blob: str | None               # the schema's blob id at that revision (None: no schema)
    status: str = "changed"        # initial | changed | unchanged | unreleased | absent
    report: Report | None = None
    previous: str | None = None    # the tag it was compared with

    def groups(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {name: [] for name in GROUPS}
        for change in self.report.changes if self.report else ():
            out[group_of(change)].append(change)
        return {name: changes for name, changes in out.items() if changes}

    def as_dict(self) -> dict[str, Any]:
        data = {"tag": self.tag, "version": self.version,
                "date": self.date.isoformat() if self.date else None, "status": self.status,
                "previous": self.previous}
        if self.report is not None:
            contract = self.report.as_dict()
            data.update(verdict=contract["verdict"], summary=contract["summary"],
                        changes=contract["changes"])
        return data


def group_of(change: Change) -> str:
    """Keep a Changelog's sections, with breaking changes first and prose last."""
    waived = change.waived is not None and not change.waived.get("expired")
    if change.severity is Severity.BREAKING and not waived:
        return "Breaking"
    if change.rule in PROSE:
        return "Documentation"
    if (change.rule == "deprecated" and change.new) or (
            change.rule == "stability-changed" and change.new == "deprecated"):
        return "Deprecated"
    if change.action == "added":
        return "Added"
    if change.action == "removed":
        return "Removed"
    return "Changed"


@dataclass
class History:
    path: str
    releases: list[Release] = field(default_factory=list)   # newest first

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "releases": [r.as_dict() for r in self.releases]}


def tag_date(tag) -> dt.date:
    if tag.tag is not None:  # an annotated tag
        return dt.datetime.fromtimestamp(tag.tag.tagged_date, dt.timezone.utc).date()
    return tag.commit.committed_datetime.astimezone(dt.timezone.utc).date()


def select_tags(repo, pattern: str | None) -> list:
    """Version-like tags (or those matching the glob), in version order."""
    tags = [t for t in repo.tags
            if (fnmatch.fnmatchcase(t.name, pattern) if pattern else VERSION_TAG.match(t.name))]

    def order(tag):
        version = Version.parse(tag.name)
        return (0, version.key(), tag.name) if version else (1, (), tag.name)
    return sorted(tags, key=order)


def build_history(path: str, *, repo_folder: str | None = None, since: str | None = None,
                  until: str | None = None, tags: str | None = None, options: Options | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> History:
    repo = open_repo(repo_folder)
    inside = repo_path(repo, path)
    chosen = select_tags(repo, tags)
    names = [t.name for t in chosen]
    if since and since not in names:
        raise InputError(f"--from {since!r} is not one of the selected tags")
    if since:
        chosen = chosen[names.index(since):]
    unreleased_rev = None
    if until:
        if until in names:
            chosen = chosen[: [t.name for t in chosen].index(until) + 1]
        else:
            unreleased_rev = until
            resolve_commit(repo, until, until)
    base = (options or Options()).resolve()  # the configuration is read once, for every step
    cache: dict[str, tuple[Source, dict]] = {}

    def side(commit, name: str):
        try:
            blob = commit.tree / inside
        except KeyError:
            return None
        hit = cache.get(blob.hexsha)
        if hit is None:
            source = unwrap_ruby_client(blob_source(commit, inside, name))
            hit = cache[blob.hexsha] = (source, parse(source))
        return hit

    releases: list[Release] = []
    points = [(t.name, t.commit, tag_date(t)) for t in chosen]
    if unreleased_rev:
        commit = resolve_commit(repo, unreleased_rev, unreleased_rev)
        points.append((unreleased_rev, commit, None))
    previous = None   # (release, source/data)
    for index, (name, commit, date) in enumerate(points):
        if progress:
            progress(index, len(points), name)
        version = Version.parse(name)
        unreleased = unreleased_rev is not None and index == len(points) - 1
        label = f"{name}:{inside}"
        current = side(commit, label)
        release = Release(tag=name, version=None if unreleased else _plain(name), date=date,
                          blob=current[0].blob if current else None)
        if current is None:
            release.status = "absent"
            releases.append(release)
            continue
        if previous is None:
            release.status = "initial"
        elif previous[0].blob == release.blob:
            release.status = "unchanged"
            release.previous = previous[0].tag
        else:
            release.status = "unreleased" if unreleased else "changed"
            release.previous = previous[0].tag
            step = Options(kind=base.kind, compat=base.compat, strict=base.strict,
                           fail_on=base.fail_on, use_config=False, policy=base.policy,
                           old_version=_plain(previous[0].tag),
                           new_version=None if unreleased else (_plain(name) if version else None))
            old_source, old_data = previous[1]
            new_source, new_data = current
            release.report = run((old_source, old_data), (new_source, new_data), step)
        if unreleased and release.status == "unchanged":
            continue  # nothing after the last tag
        releases.append(release)
        previous = (release, current)
    if progress:
        progress(len(points), len(points), "")
    releases = [r for r in releases if r.status != "absent"]
    return History(path=inside, releases=list(reversed(releases)))


def _plain(tag: str) -> str:
    return tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag
