"""Where a schema's text comes from: a file, standard input, or a heroics ``client.rb``.

A source knows how to read its neighbours (for relative ``$ref``s), so that a schema read from a folder
or, later, from a git revision resolves its other files from the same place and never from elsewhere.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from schemadiff.errors import InputError

#: ``SCHEMA = Heroics::Schema.new(MultiJson.load(<<-'HEROICS_SCHEMA'))`` ... ``HEROICS_SCHEMA``
HEREDOC = re.compile(
    r"<<[-~]?(['\"]?)HEROICS_SCHEMA\1[^\n]*\n(?P<body>.*?)\n[ \t]*HEROICS_SCHEMA\b", re.DOTALL)


@dataclass
class Source:
    """The text of one schema file and how to find the files next to it."""

    name: str                      # what the user sees in messages: the path as given, "<stdin>", "REV:PATH"
    text: str | None               # None once parsed, when ``raw`` can give it back
    line_offset: int = 0           # lines before the schema starts (a heredoc inside client.rb)
    key: str = ""                  # identity for caching and for cross-file pointers
    sibling: Callable[[str], "Source"] | None = field(default=None, repr=False)
    embedded: bool = False         # true when the schema was cut out of a Ruby client
    blob: str | None = None        # the git blob id, when read from a revision (a cache key)
    path: str | None = None        # where locations point: the file, or its path in the repository
    reread: Callable[[], bytes] | None = field(default=None, repr=False)   # the bytes, again

    def content(self) -> str:
        """The text, read and decoded again if it was let go after parsing."""
        return self.text if self.text is not None else decode(self.reread(), self.name)

    def release(self) -> None:
        """Let go of the text once parsed: only positions need it again, and only when a report
        points into the file; a large schema's text can weigh more than its parsed form."""
        if self.reread is not None:
            self.text = None

    @property
    def file(self) -> str:
        return self.path or self.name

    def open_relative(self, ref_path: str) -> "Source":
        if self.sibling is None:
            raise InputError(f"cannot resolve the relative reference {ref_path!r}: "
                             "the schema was read from standard input", self.name)
        return self.sibling(ref_path)


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError("not UTF-8 text", name, line, column) from None


def extract_heredoc(source: Source) -> Source:
    """Read the schema that a heroics-generated Ruby client embeds, keeping line numbers true."""
    match = HEREDOC.search(source.text)
    if not match:
        raise InputError("no HEROICS_SCHEMA heredoc found in this Ruby file", source.name)
    start = match.start("body")
    return Source(name=source.name, text=match.group("body"),
                  line_offset=source.text.count("\n", 0, start), key=source.key,
                  sibling=source.sibling, embedded=True, blob=source.blob, path=source.path)
    # the heredoc's text is a slice of the file: it cannot be read again on its own


def looks_like_ruby(name: str, text: str) -> bool:
    return name.endswith(".rb") or (not text.lstrip().startswith(("{", "[")) and "HEROICS_SCHEMA" in text)


def file_source(path: Path, name: str | None = None, root: Path | None = None) -> Source:
    """A schema file on disk; its relative references are confined to ``root`` (its own folder)."""
    name = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", name) from None
    root = root or path.resolve().parent

    def sibling(ref_path: str) -> Source:
        target = (path.resolve().parent / ref_path).resolve()
        if root != target and root not in target.parents:
            raise InputError(f"the reference {ref_path!r} points outside the schema's folder {root}; "
                             "pass --allow-outside-refs to follow it", name)
        return file_source(target, str(target), root)

    return Source(name=name, text=decode(data, name), key=str(path.resolve()), sibling=sibling,
                  reread=path.read_bytes)


def stdin_source() -> Source:
    return Source(name="<stdin>", text=decode(sys.stdin.buffer.read(), "<stdin>"), key="<stdin>")


def read_source(spec: str, *, allow_outside_refs: bool = False, repo: str | None = None) -> Source:
    """Turn what the user typed (a path, ``-``, or ``REV:PATH``) into a Source, unwrapping a Ruby
    client if needed. ``REV:PATH`` reads the file as it is in a git revision."""
    if spec == "-":
        source = stdin_source()
    elif _is_revision_spec(spec, repo):
        from schemadiff.gitsource import git_source

        source = git_source(spec, repo)
    else:
        path = Path(spec)
        source = file_source(path, spec, root=Path("/") if allow_outside_refs else None)
    if looks_like_ruby(source.name, source.text):
        source = extract_heredoc(source)
    return source


def _is_revision_spec(spec: str, repo: str | None) -> bool:
    """``REV:PATH`` when it is not a file here; an error when it is both (ambiguous)."""
    if ":" not in spec or re.match(r"^[A-Za-z]:[\\/]", spec):
        return False
    if not Path(spec).exists():
        return True
    from schemadiff.gitsource import revision_exists

    if revision_exists(spec, repo):
        raise InputError("is both a file and a git revision:path; write ./" + spec +
                         " for the file", spec)
    return False

