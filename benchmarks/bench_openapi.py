"""Real OpenAPI / Swagger pairs from ../shared/corpora: wall time and peak memory of the CLI, and
compare() against json.load of both files and against a plain DeepDiff, measured in one run.

    python benchmarks/bench_openapi.py [--repeat 3] [--no-deepdiff]

Targets (issue 6): every pair finishes; compare() within 10x of parsing both files; peak memory under
10x the size of the two files; faster than DeepDiff(old, new), which has no semantics at all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from timing import best  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
PAIRS = [("stripe/spec3.v126.json", "stripe/spec3.v127.json"),
         ("github/api.github.com.v1.0.0.json", "github/api.github.com.v4.0.0.json"),
         ("github/api.github.com.v6.7.0.json", "github/api.github.com.v6.7.1.json"),
         ("kubernetes/swagger.k8s-v1.11.3.json", "kubernetes/swagger.k8s-v1.12.3.json")]


GNU_TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None


def cli_run(old: Path, new: Path) -> tuple[float, int, int]:
    """Wall seconds, peak resident kilobytes and exit code of one CLI run (JSON output).

    GNU time measures the peak of the CLI alone; without it, wait4's figure also counts the pages
    of this (large) benchmark process that the child had before it started schemadiff."""
    command = [sys.executable, "-m", "schemadiff", "diff", str(old), str(new), "--format", "json",
               "--fail-on", "none"]
    start = time.perf_counter()
    if GNU_TIME:
        result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = int(result.stderr.strip().splitlines()[-1])
        return time.perf_counter() - start, peak, result.returncode
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-deepdiff", action="store_true")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit("needs ../shared/corpora beside the clone")
    from deepdiff import DeepDiff

    import schemadiff

    print(f"{'pair':<52} {'MB':>5} {'cli s':>6} {'peak MB':>8} {'x size':>7} {'parse ms':>9} "
          f"{'compare ms':>10} {'x parse':>8} {'deepdiff s':>10} {'x deepdiff':>10} changes")
    for old_name, new_name in PAIRS:
        old, new = CORPORA / old_name, CORPORA / new_name
        size = (old.stat().st_size + new.stat().st_size) / 1e6
        wall, peak_kb, code = min(cli_run(old, new) for _ in range(args.repeat))
        parse = best(lambda: (json.loads(old.read_bytes()), json.loads(new.read_bytes())),
                     args.repeat)
        compare = best(lambda: schemadiff.compare(old, new), args.repeat)
        changes = len(schemadiff.compare(old, new).changes)
        if args.no_deepdiff:
            plain, ratio = float("nan"), float("nan")
        else:
            a, b = json.loads(old.read_bytes()), json.loads(new.read_bytes())
            plain = best(lambda: DeepDiff(a, b), 1)
            ratio = compare / plain
        label = f"{old_name.split('/')[-1]} -> {new_name.split('/')[-1]}"
        print(f"{label:<52} {size:5.1f} {wall:6.2f} {peak_kb / 1024:8.0f} "
              f"{peak_kb / 1024 / size:7.1f} {parse * 1000:9.0f} {compare * 1000:10.0f} "
              f"{compare / parse:8.1f} {plain:10.2f} {ratio:10.2f} {changes}"
              + ("" if code == 0 else f"  (exit {code})"))


if __name__ == "__main__":
    main()
