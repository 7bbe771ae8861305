"""The changelog over the whole Heroku platform-api history (34 tags with a schema), end to end.

    python benchmarks/bench_history.py        # needs ../shared/corpora/heroku beside the clone

Builds a git repository from ../shared/corpora/heroku/TAGS.txt (one commit per tag, as the
test does), then times ``build_history`` over the first 9, 17 and all 35 tags, against parsing every
schema version in the same run. Growth should be linear in the number of versions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from schemadiff.changelog import build_history  # noqa: E402
from schemadiff.pipeline import Request  # noqa: E402
from test_changelog import build_history_repo  # noqa: E402

SHARED = ROOT.parent / "shared"


def _text(folder: Path, tag: str) -> bytes:
    return subprocess.run(["git", "show", f"{tag}:schema.json"], cwd=folder, capture_output=True,
                          check=True).stdout


def main() -> None:
    if not (SHARED / "corpora" / "heroku" / "TAGS.txt").is_file():
        sys.exit("needs ../shared/corpora/heroku beside the clone")
    folder = Path(tempfile.mkdtemp(prefix="schemadiff-history-"))
    start = time.perf_counter()
    tags = build_history_repo(SHARED, folder)
    print(f"built a repository of {len(tags)} tags in {time.perf_counter() - start:.1f} s")
    files = sorted({row["file"] for row in tags if row["file"] != "-"})
    start = time.perf_counter()
    for name in files:
        json.loads((SHARED / "corpora" / name).read_text())
    parse = time.perf_counter() - start
    print(f"json.load of the {len(files)} distinct versions: {parse * 1000:.0f} ms "
          f"({parse / len(files) * 1000:.1f} ms per version)")
    names = [row["tag"] for row in tags]
    ordered = sorted(names, key=lambda n: [int(p) if p.isdigit() else -1 for p in
                                           n[1:].replace("pre", "-1").split(".")])
    print(f"{'tags':>5} {'compared':>9} {'seconds':>8} {'ms/compared':>12} {'x parse/version':>16} "
          f"{'ms per MB':>10}")
    for count in (9, 17, len(ordered)):
        last = ordered[count - 1]
        start = time.perf_counter()
        history = build_history("schema.json", repo_folder=str(folder), until=last,
                                request=Request(find_config=False))
        seconds = time.perf_counter() - start
        compared = sum(1 for r in history.releases if r.report is not None)
        size = sum(len(_text(folder, r.tag)) for r in history.releases)
        per = seconds / max(compared, 1)
        print(f"{count:>5} {compared:>9} {seconds:8.2f} {per * 1000:12.0f} "
              f"{per / (parse / len(files)):16.1f} {seconds * 1000 / (size / 1e6):10.0f}")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "schemadiff", "changelog", "schema.json",
                             "--format", "markdown"], cwd=folder, capture_output=True, text=True)
    print(f"whole CLI, all tags, Markdown: {time.perf_counter() - start:.2f} s, "
          f"{len(result.stdout.splitlines())} lines")


if __name__ == "__main__":
    main()
