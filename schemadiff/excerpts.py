"""The source lines around each change, for the HTML report's side-by-side view.

A change's location (``file``, ``line``, ``column``) points into the old or the new file; a reader
wants to see the text there on both sides. Renderers never read files, and the documents let go of
their text after parsing, so the report carries the sources of both sides and reads a file's text
again only when a format asks for its lines (the HTML report does; JSON and CI formats never pay).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemadiff.sources import Source

#: lines shown before and after the line of a change
RADIUS = 2
#: characters of one line shown (a minified JSON file is one long line): a window on the column
WIDTH = 160


@dataclass(frozen=True)
class Excerpts:
    """The sources a report's locations point into, by ``(side, file)``; lines read on demand."""

    sources: Mapping[tuple[str, str], Source] = field(default_factory=dict)
    _lines: dict = field(default_factory=dict, compare=False, repr=False)   # read once, by key

    @classmethod
    def of(cls, documents: Mapping[str, Iterable]) -> Excerpts:
        """From each side's documents (``Workspace.documents()``)."""
        return cls({(side, doc.source.file): doc.source
                    for side, docs in documents.items() for doc in docs})

    def around(self, side: str, spot: dict | None) -> list[tuple[int, str]]:
        """The numbered lines around ``spot`` (a location) on ``side``; empty when unknown."""
        from schemadiff.render.escape import printable  # render/ imports this module's users

        if not spot or (side, spot["file"]) not in self.sources:
            return []
        lines, offset = self._read(side, spot["file"])
        first = max(spot["line"] - RADIUS, offset + 1)
        return [(n, printable(_window(lines[n - 1 - offset],
                                      spot["column"] if n == spot["line"] else 1)))
                for n in range(first, spot["line"] + RADIUS + 1) if n - 1 - offset < len(lines)]

    def _read(self, side: str, file: str) -> tuple[list[str], int]:
        key = (side, file)
        if key not in self._lines:
            source = self.sources[key]
            self._lines[key] = ([line.rstrip("\r") for line in source.content().split("\n")],
                                source.line_offset)
        return self._lines[key]


def _window(text: str, column: int) -> str:
    """At most WIDTH characters of a line, around ``column`` when the line is longer."""
    if len(text) <= WIDTH:
        return text
    start = max(0, min(column - WIDTH // 3, len(text) - WIDTH))
    return ("…" if start else "") + text[start:start + WIDTH] + \
        ("…" if start + WIDTH < len(text) else "")
