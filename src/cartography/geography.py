"""The region's geography as pure functions on frames: regions, names, areas.

The four planning regions are derived from official ids, never from names, so that the
same code works on the generalised shared copy and on the official boundary files.
Layers are stored and published in EPSG:3347 (Statistics Canada Lambert, metres). That
projection is conformal, not equidistant (here it stretches distances by about 2.7 % and
areas by about 5.5 %), so distances and areas are measured in a local metric CRS picked from
the region's centroid: the NAD83(CSRS) UTM zone (EPSG:2958, zone 17N, for this region).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from cartography.vocabulary import REGIONS

if TYPE_CHECKING:  # loaded where geometry is used: the names and rules here serve store-only commands too
    import geopandas as gpd

#: Statistics Canada Lambert (metres): the CRS layers are stored, joined and published in.
#: Conformal, not equidistant: never used to measure a distance or an area.
CRS_METRIC = "EPSG:3347"
#: The CRS of display and of coordinates typed by people.
CRS_DISPLAY = "EPSG:4326"
#: Datum of the local measuring CRS (a UTM zone of it is chosen per region).
DISTANCE_DATUM = "NAD83(CSRS)"

#: A frame or a geo frame: :func:`with_regions` returns the kind it was given.
FrameT = TypeVar("FrameT", bound=pd.DataFrame)


@functools.lru_cache(maxsize=64)
def utm_crs_at(lon: float, lat: float) -> str:
    """``EPSG:nnnn`` of the NAD83(CSRS) UTM zone containing ``(lon, lat)``.

    A UTM zone's scale error is below 0.04 % within about 100 km of its central meridian,
    which is why distances ("30 km") and areas are measured in the zone of the region's
    centroid. Falls back to the WGS 84 zone where NAD83(CSRS) has none (outside Canada).
    """
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_utm_crs_info

    aoi = AreaOfInterest(lon, lat, lon, lat)
    for datum in (DISTANCE_DATUM, "WGS 84"):
        found = query_utm_crs_info(datum_name=datum, area_of_interest=aoi)
        if found:
            best = min(found, key=lambda info: info.code)
            return f"{best.auth_name}:{best.code}"
    raise ValueError(f"no UTM zone for lon={lon}, lat={lat}")


def distance_crs_for(geometries: gpd.GeoSeries) -> str:
    """The local metric CRS for measuring within ``geometries`` (zone of their centroid)."""
    minx, miny, maxx, maxy = geometries.to_crs(CRS_DISPLAY).total_bounds
    return utm_crs_at(round((minx + maxx) / 2, 3), round((miny + maxy) / 2, 3))


#: Census divisions of the region and the planning region each maps to.
REGION_CDS: dict[str, str] = {"3532": "oxford", "3534": "elgin", "3539": "middlesex"}
#: The City of London, its own planning region though it lies in CD 3539.
LONDON_CSDUID = "3539036"


def region_of(csduid: str) -> str | None:
    """Planning region code of a census subdivision id, ``None`` outside the region."""
    csduid = str(csduid).strip()
    if csduid == LONDON_CSDUID:
        return "london"
    return REGION_CDS.get(csduid[:4])


def in_region_cd(uid: str) -> bool:
    """True when a census geography id (CD, CSD, DA...) starts with one of the region's CDs."""
    return str(uid)[:4] in REGION_CDS


_PREFIXES = re.compile(
    r"^(city of|town of|township of|municipality of|village of|county of|ville de|"
    r"canton de|canton|municipalite de|village de|comte de|comte|the)\s+"
)
_SUFFIXES = re.compile(r"\s+(township|twp|tp|town|city|municipality|county|cty|comte|canton)$")
_ABBREVIATIONS = (
    (re.compile(r"\b(st|ste|saint|sainte)\b"), "saint"),
    (re.compile(r"\b(mt|mnt)\b"), "mount"),
    (re.compile(r"\bpt\b"), "port"),
    (re.compile(r"\bcenter\b"), "centre"),
    (re.compile(r"\b(cnrs|crnrs|cors)\b"), "corners"),
)
_PROVINCE = re.compile(r"(,|\s)\s*(on|ont|ontario|canada)\s*$")
_ELISION = re.compile(r"\b[dl]['’](?=\w)")


def place_key(name: str) -> str:
    """Normalise a place name so that spelling variants meet.

    Members type "St. Thomas", "Saint-Thomas", "ST THOMAS, ON" or "st-thomas", "Mt Brydges"
    or "Browns Corners": all must find the same place, so accents, case, punctuation,
    hyphens, apostrophes (dropped, so "Brown's" meets "Browns"), the usual abbreviations
    (St/Ste/Saint/Sainte, Mt/Mount, Pt/Port, Center/Centre), administrative prefixes and
    suffixes ("Township of", "Zorra Township", "Elgin County") and a trailing province or
    country are ignored.
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    for _ in range(3):
        text = _PROVINCE.sub("", text).strip()
    text = _ELISION.sub("", text)
    text = re.sub(r"['’`´]", "", text)
    text = re.sub(r"[.\-–—/_]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    text = _PREFIXES.sub("", text)
    text = _SUFFIXES.sub("", text) if " " in text else text
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def as_geo_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A compiled layer as the geo frame it is: layer dictionaries are typed with plain frames,
    their area and point layers are GeoDataFrames."""
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"an area or point layer is a GeoDataFrame, not '{type(frame).__name__}'")
    return frame


def with_regions(municipalities: FrameT) -> FrameT:
    """Return a copy of a CSD frame with its ``region`` column derived from ``CSDUID``."""
    out = municipalities.copy()
    out["region"] = out["CSDUID"].astype(str).map(region_of)
    return out


def dissolve_regions(municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The four planning regions as polygons with their 2021 population.

    Built from the municipalities (not from the CD layer) so that a region and the
    municipalities in it share their edges on every map.
    """
    frame = with_regions(municipalities)
    frame["pop_2021"] = pd.to_numeric(frame["pop_2021"], errors="coerce").fillna(0)
    grouped = frame.dissolve(by="region", aggfunc={"pop_2021": "sum", "CSDUID": "count"})
    grouped = grouped.rename(columns={"CSDUID": "municipality_count"}).reset_index()
    order = {term.code: int(term.attrs["order"]) for term in REGIONS}
    grouped["name_fr"] = grouped["region"].map(lambda c: REGIONS.label(c, "fr"))
    grouped["name_en"] = grouped["region"].map(lambda c: REGIONS.label(c, "en"))
    grouped["pop_2021"] = grouped["pop_2021"].astype("int64")
    grouped = grouped.sort_values("region", key=lambda s: s.map(order)).reset_index(drop=True)
    return grouped[["region", "name_fr", "name_en", "pop_2021", "municipality_count", "geometry"]]
