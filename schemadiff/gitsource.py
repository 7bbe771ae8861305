"""Schemas in git: read ``REV:PATH`` from a repository without touching its work tree or index.

GitPython asks git itself (``rev-parse``, ``cat-file``) with argument lists, never through a shell,
and a revision that starts with ``-`` is refused so it cannot pass for an option. Relative
``$ref``s are read from the same revision, confined to the repository.

Every failure of git or GitPython (an unknown revision, an object a shallow clone does not have, a
reflog entry that does not exist) becomes one :class:`InputError`: a CI gate that cannot read its
base must stop with exit 2, never crash (exit 1 means "breaking") nor read something else instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from schemadiff.errors import InputError
from schemadiff.sources import MAX_INPUT_BYTES, Source, decode, too_large

if TYPE_CHECKING:
    from git import Blob, Commit, Repo

#: git's mode for a committed symbolic link: its blob is the link's text, never a schema
SYMLINK_MODE = 0o120000
#: ``C:\\schema.json``: a Windows path, not a revision called ``C``
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def looks_like_revision(spec: str) -> bool:
    """``REV:PATH`` is read from git whenever it has that form, even if a work-tree file happens to
    carry the same name (a pull request can add one called ``origin/main:api/schema.json``).
    A path that starts with ``/``, ``./`` or ``../`` is always a file."""
    return ":" in spec and not spec.startswith(("/", "./", "../")) \
        and not _WINDOWS_DRIVE.match(spec)


@contextmanager
def git_failures(spec: str, what: str) -> Iterator[None]:
    """Turn whatever git or GitPython raises while reading ``spec`` into one input error."""
    import git

    try:
        yield
    except InputError:
        raise
    except (git.GitError, ValueError, LookupError, OSError) as err:
        detail = " ".join(str(getattr(err, "stderr", "") or err).split())[:200]
        raise InputError(f"cannot read {what} from git: {detail}", spec) from None


@lru_cache(maxsize=8)
def open_repo(folder: str | None) -> Repo:
    import git

    try:
        return git.Repo(folder or Path.cwd(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitError, OSError):
        where = folder or str(Path.cwd())
        raise InputError(f"not a git repository: {where}") from None


def split(spec: str) -> tuple[str, str]:
    revision, _, path = spec.partition(":")
    if not revision or revision.startswith("-"):
        raise InputError(f"not a revision: {revision!r} (for a file of this name, write ./{spec})",
                         spec)
    return revision, path


def repo_path(repo: Repo, path: str) -> str:
    """A path as git trees spell it. As in git, ``REV:path`` is from the top of the repository
    and ``REV:./path`` (or ``../``) from the current folder."""
    if not path.startswith(("./", "../")):
        return posix_join("", path)
    if repo.working_tree_dir is None:
        raise InputError(f"{path}: a bare repository has no current folder; give the path from "
                         "the top of the repository")
    root = Path(repo.working_tree_dir).resolve()
    try:
        relative = (Path.cwd().resolve() / path).resolve().relative_to(root)
    except ValueError:
        raise InputError(f"{path} is outside the repository") from None
    return PurePosixPath(*relative.parts).as_posix()


def is_shallow(repo: Repo) -> bool:
    """A clone made with ``--depth`` (``actions/checkout`` by default) lacks older commits."""
    try:
        return repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except Exception:  # noqa: BLE001 - an old git without the flag: look for the file it writes
        return (Path(repo.git_dir) / "shallow").exists()


def resolve_commit(repo: Repo, revision: str, spec: str) -> Commit:
    """The commit a revision names, asked of ``git rev-parse`` itself (GitPython's own parser
    raises IndexError on ``HEAD@{1000}`` and reads missing parents lazily in shallow clones)."""
    import git

    try:
        sha = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
        commit = repo.commit(sha.strip())
        commit.tree  # noqa: B018 - read the object now: a shallow clone may not have it
        return commit
    except (git.GitError, ValueError, LookupError, OSError):
        raise InputError(_unknown_revision(repo, revision, spec), spec) from None


def _unknown_revision(repo: Repo, revision: str, spec: str) -> str:
    message = f"unknown revision {revision!r}"
    if is_shallow(repo):
        message += ("; this is a shallow clone, so the revision may not have been fetched: fetch "
                    "the history (fetch-depth: 0 in actions/checkout, or git fetch --unshallow)")
    if Path(spec).exists():
        message += f"; for the work-tree file of that name, write ./{spec}"
    return message


def read_blob(commit: Commit, path: str, spec: str) -> Blob:
    where = f"revision {commit.hexsha[:12]}"
    with git_failures(spec, path):
        try:
            blob = commit.tree / path
        except KeyError:
            raise InputError(f"no {path} in {where}", spec) from None
        if blob.type != "blob":
            raise InputError(f"{path} is a folder in {where}", spec)
        if blob.mode == SYMLINK_MODE:
            raise InputError(f"{path} is a symbolic link in {where}; schemas are read from "
                             "regular files only (name the file it points to)", spec)
        if blob.size > MAX_INPUT_BYTES:
            raise too_large(spec)
    return blob


def base_has(spec: str, repo_folder: str | None = None) -> bool:
    """Whether the revision of ``REV:PATH`` has the file (``False``: the file is new). An unknown
    revision is an error, not a file to skip: ``check --rev typo`` must not pass silently."""
    repo = open_repo(repo_folder)
    revision, path = split(spec)
    commit = resolve_commit(repo, revision, spec)
    with git_failures(spec, path):
        try:
            commit.tree / repo_path(repo, path)
        except KeyError:
            return False
    return True


def git_source(spec: str, repo_folder: str | None = None) -> Source:
    """The file at ``REV:PATH``; its neighbours come from the same revision."""
    repo = open_repo(repo_folder)
    revision, path = split(spec)
    commit = resolve_commit(repo, revision, spec)
    return blob_source(commit, repo_path(repo, path), spec)


def blob_source(commit: Commit, path: str, name: str) -> Source:
    blob = read_blob(commit, path, name)

    def read() -> bytes:
        with git_failures(name, path):
            return blob.data_stream.read()

    def sibling(ref_path: str) -> Source:
        joined = posix_join(str(PurePosixPath(path).parent), ref_path)
        return blob_source(commit, joined, f"{commit.hexsha[:12]}:{joined}")

    return Source(name=name, text=decode(read(), name), key=f"git:{blob.hexsha}:{path}",
                  sibling=sibling, blob=blob.hexsha, path=path, reread=read)


def posix_join(folder: str, ref_path: str) -> str:
    """Join a relative reference onto a folder of the repository, refusing to climb out of it."""
    parts: list[str] = []
    for part in PurePosixPath(folder, ref_path).parts:
        if part == "..":
            if not parts:
                raise InputError(f"the reference {ref_path!r} points outside the repository")
            parts.pop()
        elif part not in (".", "", "/"):
            parts.append(part)
    return "/".join(parts)
