"""Benchmark: compiling a cycle end to end (store -> gap indicators -> GeoPackage).

1. The demo cycle: compile + GeoPackage, target under 0.5 s (geography loaded once, as the
   app and the command line hold it; its loading time is printed apart).
2. A synthetic province-scale cycle: 1,000 organisations, 5,000 sites (25,000 services),
   20,000 areas (a grid of small "tracts" over the region standing in for dissemination
   areas), target under 60 s and 2 GB.

Data are loaded first (not timed as compile); the compile time covers reading validated
submissions from the store, computing every indicator for every level and category, and
writing the GeoPackage. Peak memory is the process's maximum resident set size.

Run: .venv/bin/python benchmarks/bench_compile.py [--skip-province]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from cartography.geography import CRS_METRIC
from cartography.io.compile import compile_cycle
from cartography.io.exports import write_layers
from cartography.io.geo_source import load_geography
from cartography.io.store import Store
from cartography.io.submission import load_demo
from cartography.model import ClientCount, Need, Organisation, Service, Site, SubmissionContent
from cartography.vocabulary import CLIENT_PROFILES, SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_demo(folder: Path) -> None:
    geo = load_geography()
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    t0 = time.perf_counter()
    load_demo(store, geo.gazetteer(), folder / "wb")
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    geo = load_geography()
    t_geo = time.perf_counter() - t0
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        compiled = compile_cycle(store, geo, "2019-2020")
        t1 = time.perf_counter()
        write_layers(compiled, folder / "demo.gpkg")
        runs.append((time.perf_counter() - t0, t1 - t0))
    best, compile_part = min(runs)
    size = (folder / "demo.gpkg").stat().st_size / 1e6
    print(
        f"demo cycle: stored in {t_load:.2f} s; geography loaded in {t_geo:.2f} s; compile + GeoPackage "
        f"{best:.2f} s (compile {compile_part:.2f} s, best of 5; first {runs[0][0]:.2f} s), {size:.1f} MB "
        f"(target 0.5 s)"
    )


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


def bench_province(
    folder: Path,
    n_orgs: int = 1000,
    sites_per_org: int = 5,
    services_per_site: int = 5,
    n_areas: int = 20_000,
) -> None:
    rng = np.random.default_rng(2019)
    geo, region = synthetic_geography(n_areas)
    gaz = geo.gazetteer()
    store = Store(f"sqlite:///{folder / 'province.sqlite'}")
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
    before = peak_mb()
    t0 = time.perf_counter()
    compiled = compile_cycle(store, geo, "2019-2020")
    t_compile = time.perf_counter() - t0
    write_layers(compiled, folder / "province.gpkg")
    t_total = time.perf_counter() - t0
    rows = sum(len(f) for f in compiled.layers.values())
    print(
        f"province compile {t_compile:.1f} s, + GeoPackage {t_total:.1f} s total; {rows:,} rows; "
        f"peak memory {peak_mb():.0f} MB (before compile {before:.0f} MB); "
        f"{(folder / 'province.gpkg').stat().st_size / 1e6:.0f} MB file"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--areas", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CARTO_DATA_DIR", tmp)
        bench_demo(Path(tmp))
        if not args.skip_province:
            bench_province(Path(tmp), n_areas=args.areas)


if __name__ == "__main__":
    main()
