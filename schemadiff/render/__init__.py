"""Renderers: one per output format, each writing a report to a text stream.

``RENDERERS`` maps a format name to its function; its keys are also the choices of ``--format``. A
renderer's module is imported only when its format is used, so ``--format json`` never pays for
rich, jinja2 or the CI formats' helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TextIO

from schemadiff.registry import LazyRegistry
from schemadiff.report import Report

RENDERERS: Mapping[str, Callable[[Report, TextIO], None]] = LazyRegistry({
    "text": "schemadiff.render.text:render",
    "markdown": "schemadiff.render.markdown:render",
    "html": "schemadiff.render.html:render",
    "json": "schemadiff.render.json_out:render",
    "github": "schemadiff.render.ci:render_github",
    "junit": "schemadiff.render.ci:render_junit",
    "sarif": "schemadiff.render.ci:render_sarif",
    "gitlab": "schemadiff.render.ci:render_gitlab",
})

#: ``schemadiff rules --format``: the rule catalogue (render/catalogue.py)
CATALOGUE_FORMATS: Mapping[str, Callable[[TextIO], None]] = LazyRegistry({
    "text": "schemadiff.render.catalogue:render_text",
    "markdown": "schemadiff.render.catalogue:render_markdown",
    "json": "schemadiff.render.catalogue:render_json",
})
