"""The command line: parse arguments into Options, run, render, exit. The only place that exits.

Exit codes: 0 no change at or above ``--fail-on``; 1 there is one; 2 bad usage or bad input (one line
on standard error, never a traceback).
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from enum import Enum
from typing import Optional

import typer

from schemadiff import __version__
from schemadiff.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="What changed between two versions of a schema, and whether it breaks anyone.")

# choices come from the registries, so a new format or kind appears here by itself
from schemadiff.kinds import KINDS  # noqa: E402
from schemadiff.render import RENDERERS  # noqa: E402
from schemadiff.render.catalogue import FORMATS as CATALOGUE_FORMATS  # noqa: E402
from schemadiff.report import FAIL_ON  # noqa: E402

Format = Enum("Format", {name: name for name in RENDERERS}, type=str)
Kind = Enum("Kind", {name: name for name in KINDS}, type=str)
FailOn = Enum("FailOn", {name: name for name in FAIL_ON}, type=str)
Compat = Enum("Compat", {name: name for name in ("backward", "forward", "full")}, type=str)
HistoryFormat = Enum("HistoryFormat", {name: name for name in ("markdown", "html", "json")},
                     type=str)
CatalogueFormat = Enum("CatalogueFormat", {name: name for name in CATALOGUE_FORMATS}, type=str)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"schemadiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """What changed between two versions of a schema, and whether it breaks anyone."""


@app.command()
def diff(
    old: str = typer.Argument(..., help="The old schema: a file, or - for standard input."),
    new: str = typer.Argument(..., help="The new schema: a file, or - for standard input."),
    format: Format = typer.Option("text", "--format", "-f", help="Output format."),
    output: Optional[str] = typer.Option(None, "--output", "-o",
                                         help="Write here (atomically) instead of standard output."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", show_default="breaking",
                                             help="Exit 1 when a change is at least this severe."),
    kind: Optional[Kind] = typer.Option(None, "--kind", help="Force the document kind."),
    compat: Optional[Compat] = typer.Option(None, "--compat", show_default="backward",
                                            help="Plain JSON Schema: which way data must stay "
                                                 "readable."),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict", show_default=False,
                                          help="Pure set semantics too: judge by what validators "
                                               "accept."),
    allow_outside_refs: Optional[bool] = typer.Option(
        None, "--allow-outside-refs", help="Follow relative $refs outside the schema's folder."),
    allow_remote_refs: Optional[bool] = typer.Option(
        None, "--allow-remote-refs", help="Download $refs to http(s) addresses (never by default: "
                                          "they are compared by address)."),
    config: Optional[str] = typer.Option(None, "--config",
                                         help="Configuration file (default: .schemadiff.toml or "
                                              "pyproject.toml [tool.schemadiff], found upwards)."),
    old_version: Optional[str] = typer.Option(None, "--old-version",
                                              help="Version of OLD, for the semver check."),
    new_version: Optional[str] = typer.Option(None, "--new-version",
                                              help="Version of NEW, for the semver check."),
    repo: Optional[str] = typer.Option(None, "--repo",
                                       help="The git repository for REV:PATH inputs (default: "
                                            "the one around the current folder)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS",
                                            help="Give up (exit 2) after this many seconds."),
) -> None:
    """Compare two versions of a schema. Each is a file, - (standard input) or REV:PATH (a file as
    it is in a git revision: v0.5.0:schema.json, HEAD~1:api/openapi.yaml)."""
    from schemadiff.output import emit
    from schemadiff.pipeline import Options, run

    if old == "-" and new == "-":
        raise InputError("only one of OLD and NEW can be standard input")
    options = Options(kind=kind.value if kind else None, compat=compat.value if compat else None,
                      strict=strict, fail_on=fail_on.value if fail_on else None,
                      allow_outside_refs=allow_outside_refs, allow_remote_refs=allow_remote_refs,
                      config=config, old_version=old_version, new_version=new_version, repo=repo,
                      timeout=timeout)
    report = run(old, new, options)
    buffer = io.StringIO()
    RENDERERS[format.value](report, buffer)
    emit(buffer.getvalue(), output)
    raise typer.Exit(report.exit_code)


@app.command()
def check(
    files: list[str] = typer.Argument(None, help="Schema files in the work tree."),
    rev: str = typer.Option("HEAD", "--rev", help="The revision to compare each file against."),
    format: Format = typer.Option("text", "--format", "-f", help="Output format."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", show_default="breaking",
                                             help="Exit 1 when a change is at least this severe."),
    config: Optional[str] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """Compare each file with its version at a revision (HEAD by default): the pre-commit hook.
    Files the revision does not have yet are new, and skipped."""
    from schemadiff.gitsource import revision_exists
    from schemadiff.pipeline import Options, run

    worst = 0
    for name in files or []:
        spec = f"{rev}:{name}"
        if not revision_exists(spec, None):
            continue
        report = run(spec, name, Options(fail_on=fail_on.value if fail_on else None, config=config))
        buffer = io.StringIO()
        RENDERERS[format.value](report, buffer)
        sys.stdout.write(buffer.getvalue())
        worst = max(worst, report.exit_code)
    raise typer.Exit(worst)


@app.command()
def changelog(
    path: str = typer.Argument(..., help="The schema's path in the repository."),
    repo: Optional[str] = typer.Option(None, "--repo", help="The git repository (default: the "
                                                            "one around the current folder)."),
    since: Optional[str] = typer.Option(None, "--from", help="Start after this tag."),
    until: Optional[str] = typer.Option(None, "--to", help="End at this tag; a branch or HEAD adds "
                                                           "an Unreleased section."),
    tags: Optional[str] = typer.Option(None, "--tags", help="Tags to use (glob; default: every "
                                                            "version-like tag)."),
    format: HistoryFormat = typer.Option("markdown", "--format", "-f", help="Output format."),
    output: Optional[str] = typer.Option(None, "--output", "-o",
                                         help="Write here (atomically) instead of standard output."),
    config: Optional[str] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """Release notes across a git history: one section per tag, newest first."""
    from schemadiff.changelog import build_history
    from schemadiff.output import emit
    from schemadiff.pipeline import Options
    from schemadiff.render.history import HISTORY_FORMATS

    with progress_bar() as advance:
        history = build_history(path, repo_folder=repo, since=since, until=until, tags=tags,
                                options=Options(config=config), progress=advance)
    buffer = io.StringIO()
    HISTORY_FORMATS[format.value](history, buffer)
    emit(buffer.getvalue(), output)


@contextmanager
def progress_bar():
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
    buffer = io.StringIO()
    CATALOGUE_FORMATS[format.value](buffer)
    sys.stdout.write(buffer.getvalue())


def main() -> None:
    """Entry point: run the app, turning input errors into one line and exit code 2."""
    try:
        app(standalone_mode=True)
    except InputError as err:
        sys.stderr.write(f"schemadiff: error: {err}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("schemadiff: interrupted\n")
        sys.exit(130)
