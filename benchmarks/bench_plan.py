"""Benchmark: site recommendation (MCLP through PySAL spopt + CBC), target under 10 s for K <= 5.

1. The region (demo cycle): every service category, K = 1..5, default radius (30 km). Printed
   per K: the slowest end-to-end plan (demand points, candidates, reductions, model build and
   CBC solve) and the slowest model build + solve alone, over all categories.
2. The synthetic province of ``bench_compile.py`` (its ``synthetic_geography``: 20,000 small
   "tracts" over the region standing in for dissemination areas), with 5,000 random sites
   (25,000 services) drawn as that benchmark draws them: K = 1..5 for a few categories at the
   default radius and at 10 km (where much demand is still uncovered, so the solver has work).

Importing spopt (it loads libpysal, scikit-learn...) costs seconds once per process; it is
printed apart, as the app and the command line pay it once.

Run: .venv/bin/python benchmarks/bench_plan.py [--skip-province] [--areas 20000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from bench_compile import synthetic_geography

from cartography.compilation import Compiled
from cartography.geography import CRS_METRIC
from cartography.io.geo_source import load_geography
from cartography.io.store import Store
from cartography.services.compile import compile_cycle
from cartography.services.demo import load_demo
from cartography.site_plan import plan_cycle
from cartography.vocabulary import SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES, french_service_languages


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import_spopt() -> float:
    t0 = time.perf_counter()
    import spopt.locate  # noqa: F401

    return time.perf_counter() - t0


def _run(compiled: Compiled, geo, categories: list[str], radius_km: float | None) -> None:  # type: ignore[no-untyped-def]
    for k in range(1, 6):
        worst_total = worst_solve = 0.0
        sizes = []
        for category in categories:
            t0 = time.perf_counter()
            plan = plan_cycle(compiled, geo, category, k, radius_km)
            total = time.perf_counter() - t0
            worst_total = max(worst_total, total)
            worst_solve = max(worst_solve, plan.solution.solve_seconds)
            sizes.append((plan.solution.model_rows, plan.solution.model_columns, plan.solution.status))
        rows = max(s[0] for s in sizes)
        cols = max(s[1] for s in sizes)
        statuses = sorted({s[2] for s in sizes})
        print(
            f"  K={k}: slowest plan {worst_total:.2f} s (model build + CBC {worst_solve:.2f} s), "
            f"largest reduced model {rows} x {cols}, statuses {', '.join(statuses)} (target 10 s)"
        )


def bench_region(folder: Path) -> None:
    geo = load_geography()
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    load_demo(store, geo.gazetteer(), folder / "wb")
    compiled = compile_cycle(store, geo, "2019-2020")
    print(f"region (demo cycle), {len(SERVICE_CATEGORIES.codes)} categories, radius 30 km:")
    _run(compiled, geo, list(SERVICE_CATEGORIES.codes), None)


def province_service_points(geo, region, n_sites: int = 5000, per_site: int = 5):  # type: ignore[no-untyped-def]
    """Random sites and services over the region, drawn as ``bench_compile.bench_province`` does."""
    rng = np.random.default_rng(2019)
    minx, miny, maxx, maxy = region.bounds
    found: list[list[float]] = []
    while len(found) < n_sites:
        xy = rng.uniform([minx, miny], [maxx, maxy], (4000, 2))
        found.extend(xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])].tolist())
    xy = np.array(found[:n_sites])
    csds = geo.gazetteer().municipalities_of(xy)
    names = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))
    categories, languages, modes = SERVICE_CATEGORIES.codes, SERVICE_LANGUAGES.codes, SERVICE_MODES.codes
    site = np.repeat(np.arange(n_sites), per_site)
    language = np.array(languages)[rng.integers(0, 4, len(site))]
    frame = pd.DataFrame(
        {
            "org_id": [f"org{s // 5:04d}" for s in site],
            "org_name": [f"Organisme {s // 5}" for s in site],
            "site_code": [f"S{s % 5}" for s in site],
            "site_name": [f"Site {s}" for s in site],
            "service_code": [f"V{i}" for i in range(len(site))],
            "service_name": [f"Service {i}" for i in range(len(site))],
            "category": np.array(categories)[rng.integers(0, len(categories), len(site))],
            "language": language,
            "french": np.isin(language, list(french_service_languages())),
            "mode": np.array(modes)[rng.integers(0, 3, len(site))],
            "csd": csds[site],
            "municipality": [names.get(c, "") for c in csds[site]],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xy[site, 0], xy[site, 1]), crs=CRS_METRIC)


def bench_province(n_areas: int) -> None:
    geo, region = synthetic_geography(n_areas)
    points = province_service_points(geo, region)
    compiled = Compiled(
        cycle="synthetic",
        layers={"service_points": points},
        metadata={"demand": "pop_2021", "method": {"radius_m": 30_000.0}, "cycle": "synthetic"},
    )
    french = points[points["french"] & (points["mode"] == "in_person")]
    counts = french["category"].value_counts()
    chosen = [counts.index[0], counts.index[len(counts) // 2], counts.index[-1]]
    print(
        f"province: {len(geo.census_tracts):,} areas, {points['org_id'].nunique():,} organisations, "
        f"{len(points) // 5:,} sites, {len(points):,} services; categories {', '.join(chosen)} "
        f"({', '.join(str(counts[c]) for c in chosen)} French in-person services)"
    )
    for radius in (None, 10.0):
        print(f" radius {'30 km (method)' if radius is None else f'{radius:.0f} km'}:")
        _run(compiled, geo, chosen, radius)
    print(f" peak memory {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--areas", type=int, default=20_000)
    args = parser.parse_args()
    print(f"import spopt: {_import_spopt():.1f} s (once per process)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CARTO_DATA_DIR", tmp)
        bench_region(Path(tmp))
        if not args.skip_province:
            bench_province(args.areas)


if __name__ == "__main__":
    main()
