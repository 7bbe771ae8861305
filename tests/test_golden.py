"""Rendered outputs of the sample pairs, compared with golden files.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden`` and review
the diff like any other change.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, run_cli

GOLDEN = ROOT / "tests" / "golden"
SCENARIOS = {
    "heroku-0.5.0-0.6.0": (SEED_OLD, SEED_NEW),
    "order-event": ("samples/jsonschema/order-v1.json", "samples/jsonschema/order-v2.yaml"),
}
FORMATS = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(scenario, fmt, update_golden):
    old, new = SCENARIOS[scenario]
    result = run_cli("diff", old, new, "--format", fmt)
    assert result.returncode == 1, result.stderr
    golden = GOLDEN / scenario / f"report.{FORMATS[fmt]}"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
