"""The text report off a terminal is written without rich, and says exactly what rich prints on a
terminal, styles aside: the same characters, control characters written visibly (issues 9, 15)."""

from __future__ import annotations

import copy
import dataclasses
import io
import re

import schemadiff
from conftest import SEED_NEW, SEED_OLD
from schemadiff.render import text

STYLES = re.compile(r"\x1b\[[0-9;]*m")
HOSTILE = ["tab\there 中\tx", "bell\x07 back\x08 cr\r ff\x0c vt\x0b", "[bold]not markup[/bold] \\[x]",
           "`code` and `more`", "kept \\[ backslash", "trailing backslash \\", "line\nbreak", "[/]",
           "é → ü"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def hostile_report():
    report = schemadiff.compare(SEED_OLD, SEED_NEW)
    report.warnings = list(HOSTILE)
    hostile = [dataclasses.replace(change, message=value, field=value, resource=value)
               for change, value in zip(report.changes, HOSTILE * 3, strict=False)]
    return dataclasses.replace(report, changes=hostile + report.changes[len(hostile):])


def test_plain_text_is_what_rich_prints_without_its_styles(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("COLUMNS", "100")   # the terminal's width, as wide as text off a terminal
    report = hostile_report()
    plain, styled = io.StringIO(), Terminal()
    text.render(report, plain)
    text.render(copy.deepcopy(report), styled)
    assert "\x1b[" in styled.getvalue()          # the terminal got rich's styles
    assert "\x1b[" not in plain.getvalue()
    assert STYLES.sub("", styled.getvalue()) == plain.getvalue()
    assert "\t" not in plain.getvalue() and "\ntab\\there 中\\tx\n" in plain.getvalue()
    assert "bell\\x07 back\\x08 cr\\r ff\\x0c vt\\x0b" in plain.getvalue()
    assert "line\\nbreak" in plain.getvalue()
    assert "[bold]not markup[/bold] \\[x]" in plain.getvalue()   # shown as written, not as markup
    assert "kept \\[ backslash" in plain.getvalue()


def test_force_color_asks_for_styles_like_rich_does(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    out = io.StringIO()
    text.render(schemadiff.compare(SEED_OLD, SEED_NEW), out)
    assert "\x1b[" in out.getvalue()
