"""Write two compiled cycles' comparison (:mod:`cartography.cycle_comparison`) as ``changes.gpkg``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from cartography.comparison import Comparison
from cartography.cycle_comparison import comparison_layers
from cartography.io.atomic import written_aside
from cartography.io.metadata import metadata_table


def _writable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nullable columns GDAL can store (booleans and Int64 keep their empties)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = out[column].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    return out


def write_changes(comparison: Comparison, target: Path) -> Path:
    """Write the comparison as one GeoPackage (opens in QGIS); nothing half-written is left."""
    target = Path(target)
    with written_aside(target) as partial:
        for name, frame in comparison_layers(comparison).items():
            pyogrio.write_dataframe(_writable(frame), partial, layer=name, driver="GPKG", promote_to_multi=True)
        pyogrio.write_dataframe(metadata_table(comparison.metadata), partial, layer="metadata", driver="GPKG")
    return target


def changes_bytes(comparison: Comparison) -> tuple[bytes, str]:
    """The comparison GeoPackage as bytes and its file name, for a download button."""
    name = f"changements-{comparison.from_cycle}-{comparison.to_cycle}.gpkg"
    with tempfile.TemporaryDirectory(prefix="carto-compare-") as tmp:
        path = write_changes(comparison, Path(tmp) / name)
        return path.read_bytes(), name


__all__ = ["changes_bytes", "write_changes"]
