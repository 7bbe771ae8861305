"""What the user typed (a path, ``-`` or ``REV:PATH``) -> a Source.

The one place that chooses between the work tree and standard input (``sources``) and a git revision
(``gitsource``), so that neither of those modules needs the other's reader: the arrows go one way,
``inputs -> gitsource -> sources``.
"""

from __future__ import annotations

from pathlib import Path

from schemadiff.gitsource import git_source, looks_like_revision
from schemadiff.sources import Source, file_source, stdin_source, unwrap_ruby_client


def read_source(spec: str, *, allow_outside_refs: bool = False, repo: str | None = None) -> Source:
    """Turn what the user typed (a path, ``-``, or ``REV:PATH``) into a Source, unwrapping a Ruby
    client if needed. ``REV:PATH`` reads the file as it is in a git revision; a work-tree file
    whose name has that form is written ``./REV:PATH``."""
    if spec == "-":
        source = stdin_source()
    elif looks_like_revision(spec):
        source = git_source(spec, repo)
    else:
        path = Path(spec)
        source = file_source(path, spec, root=Path("/") if allow_outside_refs else None)
    return unwrap_ruby_client(source)
