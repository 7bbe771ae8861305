"""Shared by the benchmarks: the best of several timings (the least disturbed by other work)."""

from __future__ import annotations

import time


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_cpu(fn, repeat: int) -> float:
    """The least CPU time (this process's) of several runs: steadier than wall time when other work
    shares the machine's processors."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)
