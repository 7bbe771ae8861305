"""What every human-facing format shows, prepared once; the order is ``Report.digest()``'s."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from schemadiff.examples import describe
from schemadiff.model import SEVERITIES, Change
from schemadiff.render.escape import CODE, md_code, md_message, md_text, printable, printable_lines
from schemadiff.report import Report

if TYPE_CHECKING:
    import jinja2


def counts_text(changes: list[Change]) -> str:
    """``3 safe, 1 info``: how many of each severity, the worst first, none left out but zeros."""
    counts = {s.value: 0 for s in SEVERITIES}
    for change in changes:
        counts[change.severity.value] += 1
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n)


def spot(change: Change, report: Report) -> tuple[str, dict] | None:
    """The side and location to point at: the new file when the change is there, else the old."""
    location = change.location or {}
    for side in ("new", "old"):
        if location.get(side):
            return side, location[side]
    return None


def spot_text(change: Change, report: Report) -> str:
    """``line 2042`` in the new file, ``old line 17`` in the old one (both named once at the top),
    ``defs.json:12`` in another file."""
    found = spot(change, report)
    if found is None:
        return ""
    side, location = found
    main = (report.new if side == "new" else report.old).file
    if location["file"] == main:
        return f"{'old ' if side == 'old' else ''}line {location['line']}"
    return f"{location['file']}:{location['line']}"


def where(change: Change) -> str:
    """``request `updates[]``` — the direction and the field, as a short lead-in."""
    parts = []
    if change.direction:
        parts.append(change.direction)
    if change.field:
        parts.append(f"`{change.field}`")
    return " ".join(parts)


#: how many endpoints text and Markdown name before "and N more" (HTML names all, folded away)
NAMED_ENDPOINTS = 3


def reached(change: Change) -> list[str]:
    """The endpoints worth listing under a record: several, or one that is not its heading."""
    if len(change.endpoints) > 1 or (change.endpoints and change.endpoint is None):
        return change.endpoints
    return []


def reached_text(change: Change) -> str:
    """``reaches 78 endpoints: `GET /a`, `GET /b`, `GET /c` and 75 more`` (empty: none to list)."""
    listed = reached(change)
    if not listed:
        return ""
    named = ", ".join(f"`{endpoint}`" for endpoint in listed[:NAMED_ENDPOINTS])
    more = len(listed) - NAMED_ENDPOINTS
    noun = "endpoint" if len(listed) == 1 else "endpoints"
    return f"reaches {len(listed)} {noun}: {named}" + (f" and {more} more" if more > 0 else "")


def headline(change: Change) -> str:
    """Where and what in one line: ``PATCH /apps/{id} request updates[]: property ... removed``."""
    where = " ".join(part for part in (change.endpoint or change.resource or "",
                                       change.direction or "", change.field or "") if part)
    return f"{where}: {change.message}" if where else change.message


def waived_note(change: Change) -> str | None:
    """How a change's waiver reads in every format: ``waived: reason``, or, once it no longer
    waives, ``waiver expired 2026-01-31: reason``."""
    if not change.waived:
        return None
    if change.waived.get("expired"):   # an expired waiver always has its date
        return f"waiver expired {change.waived.get('expires')}: {change.waived['reason']}"
    return f"waived: {change.waived['reason']}"


def view_note(report: Report) -> str | None:
    """What a view left out, said wherever the verdict is: it counts only the changes shown."""
    if report.view is None or not report.view.filters:
        return None
    hidden = ", ".join(f"{count} {severity}" for severity, count in (report.hidden or {}).items()
                       if count)
    return (f"view: {'; '.join(report.view.conditions())}: {len(report.changes)} of "
            f"{report.total} changes shown ({'not shown: ' + hidden if hidden else 'all of them'}); "
            "the verdict and exit code count only the changes shown")


#: where a reader learns about waivers (docs/ci.md's section on the configuration file)
POLICY_DOCS = "docs/ci.md#policy-schemadifftoml-or-pyprojecttoml"
#: the longest header of a waiver with its comment: the fingerprint says which change, the
#: comment only reminds
COMMENT_WIDTH = 100


@dataclass(frozen=True)
class Advice:
    """How a failing report can pass, the same words in every format under a "How to pass"
    heading: ``intro`` (prose) and ``toml`` (the lines that would waive each failing change)."""

    intro: str
    toml: str


def how_to_pass(report: Report) -> Advice | None:
    """For a failing report, one waiver per failing change (by fingerprint), for the file the run
    read its configuration from (``.schemadiff.toml`` when none); None when the report passes."""
    failing = sorted(report.failing, key=lambda change: -change.severity.rank)   # breaks first
    if not failing:
        return None
    counts = {severity: sum(1 for c in failing if c.severity is severity) for severity in SEVERITIES}
    what = " and ".join(f"{n} {severity.value}" for severity, n in counts.items() if n)
    from schemadiff.policy import CONFIG_FILES  # loaded already by any run that read a file

    config = report.config or CONFIG_FILES[0]
    if config.endswith(CONFIG_FILES) and ":" in config and not Path(config).exists():
        config = config.rsplit(":", 1)[1]   # REV:.schemadiff.toml: the file is edited, not REV
    table = "tool.schemadiff.waivers" if config.endswith("pyproject.toml") else "waivers"
    intro = (f"Fix the {what} change{'s' if len(failing) > 1 else ''}, or waive "
             f"{'each' if len(failing) > 1 else 'it'} with the lines below in {config} (in CI "
             f"the file is read from the base revision; see {POLICY_DOCS}).")
    lines = []
    for change in failing:   # three lines each: a report may fail on hundreds
        note = f"{waived_note(change)}; " if change.waived else ""   # extending it is the other way
        header = printable(f"[[{table}]]  # {change.severity.value}: {note}{headline(change)}")
        if len(header) > COMMENT_WIDTH:
            header = header[:COMMENT_WIDTH - 1] + "…"
        lines += [header, f'fingerprint = "{change.fingerprint}"',
                  'reason = "why this change is acceptable"']
    return Advice(intro, "\n".join(lines))


def waiver_text(waiver: dict) -> str:
    """A waiver as one line: what it matches, why, until when."""
    what = ", ".join(f"{k} {waiver[k]}" for k in ("rule", "path", "endpoint", "fingerprint")
                     if waiver.get(k))
    until = f" (expires {waiver['expires']})" if waiver.get("expires") else ""
    return f"{what}: {waiver['reason']}{until}"


def title(report: Report) -> str:
    return report.new.title or report.old.title or "Schema changes"


def code_html(text: str) -> Markup:
    """Escape everything, then show `quoted` parts as code."""
    return Markup(CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def template_folder() -> Path:
    """The templates, wherever they are: installed as ``schemadiff.templates``, or in a checkout."""
    try:
        from importlib.resources import files

        folder = Path(str(files("schemadiff.templates")))
        if (folder / "report.html.j2").exists():
            return folder
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "reports" / "templates"


def _markdown_by_default(value: object) -> object:
    """Every ``{{ value }}`` of a Markdown template is plain text unless a filter below made it
    Markdown already (a forgotten filter shows backslashes; it cannot forge a line)."""
    return value if isinstance(value, Markup) else md_text(str(value))


MARKDOWN_FILTERS = {
    "html": lambda text: Markup(escape(printable(str(text)))),  # inside raw HTML (<summary>)
    "code": lambda text: Markup(md_code(str(text))),          # `name`, unbreakable by backticks
    "message": lambda text: Markup(md_message(str(text))),    # prose with `quoted` code parts
    "verbatim": lambda text: Markup(printable_lines(str(text))),  # inside a fenced block
}


@cache
def environment(autoescape: bool) -> jinja2.Environment:
    """HTML templates escape with autoescape; Markdown ones (``autoescape=False``) through
    :func:`_markdown_by_default` and :data:`MARKDOWN_FILTERS`."""
    import jinja2  # only the template formats (Markdown, HTML) pay for it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_folder())), autoescape=autoescape,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=None if autoescape else _markdown_by_default)
    env.filters["code_html"] = code_html
    if not autoescape:
        env.filters.update(MARKDOWN_FILTERS)
    env.globals.update(where=where, example=describe, waiver_text=waiver_text,
                       reached=reached, reached_text=reached_text, waived_note=waived_note)
    return env


def context(report: Report) -> dict:
    return {"report": report, "digest": report.digest(), "title": title(report),
            "view_note": view_note(report), "advice": how_to_pass(report),
            "summary": report.summary, "verdict": report.verdict()}
