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
