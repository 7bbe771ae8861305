"""Schemas in git: read ``REV:PATH`` from a repository without touching its work tree or index.

GitPython asks git itself (``rev-parse``, ``cat-file``) with argument lists, never through a shell,
and a revision that starts with ``-`` is refused so it cannot pass for an option. Relative
``$ref``s are read from the same revision, confined to the repository.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath

from schemadiff.errors import InputError
from schemadiff.sources import Source, decode


@lru_cache(maxsize=8)
def open_repo(folder: str | None):
    import git

    try:
        return git.Repo(folder or Path.cwd(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        where = folder or str(Path.cwd())
        raise InputError(f"not a git repository: {where}") from None


def split(spec: str) -> tuple[str, str]:
    revision, _, path = spec.partition(":")
    if not revision or revision.startswith("-"):
        raise InputError(f"not a revision: {revision!r}", spec)
    return revision, path


def repo_path(repo, path: str) -> str:
    """A path as git trees spell it. As in git, ``REV:path`` is from the top of the repository
    and ``REV:./path`` (or ``../``) from the current folder."""
    if not path.startswith(("./", "../")):
        return posix_join("", path)
    root = Path(repo.working_tree_dir).resolve()
    try:
        relative = (Path.cwd().resolve() / path).resolve().relative_to(root)
    except ValueError:
        raise InputError(f"{path} is outside the repository") from None
    return PurePosixPath(*relative.parts).as_posix()


def resolve_commit(repo, revision: str, spec: str):
    import git

    try:
        return repo.commit(revision)
    except (git.BadName, ValueError, git.GitCommandError):
        raise InputError(f"unknown revision {revision!r}", spec) from None


def read_blob(commit, path: str, spec: str):
    try:
        blob = commit.tree / path
    except KeyError:
        raise InputError(f"no {path} in revision {commit.hexsha[:12]}", spec) from None
    if blob.type != "blob":
        raise InputError(f"{path} is a folder in revision {commit.hexsha[:12]}", spec)
    return blob


def revision_exists(spec: str, repo_folder: str | None) -> bool:
    try:
        repo = open_repo(repo_folder)
        revision, path = split(spec)
        read_blob(resolve_commit(repo, revision, spec), repo_path(repo, path), spec)
        return True
    except InputError:
        return False


def git_source(spec: str, repo_folder: str | None = None) -> Source:
    """The file at ``REV:PATH``; its neighbours come from the same revision."""
    repo = open_repo(repo_folder)
    revision, path = split(spec)
    commit = resolve_commit(repo, revision, spec)
    return blob_source(commit, repo_path(repo, path), spec)


def blob_source(commit, path: str, name: str) -> Source:
    blob = read_blob(commit, path, name)
    text = decode(blob.data_stream.read(), name)

    def sibling(ref_path: str) -> Source:
        joined = posix_join(str(PurePosixPath(path).parent), ref_path)
        return blob_source(commit, joined, f"{commit.hexsha[:12]}:{joined}")

    source = Source(name=name, text=text, key=f"git:{blob.hexsha}:{path}", sibling=sibling,
                    blob=blob.hexsha, path=path, reread=lambda: blob.data_stream.read())
    return source


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
