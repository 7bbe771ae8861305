"""Text for a terminal: grouped by resource, coloured by severity on a terminal (``NO_COLOR`` is
honoured), plain and unwrapped when written to a file or a pipe."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape

from schemadiff.examples import describe
from schemadiff.render.common import CODE, sections, title, waiver_text, where
from schemadiff.report import Report

STYLE = {"breaking": "bold red", "dangerous": "yellow", "safe": "green", "info": "blue",
         "identical": "blue", "compatible": "green"}


def _styled(text: str) -> str:
    return CODE.sub(lambda m: f"[bold]`{m.group(1)}`[/bold]", escape(text))


def render(report: Report, stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    out = console.print
    out(f"[bold]{escape(title(report))}[/bold]: {escape(report.old.source)} → "
        f"{escape(report.new.source)} ({report.new.kind})")
    for section in sections(report):
        out("")
        name = section.resource or "schema"
        status = f" ({section.status})" if section.status else ""
        out(f"[bold]{escape(name)}[/bold]{status}")
        for group in section.groups:
            indent = "  "
            if group.endpoint and not section.status:
                out(f"  [bold]{escape(group.endpoint)}[/bold]")
                indent = "    "
            for change in group.changes:
                severity = change.severity.value
                lead = where(change)
                lead = f"{_styled(lead)}: " if lead else ""
                extra = []
                if len(change.endpoints) > 1:
                    extra.append(f"reaches {len(change.endpoints)} endpoints")
                location = change.location and (change.location.get("new") or change.location.get("old"))
                if location:
                    extra.append(f"{location['file']}:{location['line']}")
                if change.waived:
                    extra.append(f"waived: {change.waived['reason']}")
                tail = f" [dim]\\[{escape(change.id)}{'; ' if extra else ''}{escape('; '.join(extra))}][/dim]"
                out(f"{indent}[{STYLE[severity]}]{severity:<9}[/] {lead}{_styled(change.message)}{tail}")
                if change.example:
                    shown = describe(change.example)
                    compact = shown["compact"]
                    if len(compact) > 200:
                        compact = compact[:199] + "…"
                    out(f"{indent}          [dim]example, {escape(shown['note'])}:[/dim] "
                        f"{escape(compact)}")
                elif change.no_example:
                    out(f"{indent}          [dim]no example ({escape(change.no_example)})[/dim]")
    summary = report.summary
    verdict = report.verdict()
    out("")
    for warning in report.warnings:
        out(f"[yellow]warning[/]: {escape(warning)}")
    for waiver in report.waivers:
        if waiver["status"] != "used":
            out(f"[yellow]waiver {waiver['status']}[/]: {escape(waiver_text(waiver))}")
    if verdict["declared_bump"] is not None:
        state = "[green]ok[/]" if verdict["bump_ok"] else "[bold red]too small[/]"
        out(f"version: {escape(str(report.old.version))} → {escape(str(report.new.version))}, "
            f"a {verdict['declared_bump']} bump; the changes need {verdict['required_bump']}: "
            f"{state}")
    out(" · ".join(f"[{STYLE[k]}]{v} {k}[/]" for k, v in summary.items()))
    out(f"verdict: [{STYLE[verdict['result']]}]{verdict['result']}[/] (exit code {verdict['exit_code']})")
