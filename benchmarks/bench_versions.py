"""compare() of this checkout against the same at another git revision, on the four big OpenAPI pairs:
the regression check of a change ("compare() stays within 1.2x of the time before").

    python benchmarks/bench_versions.py c5a4747              # 8 rounds
    python benchmarks/bench_versions.py HEAD~3 --rounds 4 --pairs github

The other revision is checked out in a temporary git worktree and run with this interpreter (its
dependencies must be installed here). Each round runs one fresh process per checkout and pair,
alternating (the first of the two changes each round), so that a slow spell of the machine hits
both; the child checks that it imports the checkout it measures. Each process compares once to warm up
(imports, caches of the interpreter), then times compare() three times in CPU seconds. Reported:
the least and the median over all rounds, and their ratios (this checkout / the other).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
PAIRS = {"stripe": ("stripe/spec3.v126.json", "stripe/spec3.v127.json"),
         "github": ("github/api.github.com.v1.0.0.json", "github/api.github.com.v4.0.0.json"),
         "github-6.7": ("github/api.github.com.v6.7.0.json", "github/api.github.com.v6.7.1.json"),
         "kubernetes": ("kubernetes/swagger.k8s-v1.11.3.json", "kubernetes/swagger.k8s-v1.12.3.json")}

_CHILD = """import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import schemadiff
if not schemadiff.__file__.startswith(sys.argv[1]):
    sys.exit(f"measured {schemadiff.__file__}, not the checkout at {sys.argv[1]}")
old, new = sys.argv[2], sys.argv[3]
schemadiff.compare(old, new)
times = []
for _ in range(3):
    gc.collect()
    start = time.process_time()
    schemadiff.compare(old, new)
    times.append(time.process_time() - start)
print(json.dumps(times))
"""


def timings(checkout: Path, old: Path, new: Path) -> list[float]:
    result = subprocess.run([sys.executable, "-c", _CHILD, str(checkout), str(old), str(new)],
                            capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision to measure against")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--pairs", default=",".join(PAIRS), help=f"some of {', '.join(PAIRS)}")
    args = parser.parse_args()
    chosen = [name for name in args.pairs.split(",") if name]
    unknown = [name for name in chosen if name not in PAIRS]
    if unknown or not CORPORA.is_dir():
        sys.exit(f"unknown pairs: {', '.join(unknown)}" if unknown else f"no corpora at {CORPORA}")
    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(other), args.revision],
                       cwd=ROOT, check=True)
        try:
            results: dict[tuple[str, str], list[float]] = {}
            checkouts = [("other", other), ("this", ROOT)]
            for round_ in range(args.rounds):
                for name in chosen:
                    old, new = (CORPORA / part for part in PAIRS[name])
                    # which runs first changes every round: neither always gets the warmer machine
                    for label, checkout in checkouts[::-1] if round_ % 2 else checkouts:
                        results.setdefault((name, label), []).extend(timings(checkout, old, new))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                           check=False)
    print(f"compare() CPU seconds, {args.rounds} rounds x 3: {args.revision} -> this checkout")
    print(f"{'pair':12} {'least':>15} {'median':>15} {'ratio least':>12} {'ratio median':>13}")
    for name in chosen:
        before, after = results[(name, "other")], results[(name, "this")]
        least = (min(before), min(after))
        middle = (statistics.median(before), statistics.median(after))
        print(f"{name:12} {least[0]:6.3f} -> {least[1]:6.3f} {middle[0]:6.3f} -> {middle[1]:6.3f} "
              f"{least[1] / least[0]:11.2f}x {middle[1] / middle[0]:12.2f}x")


if __name__ == "__main__":
    main()
