"""Shared test helpers: run the real CLI, find the shared corpora, update golden files on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# an example that cannot be built must show up as a failure here, not be skipped quietly
os.environ["SCHEMADIFF_DEBUG_EXAMPLES"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED_OLD = "samples/heroku/platform-api-0.5.0.json"
SEED_NEW = "samples/heroku/platform-api-0.6.0.json"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def run_cli(*args: str, stdin: str | None = None, cwd: Path = ROOT, env: dict | None = None,
            timeout: float = 300):
    """Run ``python -m schemadiff`` as a user would; returns the CompletedProcess."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    environment.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "schemadiff", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, env=environment, timeout=timeout)


def git(folder: Path, *args: str, date: str | None = None):
    """Run git in a test repository as a fixed author; ``date`` (2016-03-09) dates the commit."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00Z", GIT_COMMITTER_DATE=f"{date}T12:00:00Z")
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single line an error is allowed on standard error."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def run_json(*args: str, **kwargs) -> tuple[int, dict]:
    result = run_cli(*args, "--format", "json", **kwargs)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def shared() -> Path:
    """The shared corpora beside the clone; tests that need them skip where they are absent."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared/corpora is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def seed_report() -> dict:
    code, report = run_json("diff", SEED_OLD, SEED_NEW)
    report["_exit"] = code
    return report
