"""``changelog --update CHANGELOG.md``: the release sections a Keep a Changelog file lacks,
inserted above the older ones it has; every line of the file is kept as it was written.

A section is present when the file has a level-2 heading with its label (``## [1.2.0] - ...``,
``## 1.2.0``, ``## v1.2.0``, ``## [Unreleased]``, in any case), so a section is never added twice and
the user's own Unreleased section is kept rather than replaced. A new section goes right above the
first section of the file that is older (by the history's git order, or by SemVer for a version the
history does not show), else after the last section, before the link references. Its link
reference is added when the file does not define that label yet. Headings inside fenced code blocks
are not sections. The file is replaced atomically (``output.write_output``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from schemadiff.changelog import History, label
from schemadiff.errors import InputError
from schemadiff.semver import Version

HEADING = re.compile(r"^##(?!#)\s*\[?\s*(?P<name>[^\]\s]+)")
REFERENCE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*\S")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def key(name: str) -> str:
    """``v1.2.0``, ``1.2.0`` and ``[1.2.0]`` are one release; ``Unreleased`` in any case."""
    name = name.strip().lower()
    return name[1:] if name[:1] == "v" and name[1:2].isdigit() else name


@dataclass(frozen=True)
class Existing:
    """What the file already has: its lines, its sections' headings (line, key) in order, the
    labels its link references define, and where its trailing reference block starts."""

    lines: tuple[str, ...]
    headings: tuple[tuple[int, str], ...]
    references: frozenset[str]
    tail: int

    @classmethod
    def read(cls, text: str) -> Existing:
        lines = tuple(text.splitlines())
        headings, references, fence = [], set(), None
        for index, line in enumerate(lines):
            opened = FENCE.match(line)
            if opened and (fence is None or (opened.group(1)[0] == fence[0] and
                           len(opened.group(1)) >= len(fence))):
                fence = None if fence else opened.group(1)
                continue
            if fence:
                continue
            heading = HEADING.match(line)
            if heading:
                headings.append((index, key(heading.group("name"))))
            reference = REFERENCE.match(line)
            if reference:
                references.add(key(reference.group("label")))
        tail = len(lines)
        while tail > 0 and (not lines[tail - 1].strip() or REFERENCE.match(lines[tail - 1])):
            tail -= 1
        return cls(lines, tuple(headings), frozenset(references), tail)


def merge(history: History, text: str, sections: dict[str, str]) -> tuple[str, list[str]]:
    """The file with the missing sections (and their link references) inserted; the labels added."""
    existing = Existing.read(text)
    present = {name for _, name in existing.headings}
    order = [key(label(release)) for release in history.releases]      # newest first
    rank = {name: index for index, name in enumerate(order)}
    inserts: dict[int, list[str]] = {}
    added = []
    for index, release in enumerate(history.releases):
        name = label(release)
        if key(name) in present:
            continue
        at = next((line for line, other in existing.headings
                   if _older(other, index, rank, release.version)), existing.tail)
        inserts.setdefault(at, []).append(sections[name])
        added.append(name)
    links = history.links()
    references = [f"[{name}]: {links[name]}" for name in added
                  if name in links and key(name) not in existing.references]
    out: list[str] = []
    for index, line in enumerate((*existing.lines, "")):
        for block in inserts.get(index, []):
            if out and out[-1].strip():
                out.append("")
            out.extend(block.rstrip("\n").split("\n"))
            out.append("")
        if index < len(existing.lines):
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    if references:
        at = _references_at(out)
        if at == len(out):
            out += ["", *references]
        else:
            out[at:at] = references
    return "\n".join(out) + "\n", added


def _older(other: str, index: int, rank: dict[str, int], version: str | None) -> bool:
    """Is the file's section ``other`` older than the release at ``index`` of the history? A
    version the history does not show is compared by SemVer; Unreleased is never older."""
    if other in rank:
        return rank[other] > index
    mine, theirs = Version.parse(version or ""), Version.parse(other)
    return (version is None and theirs is not None) or (
        mine is not None and theirs is not None and theirs.key() < mine.key())


def _references_at(lines: list[str]) -> int:
    """Where new link references go: at the top of the trailing reference block, after an
    ``[Unreleased]`` one; at the end when there is none."""
    start = len(lines)
    while start > 0 and (REFERENCE.match(lines[start - 1]) or
                         (not lines[start - 1].strip() and start < len(lines))):
        start -= 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    first = REFERENCE.match(lines[start]) if start < len(lines) else None
    if first and key(first.group("label")) == "unreleased":
        start += 1
    return start


def update_file(history: History, path: str) -> None:
    """Insert what ``path`` lacks and replace it atomically; a file that does not exist yet gets
    the whole changelog. Says on standard error what was added."""
    from schemadiff.output import write_output
    from schemadiff.render.history import markdown_sections, render_markdown

    target = Path(path)
    if target.exists():
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read: {getattr(err, 'strerror', None) or err}", path) \
                from None
        merged, added = merge(history, text, markdown_sections(history))
    else:
        import io

        buffer = io.StringIO()
        render_markdown(history, buffer)
        merged, added = buffer.getvalue(), [label(r) for r in history.releases]
    if not added:
        sys.stderr.write(f"schemadiff: {path}: every section is there already; left as it was\n")
        return
    write_output(path, merged)
    sys.stderr.write(f"schemadiff: {path}: added {len(added)} section"
                     f"{'s' if len(added) > 1 else ''} ({', '.join(added)})\n")
