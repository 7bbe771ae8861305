"""The text report under a real terminal (a pty) and through a pipe: colour where it is asked for
and only there (``--color``, ``NO_COLOR``, ``FORCE_COLOR``), lines wrapped to the terminal's width."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, run_cli

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
#: what a user's shell may set; each test states what it needs
COLOUR_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "GITHUB_STEP_SUMMARY")


def on_a_terminal(*args: str, env: dict | None = None, columns: int = 132) -> tuple[int, str]:
    """Run the CLI with standard output on a pseudo-terminal ``columns`` wide, as in a shell."""
    environment = {k: v for k, v in os.environ.items() if k not in COLOUR_VARIABLES}
    environment.update({"TERM": "xterm-256color", **(env or {})})
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "schemadiff", *args], stdout=slave,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT,
                               env=environment)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # the other end closed (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait(timeout=120)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def through_a_pipe(*args: str, env: dict | None = None):
    clean = dict.fromkeys(COLOUR_VARIABLES, "")
    result = run_cli(*args, env={**clean, **(env or {})})
    return result.returncode, result.stdout


def test_a_terminal_gets_colour_and_a_pipe_none():
    code, shown = on_a_terminal("diff", SEED_OLD, SEED_NEW)
    assert code == 1
    assert "\x1b[1;31mbreaking\x1b[0m" in shown          # bold red
    assert "\x1b[33mdangerous\x1b[0m" in shown            # yellow
    code, piped = through_a_pipe("diff", SEED_OLD, SEED_NEW)
    assert code == 1 and "\x1b" not in piped
    counts = "2 breaking · 3 dangerous · 36 safe · 11 info"
    assert counts in ESCAPE.sub("", shown).splitlines() and counts in piped.splitlines()


def test_color_always_colours_a_pipe_and_never_leaves_a_terminal_plain():
    code, piped = through_a_pipe("diff", SEED_OLD, SEED_NEW, "--color", "always")
    assert code == 1 and "\x1b[1;31mbreaking\x1b[0m" in piped
    code, shown = on_a_terminal("diff", SEED_OLD, SEED_NEW, "--color", "never")
    assert code == 1 and "\x1b" not in shown and "breaking" in shown


def test_no_color_turns_auto_off_but_not_always():
    code, shown = on_a_terminal("diff", SEED_OLD, SEED_NEW, env={"NO_COLOR": "1"})
    assert code == 1 and "\x1b" not in shown and "breaking" in shown
    _, forced = on_a_terminal("diff", SEED_OLD, SEED_NEW, "--color", "always",
                              env={"NO_COLOR": "1"})
    assert "\x1b[1;31mbreaking" in forced


def test_force_color_colours_a_pipe_under_auto_only():
    code, piped = through_a_pipe("diff", SEED_OLD, SEED_NEW, env={"FORCE_COLOR": "1"})
    assert code == 1 and "\x1b[1;31mbreaking" in piped
    code, never = through_a_pipe("diff", SEED_OLD, SEED_NEW, "--color", "never",
                                 env={"FORCE_COLOR": "1"})
    assert code == 1 and "\x1b" not in never and "breaking" in never


@pytest.mark.parametrize("columns", [80, 132])
def test_lines_fit_the_terminal(columns):
    _, shown = on_a_terminal("diff", SEED_OLD, SEED_NEW, columns=columns)
    lines = ESCAPE.sub("", shown).splitlines()
    assert max(len(line) for line in lines) <= columns
    assert any(len(line) > columns - 12 for line in lines)   # and use it
    # a wrapped change goes on under its message, its rule id and place unbroken
    assert "request-property-removed-from-closed-object;" in shown


def test_a_pipe_is_100_columns_wide_whatever_the_terminal_said():
    _, piped = through_a_pipe("diff", SEED_OLD, SEED_NEW, env={"COLUMNS": "300"})
    assert max(len(line) for line in piped.splitlines()) <= 100


def test_github_v1_v4_text_fits_in_120_columns_and_starts_with_its_breaks(shared):
    folder = shared / "corpora" / "github"
    result = run_cli("diff", "api.github.com.v1.0.0.json", "api.github.com.v4.0.0.json", cwd=folder)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if len(line) > 120] == []   # 2,050 of 3,115 before
    assert sum(len(line) > 100 for line in lines) <= 5          # a path too long to break
    counts = re.search(r"^result: breaking \(exit code 1\) · (\d+) breaking · (\d+) dangerous",
                       result.stdout, re.M)
    notable = int(counts.group(1)) + int(counts.group(2))
    assert f"\n=== Breaking and dangerous changes ({notable}) ===\n" in "\n".join(lines[:8])
    first_screen = "\n".join(lines[:40])
    assert "breaking  " in first_screen and "safe      " not in first_screen
