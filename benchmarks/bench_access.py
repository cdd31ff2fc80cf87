"""Benchmark: cartography.access.two_stage_fca versus PySAL access, end to end from coordinates.

20,000 demand points x 5,000 sites, 30 km catchment, in a 200 km x 150 km box (the region's
size), both methods (2SFCA and E2SFCA with the default steps). Each side starts from the
same coordinates and weights and ends with one accessibility value per demand point.

What we do. No pair list: demand and sites are binned into square cells of a third of the
radius, and each demand cell meets the sites of the cells within reach in one dense block
(squared distances by a small matrix product, exact re-check near every bound), blocks
spread over the cores (``cartography.access._grid_fca``).

What PySAL is given. ``access.Access`` needs a cost table (origin, destination, cost). Its
own helper, ``Access.create_euclidean_distance``, builds the full cross join (here 100
million rows, several GB) and filters it by the threshold; a PySAL user who knows the
catchment builds the table of pairs within the radius with a KD-tree instead, which is far
cheaper. PySAL gets that cheaper table (``pysal_reference``: ``cartography.access.pair_table``,
a KD-tree pair search over demand blocks on all cores, then a pandas cost frame), and the
time to build it is counted in its total: end to end from coordinates, as ours. This favours
PySAL, never us.

Runs alternate (ours, PySAL, ours, PySAL, ...) the same number of times for each side, so a
busy machine weighs on both alike; medians and min-max are printed, with the CPU time of ours
(wall time above CPU time / cores means the machine was busy). A bare KD-tree pair search
(one ``sparse_distance_matrix`` between the two trees, no weights, no sums) is timed as the
floor of any method that lists the pairs. The load average is printed before and after.

Run: .venv/bin/python benchmarks/bench_access.py [--repeat N] [--small]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from scipy.spatial import cKDTree

from cartography.access import catchment_pairs, pysal_reference, two_stage_fca
from cartography.gaps import GapParameters


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return time.perf_counter() - t0, time.process_time() - c0, result


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="2,000 x 500 for a quick look")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, per method")
    args = parser.parse_args()
    n, m = (2_000, 500) if args.small else (20_000, 5_000)
    rng = np.random.default_rng(2019)
    dxy = rng.uniform(0, [200_000, 150_000], (n, 2))
    sxy = rng.uniform(0, [200_000, 150_000], (m, 2))
    d = rng.integers(50, 2_000, n).astype(float)
    s = rng.integers(1, 40, m).astype(float)
    params = GapParameters()
    radius, steps = params.radius_m, list(params.steps)
    pairs = len(catchment_pairs(dxy, sxy, radius)[0])
    print(
        f"demand points {n:,}, sites {m:,}, radius {radius / 1000:.0f} km, pairs within it {pairs:,}; "
        f"{os.cpu_count()} CPUs; load average (1/5/15 min) {load()}; {args.repeat} runs per side"
    )
    bare = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        cKDTree(dxy).sparse_distance_matrix(cKDTree(sxy), radius, output_type="ndarray")
        bare.append(time.perf_counter() - t0)
    print(f"bare KD-tree pair search (one thread): {spread(bare)}")
    for label, st in (("2SFCA", None), ("E2SFCA", steps)):
        ours, cpu, theirs = [], [], []
        for _ in range(args.repeat):
            t, c, mine = timed(two_stage_fca, dxy, d, sxy, s, radius, steps=st)
            ours.append(t)
            cpu.append(c)
            t, _, ref = timed(pysal_reference, dxy, d, sxy, s, radius, st)
            theirs.append(t)
        rel = np.max(np.abs(mine - ref) / np.maximum(np.abs(ref), 1e-300))
        speed = statistics.median(theirs) / statistics.median(ours)
        print(f"{label:6s} cartography  {spread(ours)}; CPU median {statistics.median(cpu):.3f} s")
        print(f"{label:6s} PySAL access {spread(theirs)}")
        print(
            f"{label:6s} speed-up x{speed:.1f} (ratio of medians; target x10; worst pairing "
            f"x{min(theirs) / max(ours):.1f}, best x{max(theirs) / min(ours):.1f}); "
            f"ours / bare KD-tree search x{statistics.median(ours) / statistics.median(bare):.2f}; "
            f"max relative difference from PySAL {rel:.2e}"
        )
    print(f"load average at the end {load()}")


if __name__ == "__main__":
    main()
