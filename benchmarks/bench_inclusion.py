"""Inclusion checker on real pairs: every definition of one schema version against the same
definition in the next, both ways (old ⊆ new and new ⊆ old); counts and time.

    .venv/bin/python benchmarks/bench_inclusion.py ../shared/corpora/heroku/3.8.0.json \
        ../shared/corpora/heroku/3.9.0.json
"""

from __future__ import annotations

import argparse
import collections
import time

from schemadiff.inclusion import Checker, Side


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--container", default="definitions", help="the map of schemas to pair up")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each non-yes answer")
    args = parser.parse_args()
    start = time.perf_counter()
    old, new = Side.of(path=args.old, label="old"), Side.of(path=args.new, label="new")
    checker = Checker(old, new)
    names = sorted(set(old.at(f"/{args.container}").value) & set(new.at(f"/{args.container}").value))
    counts: dict[str, collections.Counter] = {"old ⊆ new": collections.Counter(),
                                              "new ⊆ old": collections.Counter()}
    slowest = (0.0, "")
    for name in names:
        pointer = f"/{args.container}/{name.replace('~', '~0').replace('/', '~1')}"
        for label, ask in (("old ⊆ new", checker.includes), ("new ⊆ old", checker.contains)):
            began = time.perf_counter()
            answer = ask(old.at(pointer), new.at(pointer))
            slowest = max(slowest, (time.perf_counter() - began, f"{label} {name}"))
            counts[label][answer.verdict] += 1
            if args.verbose and answer.verdict != "yes":
                detail = answer.reason or f"witness {str(answer.witness)[:100]}"
                print(f"{label:10} {name:30} {answer.verdict:8} {detail}")
    total = time.perf_counter() - start
    print(f"{len(names)} definitions in both; steps {checker.steps}; total {total:.2f} s; "
          f"slowest {slowest[0]:.3f} s ({slowest[1]})")
    for label, counter in counts.items():
        print(f"  {label}: " + ", ".join(f"{k} {counter[k]}" for k in ("yes", "no", "unknown")))


if __name__ == "__main__":
    main()
