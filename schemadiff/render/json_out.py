"""JSON: the machine contract (docs/json.md)."""

from __future__ import annotations

import json
from typing import TextIO

from schemadiff.report import Report


def render(report: Report, stream: TextIO) -> None:
    json.dump(report.as_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
