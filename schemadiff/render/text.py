"""Text for a terminal: the verdict and counts, the breaking and dangerous changes, then the rest,
grouped by resource and endpoint (``Report.digest()``), the verdict again and, when the gate fails,
how to pass. Coloured by severity when ``--color`` asks for it (auto: on a terminal, unless
``NO_COLOR``), wrapped at spaces to the terminal's width (``COLUMNS`` first; 100 columns off a
terminal), never inside a word, a path or a configuration line.

Each line is built once as styled segments. Off a terminal (CI logs, files, pipes: nearly every
run) they are joined as plain text without importing rich, which costs more than the rest of the
renderer (0.1 s to import, then a ``Console.print`` per line); in colour rich adds the styles.
Both print the same characters: every control character a schema string carries is written
visibly (``\n``, ``\x1b``: :func:`schemadiff.render.escape.printable`), so no name can start a
forged line of a CI log or reach the terminal as an escape sequence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from schemadiff.examples import describe
from schemadiff.render.common import (
    CODE,
    how_to_pass,
    reached_text,
    title,
    view_note,
    waived_note,
    waiver_text,
    where,
)
from schemadiff.render.escape import printable
from schemadiff.report import Report, Section

if TYPE_CHECKING:
    from schemadiff.model import Change

STYLE = {"breaking": "bold red", "dangerous": "yellow", "safe": "green", "info": "blue",
         "identical": "blue", "compatible": "green"}

Segment = tuple[str, str]   # (text, rich style; "" for none)
Line = list[Segment]

#: the width of a report that is not shown on a terminal (a CI log, a file, a pipe)
PLAIN_WIDTH = 100
#: a narrower terminal is read as this wide: below it, the hanging indents leave no room
NARROWEST = 60
#: where a line may break: after the spaces that follow a word
_WORDS = re.compile(r"\S+\s*|\s+")


def _code(text: str, style: str = "") -> Line:
    """``quoted`` parts of a message in bold, backticks kept."""
    out: Line = []
    start = 0
    for match in CODE.finditer(text):
        out.append((text[start:match.start()], style))
        out.append((match.group(0), "bold"))
        start = match.end()
    out.append((text[start:], style))
    return out


def lines(report: Report, width: int = PLAIN_WIDTH) -> Iterator[Line]:
    """The report, line by line, as styled segments at most ``width`` wide where a space allows:
    verdict and counts, the breaking and dangerous changes, the rest (``Report.digest()``), the
    verdict again, then how to pass."""
    yield from wrap([(title(report), "bold"), (f": {report.old.source} → {report.new.source} "
                                                f"({report.new.kind})", "")], width, 2)
    if report.total:   # the counts at the top too: a long report is read from its start
        yield [("result: ", ""), *_verdict(report)[1:], (" · ", ""), *_counts(report)]
    note = view_note(report)
    if note:
        yield from wrap([(note, "yellow")], width, 2)
    for part in report.digest().parts:
        yield []
        yield [(f"=== {part.title} ({part.count}) ===", "bold")]
        if part.omitted:
            yield [(f"{part.omitted} changes not listed (--summary)", "dim")]
        for section in part.sections:
            yield []
            yield from _section(section, width)
    verdict = report.verdict()
    yield []
    for warning in report.warnings:
        yield from wrap([("warning", "yellow"), (f": {warning}", "")], width, 2)
    for waiver in report.waivers:
        if waiver["status"] != "used":
            yield from wrap([(f"waiver {waiver['status']}", "yellow"),
                             (f": {waiver_text(waiver)}", "")], width, 2)
    if verdict["declared_bump"] is not None:
        state = ("ok", "green") if verdict["bump_ok"] else ("too small", "bold red")
        yield [(f"version: {report.old.version} → {report.new.version}, a "
                f"{verdict['declared_bump']} bump; the changes need {verdict['required_bump']}: ", ""),
               state]
    if note:
        yield from wrap([(note, "yellow")], width, 2)
    yield _counts(report)
    yield _verdict(report)
    advice = how_to_pass(report)
    if advice:
        yield []
        yield from wrap([("How to pass: ", "bold"), (advice.intro, "")], width, 0)
        yield []
        for line in advice.toml.split("\n"):   # never wrapped: it is meant to be pasted
            if len(line) > width and "  # " in line:   # only a comment may be shortened
                line = line[:width - 1] + "…"
            yield [(line, "")]


def _section(section: Section, width: int) -> Iterator[Line]:
    status = f" ({section.status})" if section.status else ""
    yield [(section.resource or "schema", "bold"), (status, "")]
    for group in section.groups:
        indent = "  "
        if group.endpoint and not section.status:
            yield [("  ", ""), (group.endpoint, "bold")]
            indent = "    "
        for change in group.changes:
            yield from _record(change, indent, width)


def wrap(line: Line, width: int, hang: int) -> Iterator[Line]:
    """``line`` cut at spaces into lines of at most ``width`` characters, each after the first
    indented by ``hang``. A word that fits on a line of its own (a path, a pointer) is never
    split; only one longer than any line could hold (a long example value) is cut."""
    line = _visible(line)
    out: Line = []
    used = 0
    room = max(width - hang, 1)
    for text, style in line:
        # a code span that fits on a line stays whole (`GET /apps/{app_identity}`)
        span = len(text) > 1 and text[0] == text[-1] == "`" and len(text) <= room
        for word in [text] if span else _WORDS.findall(text):
            while len(word.rstrip()) > room and word.strip():   # longer than any line
                if used > hang:
                    yield _trimmed(out)
                    out, used = [(" " * hang, "")], hang
                out.append((word[:room], style))
                yield _trimmed(out)
                out, used, word = [(" " * hang, "")], hang, word[room:]
            length = len(word.rstrip())
            if out and used > hang and used + length > width and word.strip():
                yield _trimmed(out)
                out, used = [(" " * hang, "")], hang
            if used == hang and len(out) == 1 and not word.strip():
                continue   # no blank at the start of a continued line
            out.append((word, style))
            used += len(word)
    yield _trimmed(out)


def _trimmed(line: Line) -> Line:
    """Without the spaces a break left at its end."""
    while line and line[-1][0].strip() == "" and len(line) > 1:
        line = line[:-1]
    if line:
        text, style = line[-1]
        line = [*line[:-1], (text.rstrip(), style)]
    return line


def _counts(report: Report) -> Line:
    counts: Line = []
    for kind, count in report.summary.items():
        counts += [(" · ", "")] if counts else []
        counts.append((f"{count} {kind}", STYLE[kind]))
    return counts


def _verdict(report: Report) -> Line:
    verdict = report.verdict()
    shown = len(report.changes)
    scope = f"; {shown} of {report.total} changes shown" if report.total != shown else ""
    return [("verdict: ", ""), (verdict["result"], STYLE[verdict["result"]]),
            (f" (exit code {verdict['exit_code']}{scope})", "")]


def _record(change: Change, indent: str, width: int, nested: bool = False) -> Iterator[Line]:
    """A record, its example, the endpoints it reaches and, for a reference swap, its
    consequences below it, each wrapped to ``width`` under the message."""
    hang = len(indent) + 10   # under the message, past the severity
    yield from wrap(_change(change, indent), width, hang)
    if change.example:
        shown = describe(change.example)
        compact = shown["compact"]
        if len(compact) > 200:
            compact = compact[:199] + "…"
        yield from wrap([(" " * hang, ""), (f"example, {shown['note']}:", "dim"),
                         (f" {compact}", "")], width, hang)
    elif change.no_example:
        yield [(" " * hang, ""), (f"no example ({change.no_example})", "dim")]
    listed = "" if nested else reached_text(change)
    if listed:
        yield from wrap([(" " * hang, ""), *_code(listed, "dim")], width, hang)
    for consequence in change.consequences:
        yield from _record(consequence, " " * hang, width, nested=True)


def _change(change: Change, indent: str) -> Line:
    severity = change.severity.value
    line: Line = [(indent, ""), (f"{severity:<9}", STYLE[severity]), (" ", "")]
    lead = where(change)
    if lead:
        line += [*_code(lead), (": ", "")]
    line += _code(change.message)
    extra = []  # the endpoints it reaches are listed on a line of their own (reached_text)
    location = change.location and (change.location.get("new") or change.location.get("old"))
    if location:
        extra.append(f"{location['file']}:{location['line']}")
    note = waived_note(change)   # None unless waived
    if note:
        extra.append(note)
    line += [(" ", ""), (f"[{change.id}{'; ' if extra else ''}{'; '.join(extra)}]", "dim")]
    return line


def colour(stream: TextIO) -> bool:
    """Whether to style the report: ``--color always``/``never`` as the stream carries it (the
    command line's ``_Screen``); else auto: not when ``NO_COLOR`` is set (no-color.org), then
    rich's own rules in its order (``TTY_COMPATIBLE``, ``FORCE_COLOR``, a terminal)."""
    choice = getattr(stream, "color", "auto")
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    return _is_terminal(stream)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed file
        return False


def columns(stream: TextIO) -> int:
    """How wide the report may be: what the stream says (the command line's ``_Screen`` knows the
    terminal), else on a terminal ``COLUMNS`` or its width; off a terminal always
    :data:`PLAIN_WIDTH`, so that a CI log or a file reads the same wherever it was made."""
    width = getattr(stream, "columns", None)
    if width is None and _is_terminal(stream):
        given = os.environ.get("COLUMNS", "")
        try:
            width = int(given) if given.isdigit() else os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):   # no file descriptor behind it
            width = None
    return max(width or PLAIN_WIDTH, NARROWEST)


def _visible(line: Line) -> Line:
    return [(printable(part), style) for part, style in line]


def _plain(line: Line) -> str:
    return "".join(part for part, _ in line) + "\n"


def render(report: Report, stream: TextIO) -> None:
    width = columns(stream)
    if not colour(stream):
        stream.write("".join(_plain(_visible(line)) for line in lines(report, width)))
        return
    from rich.console import Console
    from rich.text import Text

    # the choice is made (colour()): rich neither second-guesses it from the environment nor wraps
    console = Console(file=stream, force_terminal=True, no_color=False, color_system="standard",
                      highlight=False, soft_wrap=True, emoji=False)
    for line in lines(report, width):
        console.print(Text.assemble(*((part, style) if style else part for part, style in _visible(line))))
