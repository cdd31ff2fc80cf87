"""Benchmark: importing a census profile of about 1 GB (target: peak memory under 1 GB).

The file is generated in the layout of Statistics Canada's 2021 Census Profile
comprehensive download (23 columns, ``SYMBOL`` six times, Windows-1252, characteristic
names indented under "Total - ..." headings, 2,631 rows per geography as in the 2021
profile). It holds the region's 28 municipalities (CSD), the 109 London CMA tracts (CT) and
``--region-das`` of its dissemination areas, the rest being other Ontario DAs that the
import reads and skips. The region's share of the rows is far above a real Ontario file's
(about 7 %), so the timing is pessimistic: region rows are the ones parsed as CSV.

Generation writes one geography's block with placeholders and substitutes each
geography's codes into it (seconds for a gigabyte). The import runs in a child process,
``cartography census import FILE``, exactly as a user runs it; its peak memory is the
child's maximum resident set size (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, which counts
the interpreter, pandas and everything else). A child that only imports the module gives the
baseline.

Run: .venv/bin/python benchmarks/bench_census.py [--size-gb 1.0] [--zip] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

HEADER = (
    "CENSUS_YEAR,DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,TNR_SF,TNR_LF,DATA_QUALITY_FLAG,CHARACTERISTIC_ID,"
    "CHARACTERISTIC_NAME,CHARACTERISTIC_NOTE,C1_COUNT_TOTAL,SYMBOL,C2_COUNT_MEN+,SYMBOL,C3_COUNT_WOMEN+,SYMBOL,"
    "C10_RATE_TOTAL,SYMBOL,C11_RATE_MEN+,SYMBOL,C12_RATE_WOMEN+,SYMBOL\r\n"
)
ROWS_PER_GEOGRAPHY = 2631
GEO = "@GEO@"
FOLS_FR = "@FR@"

#: The sections the import looks for, in the profile's order and indentation.
SECTIONS: list[tuple[str, str]] = [
    ("Total - Knowledge of official languages for the total population excluding institutional residents", "990"),
    ("  English only", "900"),
    ("  French only", "0"),
    ("  English and French", "80"),
    ("  Neither English nor French", "10"),
    ("Total - First official language spoken for the total population excluding institutional residents", "990"),
    ("  English", "900"),
    ("  French", FOLS_FR),
    ("  English and French", "15"),
    ("  Neither English nor French", "5"),
    ("Total - Mother tongue for the total population excluding institutional residents - 100% data", "990"),
    ("  Single responses", "980"),
    ("    Official languages", "960"),
    ("      English", "800"),
    ("      French", "62"),
    ("Total - Indigenous identity for the population in private households - 25% sample data", "980"),
    ("      Métis", "3"),
    ("Total - Immigrant status and period of immigration for the population in private households", "980"),
    ("  Non-immigrants", "700"),
    ("  Immigrants", "250"),
    ("    2011 to 2021", "30"),
    ("      2016 to 2021", "x"),
]


def block_template() -> str:
    """One geography's 2,631 rows with ``@GEO@`` for its identifying columns."""
    names: list[tuple[str, str]] = [('"Population, 2021"', "1000")]
    filler = ROWS_PER_GEOGRAPHY - 1 - len(SECTIONS)
    for i in range(filler):
        if i % 40 == 0:
            names.append((f'"Total - Filler section {i // 40}, 100% data"', "1000"))
        else:
            names.append((f"    Filler characteristic number {i} of the profile", str(i % 977)))
    names[len(names) // 2 : len(names) // 2] = SECTIONS
    lines = []
    for cid, (name, value) in enumerate(names, start=1):
        count, symbol = ("", value) if value == "x" else (value, "")
        lines.append(f"2021,{GEO},3.1,4.2,00000,{cid},{name},,{count},{symbol},520,,480,,12.5,,11.9,,13.1,\r\n")
    assert len(lines) == ROWS_PER_GEOGRAPHY
    return "".join(lines)


def geographies(size_bytes: int, block_bytes: int, region_das: int, ct_file: Path) -> list[tuple[str, str]]:
    """(identifying columns, FOLS French count) for each geography, in hierarchical order."""
    out = [("2021A000011124,1,Country,Canada", "7000000"), ("2021A000235,35,Province,Ontario", "500000")]
    out += [(f"2021A00053539{i:03d},3539{i:03d},Census subdivision,Municipalité {i}", str(i)) for i in range(1, 29)]
    tracts = pd.read_csv(ct_file, dtype=str)["CTUID"].tolist()
    out += [(f"2021S0507{ct},{ct},Census tract,{ct[3:]}", str(100 + i)) for i, ct in enumerate(tracts)]
    out += [(f"2021S05123539{i:04d},3539{i:04d},Dissemination area,3539{i:04d}", str(i)) for i in range(region_das)]
    other = max(size_bytes // block_bytes - len(out), 0)
    out += [(f"2021S05123506{i:04d},3506{i:04d},Dissemination area,3506{i:04d}", "5") for i in range(other)]
    return out


def generate(path: Path, size_gb: float, region_das: int, ct_file: Path) -> tuple[int, dict[str, int]]:
    template = block_template()
    typical = template.replace(GEO, "2021S051235060001,35060001,Dissemination area,35060001").replace(FOLS_FR, "5")
    geos = geographies(int(size_gb * 1e9), len(typical.encode("cp1252")), region_das, ct_file)
    with path.open("wb") as handle:
        handle.write(HEADER.encode("cp1252"))
        for geo, fr in geos:
            handle.write(template.replace(GEO, geo).replace(FOLS_FR, fr).encode("cp1252"))
    levels = {"csd": 28, "ct": sum(1 for g, _ in geos if ",Census tract," in g), "da": region_das}
    return len(geos), levels


def child_peak_mb(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a child; return (seconds, its peak RSS in MB, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        sys.exit(f"child failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if peak < before:  # pragma: no cover - ru_maxrss is a maximum over children
        peak = before
    return elapsed, peak / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=1.0)
    parser.add_argument("--region-das", type=int, default=400)
    parser.add_argument("--zip", action="store_true", help="also import the file zipped with metadata files")
    parser.add_argument("--keep", type=Path, help="folder to write the file in (kept)")
    args = parser.parse_args()
    ct_file = Path(__file__).resolve().parents[1].parent / "shared" / "geo" / "census_2021_ct.csv"
    ct_file = Path(os.environ.get("CARTO_GEO_SOURCE", ct_file.parent)) / "census_2021_ct.csv"
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "98-401-X2021006_English_CSV_data_Ontario.csv"
        t0 = time.perf_counter()
        n_geos, levels = generate(path, args.size_gb, args.region_das, ct_file)
        size = path.stat().st_size
        print(
            f"generated {size / 1e9:.2f} GB, {n_geos} geographies x {ROWS_PER_GEOGRAPHY} rows "
            f"({n_geos * ROWS_PER_GEOGRAPHY:,} rows) in {time.perf_counter() - t0:.1f} s"
        )
        env = {**os.environ, "CARTO_DATA_DIR": str(Path(tmp) / "data")}
        _, base_mb, _ = child_peak_mb([sys.executable, "-c", "import cartography.io.census, cartography.cli"], env)
        print(f"baseline: python + pandas + cartography imported, peak RSS {base_mb:.0f} MB")
        sources = [path]
        if args.zip:
            archive = folder / "98-401-X2021006_eng_CSV.zip"
            t0 = time.perf_counter()
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.writestr("README_meta.txt", "This zipped file contains the following files:\r\n")
                zf.writestr("98-401-X2021006_English_meta.txt", "Census Profile, 2021 Census of Population\r\n")
                zf.write(path, path.name)
            print(f"zipped to {archive.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
            sources.append(archive)
        for source in sources:
            command = [sys.executable, "-m", "cartography.cli", "census", "import", "--quiet", str(source)]
            elapsed, peak, _out = child_peak_mb(command, env)
            kept = pd.read_csv(Path(tmp) / "data" / "census" / "demand_2021.csv", dtype={"geo_id": str})
            fols = kept[kept["characteristic"] == "fols_french"]
            counts = fols["level"].value_counts().to_dict()
            assert counts == levels, (counts, levels)
            assert fols["value"].notna().all()
            assert kept[kept["characteristic"] == "recent_immigrants"]["value"].isna().all()  # "x"
            print(
                f"import {source.name}: {elapsed:.1f} s ({size / 1e6 / elapsed:.0f} MB/s of CSV), "
                f"peak RSS {peak:.0f} MB (ru_maxrss of the child process; target < 1024 MB); "
                f"kept {counts} places x 6 characteristics"
            )


if __name__ == "__main__":
    main()
