"""Benchmark: compiling a cycle end to end (store -> gap indicators -> GeoPackage).

1. The demo cycle: compile + GeoPackage, target under 0.5 s (geography loaded once, as the
   app and the command line hold it; its loading time is printed apart). Median and
   min-max of several runs.
2. A synthetic province-scale cycle: 1,000 organisations, 5,000 sites (25,000 services),
   20,000 areas (a grid of small "tracts" over the region standing in for dissemination
   areas). The compile is timed two ways, alternately, the same number of times:

   - **new**: ``compile_cycle`` as shipped: every category at once (a sites x categories
     supply matrix), each method binning demand and sites once (``two_stage_fca``'s grid
     path), one nearest-neighbour query per category;
   - **per category**: the same ``compile_cycle`` with the engine swapped for the old
     way, kept here only as a reference: for each category (and "all"), a KD-tree pair
     search and sparse product per method (the pair table, as ``two_stage_fca`` was before
     its grid path) and a KD-tree per category for the nearest service.

   The engine stage alone (point indicators) and the store read (``Store.validated``) are
   timed inside each compile too. Target: new at least 5x faster than per category, under
   2 GB.

3. With ``--reference REV`` (``2dd08f9``: the code before any work on issue 12), that commit's own
   benchmark runs in a temporary git worktree, in a child process on its own code, and builds
   the same synthetic province (same generator, same seed: it prints the same row count); its
   whole compile as it was then (one pair search per category, labels per row, 17 copies of
   each area) is set against the new compile's times above. One run (about a minute).

Data are loaded first (not timed as compile); the compile time covers reading validated
submissions from the store and computing every layer; the province GeoPackage (its layout is
io/exports.py's) is written and timed only with ``--province-gpkg``. Peak memory is the
process's maximum resident set size, read after the new way's first run (before any
per-category run).

Run: .venv/bin/python benchmarks/bench_compile.py [--skip-province] [--repeat N] [--store-dir DIR]
[--province-gpkg] [--reference 2dd08f9]
(``--store-dir`` keeps the synthetic store between runs: building it takes about a minute).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from scipy.spatial import cKDTree

import cartography.gaps as gaps_module
from cartography.access import floating_catchment, pair_table
from cartography.gaps import ALL, GapParameters, PointIndicators
from cartography.geography import CRS_METRIC
from cartography.io.exports import write_layers
from cartography.io.geo_source import Geography, load_geography
from cartography.io.store import Store
from cartography.model import ClientCount, Need, Organisation, Service, Site, SubmissionContent
from cartography.services.compile import compile_cycle
from cartography.services.demo import load_demo
from cartography.vocabulary import CLIENT_PROFILES, SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spread(values: list[float]) -> str:
    """Median and min-max of timings, in seconds."""
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def bench_demo(folder: Path, repeat: int) -> None:
    geo = load_geography()
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    t0 = time.perf_counter()
    load_demo(store, geo.gazetteer(), folder / "wb")
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    geo = load_geography()
    t_geo = time.perf_counter() - t0
    totals, compiles, cpu = [], [], []
    for _ in range(max(repeat, 5)):
        c0 = time.process_time()
        t0 = time.perf_counter()
        compiled = compile_cycle(store, geo, "2019-2020")
        t1 = time.perf_counter()
        write_layers(compiled, folder / "demo.gpkg")
        totals.append(time.perf_counter() - t0)
        compiles.append(t1 - t0)
        cpu.append(time.process_time() - c0)
    size = (folder / "demo.gpkg").stat().st_size / 1e6
    print(f"demo cycle: stored in {t_load:.2f} s; geography loaded in {t_geo:.2f} s")
    print(f"demo compile + GeoPackage: {spread(totals)}; target 0.5 s")
    print(f"demo compile alone:        {spread(compiles)}; GeoPackage {size:.1f} MB")
    print(f"demo compile + GeoPackage, CPU time of this process: {spread(cpu)} (less sensitive to a busy machine)")


def per_category_point_indicators(
    demand_xy: np.ndarray,
    demand: np.ndarray,
    supply_xy: np.ndarray,
    supply: np.ndarray,
    supply_category: np.ndarray,
    categories: list[str],
    params: GapParameters,
) -> PointIndicators:
    """The old way, for comparison only: one pair search per category and per method.

    Same inputs and outputs as ``gaps.point_indicators`` (tests/test_gaps.py checks the two
    agree), but every category (and "all") searches its demand x service pairs twice (a
    KD-tree pair table, ``pair_table`` + ``floating_catchment``: what ``two_stage_fca`` was
    before its grid path) and builds its own KD-tree for the nearest service, as the compile
    did before issue 12. Kept on the pair table on purpose, so that a faster
    ``two_stage_fca`` does not move the reference.
    """
    n = len(demand_xy)
    a2, ae, near = [], [], []
    for code in [ALL, *categories]:
        mask = np.ones(len(supply_xy), bool) if code == ALL else supply_category == code
        if not mask.any():
            a2.append(np.zeros(n))
            ae.append(np.zeros(n))
            near.append(np.full(n, np.inf))
            continue
        sxy, s = supply_xy[mask], supply[mask]
        a2.append(floating_catchment(pair_table(demand_xy, sxy, params.radius_m), demand, s))
        ae.append(floating_catchment(pair_table(demand_xy, sxy, params.radius_m), demand, s, steps=params.steps))
        near.append(cKDTree(sxy).query(demand_xy)[0])
    return PointIndicators((ALL, *categories), np.column_stack(a2), np.column_stack(ae), np.column_stack(near))


def timed_compile(
    store: Store, geo: Geography, engine: Callable[..., PointIndicators]
) -> tuple[float, float, float, float, object]:
    """Compile once with ``engine`` as the point-indicator stage:
    (total s, engine s, CPU s, store read s, result)."""
    spent: list[float] = []
    reading: list[float] = []

    def wrapped(*args: object, **kwargs: object) -> PointIndicators:
        t0 = time.perf_counter()
        result = engine(*args, **kwargs)
        spent.append(time.perf_counter() - t0)
        return result

    def validated(cycle: str) -> list:  # type: ignore[type-arg]
        t0 = time.perf_counter()
        result = Store.validated(store, cycle)
        reading.append(time.perf_counter() - t0)
        return result

    original = gaps_module.point_indicators
    gaps_module.point_indicators = wrapped  # type: ignore[assignment]
    store.validated = validated  # type: ignore[method-assign]
    try:
        c0 = time.process_time()
        t0 = time.perf_counter()
        compiled = compile_cycle(store, geo, "2019-2020")
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
    finally:
        gaps_module.point_indicators = original  # type: ignore[assignment]
        del store.validated
    return total, sum(spent), cpu, sum(reading), compiled


def synthetic_geography(n_areas: int):  # type: ignore[no-untyped-def]
    geo = load_geography()
    region = shapely.union_all(geo.municipalities.geometry.values)
    minx, miny, maxx, maxy = region.bounds
    area = region.area
    cell = np.sqrt(area / n_areas)
    xs = np.arange(minx, maxx, cell)
    ys = np.arange(miny, maxy, cell)
    gx, gy = np.meshgrid(xs, ys)
    centres = shapely.points(gx.ravel() + cell / 2, gy.ravel() + cell / 2)
    inside = shapely.contains(region, centres)
    boxes = shapely.box(gx.ravel()[inside], gy.ravel()[inside], gx.ravel()[inside] + cell, gy.ravel()[inside] + cell)
    boxes = boxes[:n_areas]
    tracts = gpd.GeoDataFrame(
        {
            "CTUID": [f"9{i:07d}" for i in range(len(boxes))],
            "CTNAME": [f"{i:07d}" for i in range(len(boxes))],
            "LANDAREA": np.full(len(boxes), cell * cell / 1e6),
        },
        geometry=boxes,
        crs=CRS_METRIC,
    )
    return dataclasses.replace(geo, census_tracts=tracts), region


def build_province(
    folder: Path,
    n_orgs: int = 1000,
    sites_per_org: int = 5,
    services_per_site: int = 5,
    n_areas: int = 20_000,
):  # type: ignore[no-untyped-def]
    """The synthetic province's geography and store (reused from ``folder`` when it is there)."""
    rng = np.random.default_rng(2019)
    geo, region = synthetic_geography(n_areas)
    gaz = geo.gazetteer()
    path = folder / f"province-{n_orgs}-{n_areas}.sqlite"
    store = Store(f"sqlite:///{path}")
    if any(c.code == "2019-2020" for c in store.cycles()):
        print(f"province: store reused from {path}")
        return geo, store
    store.open_cycle("2019-2020", "bench")
    minx, miny, maxx, maxy = region.bounds
    need_xy = []
    while len(need_xy) < n_orgs * sites_per_org:
        candidates = rng.uniform([minx, miny], [maxx, maxy], (4000, 2))
        keep = shapely.contains_xy(region, candidates[:, 0], candidates[:, 1])
        need_xy.extend(candidates[keep].tolist())
    xy = np.array(need_xy[: n_orgs * sites_per_org])
    csds = gaz.municipalities_of(xy)
    lonlat = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS_METRIC).to_crs(4326)
    regions = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["region"], strict=True))
    categories = SERVICE_CATEGORIES.codes
    languages = SERVICE_LANGUAGES.codes
    modes = SERVICE_MODES.codes
    profiles = CLIENT_PROFILES.codes
    t0 = time.perf_counter()
    for o in range(n_orgs):
        sites, services, clients, needs = [], [], [], []
        for s in range(sites_per_org):
            k = o * sites_per_org + s
            sites.append(
                Site(
                    site_code=f"S{s}",
                    name=f"Site {k}",
                    csduid=csds[k],
                    region=regions[csds[k]],
                    latitude=lonlat.y.iloc[k],
                    longitude=lonlat.x.iloc[k],
                    precision="coordinates",
                )
            )
            for v in range(services_per_site):
                mode = modes[rng.integers(0, 3)]
                services.append(
                    Service(
                        service_code=f"V{s}-{v}",
                        name=f"Service {k}-{v}",
                        category=categories[rng.integers(0, len(categories))],
                        site_code=f"S{s}",
                        language=languages[rng.integers(0, 4)],
                        mode=mode,
                        areas_served=(csds[k],) if mode != "in_person" else (),
                        capacity=int(rng.integers(10, 500)),
                    )
                )
            clients.append(
                ClientCount(csduid=csds[k], profile=profiles[s % len(profiles)], count=int(rng.integers(0, 60)))
            )
            needs.append(
                Need(
                    category=categories[rng.integers(0, len(categories))],
                    area=csds[k],
                    clients=int(rng.integers(1, 30)),
                    severity="high",
                    status="unmet",
                )
            )
        content = SubmissionContent(
            organisation=Organisation(
                org_id=f"org{o:04d}",
                name=f"Organisme {o}",
                org_type="community",
                contact_name="Bench",
                email=f"o{o}@example.org",
            ),
            sites=tuple(sites),
            services=tuple(services),
            clients=tuple(clients),
            needs=tuple(needs),
        )
        sub = store.submit(content, "2019-2020", "bench")
        store.validate(sub.org_id, "2019-2020", sub.version, "bench")
    t_load = time.perf_counter() - t0
    print(
        f"province: {n_orgs:,} organisations, {n_orgs * sites_per_org:,} sites, "
        f"{n_orgs * sites_per_org * services_per_site:,} services, {len(geo.census_tracts):,} areas; "
        f"stored in {t_load:.1f} s"
    )
    return geo, store


def reference_compile(revision: str) -> tuple[float, float, int]:
    """(compile s, compile + GeoPackage s, rows) of the synthetic province compiled by the code
    of ``revision``, run by that revision's own benchmark in a throw-away worktree."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="carto-ref-") as tmp:
        tree = Path(tmp) / "ref"
        subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(tree), revision], check=True)
        try:
            env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CARTO_DATA_DIR": tmp}
            done = subprocess.run(
                [sys.executable, str(tree / "benchmarks" / "bench_compile.py")],
                env=env,
                cwd=tree,
                capture_output=True,
                text=True,
                timeout=3600,
                check=True,
            )
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], check=False)
    found = re.search(r"province compile ([\d.]+) s, \+ GeoPackage ([\d.]+) s total; ([\d,]+) rows", done.stdout)
    if found is None:
        raise RuntimeError(f"{revision}'s benchmark printed no province compile:\n{done.stdout}\n{done.stderr}")
    return float(found[1]), float(found[2]), int(found[3].replace(",", ""))


def print_reference(revision: str, new_total: list[float], rows: int) -> None:
    old, old_with_gpkg, old_rows = reference_compile(revision)
    same = "same rows" if old_rows == rows else f"DIFFERENT rows: {old_rows:,} then, {rows:,} now"
    print(
        f"province compile by the code of {revision} (before any work on issue 12; one run): {old:.1f} s "
        f"(+ GeoPackage {old_with_gpkg:.1f} s total); {same}"
    )
    print(
        f"  speed-up of the whole compile over {revision}: x{old / statistics.median(new_total):.1f} "
        f"against the new median, x{old / max(new_total):.1f} against its slowest run (target x5)"
    )


def bench_province(
    folder: Path, store_dir: Path, repeat: int, n_areas: int = 20_000, with_gpkg: bool = False, reference: str = ""
) -> None:
    geo, store = build_province(store_dir, n_areas=n_areas)
    before = peak_mb()
    new, old = [], []
    total, engine, cpu, read, compiled = timed_compile(store, geo, gaps_module.point_indicators)
    new.append((total, engine, cpu, read))
    peak_new = peak_mb()
    gpkg = ""
    if with_gpkg:
        t0 = time.perf_counter()
        write_layers(compiled, folder / "province.gpkg")  # type: ignore[arg-type]
        size = (folder / "province.gpkg").stat().st_size / 1e6
        gpkg = f"GeoPackage {time.perf_counter() - t0:.1f} s, {size:.0f} MB; "
    rows = sum(len(f) for f in compiled.layers.values())  # type: ignore[attr-defined]
    del compiled
    for _ in range(repeat):  # alternate, so a busy machine weighs on both alike
        old.append(timed_compile(store, geo, per_category_point_indicators)[:4])
        if len(new) < repeat:
            new.append(timed_compile(store, geo, gaps_module.point_indicators)[:4])
    new_total, new_engine, new_cpu, new_read = ([run[i] for run in new] for i in range(4))
    old_total, old_engine, old_cpu, old_read = ([run[i] for run in old] for i in range(4))
    print(f"province compile, new (one search per level): {spread(new_total)}")
    print(f"province compile, today's code with only the engine per category: {spread(old_total)}")
    print(
        f"  speed-up from the engine alone: x{statistics.median(old_total) / statistics.median(new_total):.1f} "
        f"(medians; the rest of today's compile is fast too: see --reference for the compile as it was)"
    )
    print(f"  engine stage, new:          {spread(new_engine)}")
    print(f"  engine stage, per category: {spread(old_engine)}")
    print(f"  speed-up of the engine stage: x{statistics.median(old_engine) / statistics.median(new_engine):.1f}")
    print(f"  store read (Store.validated), in both: {spread(new_read + old_read)}")
    rest = [t - e - r for t, e, r in zip(new_total, new_engine, new_read, strict=True)]
    print(f"  rest of the new compile (layers, demand, labels): {spread(rest)}")
    print(f"  CPU time of the whole compile, new: {spread(new_cpu)}; per category: {spread(old_cpu)}")
    print(f"  speed-up in CPU time: x{statistics.median(old_cpu) / statistics.median(new_cpu):.1f}")
    print(
        f"province: {rows:,} rows; {gpkg}peak memory after the new compile "
        f"{peak_new:.0f} MB (before compile {before:.0f} MB; target 2 GB)"
    )
    if reference:
        print_reference(reference, new_total, rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--areas", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="province runs of each way (demo: at least 5)")
    parser.add_argument("--store-dir", type=Path, default=None, help="keep the synthetic store here")
    parser.add_argument("--province-gpkg", action="store_true", help="also write the province GeoPackage")
    parser.add_argument("--reference", default="", metavar="REV", help="also compile the province with REV's code")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CARTO_DATA_DIR", tmp)
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
        bench_demo(Path(tmp), args.repeat)
        if not args.skip_province:
            store_dir = args.store_dir or Path(tmp)
            store_dir.mkdir(parents=True, exist_ok=True)
            bench_province(
                Path(tmp), store_dir, args.repeat, args.areas, with_gpkg=args.province_gpkg, reference=args.reference
            )
        print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
