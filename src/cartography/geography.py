"""The region's geography as pure functions on frames: regions, names, areas.

The four planning regions are derived from official ids, never from names, so that the
same code works on the generalised shared copy and on the official boundary files.
Everything is computed in metres (EPSG:3347, Statistics Canada Lambert).
"""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import pandas as pd

from cartography.vocabulary import REGIONS

#: Statistics Canada Lambert, the CRS every computation uses (metres).
CRS_METRIC = "EPSG:3347"
#: The CRS of display and of coordinates typed by people.
CRS_DISPLAY = "EPSG:4326"

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
    r"canton de|municipalite de|village de|comte de|the )\s*"
)
_SAINT = re.compile(r"\b(st|ste|saint|sainte)\b")
_PROVINCE = re.compile(r"(,|\s)\s*(on|ont|ontario|canada)\s*$")


def place_key(name: str) -> str:
    """Normalise a place name so that spelling variants meet.

    Members type "St. Thomas", "Saint-Thomas", "ST THOMAS, ON" or "st-thomas": all must
    find the same municipality, so accents, case, punctuation, hyphens, the "St."/"Saint"
    abbreviations, administrative prefixes and a trailing province are ignored.
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    for _ in range(2):
        text = _PROVINCE.sub("", text).strip()
    text = re.sub(r"[.\-–—/'’_]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    text = _PREFIXES.sub("", text)
    text = _SAINT.sub("saint", text)
    return " ".join(text.split())


def with_regions(municipalities: pd.DataFrame) -> pd.DataFrame:
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
