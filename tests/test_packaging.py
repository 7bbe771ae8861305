"""A normal (non-editable) wheel carries the templates, and renders from them outside a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT, SEED_NEW, SEED_OLD


def test_wheel_ships_templates_and_renders_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path / "dist"), str(ROOT)], check=True,
                   capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("schemadiff-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "schemadiff/templates/changelog.md.j2" in names
    assert "schemadiff/templates/report.html.j2" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = ("import sys, schemadiff; from schemadiff.render import RENDERERS;"
              "r = schemadiff.compare(sys.argv[1], sys.argv[2]);"
              "print(schemadiff.__file__); RENDERERS['html'](r, sys.stdout)")
    result = subprocess.run([sys.executable, "-c", script, str(ROOT / SEED_OLD), str(ROOT / SEED_NEW)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    first, page = result.stdout.split("\n", 1)
    assert first.startswith(str(target))
    assert page.startswith("<!DOCTYPE html>")
