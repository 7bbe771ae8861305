"""Where a schema's text comes from: a file, standard input, or a heroics ``client.rb``.

A source knows how to read its neighbours (for relative ``$ref``s), so that a schema read from a folder
or, later, from a git revision resolves its other files from the same place and never from elsewhere.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from schemadiff.errors import InputError

#: the most a schema file may weigh; a larger input is refused before it is read into memory
MAX_INPUT_BYTES = 64 * 1024 * 1024

#: ``SCHEMA = Heroics::Schema.new(MultiJson.load(<<-'HEROICS_SCHEMA'))`` opens the heredoc; a line
#: holding only ``HEROICS_SCHEMA`` (indented for ``<<-`` and ``<<~``) closes it
_HEREDOC_OPENER = re.compile(r"<<[-~]?(['\"]?)HEROICS_SCHEMA\1")
_HEREDOC_CLOSER = re.compile(r"^[ \t]*HEROICS_SCHEMA\b", re.MULTILINE)


@dataclass
class Source:
    """The text of one schema file and how to find the files next to it."""

    name: str                      # what the user sees in messages: the path as given, "<stdin>", "REV:PATH"
    text: str | None               # None once parsed, when ``raw`` can give it back
    line_offset: int = 0           # lines before the schema starts (a heredoc inside client.rb)
    key: str = ""                  # identity for caching and for cross-file pointers
    sibling: Callable[[str], Source] | None = field(default=None, repr=False)
    blob: str | None = None        # the git blob id, when read from a revision (a cache key)
    path: str | None = None        # where locations point: the file, or its path in the repository
    reread: Callable[[], bytes] | None = field(default=None, repr=False)   # the bytes, again

    def content(self) -> str:
        """The text, read and decoded again if it was let go after parsing."""
        if self.text is not None:
            return self.text
        if self.reread is None:
            raise InputError("the text was released and cannot be read again", self.name)
        return decode(self.reread(), self.name)

    def release(self) -> None:
        """Let go of the text once parsed: only positions need it again, and only when a report
        points into the file; a large schema's text can weigh more than its parsed form."""
        if self.reread is not None:
            self.text = None

    @property
    def file(self) -> str:
        return self.path or self.name

    def open_relative(self, ref_path: str) -> Source:
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
    """Read the schema that a heroics-generated Ruby client embeds, keeping line numbers true.

    Two forward searches (the opener, then the first closing line after it), so the time is
    linear in the file's size whatever it holds (one lazy regex over both was quadratic)."""
    text = source.content()
    opener = _HEREDOC_OPENER.search(text)
    start = text.find("\n", opener.end()) + 1 if opener else 0
    closer = _HEREDOC_CLOSER.search(text, start) if start else None
    if not closer:
        raise InputError("no HEROICS_SCHEMA heredoc found in this Ruby file", source.name)
    return Source(name=source.name, text=text[start:max(start, closer.start() - 1)],
                  line_offset=text.count("\n", 0, start), key=source.key,
                  sibling=source.sibling, blob=source.blob, path=source.path)
    # the heredoc's text is a slice of the file: it cannot be read again on its own


def unwrap_ruby_client(source: Source) -> Source:
    """A heroics ``client.rb`` stands for the schema its heredoc embeds. Only a file named ``.rb``
    is read that way: a YAML or JSON file is what it says, whatever words it contains (a heredoc
    smuggled into a description must not replace the document)."""
    return extract_heredoc(source) if source.file.endswith(".rb") else source


def read_regular_file(path: Path, name: str, limit: int = MAX_INPUT_BYTES,
                      what: str = "a schema") -> bytes:
    """The bytes of a regular file, refused beyond ``limit``. Anything else is refused before a
    byte is read: ``/dev/zero`` never ends and a FIFO blocks forever (it is opened without
    blocking, and checked on the open descriptor, so it cannot be swapped)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", name) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a folder, not a file", name)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"is not a regular file (a device, FIFO or socket); {what} is read "
                             "from a regular file only", name)
        if info.st_size > limit:
            raise too_large(name, limit, what)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", name) from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise too_large(name, limit, what)
    return data


def too_large(name: str, limit: int = MAX_INPUT_BYTES, what: str = "a schema") -> InputError:
    size = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 2**10} KiB"
    return InputError(f"larger than {size}, the most {what} may weigh", name)


def file_source(path: Path, name: str | None = None, root: Path | None = None) -> Source:
    """A schema file on disk; it and its relative references are confined to ``root``: by default
    the folder the path names, not the folder a symbolic link there points into (a pull request can
    commit ``schema.json -> ../../secrets/x.json``). References are relative to the file itself."""
    name = name or str(path)
    root = root or path.parent.resolve()
    folder = path.resolve().parent
    if not _inside(path.resolve(), root):
        raise InputError(f"is a symbolic link to a file outside its folder {root}; pass "
                         "--allow-outside-refs to read it", name)
    data = read_regular_file(path, name)

    def sibling(ref_path: str) -> Source:
        target = (folder / ref_path).resolve()
        if not _inside(target, root):
            raise InputError(f"the reference {ref_path!r} points outside the schema's folder {root}; "
                             "pass --allow-outside-refs to follow it", name)
        return file_source(target, str(target), root)

    return Source(name=name, text=decode(data, name), key=str(path.resolve()), sibling=sibling,
                  reread=lambda: read_regular_file(path, name))


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def stdin_source() -> Source:
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise too_large("<stdin>")
    return Source(name="<stdin>", text=decode(data, "<stdin>"), key="<stdin>")
