"""Load the region's geography from the shared copy or from official boundary files.

The shared folder (``../shared/geo`` or ``CARTO_GEO_SOURCE``) is the offline default; its
polygons are generalised. ``build_official`` reads Statistics Canada's 2021 cartographic
boundary files (zipped shapefiles, EPSG:3347), clips them to the region and caches the
result under ``geo/``, after which it is the geography in use. Population, the gazetteer
and the London census tracts always come from the shared folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from cartography.errors import UserError
from cartography.geocoding import Gazetteer
from cartography.geography import (
    CRS_METRIC,
    REGION_CDS,
    dissolve_regions,
    distance_crs_for,
    in_region_cd,
    with_regions,
)
from cartography.i18n import Lang, t
from cartography.paths import geo_cache_dir, geo_source_dir, package_data

SHARED_GPKG = "region_boundaries.gpkg"
OFFICIAL_GPKG = "official_boundaries.gpkg"
OFFICIAL_META = "official_boundaries.json"
VINTAGE = "2021"

#: Official file stem -> (layer name in the cache, id column, required columns).
OFFICIAL_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "lcd_000b21a_e": (
        "census_divisions",
        "CDUID",
        ("CDUID", "DGUID", "CDNAME", "CDTYPE", "LANDAREA", "PRUID"),
    ),
    "lcsd000b21a_e": (
        "census_subdivisions",
        "CSDUID",
        ("CSDUID", "DGUID", "CSDNAME", "CSDTYPE", "LANDAREA", "PRUID"),
    ),
    "lfsa000b21a_e": ("fsa", "CFSAUID", ("CFSAUID", "DGUID", "PRUID", "LANDAREA")),
    "lda_000b21a_e": ("dissemination_areas", "DAUID", ("DAUID", "DGUID", "LANDAREA", "PRUID")),
}
#: Where Statistics Canada publishes the 2021 cartographic boundary files.
OFFICIAL_BASE_URL = "https://www12.statcan.gc.ca/census-recensement/2021/geo/sip-pis/boundary-limites/files-fichiers/"


@dataclass(frozen=True)
class Geography:
    """The region's geography, every layer in EPSG:3347 (measure in :attr:`distance_crs`)."""

    divisions: gpd.GeoDataFrame
    municipalities: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    fsas: gpd.GeoDataFrame
    census_tracts: gpd.GeoDataFrame
    dissemination_areas: gpd.GeoDataFrame | None
    places: pd.DataFrame
    source: str
    fidelity: str
    vintage: str = VINTAGE
    built: dict[str, object] = field(default_factory=dict)

    def gazetteer(self) -> Gazetteer:
        """The gazetteer of the region (built once); each polygon's tolerance comes with it."""
        return self._gazetteer

    @functools.cached_property
    def _gazetteer(self) -> Gazetteer:
        fsa_table = pd.read_csv(package_data("fsa_municipalities.csv"), dtype=str)
        outside = pd.read_csv(package_data("places_outside_region.csv"), dtype={"admin": str})
        # Each municipality carries its own boundary_tolerance_m: no global switch.
        return Gazetteer(self.places, self.municipalities, fsa_table, outside_places=outside)

    @functools.cached_property
    def distance_crs(self) -> str:
        """Local metric CRS (``EPSG:2958`` here) in which distances and areas are measured.

        EPSG:3347 distorts lengths by about 2.7 % in this region; the UTM zone of the
        region's centroid keeps the error under 0.1 %, and another region gets its own zone.
        """
        return distance_crs_for(self.municipalities.geometry)

    def attribution(self, lang: Lang = "fr") -> str:
        """The attribution text to show wherever these data appear."""
        return " ".join((t("geo.attribution.statcan", lang), t("geo.attribution.geonames", lang)))

    def info(self) -> dict[str, object]:
        """Regions, municipalities and provenance, as ``geo info --json`` prints them."""
        munis = self.municipalities.sort_values("CSDUID")
        return {
            "source": self.source,
            "vintage": self.vintage,
            "fidelity": self.fidelity,
            "fidelity_label": {
                "fr": t(f"geo.fidelity.{self.fidelity}", "fr"),
                "en": t(f"geo.fidelity.{self.fidelity}", "en"),
            },
            "crs": CRS_METRIC,
            "distance_crs": self.distance_crs,
            "crs_label": {"fr": t("demand.crs_info", "fr", crs=CRS_METRIC, distance_crs=self.distance_crs),
                          "en": t("demand.crs_info", "en", crs=CRS_METRIC, distance_crs=self.distance_crs)},
            "attribution": {"fr": self.attribution("fr"), "en": self.attribution("en")},
            # The gazetteer's community names come from the CGNDB (Open Government Licence).
            "gazetteer_attribution": {"fr": t("geo.attribution.cgndb", "fr"), "en": t("geo.attribution.cgndb", "en")},
            "built": self.built,
            "counts": {
                "census_divisions": len(self.divisions),
                "municipalities": len(self.municipalities),
                "fsas": len(self.fsas),
                "census_tracts": len(self.census_tracts),
                "dissemination_areas": 0 if self.dissemination_areas is None else len(self.dissemination_areas),
                "places": len(self.places),
            },
            "population_2021": int(self.municipalities["pop_2021"].fillna(0).sum()),
            "regions": [
                {
                    "code": row["region"],
                    "name_fr": row["name_fr"],
                    "name_en": row["name_en"],
                    "pop_2021": int(row["pop_2021"]),
                    "municipality_count": int(row["municipality_count"]),
                }
                for row in self.regions.to_dict("records")
            ],
            "municipalities": [
                {
                    "csduid": row["CSDUID"],
                    "name": row["CSDNAME"],
                    "type": row["CSDTYPE"],
                    "cduid": row["CDUID"],
                    "region": row["region"],
                    "pop_2021": None if pd.isna(row["pop_2021"]) else int(row["pop_2021"]),
                }
                for row in munis.to_dict("records")
            ],
        }


def _read_population(source: Path) -> pd.DataFrame:
    path = source / "census_2021_csd.csv"
    if not path.exists():
        raise UserError("geo.error.source_missing", path=str(source))
    frame = pd.read_csv(path, dtype={"CSDUID": str, "CDUID": str})
    frame["pop_2021"] = pd.to_numeric(frame["pop_2021"], errors="coerce").astype("Int64")
    return frame[["CSDUID", "CSDNAME", "CSDTYPE", "CDUID", "pop_2021", "land_area_km2_2021"]]


def _read_cd_population(source: Path) -> pd.DataFrame:
    frame = pd.read_csv(source / "census_2021_cd.csv", dtype={"CDUID": str})
    return frame[["CDUID", "pop_2021"]]


#: How far from an edge of an official boundary file a point is still uncertain (metres):
#: the 2021 cartographic files follow the digital boundaries within a few tens of metres.
OFFICIAL_TOLERANCE_M = 25.0


def _municipalities(csd: gpd.GeoDataFrame, population: pd.DataFrame) -> gpd.GeoDataFrame:
    """Municipalities with population, region, and each polygon's ``boundary_tolerance_m``.

    The shared layer states its own tolerance per polygon (50 m exact, 600 m generalised);
    an official build has none and gets :data:`OFFICIAL_TOLERANCE_M`.
    """
    keep = csd[["CSDUID", "geometry"]].copy()
    for column in ("geometry_source", "boundary_tolerance_m"):
        if column in csd.columns:
            keep[column] = csd[column].to_numpy()
    if "boundary_tolerance_m" not in keep.columns:
        keep["geometry_source"] = "official (Statistics Canada 2021 cartographic boundary file)"
        keep["boundary_tolerance_m"] = OFFICIAL_TOLERANCE_M
    keep["boundary_tolerance_m"] = pd.to_numeric(keep["boundary_tolerance_m"], errors="coerce").fillna(
        OFFICIAL_TOLERANCE_M
    )
    keep["CSDUID"] = keep["CSDUID"].astype(str)
    merged = keep.merge(population, on="CSDUID", how="left", validate="one_to_one")
    missing = merged["CSDNAME"].isna()
    if missing.any():
        names = csd.set_index(csd["CSDUID"].astype(str))
        merged.loc[missing, "CSDNAME"] = merged.loc[missing, "CSDUID"].map(names["CSDNAME"])
        merged.loc[missing, "CSDTYPE"] = merged.loc[missing, "CSDUID"].map(names["CSDTYPE"])
        merged.loc[missing, "CDUID"] = merged.loc[missing, "CSDUID"].str[:4]
    merged = with_regions(merged)
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=csd.crs).to_crs(CRS_METRIC)
    cols = ["CSDUID", "CSDNAME", "CSDTYPE", "CDUID", "region", "pop_2021", "land_area_km2_2021"]
    cols += ["geometry_source", "boundary_tolerance_m", "geometry"]
    return out[cols].sort_values("CSDUID").reset_index(drop=True)


def load_geography(source: Path | None = None, cache: Path | None = None) -> Geography:
    """The geography in use: the official build under ``geo/`` if any, else the shared copy."""
    source = Path(source) if source else geo_source_dir()
    cache = Path(cache) if cache else geo_cache_dir()
    shared = source / SHARED_GPKG
    if not shared.exists():
        raise UserError("geo.error.source_missing", path=str(source))
    population = _read_population(source)
    places = pd.read_csv(source / "places.csv", dtype={"CSDUID": str, "CDUID": str})
    tracts = gpd.read_file(shared, layer="census_tracts_london_cma").to_crs(CRS_METRIC)
    official = cache / OFFICIAL_GPKG
    if official.exists() and (cache / OFFICIAL_META).exists():
        layers = {name: gpd.read_file(official, layer=name) for name, *_ in OFFICIAL_FILES.values()}
        meta = json.loads((cache / OFFICIAL_META).read_text(encoding="utf-8"))
        fidelity, label, das = "official", str(meta.get("from", official)), layers["dissemination_areas"]
        built = meta
    else:
        layers = {
            name: gpd.read_file(shared, layer=name).to_crs(CRS_METRIC)
            for name in ("census_divisions", "census_subdivisions", "fsa")
        }
        fidelity, label, das, built = "generalised", str(source), None, {}
    divisions = layers["census_divisions"].copy()
    divisions["CDUID"] = divisions["CDUID"].astype(str)
    divisions = divisions.merge(_read_cd_population(source), on="CDUID", how="left")
    municipalities = _municipalities(layers["census_subdivisions"], population)
    return Geography(
        divisions=divisions.sort_values("CDUID").reset_index(drop=True),
        municipalities=municipalities,
        regions=dissolve_regions(municipalities),
        fsas=layers["fsa"],
        census_tracts=tracts,
        dissemination_areas=das,
        places=places,
        source=label,
        fidelity=fidelity,
        built=built,
    )


# -- official build ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _progress(name: str, done: int, total: int) -> None:
    width = 30
    if total > 0:
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{t('geo.build.downloading', 'fr', name=name)} [{bar}] {done * 100 // total:3d} %")
    else:
        sys.stderr.write(f"\r{t('geo.build.downloading', 'fr', name=name)} {done // 1024} Kio")
    sys.stderr.flush()


def download(url: str, target: Path, expected_sha256: str | None = None) -> str:
    """Download ``url`` to ``target`` with a progress bar; return its SHA-256.

    The file is written under a temporary name and moved into place only when complete
    and, if a checksum was given, matching: a broken download never replaces anything.
    """
    name = Path(urllib.parse.urlparse(url).path).name
    partial = target.with_suffix(target.suffix + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, partial.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 16):
                out.write(chunk)
                done += len(chunk)
                _progress(name, done, total)
        sys.stderr.write("\n")
    except (OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise UserError("geo.error.download", url=url, detail=str(exc)) from exc
    actual = _sha256(partial)
    if expected_sha256 and actual.lower() != expected_sha256.lower():
        partial.unlink(missing_ok=True)
        raise UserError("geo.error.checksum", name=name, expected=expected_sha256, actual=actual)
    partial.replace(target)
    return actual


def _fetch_all(origin: str, workdir: Path, checksums: dict[str, str]) -> dict[str, Path]:
    """Local paths of the four zips, downloading them first when ``origin`` is a URL."""
    parsed = urllib.parse.urlparse(origin)
    found: dict[str, Path] = {}
    if parsed.scheme in ("http", "https", "ftp", "file"):
        base = origin if origin.endswith("/") else origin + "/"
        for stem in OFFICIAL_FILES:
            target = workdir / f"{stem}.zip"
            download(urllib.parse.urljoin(base, f"{stem}.zip"), target, checksums.get(stem))
            found[stem] = target
        return found
    folder = Path(origin)
    if not folder.exists():
        raise UserError("geo.error.source_missing", path=str(folder))
    for stem in OFFICIAL_FILES:
        candidates = [folder / f"{stem}.zip", folder / f"{stem}.shp", folder / stem / f"{stem}.shp"]
        path = next((c for c in candidates if c.exists()), None)
        if path is None:
            raise UserError("geo.error.file_missing", name=f"{stem}.zip", path=str(folder))
        if stem in checksums and path.suffix == ".zip":
            actual = _sha256(path)
            if actual.lower() != checksums[stem].lower():
                raise UserError("geo.error.checksum", name=path.name, expected=checksums[stem], actual=actual)
        found[stem] = path
    return found


def _read_official(stem: str, path: Path) -> gpd.GeoDataFrame:
    _layer, id_column, required = OFFICIAL_FILES[stem]
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                shp = [n for n in archive.namelist() if n.lower().endswith(".shp")]
            if not shp:
                raise UserError("geo.error.bad_file", name=path.name, detail="no .shp in the zip")
            frame = pyogrio.read_dataframe(f"/vsizip/{path.resolve()}/{shp[0]}")
        else:
            frame = pyogrio.read_dataframe(path)
    except (zipfile.BadZipFile, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise UserError("geo.error.bad_file", name=path.name, detail=str(exc)) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise UserError("geo.error.missing_columns", name=path.name, columns=", ".join(missing))
    if frame.crs is None:
        frame = frame.set_crs(CRS_METRIC)
    frame = frame.to_crs(CRS_METRIC)
    frame[id_column] = frame[id_column].astype(str)
    return frame


def _clip(layers: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """Keep the region: by id for CD, CSD and DA; by area share for FSAs."""
    out: dict[str, gpd.GeoDataFrame] = {}
    out["census_divisions"] = layers["census_divisions"][layers["census_divisions"]["CDUID"].isin(REGION_CDS)]
    csd = layers["census_subdivisions"]
    out["census_subdivisions"] = csd[csd["CSDUID"].map(in_region_cd)].assign(CDUID=lambda f: f["CSDUID"].str[:4])
    da = layers["dissemination_areas"]
    out["dissemination_areas"] = da[da["DAUID"].map(in_region_cd)]
    region = shapely.union_all(out["census_divisions"].geometry.values)
    fsa = layers["fsa"]
    fsa = fsa[fsa.intersects(region)].copy()
    measure = distance_crs_for(out["census_divisions"].geometry)  # areas on the ground, not in Lambert
    inside = fsa.geometry.intersection(region).to_crs(measure).area
    fsa["share_of_fsa_in_region"] = (inside / fsa.geometry.to_crs(measure).area).round(4)
    fsa["km2_in_region"] = (inside / 1e6).round(2)
    out["fsa"] = fsa[fsa["km2_in_region"] > 1.0]
    for name, frame in out.items():
        if frame.empty:
            raise UserError("geo.error.no_region", name=name)
        out[name] = frame.reset_index(drop=True)
    return out


def build_official(origin: str, cache: Path | None = None, checksums: dict[str, str] | None = None) -> dict[str, int]:
    """Build the official geography from ``origin`` (a folder or a URL) into the cache.

    Everything is read and clipped before anything is written, and the cache is replaced
    in one move, so a bad file leaves the geography in use untouched.
    """
    cache = Path(cache) if cache else geo_cache_dir()
    checksums = checksums or {}
    with tempfile.TemporaryDirectory(prefix="carto-geo-") as tmp:
        workdir = Path(tmp)
        paths = _fetch_all(origin, workdir, checksums)
        layers = {OFFICIAL_FILES[stem][0]: _read_official(stem, path) for stem, path in paths.items()}
        clipped = _clip(layers)
        staged = workdir / OFFICIAL_GPKG
        for name, frame in clipped.items():
            pyogrio.write_dataframe(frame, staged, layer=name, driver="GPKG")
        meta = {
            "from": origin,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "vintage": VINTAGE,
            "files": {stem: {"name": p.name, "sha256": _sha256(p)} for stem, p in paths.items()},
        }
        cache.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), cache / OFFICIAL_GPKG)
        (cache / OFFICIAL_META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return {name: len(frame) for name, frame in clipped.items()}
