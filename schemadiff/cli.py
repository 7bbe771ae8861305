"""The command line: parse arguments into a Request, run, render, exit. The only place that exits.

Exit codes: 0 no change at or above ``--fail-on``; 1 there is one; 2 bad usage, bad input, or any
unexpected failure (one line on standard error, never a traceback unless ``--debug`` or
``SCHEMADIFF_DEBUG=1`` asks for it). Nothing but a finished report exits 1: CI reads 1 as "breaking".
A view (``--severity``, ``--match-path``, ...) is applied to the report once, before it is rendered;
the exit code is then the viewed report's (the report says what it left out).
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import partial
from typing import Any, TextIO

import typer
from typer.core import TyperArgument, TyperCommand

from schemadiff import __version__
from schemadiff.errors import InputError

# rich-formatted help and usage errors only for a person at a terminal: elsewhere click's plain text
# says the same without importing rich and markdown-it (60 ms)
# --install-completion / --show-completion: typer's shell completion (bash, zsh, fish, PowerShell)
app = typer.Typer(add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode="rich" if sys.stdout is not None and sys.stdout.isatty() else None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="What changed between two versions of a schema, and whether it breaks anyone.")

# choices come from the registries, so a new format or kind appears here by itself
from schemadiff.model import SEVERITIES, Severity  # noqa: E402
from schemadiff.render import CATALOGUE_FORMATS, RENDERERS  # noqa: E402
from schemadiff.report import View  # noqa: E402
from schemadiff.settings import TRUE_WORDS, Compat, FailOn, Kind  # noqa: E402

# the members come from the registries at run time, which mypy cannot see (hence the ignores)
Format = Enum("Format", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]
#: formats whose output is one document (JSON, XML, a page): two reports cannot be written one
#: after the other
ONE_DOCUMENT_FORMATS = frozenset({"json", "sarif", "junit", "gitlab", "html"})
HistoryFormat = Enum("HistoryFormat", {"markdown": "markdown", "html": "html", "json": "json"},
                     type=str)
CatalogueFormat = Enum("CatalogueFormat", {name: name for name in CATALOGUE_FORMATS}, type=str)  # type: ignore[misc]
Level = Enum("Level", {s.value: s.value for s in SEVERITIES}, type=str)  # type: ignore[misc]
Color = Enum("Color", {"auto": "auto", "always": "always", "never": "never"}, type=str)

# what diff and check show: the same options for both, made into a View by make_view()
SEVERITY = typer.Option(None, "--severity", metavar="LIST",
                        help="Show only these severities, comma-separated (breaking,dangerous); "
                             "the verdict and exit code count only the changes shown.")
MIN_SEVERITY = typer.Option(None, "--min-severity",
                            help="Show only changes at least this severe (the verdict and exit "
                                 "code count only those).")
MATCH_PATH = typer.Option(None, "--match-path", metavar="GLOB",
                          help="Show only changes whose JSON pointer (old or new) matches, as a "
                               "waiver's path; repeat for several.")
MATCH_ENDPOINT = typer.Option(None, "--match-endpoint", metavar="GLOB",
                              help="Show only changes that reach a matching endpoint ('GET "
                                   "/apps/*', '*/formation'); repeat for several.")
SUMMARY = typer.Option(False, "--summary", help="List only breaking and dangerous changes; "
                                                "count the rest.")
QUIET = typer.Option(False, "--quiet", "-q", help="Print nothing: the exit code only (--output "
                                                  "is still written).")
COLOR = typer.Option("auto", "--color", help="Colour the text report: auto (a terminal, unless "
                                             "NO_COLOR is set), always or never.")


class _Command(TyperCommand):
    """A command whose usage line names each argument by its metavar (``OLD``, ``[PATH]``),
    without typer's braces (``{OLD}``): what a reader needs, not how it is parsed."""

    def get_params(self, ctx: Any) -> list[Any]:   # (typer's own copy of click's types)
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperArgument) and param.metavar:
                # this argument's usage only: patched on the instance, not the class
                name = param.metavar if param.required else f"[{param.metavar}]"
                param.get_usage_pieces = lambda ctx, name=name: [name]  # type: ignore[method-assign, misc]
        return params


def _version(value: bool) -> None:
    if value:
        typer.echo(f"schemadiff {__version__}")
        raise typer.Exit()


def _debug(value: bool) -> None:
    if value:
        os.environ["SCHEMADIFF_DEBUG"] = "1"


def debugging() -> bool:
    return os.environ.get("SCHEMADIFF_DEBUG", "").strip().lower() in TRUE_WORDS


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", callback=_debug, is_eager=True,
                               help="Show the traceback of an internal error (also "
                                    "SCHEMADIFF_DEBUG=1)."),
) -> None:
    """What changed between two versions of a schema, and whether it breaks anyone."""


@app.command(cls=_Command)
def diff(
    old: str = typer.Argument(..., metavar="OLD",
                              help="The old schema: a file, - for standard input, or REV:PATH."),
    new: str = typer.Argument(..., metavar="NEW",
                              help="The new schema: a file, - for standard input, or REV:PATH."),
    format: Format = typer.Option("text", "--format", "-f", help="Output format."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write here (atomically) instead of standard output."),
    severity: list[str] | None = SEVERITY,
    min_severity: Level | None = MIN_SEVERITY,
    match_path: list[str] | None = MATCH_PATH,
    match_endpoint: list[str] | None = MATCH_ENDPOINT,
    summary: bool = SUMMARY,
    quiet: bool = QUIET,
    color: Color = COLOR,
    fail_on: FailOn | None = typer.Option(None, "--fail-on", show_default="breaking",
                                             help="Exit 1 when a change is at least this severe."),
    kind: Kind | None = typer.Option(None, "--kind", help="Force the document kind."),
    compat: Compat | None = typer.Option(None, "--compat", show_default="backward",
                                            help="Plain JSON Schema: which way data must stay "
                                                 "readable."),
    strict: bool | None = typer.Option(None, "--strict/--no-strict", show_default=False,
                                          help="Pure set semantics too: judge by what validators "
                                               "accept."),
    allow_outside_refs: bool | None = typer.Option(
        None, "--allow-outside-refs", help="Follow relative $refs outside the schema's folder "
                                           "(also SCHEMADIFF_ALLOW_OUTSIDE_REFS=1; never from a "
                                           "configuration file)."),
    allow_remote_refs: bool | None = typer.Option(
        None, "--allow-remote-refs", help="Download $refs to http(s) addresses (never by default: "
                                          "they are compared by address; also "
                                          "SCHEMADIFF_ALLOW_REMOTE_REFS=1)."),
    config: str | None = typer.Option(None, "--config", metavar="FILE",
                                         help="Configuration file (default: the base revision's "
                                              ".schemadiff.toml or pyproject.toml [tool.schemadiff] "
                                              "when OLD is REV:PATH, else the nearest one up to the "
                                              "top of the repository)."),
    old_version: str | None = typer.Option(None, "--old-version", metavar="VERSION",
                                              help="Version of OLD, for the semver check."),
    new_version: str | None = typer.Option(None, "--new-version", metavar="VERSION",
                                              help="Version of NEW, for the semver check."),
    version_check: bool | None = typer.Option(
        None, "--version-check/--no-version-check", show_default=False,
        help="Check the version bump: default, stated versions only; --version-check also the "
             "documents' (OpenAPI info.version); --no-version-check none."),
    repo: str | None = typer.Option(None, "--repo", metavar="DIR",
                                       help="The git repository for REV:PATH inputs (default: "
                                            "the one around the current folder)."),
    timeout: float | None = typer.Option(None, "--timeout", metavar="SECONDS",
                                            help="Give up (exit 2) after this many seconds."),
    max_chars: int | None = typer.Option(
        None, "--max-chars", metavar="N", min=0,
        help="Markdown: at most N characters, breaking and dangerous changes first (default "
             "64000, to fit a GitHub pull request comment; 0: no limit)."),
) -> None:
    """Compare two versions of a schema. Each is a file, - (standard input) or REV:PATH (a file as
    it is in a git revision: v0.5.0:schema.json, HEAD~1:api/openapi.yaml)."""
    from schemadiff.output import emit
    from schemadiff.pipeline import Request, run

    if old == "-" and new == "-":
        raise InputError("only one of OLD and NEW can be standard input")
    refuse_output_onto_input(output, old, new)
    request = Request(kind=kind, compat=compat, strict=strict, fail_on=fail_on,
                      allow_outside_refs=allow_outside_refs, allow_remote_refs=allow_remote_refs,
                      config=config, old_version=old_version, new_version=new_version, repo=repo,
                      version_check=version_check, timeout=timeout)
    render = RENDERERS[format.value]
    if max_chars is not None:
        if format.value != "markdown":
            raise InputError("--max-chars applies to --format markdown only")
        from schemadiff.render.markdown import render as render_markdown

        render = partial(render_markdown, max_chars=max_chars)
    view = make_view(severity, min_severity, match_path, match_endpoint, summary)
    report = run(old, new, request)
    report = report.viewed(view) if view else report
    if output or not quiet:
        emit(rendered(render, report, output, color.value), output)
    raise typer.Exit(verdict(report.exit_code))


@app.command(cls=_Command)
def check(
    files: list[str] = typer.Argument(None, metavar="FILE...", help="Schema files in the work "
                                                                    "tree."),
    rev: str = typer.Option("HEAD", "--rev", metavar="REV",
                            help="The revision to compare each file against."),
    format: Format = typer.Option("text", "--format", "-f", help="Output format."),
    fail_on: FailOn | None = typer.Option(None, "--fail-on", show_default="breaking",
                                             help="Exit 1 when a change is at least this severe."),
    config: str | None = typer.Option(None, "--config", metavar="FILE",
                                         help="Configuration file."),
    severity: list[str] | None = SEVERITY,
    min_severity: Level | None = MIN_SEVERITY,
    match_path: list[str] | None = MATCH_PATH,
    match_endpoint: list[str] | None = MATCH_ENDPOINT,
    summary: bool = SUMMARY,
    quiet: bool = QUIET,
    color: Color = COLOR,
) -> None:
    """Compare each file with its version at a revision (HEAD by default): the pre-commit hook.
    Files the revision does not have yet are new, and skipped (said on standard error)."""
    from pathlib import Path

    from schemadiff.gitsource import base_has
    from schemadiff.output import emit
    from schemadiff.pipeline import Request, run

    view = make_view(severity, min_severity, match_path, match_endpoint, summary)
    names = list(dict.fromkeys(files or []))   # a file named twice is checked once
    if len(names) > 1 and format.value in ONE_DOCUMENT_FORMATS:
        raise InputError(f"--format {format.value} writes one document, so it takes one file; "
                         "check the files one at a time, or use text, markdown or github")
    for name in names:   # a misspelled path must not pass the gate as "nothing to compare"
        if not Path(name).is_file():
            raise InputError("no such file in the work tree", name)
    worst = 0
    for name in names:
        spec = f"{rev}:{name}"
        if not base_has(spec):
            if not quiet:
                sys.stderr.write(f"schemadiff: {name}: new (not in {rev}), nothing to compare\n")
            continue
        here = name if os.path.isabs(name) or ":" not in name else f"./{name}"   # not REV:PATH
        report = run(spec, here, Request(fail_on=fail_on, config=config))
        report = report.viewed(view) if view else report
        if not quiet:
            emit(rendered(RENDERERS[format.value], report, None, color.value), None)
        worst = max(worst, report.exit_code)
    raise typer.Exit(verdict(worst))


@app.command(cls=_Command)
def changelog(
    path: str = typer.Argument(..., metavar="PATH", help="The schema's path in the repository."),
    repo: str | None = typer.Option(None, "--repo", metavar="DIR",
                                       help="The git repository (default: the one around the "
                                            "current folder)."),
    since: str | None = typer.Option(None, "--from", metavar="TAG",
                                        help="Start at this tag (compared with the tag before it)."),
    until: str | None = typer.Option(None, "--to", metavar="REV",
                                        help="End at this tag; a branch or HEAD adds an Unreleased "
                                             "section."),
    tags: str | None = typer.Option(None, "--tags", metavar="GLOB",
                                       help="Tags to use (glob; default: every version-like tag)."),
    format: HistoryFormat = typer.Option("markdown", "--format", "-f", help="Output format."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write here (atomically) instead of standard output."),
    config: str | None = typer.Option(None, "--config", metavar="FILE",
                                         help="Configuration file."),
    repo_url: str | None = typer.Option(None, "--repo-url", metavar="URL",
                                           help="The repository's web address, for Keep a "
                                                "Changelog compare links (default: the origin "
                                                "remote's, when hosted; none: no links)."),
    update: str | None = typer.Option(None, "--update", metavar="FILE",
                                         help="Insert the sections FILE (a CHANGELOG.md) lacks "
                                              "above its own, keeping the rest; Markdown only."),
) -> None:
    """Release notes across a git history: one section per tag, newest first."""
    from schemadiff.changelog import build_history
    from schemadiff.output import emit
    from schemadiff.pipeline import Request
    from schemadiff.render.history import HISTORY_FORMATS

    if update is not None:
        if format.value != "markdown":
            raise InputError(f"--update writes Markdown, not --format {format.value}")
        if output is not None:
            raise InputError("--update FILE writes FILE; it cannot be used with --output")
    with progress_bar() as advance:
        history = build_history(path, repo_folder=repo, since=since, until=until, tags=tags,
                                request=Request(config=config), progress=advance, url=repo_url)
    if update is not None:
        from schemadiff.render.changelog_file import update_file

        update_file(history, update)
        return
    emit(rendered(HISTORY_FORMATS[format.value], history, output), output)


def make_view(severity: list[str] | None, min_severity: Level | None, paths: list[str] | None,
              endpoints: list[str] | None, summary: bool) -> View | None:
    """The view the options ask for (None: everything). ``--severity`` takes names separated by
    commas and may be repeated; with ``--min-severity`` both must hold."""
    levels = None
    if severity:
        names = [name.strip().lower() for item in severity for name in item.split(",")]
        known = {s.value: s for s in SEVERITIES}
        for name in names:
            if name not in known:
                raise InputError(f"--severity: unknown severity {name!r} (breaking, dangerous, "
                                 "safe, info)")
        levels = frozenset(known[name] for name in names)
    if min_severity is not None:
        floor = Severity(min_severity.value)
        levels = frozenset(s for s in (levels or SEVERITIES) if s >= floor)
    view = View(severities=levels, paths=tuple(paths or ()), endpoints=tuple(endpoints or ()),
                summary=summary)
    return view if view.filters or view.summary else None


#: the exit code a finished report asked for; exit 1 is honoured only when it came from here
_VERDICT: list[int] = []


def verdict(code: int) -> int:
    _VERDICT.append(code)
    return code


class _Screen(io.StringIO):
    """A buffer that knows where its text will go: whether that is a terminal (``isatty()``), the
    ``--color`` choice and the terminal's width, so a report rendered before it is written is
    coloured and wrapped for that place (render/text.py reads ``color`` and ``columns``)."""

    def __init__(self, tty: bool, color: str = "auto", columns: int | None = None):
        super().__init__()
        self._tty = tty
        self.color = color
        self.columns = columns

    def isatty(self) -> bool:
        return self._tty


def rendered(render: Callable[[Any, TextIO], None], subject: Any, output: str | None,
             color: str = "auto") -> str:
    """The whole output, rendered in memory first: a failure half way leaves nothing written."""
    try:
        tty = (not output or output == "-") and sys.stdout.isatty()
    except ValueError:   # standard output closed
        tty = False
    columns = None
    if tty:
        import shutil

        columns = shutil.get_terminal_size().columns   # COLUMNS first, as everywhere
    buffer = _Screen(tty, color, columns)
    render(subject, buffer)
    return buffer.getvalue()


def refuse_output_onto_input(output: str | None, *inputs: str) -> None:
    """``-o new.json`` would replace the schema under review with its own report."""
    if not output or output == "-" or not os.path.exists(output):
        return
    for spec in inputs:
        try:
            same = spec != "-" and os.path.exists(spec) and os.path.samefile(spec, output)
        except OSError:
            same = False
        if same:
            raise InputError(f"is also the input {spec}; the report would replace it", output)


@contextmanager
def progress_bar() -> Iterator[Any]:
    """A rich progress bar on standard error, only when it is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("comparing", total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"comparing {name}")
        yield advance


@app.command()
def rules(
    format: CatalogueFormat = typer.Option("text", "--format", "-f", help="Output format."),
) -> None:
    """List every rule: its id, its severity in each direction, and why."""
    from schemadiff.output import emit

    buffer = io.StringIO()
    CATALOGUE_FORMATS[format.value](buffer)
    emit(buffer.getvalue(), None)


def main() -> None:
    """Entry point: run the app; an input error is one line and exit code 2, and so is anything
    unexpected (a crash must never exit 1, which CI reads as "breaking")."""
    try:
        app(standalone_mode=True)
    except InputError as err:
        _fail(f"schemadiff: error: {err}")
    except KeyboardInterrupt:
        _fail("schemadiff: interrupted", 130)
    except SystemExit as done:
        if done.code == 1 and _closed_pipe(done):
            _fail("schemadiff: error: <stdout>: cannot write: Broken pipe")
        if done.code == 1 and not _VERDICT:   # e.g. click's Abort on an end of input
            _fail("schemadiff: error: aborted before a report was finished")
        raise
    except Exception as err:  # noqa: BLE001 - the last line of defence, by design
        if debugging():
            traceback.print_exc()
        detail = " ".join(str(err).split())[:300]
        _fail(f"schemadiff: internal error: {type(err).__name__}{': ' if detail else ''}{detail}; "
              "run with --debug for the traceback")


def _closed_pipe(done: SystemExit) -> bool:
    """Whether typer or rich turned a closed pipe (while printing --help, say) into exit 1: rich
    raises it from ``Console.on_broken_pipe``, typer after wrapping standard output."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    frame = done.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_name == "on_broken_pipe":
            return True
        frame = frame.tb_next
    return False


def _fail(line: str, code: int = 2) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code) if _stdout_is_broken() else sys.exit(code)


def _stdout_is_broken() -> bool:
    """Whether flushing standard output at exit would fail again (a full disk, a closed pipe)."""
    try:
        sys.stdout.flush()
        return False
    except (OSError, ValueError):
        return True
