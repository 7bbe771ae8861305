"""Release notes across a history: one section per tag that touched a schema, newest first.

The order comes from git, not from version numbers: each tagged version is compared with the nearest
tagged version among its first-parent ancestors, so a backport (Heroku's v2.3.0, tagged on a
maintenance line after v3.0.0.pre.1) does not make the next release report churn. Sections are
listed newest first by commit date, parents always before their children. The tags shown are the
version-like ones (or those matching ``--tags``); any version-like tag may serve as the one a section
is compared with, so the oldest section of ``--from v3.5.0`` or ``--tags 'v3.*'`` is compared with
the tag before it, and says so. A schema file renamed along the way is followed (``git log
--follow`` from the newest revision shown).

A release whose file is the same blob as the one before it is listed as unchanged, not repeated.
Every schema version is read and parsed once, cached by its git blob id. The version check of a
release that follows pre-releases is made against the last release before it (its changes since
then), as SemVer means it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from schemadiff.errors import InputError
from schemadiff.gitsource import blob_source, open_repo, repo_path, resolve_commit
from schemadiff.load import parse
from schemadiff.model import SEVERITIES, Change, Severity
from schemadiff.pipeline import Request, run
from schemadiff.policy import load_policy
from schemadiff.report import SURFACE_RULES, Report
from schemadiff.semver import Version
from schemadiff.sources import Source, unwrap_ruby_client

if TYPE_CHECKING:
    from git import Repo, TagReference, Tree

VERSION_TAG = re.compile(r"^v?\d+(\.\d+)*([.-]?[0-9A-Za-z.]+)?$")
#: Keep a Changelog's sections as shown, breaking changes first; info-only changes are folded below
GROUPS = ("Breaking", "Added", "Changed", "Deprecated", "Removed")
#: records of an endpoint added or removed: inside its resource's bullet when the whole resource is
ENDPOINT_RULES = frozenset({"endpoint-added", "endpoint-removed"})
#: records that name the resource or endpoint they add or remove
SURFACE = SURFACE_RULES | ENDPOINT_RULES
#: notices that something will go (``new`` is true when it was marked, false when unmarked)
DEPRECATIONS = {"deprecated", "endpoint-deprecated"}


def is_version_finding(change: Change) -> bool:
    """The semver check's verdict on the version numbers (``version-*``): about the release, not a
    change of the schema, so it is shown on a line of its own."""
    return change.rule.startswith("version-")


@dataclass(frozen=True)
class Entry:
    """One bullet of the release notes: a change, with the endpoints of a new or removed resource
    folded into it (one bullet per resource, not one per endpoint)."""

    change: Change
    endpoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notes:
    """What a release's section shows, prepared once for every format."""

    counts: dict[str, int]                 # schema changes by severity (version findings apart)
    groups: dict[str, tuple[Entry, ...]]   # GROUPS that have entries, in order
    folded: tuple[Entry, ...]              # info-only changes: shown collapsed
    examples: tuple[str | None, ...]       # where examples changed (resources), one line for all
    version: tuple[Change, ...]            # version-check findings

    @property
    def result(self) -> str:
        """The schema's verdict without the version check (which has its own line)."""
        if self.counts["breaking"]:
            return "breaking"
        if self.counts["dangerous"]:
            return "dangerous"
        return "compatible" if any(self.counts.values()) or self.folded or self.examples \
            else "identical"

    @property
    def folded_count(self) -> int:
        return len(self.folded) + len(self.examples)


def _severity_counts(report: Report | None) -> dict[str, int]:
    """The schema changes the report counts (what the view leaves in), by severity; version
    findings apart, since they are about the release, not the schema."""
    counts = {s.value: 0 for s in SEVERITIES}
    for change in report.counted if report else ():
        if not is_version_finding(change):
            counts[change.severity.value] += 1
    return counts


def _endpoints_inside_resources(changes: list[Change]) -> tuple[list[Change], dict[tuple, list[str]]]:
    """The changes that get a bullet, and the endpoints that go inside the bullet of their new
    or removed resource instead, by (resource, action): one bullet per resource, not one per
    endpoint, but only where that bullet is at least as severe (nothing is hidden)."""
    whole = {(c.resource, c.action): c.severity for c in changes
             if c.rule in SURFACE_RULES and c.waived is None}
    inside: dict[tuple, list[str]] = {}
    kept = []
    for change in changes:
        if is_version_finding(change):
            continue
        resource = whole.get((change.resource, change.action))
        if change.rule in ENDPOINT_RULES and change.waived is None \
                and resource is not None and change.severity <= resource:
            inside.setdefault((change.resource, change.action), []).append(
                change.endpoint or str(change.details.get("name")))
        else:
            kept.append(change)
    return kept, inside


def _grouped(kept: list[Change], inside: dict[tuple, list[str]]) \
        -> tuple[dict[str, tuple[Entry, ...]], tuple[Entry, ...], tuple[str | None, ...]]:
    """Each bullet under its Keep a Changelog group (:func:`group_of`), in GROUPS order and
    only the groups that have some; info-only changes folded; changed examples as their
    resources (one line for all)."""
    groups: dict[str, list[Entry]] = {name: [] for name in GROUPS}
    folded: list[Entry] = []
    examples: list[str | None] = []
    for change in kept:
        group = group_of(change)
        if group == "Examples":
            examples.append(change.resource)
            continue
        endpoints = tuple(inside.get((change.resource, change.action), ())) \
            if change.rule in SURFACE_RULES else ()
        (folded if group == "Folded" else groups[group]).append(Entry(change, endpoints))
    return ({name: tuple(entries) for name, entries in groups.items() if entries}, tuple(folded),
            tuple(examples))


@dataclass
class Release:
    tag: str                       # "v0.6.0", or the revision of the Unreleased section
    version: str | None            # "0.6.0"; None when unreleased
    date: dt.date | None
    blob: str | None               # the schema's blob id at that revision (None: no schema)
    status: str = "changed"        # initial | start | changed | unchanged | unreleased | absent
    report: Report | None = None
    previous: str | None = None    # the tag it was compared with
    path: str | None = None        # the schema's path at that revision (it may have been renamed)

    def notes(self) -> Notes:
        """The section's bullets: version findings apart, the endpoints of a new or removed
        resource inside its bullet, info-only changes folded, changed examples counted."""
        changes = self.report.changes if self.report else []
        kept, inside = _endpoints_inside_resources(changes)
        groups, folded, examples = _grouped(kept, inside)
        return Notes(_severity_counts(self.report), groups, folded, examples,
                     tuple(c for c in changes if is_version_finding(c)))

    def bump(self) -> str:
        """The version check in a few words: ``minor, needs major``, ``minor, ok``, or nothing."""
        verdict = self.report.verdict() if self.report else {}
        if not verdict.get("declared_bump"):
            return ""
        if verdict["bump_ok"]:
            return f"{verdict['declared_bump']}, ok"
        return f"{verdict['declared_bump']}, needs {verdict['required_bump']}"

    def as_dict(self) -> dict[str, Any]:
        data = {"tag": self.tag, "version": self.version,
                "date": self.date.isoformat() if self.date else None, "status": self.status,
                "previous": self.previous, "path": self.path}
        if self.report is not None:
            contract = self.report.as_dict()
            data.update(verdict=contract["verdict"], summary=contract["summary"],
                        changes=contract["changes"])
        return data


def label(release: Release) -> str:
    """A section's heading label: the version, or Unreleased."""
    return "Unreleased" if release.status == "unreleased" else str(release.version)


#: a repository's remote: https://[user@]host/path, ssh://[user@]host[:port]/path, user@host:path
_REMOTE = (re.compile(r"^(?P<scheme>https?)://(?:[^@/]+@)?(?P<host>[^/@]+)/(?P<path>.+?)"
                      r"(?:\.git)?/*$"),
           re.compile(r"^ssh://(?:[^@/]+@)?(?P<host>[^/:@]+)(?::\d+)?/(?P<path>.+?)(?:\.git)?/*$"),
           re.compile(r"^(?:[^@/:]+@)?(?P<host>[^/:@]+):(?!/)(?P<path>.+?)(?:\.git)?/*$"))
#: what a link reference can hold without ending early or changing meaning
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>()\[\]`\\]+$")


def web_address(remote: str) -> str | None:
    """The web page of a hosted repository from the address git fetches it from, with no
    credentials (``git@github.com:heroku/platform-api.git`` -> ``https://github.com/heroku/
    platform-api``); None for a local path or anything else."""
    for pattern in _REMOTE:
        match = pattern.match(remote.strip())
        if match:
            scheme = match.groupdict().get("scheme") or "https"
            address = f"{scheme}://{match['host']}/{match['path']}"
            return address if _WEB_ADDRESS.match(address) else None
    return None


def repository_url(repo: Repo, given: str | None) -> str | None:
    """``--repo-url``: an http(s) address (``none``: no links), else the ``origin`` remote's web
    page when it has one."""
    if given is not None:
        if given.strip().lower() in ("", "none"):
            return None
        if not _WEB_ADDRESS.match(given.strip()):
            raise InputError(f"--repo-url {given!r} is not an http(s) address")
        return given.strip().rstrip("/")
    try:
        remote = repo.remotes.origin.url
    except (AttributeError, IndexError, ValueError):
        return None
    return web_address(remote)


def group_of(change: Change) -> str:
    """Keep a Changelog's sections, with breaking changes first; ``Folded`` for what costs no
    client anything (info: prose, notices, capped changes), ``Examples`` for changed examples."""
    waived = change.waived is not None and not change.waived.get("expired")
    if change.severity is Severity.BREAKING and not waived:
        return "Breaking"
    if change.rule == "parameter-deprecated" or \
            (change.rule in DEPRECATIONS and change.new is True) or \
            (change.rule == "stability-changed" and change.new in ("deprecated", "deprecation")):
        return "Deprecated"
    if change.severity is Severity.INFO:
        return "Examples" if change.rule == "example-changed" else "Folded"
    if change.action == "added":
        return "Added"
    if change.action == "removed":
        return "Removed"
    return "Changed"


@dataclass
class History:
    path: str
    releases: list[Release] = field(default_factory=list)   # newest first
    warnings: list[str] = field(default_factory=list)
    url: str | None = None         # the repository's web address, for compare links

    def links(self) -> dict[str, str]:
        """Keep a Changelog's link references, by heading label: each release compared with the
        tag before it, a first release as its tag, Unreleased as the tag before it to the tip."""
        if not self.url:
            return {}
        from urllib.parse import quote  # a tag may hold characters a link cannot: <, >, ], `

        def tag(name: str) -> str:
            return quote(name, safe="/._-+~")

        out = {}
        for release in self.releases:
            target = f"compare/{tag(release.previous)}...{tag(release.tag)}" if release.previous \
                else f"releases/tag/{tag(release.tag)}"
            out[label(release)] = f"{self.url}/{target}"
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "url": self.url,
                "releases": [r.as_dict() for r in self.releases], "warnings": self.warnings}


@dataclass(frozen=True)
class Point:
    """A revision the history can show: a tag (or the tip of an Unreleased section)."""

    name: str
    sha: str
    date: dt.date | None
    unreleased: bool = False

    @property
    def version(self) -> Version | None:
        return None if self.unreleased else Version.parse(self.name)


@dataclass(frozen=True)
class Graph:
    """The commits behind the points: their date order (parents first) and first parents."""

    position: dict[str, int]
    first_parent: dict[str, str | None]

    def sort_key(self, point: Point) -> tuple:
        version = point.version
        return (self.position[point.sha], point.unreleased, 0 if version else 1,
                version.key() if version else (), point.name)


def tag_date(tag: TagReference) -> dt.date:
    if tag.tag is not None:  # an annotated tag
        return dt.datetime.fromtimestamp(tag.tag.tagged_date, dt.UTC).date()
    return tag.commit.committed_datetime.astimezone(dt.UTC).date()


def tag_points(repo: Repo, pattern: str | None) -> list[Point]:
    """Version-like tags (or those matching the glob) that name a commit."""
    points = []
    for tag in repo.tags:
        if not (fnmatch.fnmatchcase(tag.name, pattern) if pattern else VERSION_TAG.match(tag.name)):
            continue
        try:
            points.append(Point(tag.name, tag.commit.hexsha, tag_date(tag)))
        except ValueError:   # a tag of a tree or a blob
            continue
    return points


def read_graph(repo: Repo, shas: list[str]) -> Graph:
    """One ``git rev-list`` for the whole history behind the points, not one walk per tag."""
    position: dict[str, int] = {}
    first_parent: dict[str, str | None] = {}
    if shas:
        listing = repo.git.rev_list("--date-order", "--reverse", "--parents", *sorted(set(shas)))
        for index, line in enumerate(listing.splitlines()):
            commit, *parents = line.split()
            position[commit] = index
            first_parent[commit] = parents[0] if parents else None
    return Graph(position, first_parent)


def followed_names(repo: Repo, start: str, path: str) -> list[str]:
    """The names the file had, newest first, as ``git log --follow`` sees them from ``start``."""
    names = [path]
    log = repo.git.log("--follow", "--name-status", "--format=%x00", start, "--", path)
    for line in log.splitlines():
        parts = line.split("\t")
        if parts[0].startswith(("R", "C")) and len(parts) == 3 and parts[1] not in names:
            names.append(parts[1])
    return names


class Lineage:
    """Which shown or version-like tag each point is compared with: the nearest one on its first-
    parent line (an earlier tag on the same commit first)."""

    def __init__(self, graph: Graph, candidates: list[Point]):
        self.graph = graph
        self.by_commit: dict[str, list[Point]] = {}
        for point in sorted(candidates, key=graph.sort_key):
            self.by_commit.setdefault(point.sha, []).append(point)
        self._nearest: dict[str, Point | None] = {}

    def previous(self, point: Point) -> Point | None:
        same = self.by_commit.get(point.sha, [])
        if point in same:
            index = same.index(point)
            if index:
                return same[index - 1]
        elif same:
            return same[-1]
        return self._tagged_ancestor(self.graph.first_parent.get(point.sha))

    def _tagged_ancestor(self, sha: str | None) -> Point | None:
        walked = []
        found = None
        while sha is not None:
            if sha in self._nearest:
                found = self._nearest[sha]
                break
            if sha in self.by_commit:
                found = self.by_commit[sha][-1]
                break
            walked.append(sha)
            sha = self.graph.first_parent.get(sha)
        for seen in walked:
            self._nearest[seen] = found
        return found

    def last_release(self, point: Point) -> Point | None:
        """The nearest earlier tag that is a SemVer release, not a pre-release."""
        current = self.previous(point)
        while current is not None and (current.version is None or current.version.pre):
            current = self.previous(current)
        return current


def build_history(path: str, *, repo_folder: str | None = None, since: str | None = None,
                  until: str | None = None, tags: str | None = None, request: Request | None = None,
                  progress: Callable[[int, int, str], None] | None = None,
                  url: str | None = None) -> History:
    """``url``: the repository's web address for compare links (``none``: no links; default: the
    ``origin`` remote's, when it is a hosted repository)."""
    repo = open_repo(repo_folder)
    web = repository_url(repo, url)
    inside = repo_path(repo, path)
    shown, candidates = _shown_tags(repo, tags)
    tip = _unreleased_tip(repo, until, shown)
    graph = read_graph(repo, [p.sha for p in candidates] + ([tip.sha] if tip else []))
    shown.sort(key=graph.sort_key)
    points = _in_range(shown, since, None if tip else until) + ([tip] if tip else [])
    if not points:
        raise InputError(f"no tags to read {inside} from" + (f" (--from {since})" if since else ""))
    reader = _Reader(repo, followed_names(repo, points[-1].sha, inside))
    sections = _Sections(reader, Lineage(graph, candidates), graph, _base_request(request))
    history = History(path=inside, url=web, warnings=_not_semver(points))
    releases = sections.releases(points, progress)
    if not releases:
        tried = points[0].name if len(points) == 1 else f"{points[0].name}..{points[-1].name}"
        raise InputError(f"{inside} is not in any of the selected revisions ({tried})")
    history.releases = list(reversed(releases))
    return history


def _shown_tags(repo: Repo, tags: str | None) -> tuple[list[Point], list[Point]]:
    """The tags shown (version-like, or matching ``--tags``), and those a section may be compared
    with: the shown ones and every version-like tag."""
    shown = tag_points(repo, tags)
    if tags and not shown:
        raise InputError(f"no tag matches --tags {tags!r}")
    candidates = {p.name: p for p in tag_points(repo, None)}
    candidates.update({p.name: p for p in shown})
    return shown, list(candidates.values())


def _unreleased_tip(repo: Repo, until: str | None, shown: list[Point]) -> Point | None:
    """``--to`` a revision that is not a shown tag: the tip of an Unreleased section."""
    if not until or until in {p.name for p in shown}:
        return None
    commit = resolve_commit(repo, until, until)
    return Point(until, commit.hexsha, None, unreleased=True)


def _in_range(shown: list[Point], since: str | None, until: str | None) -> list[Point]:
    """The shown tags (in graph order) from ``--from`` to ``--to`` (``until``: a shown tag, or
    None); none when ``--to`` comes before ``--from``."""
    names = [p.name for p in shown]
    if since and since not in names:
        raise InputError(f"--from {since!r} is not one of the selected tags")
    if since:
        shown = shown[names.index(since):]
    if until:
        names = [p.name for p in shown]
        shown = shown[: names.index(until) + 1] if until in names else []   # --to before --from
    return shown


def _base_request(request: Request | None) -> Request:
    """What every section is compared with; the configuration is read once, for every step."""
    base = request or Request()
    if base.find_config:
        base = replace(base, find_config=False, policy=load_policy(base.config))
    return base


def _not_semver(points: list[Point]) -> list[str]:
    """A warning naming the tags whose version bumps cannot be checked, if any."""
    names = sorted({p.name for p in points if not p.unreleased and p.version is None})
    return [f"not SemVer, so their version bumps are not checked: {', '.join(names)}"] \
        if names else []


@dataclass(frozen=True)
class _Sections:
    """What each section of one history is made with: the schema at each tag read once, the
    tag each one is compared with, the commit graph, and the request every comparison shares."""

    reader: _Reader
    lineage: Lineage
    graph: Graph
    base: Request

    def releases(self, points: list[Point],
                 progress: Callable[[int, int, str], None] | None) -> list[Release]:
        """A release per point that has the schema, oldest first (an Unreleased tip only when
        something changed after the last tag)."""
        releases = []
        for index, point in enumerate(points):
            if progress:
                progress(index, len(points), point.name)
            release = self.release(point)
            if release is not None:
                releases.append(release)
        if progress:
            progress(len(points), len(points), "")
        return releases

    def release(self, point: Point) -> Release | None:
        """The section of one point, compared with the nearest earlier tag that has the file;
        None when the schema is not there, or for an Unreleased tip that changed nothing."""
        current = self.reader.read(point)
        if current is None:
            return None
        previous = self.previous(point)
        before = self.reader.read(previous) if previous is not None else None
        release = Release(tag=point.name, version=None if point.unreleased else _plain(point.name),
                          date=point.date, blob=current[0].blob, path=self.reader.path_of(point))
        if previous is None or before is None:
            release.status = "start" if self.reader.existed_before(point, self.graph) else "initial"
            return release
        release.previous = previous.name
        if before[0].blob == release.blob:
            release.status = "unchanged"
            return None if point.unreleased else release  # nothing after the last tag
        release.status = "unreleased" if point.unreleased else "changed"
        release.report = _section(point, previous, self.lineage, self.reader, self.compare)
        return release

    def previous(self, point: Point) -> Point | None:
        """The tag a section is compared with: tags without the file are skipped (the oldest one
        is kept when none has it)."""
        previous = self.lineage.previous(point)
        while previous is not None and self.reader.read(previous) is None and \
                self.lineage.previous(previous) is not None:
            previous = self.lineage.previous(previous)
        return previous

    def compare(self, old: Point, new: Point, check_versions: bool) -> Report:
        """One comparison; the version bump is checked only when asked and both tags are
        versions."""
        stated = check_versions and old.version is not None and new.version is not None
        step = replace(self.base, old_version=_plain(old.name) if stated else None,
                       new_version=_plain(new.name) if stated else None,
                       version_check=None if stated else False)
        return run(self.reader.read(old), self.reader.read(new), step)


def _section(point: Point, previous: Point, lineage: Lineage, reader: _Reader,
             compare: Callable[[Point, Point, bool], Report]) -> Report:
    """The changes since ``previous``; a release after a pre-release has its version bump checked
    against the last release before it, over the changes since that release."""
    version, before = point.version, previous.version
    if not (version and before and before.pre and not version.pre):
        return compare(previous, point, True)
    last = lineage.last_release(point)
    if last is None or reader.read(last) is None:
        return compare(previous, point, True)
    report = compare(previous, point, False)
    against = compare(last, point, True)
    findings = [c for c in against.changes if is_version_finding(c)]
    return dataclasses.replace(report, changes=report.changes + findings, semver=against.semver,
                               warnings=report.warnings + against.warnings)


class _Reader:
    """Each schema version read and parsed once, by blob id; its path may differ per revision
    when the file was renamed."""

    def __init__(self, repo: Repo, names: list[str]) -> None:
        self.repo = repo
        self.names = names
        self._parsed: dict[str, tuple[Source, Any]] = {}
        self._paths: dict[str, str | None] = {}

    def path_of(self, point: Point) -> str | None:
        if point.sha not in self._paths:
            tree = self.repo.commit(point.sha).tree
            self._paths[point.sha] = next((n for n in self.names if _is_blob(tree, n)), None)
        return self._paths[point.sha]

    def read(self, point: Point) -> tuple[Source, Any] | None:
        inside = self.path_of(point)
        if inside is None:
            return None
        commit = self.repo.commit(point.sha)
        blob = commit.tree / inside
        hit = self._parsed.get(blob.hexsha)
        if hit is None:
            source = unwrap_ruby_client(blob_source(commit, inside, f"{point.name}:{inside}"))
            hit = self._parsed[blob.hexsha] = (source, parse(source))
        return hit

    def existed_before(self, point: Point, graph: Graph) -> bool:
        """Whether an ancestor commit already had the file: then a section with nothing to be
        compared with is where the range starts, not the first version."""
        parent = graph.first_parent.get(point.sha)
        return parent is not None and bool(
            self.repo.git.rev_list("-1", parent, "--", *self.names).strip())


def _is_blob(tree: Tree, path: str) -> bool:
    try:
        return (tree / path).type == "blob"
    except KeyError:
        return False


def _plain(tag: str) -> str:
    return tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag
