"""A registry whose names are known up front and whose values are imported on first use.

The command line needs every format's and kind's *name* at start-up (choices, ``--help``) but only
the one the user picked: ``schemadiff --version`` must not import rich, jinja2 or the kinds' readers.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any


class LazyRegistry(Mapping):
    """``{name: "package.module:attribute"}``; looking a name up imports its module then."""

    def __init__(self, targets: dict[str, str]):
        self._targets = dict(targets)
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            module, attribute = self._targets[name].split(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def __repr__(self) -> str:
        return f"LazyRegistry({list(self._targets)})"
