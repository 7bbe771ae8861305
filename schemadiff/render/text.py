"""Text for a terminal: verdict and counts, breaking and dangerous changes first, then the rest,
grouped by resource and endpoint (``Report.digest()``); coloured by severity on a terminal (``NO_COLOR`` is
honoured), plain and unwrapped when written to a file or a pipe.

Each line is built once as styled segments. Off a terminal (CI logs, files, pipes: nearly every
run) they are joined as plain text without importing rich, which costs more than the rest of the
renderer (0.1 s to import, then a ``Console.print`` per line); on a terminal rich adds the colour.
Both print the same characters: every control character a schema string carries is written
visibly (``\n``, ``\x1b``: :func:`schemadiff.render.escape.printable`), so no name can start a
forged line of a CI log or reach the terminal as an escape sequence.
"""

from __future__ import annotations

import os
from typing import Iterator, TextIO

from schemadiff.examples import describe
from schemadiff.render.common import CODE, title, waiver_text, where
from schemadiff.render.escape import printable
from schemadiff.report import Report, Section

STYLE = {"breaking": "bold red", "dangerous": "yellow", "safe": "green", "info": "blue",
         "identical": "blue", "compatible": "green"}

Segment = tuple[str, str]   # (text, rich style; "" for none)
Line = list[Segment]



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


def lines(report: Report) -> Iterator[Line]:
    """The report, line by line, as styled segments: verdict and counts, the breaking and
    dangerous changes, the rest (``Report.digest()``), then the verdict again."""
    yield [(title(report), "bold"), (f": {report.old.source} → {report.new.source} "
                                      f"({report.new.kind})", "")]
    if report.changes:   # the counts at the top too: a long report is read from its start
        yield [("result: ", "")] + _verdict(report)[1:] + [(" · ", "")] + _counts(report)
    for part in report.digest().parts:
        yield []
        yield [(f"=== {part.title} ({part.count}) ===", "bold")]
        for section in part.sections:
            yield []
            yield from _section(section)
    verdict = report.verdict()
    yield []
    for warning in report.warnings:
        yield [("warning", "yellow"), (f": {warning}", "")]
    for waiver in report.waivers:
        if waiver["status"] != "used":
            yield [(f"waiver {waiver['status']}", "yellow"), (f": {waiver_text(waiver)}", "")]
    if verdict["declared_bump"] is not None:
        state = ("ok", "green") if verdict["bump_ok"] else ("too small", "bold red")
        yield [(f"version: {report.old.version} → {report.new.version}, a "
                f"{verdict['declared_bump']} bump; the changes need {verdict['required_bump']}: ", ""),
               state]
    yield _counts(report)
    yield _verdict(report)


def _section(section: Section) -> Iterator[Line]:
    status = f" ({section.status})" if section.status else ""
    yield [(section.resource or "schema", "bold"), (status, "")]
    for group in section.groups:
        indent = "  "
        if group.endpoint and not section.status:
            yield [("  ", ""), (group.endpoint, "bold")]
            indent = "    "
        for change in group.changes:
            yield _change(change, indent)
            if change.example:
                shown = describe(change.example)
                compact = shown["compact"]
                if len(compact) > 200:
                    compact = compact[:199] + "…"
                yield [(f"{indent}          ", ""), (f"example, {shown['note']}:", "dim"),
                       (f" {compact}", "")]
            elif change.no_example:
                yield [(f"{indent}          ", ""), (f"no example ({change.no_example})", "dim")]


def _counts(report: Report) -> Line:
    counts: Line = []
    for kind, count in report.summary.items():
        counts += [(" · ", "")] if counts else []
        counts.append((f"{count} {kind}", STYLE[kind]))
    return counts


def _verdict(report: Report) -> Line:
    verdict = report.verdict()
    return [("verdict: ", ""), (verdict["result"], STYLE[verdict["result"]]),
            (f" (exit code {verdict['exit_code']})", "")]


def _change(change, indent: str) -> Line:
    severity = change.severity.value
    line: Line = [(indent, ""), (f"{severity:<9}", STYLE[severity]), (" ", "")]
    lead = where(change)
    if lead:
        line += _code(lead) + [(": ", "")]
    line += _code(change.message)
    extra = []
    if len(change.endpoints) > 1:
        extra.append(f"reaches {len(change.endpoints)} endpoints")
    location = change.location and (change.location.get("new") or change.location.get("old"))
    if location:
        extra.append(f"{location['file']}:{location['line']}")
    if change.waived:
        extra.append(f"waived: {change.waived['reason']}")
    line += [(" ", ""), (f"[{change.id}{'; ' if extra else ''}{'; '.join(extra)}]", "dim")]
    return line


def _to_terminal(stream: TextIO) -> bool:
    """Would rich treat ``stream`` as a terminal (and so style it)? Its rules, in its order."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed file
        return False


def _visible(line: Line) -> Line:
    return [(printable(part), style) for part, style in line]


def _plain(line: Line) -> str:
    return "".join(part for part, _ in line) + "\n"


def render(report: Report, stream: TextIO) -> None:
    if not _to_terminal(stream):
        stream.write("".join(_plain(_visible(line)) for line in lines(report)))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    for line in lines(report):
        console.print(Text.assemble(*((part, style or None) for part, style in _visible(line))))
