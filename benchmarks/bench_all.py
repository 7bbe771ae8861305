"""Every performance figure of issue 15 in one run: real pairs, a size sweep, a change-count sweep
and the whole CLI, each against a floor measured side by side (json.load of both files).

    python benchmarks/bench_all.py                 # everything (a few minutes on 2 cores)
    python benchmarks/bench_all.py --quick         # smaller sweeps, fewer repeats
    python benchmarks/bench_all.py --only pairs,cli

Needs ../shared/corpora beside the clone (the Heroku seed pair is in samples/). Absolute times on a
shared machine drift; the ratios are the figures to quote. Each sweep point runs in a fresh process so
its peak memory (ru_maxrss) is its own, reading and parsing included.

Targets (issue 15): compare() <= 5x json.load of both files on every real pair; the CLI with
--format json <= 2x a ``python -c`` that only loads both files; time and memory per record constant
within 1.5x over the change-count sweep; time per MB within 1.3x over the size sweep; peak RSS
<= 5x the input + 30 MB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
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

from timing import best_cpu as best  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
PAIRS = [("Heroku seed", ROOT / "samples/heroku/platform-api-0.5.0.json",
          ROOT / "samples/heroku/platform-api-0.6.0.json"),
         ("Stripe v126->v127", CORPORA / "stripe/spec3.v126.json", CORPORA / "stripe/spec3.v127.json"),
         ("GitHub v1->v4", CORPORA / "github/api.github.com.v1.0.0.json",
          CORPORA / "github/api.github.com.v4.0.0.json"),
         ("GitHub 6.7.0->6.7.1", CORPORA / "github/api.github.com.v6.7.0.json",
          CORPORA / "github/api.github.com.v6.7.1.json"),
         ("Kubernetes 1.11.3->1.12.3", CORPORA / "kubernetes/swagger.k8s-v1.11.3.json",
          CORPORA / "kubernetes/swagger.k8s-v1.12.3.json")]
STRIPE_OLD, STRIPE_NEW = PAIRS[1][1], PAIRS[1][2]
MB = 1024 * 1024


def load_both(old: Path, new: Path) -> tuple:
    with open(old, encoding="utf-8") as a, open(new, encoding="utf-8") as b:
        return json.load(a), json.load(b)


# -- documents for the sweeps ------------------------------------------------------------------

_SCHEMA_REF = re.compile(r'"#/components/schemas/([^"]+)"')


def copied(document: dict, copies: int) -> dict:
    """An OpenAPI document with every path and component schema copied ``copies`` times under new
    names, references rewritten to stay inside each copy: the same content at k times the size."""
    if copies == 1:
        return document
    paths: dict = {}
    schemas: dict = {}
    for k in range(copies):
        suffix = "" if k == 0 else f"_copy{k}"
        text = json.dumps({"paths": document["paths"], "schemas": document["components"]["schemas"]})
        if suffix:
            text = _SCHEMA_REF.sub(lambda m: f'"#/components/schemas/{m.group(1)}{suffix}"', text)
        part = json.loads(text)
        for name, item in part["paths"].items():
            prefix = "" if k == 0 else f"/copy{k}"
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] += suffix
            paths[prefix + name] = item
        for name, schema in part["schemas"].items():
            schemas[name + suffix] = schema
    components = dict(document["components"], schemas=schemas)
    return dict(document, paths=paths, components=components)


def edited(document: dict, edits: int) -> dict:
    """The document with the descriptions of the first ``edits`` properties of component schemas
    changed (in a fixed order): one change record each, many of them reached by several endpoints."""
    changed = json.loads(json.dumps(document))
    done = 0
    for schema in changed["components"]["schemas"].values():
        for prop in (schema.get("properties") or {}).values():
            if done == edits:
                return changed
            if isinstance(prop, dict):
                prop["description"] = f"{prop.get('description', '')} (edit {done})"
                done += 1
    if done < edits:
        raise SystemExit(f"the document has only {done} properties to edit, not {edits}")
    return changed


# -- one measured point in a fresh process -----------------------------------------------------

def point(old: str, new: str) -> None:
    """Child mode: compare() once (reading and parsing included), then json.load of both files, in
    CPU seconds (steadier than wall time on a shared machine); prints them and the records as JSON."""
    import schemadiff

    start = time.process_time()
    report = schemadiff.compare(old, new)
    seconds = time.process_time() - start
    start = time.process_time()
    load_both(Path(old), Path(new))
    parse = time.process_time() - start
    print(json.dumps({"seconds": seconds, "parse": parse, "records": len(report.changes),
                      "reach": sum(max(len(change.endpoints), 1) for change in report.changes)}))


# Linux carries a process's peak RSS across fork and exec, so a child started straight from this
# (large) process would report this process's peak: a small launcher process starts each measured
# command instead and reports the command's own CPU time, wall time and peak RSS on stderr.
_LAUNCHER = """import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": time.perf_counter() - start,
                             "peak": usage.ru_maxrss * 1024, "code": os.waitstatus_to_exitcode(status)}))
"""


def launched(command: list[str]) -> tuple[str, dict]:
    """Standard output of ``command`` and its own figures: cpu and wall seconds, peak bytes."""
    result = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True,
                            text=True, cwd=ROOT, check=True)
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


def measure_point(old: Path, new: Path) -> dict:
    out, figures = launched([sys.executable, __file__, "--point", str(old), str(new)])
    if figures["code"] != 0:
        raise SystemExit(f"the measured run failed (exit {figures['code']})")
    row = json.loads(out.strip().splitlines()[-1])
    row["peak"] = figures["peak"]
    row["bytes"] = old.stat().st_size + new.stat().st_size
    return row


def sweep_row(label: str, row: dict, per_record: bool) -> str:
    size = row["bytes"] / MB
    peak = row["peak"] / MB
    unit = max(row["records"], 1) if per_record else size
    return (f"  {label:>8} {size:7.1f} {row['records']:8} {row['parse'] * 1000:9.0f} "
            f"{row['seconds'] * 1000:10.0f} {row['seconds'] / row['parse']:7.1f} "
            f"{row['seconds'] * 1000 / unit:10.2f} {peak:8.0f} {peak / unit:9.3f} "
            f"{peak / (5 * size + 30):7.2f}")


def sweep_header(unit: str) -> str:
    return (f"  {'':>8} {'MB':>7} {'records':>8} {'parse ms':>9} {'compare ms':>10} {'x parse':>7} "
            f"{'ms/' + unit:>10} {'peak MB':>8} {'MB/' + unit:>9} {'x bound':>7}")


def spread(values: list[float]) -> float:
    return max(values) / min(values)


# -- the sections ------------------------------------------------------------------------------

def pairs(repeat: int, deepdiff: bool) -> None:
    import schemadiff

    print("real pairs: compare() (reading, parsing, examples and locations included) against "
          "json.load of both files (CPU ms, best of the repeats)")
    print(f"  {'pair':<26} {'MB':>5} {'load ms':>8} {'compare ms':>10} {'x load':>7} "
          f"{'deepdiff ms':>11} {'x deepdiff':>10} {'records':>8}")
    worst = 0.0
    for label, old, new in PAIRS:
        if not old.is_file():
            print(f"  {label:<26} (missing: {old})")
            continue
        size = (old.stat().st_size + new.stat().st_size) / MB
        load = best(lambda: load_both(old, new), repeat)
        compare = best(lambda: schemadiff.compare(old, new), repeat)
        records = len(schemadiff.compare(old, new).changes)
        plain = float("nan")
        if deepdiff:
            from deepdiff import DeepDiff
            a, b = load_both(old, new)
            plain = best(lambda: DeepDiff(a, b), 1)
        worst = max(worst, compare / load)
        print(f"  {label:<26} {size:5.1f} {load * 1000:8.0f} {compare * 1000:10.0f} "
              f"{compare / load:7.1f} {plain * 1000:11.0f} {compare / plain:10.2f} {records:8}")
    print(f"  worst compare()/load: {worst:.1f}x (target <= 5x)")


def size_sweep(folder: Path, factors: tuple[int, ...]) -> None:
    print(f"\nsize sweep: Stripe v126->v127, every path and schema copied x{factors[0]}..x{factors[-1]} "
          f"(per MB of both files)")
    print(sweep_header("MB"))
    old_doc, new_doc = load_both(STRIPE_OLD, STRIPE_NEW)
    per_mb = []
    for k in factors:
        old, new = folder / f"size-old-{k}.json", folder / f"size-new-{k}.json"
        old.write_text(json.dumps(copied(old_doc, k), indent=1))
        new.write_text(json.dumps(copied(new_doc, k), indent=1))
        row = measure_point(old, new)
        per_mb.append(row["seconds"] / (row["bytes"] / MB))
        print(sweep_row(f"x{k}", row, per_record=False))
        old.unlink()
        new.unlink()
    print(f"  time per MB spread: {spread(per_mb):.2f}x (target <= 1.3x)")


def change_sweep(folder: Path, counts: tuple[int, ...], copies: int) -> None:
    print(f"\nchange-count sweep: Stripe v126 copied x{copies} against itself, {counts[0]}.."
          f"{counts[-1]} property descriptions edited (per record)")
    print(sweep_header("rec"))
    document = copied(load_both(STRIPE_OLD, STRIPE_OLD)[0], copies)
    old = folder / "changes-old.json"
    old.write_text(json.dumps(document, indent=1))
    rows = []
    for count in counts:
        new = folder / f"changes-new-{count}.json"
        new.write_text(json.dumps(edited(document, count), indent=1))
        rows.append(measure_point(old, new))
        print(sweep_row(str(count), rows[-1], per_record=True))
        new.unlink()
    old.unlink()
    # the document's own cost weighs on every run alike: what the records cost is the growth from
    # one count to the next, per record added (and per endpoint a record reaches: the JSON report
    # lists each, so that is the size of the output)
    print("  marginal cost per record added (and per record-endpoint pair added):")
    per_time, per_memory = [], []
    for before, after in itertools.pairwise(rows):
        added = max(after["records"] - before["records"], 1)
        per_time.append(max(after["seconds"] - before["seconds"], 1e-6) / added)
        per_memory.append(max(after["peak"] - before["peak"], 1) / added)
        pairs = max(after["reach"] - before["reach"], 1)
        print(f"  {before['records']:>6} -> {after['records']:<6} {per_time[-1] * 1000:8.3f} ms/rec "
              f"{per_memory[-1] / 1024:9.1f} KB/rec   {added and pairs / added:7.1f} endpoints/rec "
              f"{(after['seconds'] - before['seconds']) * 1e6 / pairs:7.2f} us/pair "
              f"{(after['peak'] - before['peak']) / pairs:7.0f} B/pair")
    print(f"  spread of the marginal time per record: {spread(per_time):.2f}x, of memory per record: "
          f"{spread(per_memory):.2f}x (target <= 1.5x)")


def child_cpu(command: list[str]) -> tuple[float, float, int]:
    """CPU seconds (user + system), wall seconds and peak RSS bytes of one run of ``command``."""
    _, figures = launched(command)
    return figures["cpu"], figures["wall"], figures["peak"]


def cli(repeat: int) -> None:
    print("\nwhole CLI (fresh processes, CPU seconds, medians; A and B alternate)")
    old, new = STRIPE_OLD, STRIPE_NEW
    floor = [sys.executable, "-c", "import json,sys\nfor p in sys.argv[1:]:\n"
             " with open(p, encoding='utf-8') as f: json.load(f)", str(old), str(new)]
    cases = [("diff --format json, Stripe 4 MB pair", [sys.executable, "-m", "schemadiff", "diff",
              str(old), str(new), "--format", "json", "--fail-on", "none"], floor),
             ("diff (text, to a pipe), Stripe 4 MB pair", [sys.executable, "-m", "schemadiff", "diff",
              str(old), str(new), "--fail-on", "none"], floor),
             ("--version", [sys.executable, "-m", "schemadiff", "--version"], None),
             ("--help", [sys.executable, "-m", "schemadiff", "--help"], None),
             ("import schemadiff", [sys.executable, "-c", "import schemadiff"], None),
             ("python -c pass", [sys.executable, "-c", "pass"], None)]
    print(f"  {'command':<42} {'cpu s':>7} {'wall s':>7} {'peak MB':>8} {'floor cpu s':>11} "
          f"{'x floor':>8}")
    for label, command, against in cases:
        rows, floors = [], []
        for _ in range(repeat):
            rows.append(child_cpu(command))
            if against:
                floors.append(child_cpu(against))
        cpu = statistics.median(r[0] for r in rows)
        wall = statistics.median(r[1] for r in rows)
        peak = statistics.median(r[2] for r in rows) / MB
        if against:
            base = statistics.median(f[0] for f in floors)
            ratio = statistics.median(r[0] / f[0] for r, f in zip(rows, floors, strict=True))
            print(f"  {label:<42} {cpu:7.3f} {wall:7.3f} {peak:8.0f} {base:11.3f} {ratio:8.2f}")
        else:
            print(f"  {label:<42} {cpu:7.3f} {wall:7.3f} {peak:8.0f}")
    print("  targets: json CLI <= 2x floor; --version/--help < 0.15 s CPU; import schemadiff < 0.1 s")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--point":
        point(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sweeps, one repeat")
    parser.add_argument("--no-deepdiff", action="store_true")
    parser.add_argument("--only", default="pairs,size,changes,cli",
                        help="comma-separated sections: pairs, size, changes, cli")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit("needs ../shared/corpora beside the clone")
    repeat = 1 if args.quick else args.repeat
    only = set(args.only.split(","))
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    # an installed package is imported from bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module of its own in every measured process
    import compileall
    compileall.compile_dir(str(ROOT / "schemadiff"), quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="schemadiff-bench-"))
    if "pairs" in only:
        pairs(repeat, deepdiff=not args.no_deepdiff)
    if "size" in only:
        size_sweep(folder, (1, 2, 4) if args.quick else (1, 2, 4, 8))
    if "changes" in only:
        if args.quick:
            change_sweep(folder, (100, 1000, 3000), copies=1)
        else:
            change_sweep(folder, (100, 300, 1000, 3000, 10000), copies=4)
    if "cli" in only:
        cli(max(repeat, 3))
    folder.rmdir()


if __name__ == "__main__":
    main()
