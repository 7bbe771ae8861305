"""How fast is compare(), measured against parsing and against a plain DeepDiff, in one run.

    python benchmarks/bench_compare.py            # seed pair, scaling 1x/4x/16x, the whole CLI
    python benchmarks/bench_compare.py --repeat 5

Absolute times on shared machines are noisy; the ratios, measured side by side in one process, are
the figures to compare. The synthetic schemas are the seed pair with every resource copied k times
under new names (references rewritten to stay inside each copy), so they carry the same kind of
change at k times the size.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from deepdiff import DeepDiff  # noqa: E402

import schemadiff  # noqa: E402
from timing import best  # noqa: E402

OLD = ROOT / "samples/heroku/platform-api-0.5.0.json"
NEW = ROOT / "samples/heroku/platform-api-0.6.0.json"



def scaled(document: dict, copies: int) -> dict:
    """The document with every definition copied ``copies`` times, references kept inside a copy."""
    if copies == 1:
        return document
    text = json.dumps(document["definitions"])
    definitions = {}
    for k in range(copies):
        suffix = "" if k == 0 else f"-copy{k}"
        copy = re.sub(r'"#/definitions/([^/"]+)', lambda m: f'"#/definitions/{m.group(1)}{suffix}', text)
        for name, value in json.loads(copy).items():
            definitions[f"{name}{suffix}"] = value
    return dict(document, definitions=definitions)


def load_both(old: Path, new: Path):
    with open(old, encoding="utf-8") as a, open(new, encoding="utf-8") as b:
        return json.load(a), json.load(b)


def measure(old: Path, new: Path, repeat: int, deepdiff: bool = True) -> dict:
    """compare() of two files (reading and parsing included) against json.load of the same files."""
    parse = best(lambda: load_both(old, new), repeat)
    compare = best(lambda: schemadiff.compare(old, new), repeat)
    row = {"bytes": old.stat().st_size + new.stat().st_size, "parse_s": parse, "compare_s": compare,
           "compare_over_parse": compare / parse}
    if deepdiff:
        old_doc, new_doc = load_both(old, new)
        plain = best(lambda: DeepDiff(old_doc, new_doc), max(1, repeat // 2))
        row.update(deepdiff_s=plain, compare_over_deepdiff=compare / plain)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    old_doc, new_doc = load_both(OLD, NEW)
    print("seed pair (platform-api 0.5.0 -> 0.6.0):")
    seed = measure(OLD, NEW, args.repeat)
    print(f"  json.load both   {seed['parse_s'] * 1000:8.1f} ms")
    print(f"  compare()        {seed['compare_s'] * 1000:8.1f} ms   "
          f"{seed['compare_over_parse']:.1f}x parsing")
    print(f"  DeepDiff(old,new){seed['deepdiff_s'] * 1000:8.1f} ms   "
          f"compare() takes {seed['compare_over_deepdiff']:.2f}x DeepDiff's time")

    cli = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "schemadiff", "diff", str(OLD), str(NEW),
                        "--format", "json"], capture_output=True, cwd=ROOT, check=False)
        cli.append(time.perf_counter() - start)
    print(f"  whole CLI (json) {min(cli) * 1000:8.1f} ms (best of {args.repeat}, "
          f"median {statistics.median(cli) * 1000:.1f} ms)")

    print("\nscaling (synthetic: every resource copied k times):")
    print(f"  {'size':>5} {'bytes':>10} {'parse ms':>9} {'compare ms':>11} {'x parse':>8} "
          f"{'ms per 100 KB':>14}")
    folder = Path(tempfile.mkdtemp(prefix="schemadiff-bench-"))
    for copies in (1, 4, 16):
        old, new = folder / f"old-{copies}.json", folder / f"new-{copies}.json"
        old.write_text(json.dumps(scaled(old_doc, copies), indent=1))
        new.write_text(json.dumps(scaled(new_doc, copies), indent=1))
        row = measure(old, new, args.repeat, deepdiff=False)
        report = schemadiff.compare(old, new)
        per = row["compare_s"] * 1000 / (row["bytes"] / 100_000)
        print(f"  {copies:>4}x {row['bytes']:>10} {row['parse_s'] * 1000:9.1f} "
              f"{row['compare_s'] * 1000:11.1f} {row['compare_over_parse']:8.1f} {per:14.2f}"
              f"   ({len(report.changes)} changes)")


if __name__ == "__main__":
    main()
