"""Write a compiled cycle as the files users open: GeoPackage, CSV, GeoJSON and Excel.

Moved from ``cartography.io.compile`` so that computing layers and laying them out on disk
live in separate rooms.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio

from cartography.geography import CRS_DISPLAY
from cartography.i18n import UserError
from cartography.io.compile import Compiled
from cartography.io.formula_safety import neutralise_formula

FORMATS = ("gpkg", "csv", "geojson", "xlsx")


def _metadata_frame(compiled: Compiled) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}
            for k, v in compiled.metadata.items()
        ]
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Attribute table only: points keep lat/lon, polygons are left to the spatial formats."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: v if not isinstance(v, (list, tuple)) else "; ".join(v))
    return out


def write_layers(compiled: Compiled, target: Path, fmt: str = "gpkg") -> list[Path]:
    """Write every layer and the metadata table; return the files written.

    ``gpkg``: one GeoPackage. ``csv`` and ``geojson``: a folder with one file per layer
    (GeoJSON in EPSG:4326 as RFC 7946 requires). ``xlsx``: one workbook, a sheet per layer.
    Text cells that look like formulas are neutralised in CSV and Excel.
    """
    if fmt not in FORMATS:
        raise UserError("compile.error.format", fmt=fmt, formats=", ".join(FORMATS))
    target = Path(target)
    written: list[Path] = []
    if fmt == "gpkg":
        partial = target.with_suffix(".partial.gpkg")
        partial.unlink(missing_ok=True)
        # SQLite's per-transaction fsync is most of the write time; the file is private until
        # the rename below, so it is synced once, whole, instead (nothing half-written is ever
        # visible under the target name).
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
        try:
            for name, frame in compiled.layers.items():
                pyogrio.write_dataframe(
                    frame, partial, layer=name, driver="GPKG", promote_to_multi=True, use_arrow=True
                )
            pyogrio.write_dataframe(_metadata_frame(compiled), partial, layer="metadata", driver="GPKG")
        finally:
            pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": None})
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
        return [target]
    if fmt == "xlsx":
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            _metadata_frame(compiled).map(neutralise_formula).to_excel(writer, sheet_name="metadata", index=False)
            for name, frame in compiled.layers.items():
                _plain(frame).map(neutralise_formula).to_excel(writer, sheet_name=name[:31], index=False)
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    meta = target / "metadata.csv"
    _metadata_frame(compiled).map(neutralise_formula).to_csv(meta, index=False)
    written.append(meta)
    for name, frame in compiled.layers.items():
        if fmt == "csv":
            path = target / f"{name}.csv"
            _plain(frame).map(neutralise_formula).to_csv(path, index=False)
        else:
            path = target / f"{name}.geojson"
            frame.to_crs(CRS_DISPLAY).to_file(path, driver="GeoJSON", engine="pyogrio")
        written.append(path)
    return written


def export_bytes(compiled: Compiled, fmt: str) -> tuple[bytes, str]:
    """One downloadable file of ``compiled`` in ``fmt`` (folders are zipped) and its name."""
    import tempfile

    stem = f"cartographie-{compiled.cycle}"
    with tempfile.TemporaryDirectory(prefix="carto-export-") as tmp:
        folder = Path(tmp)
        if fmt in ("gpkg", "xlsx"):
            target = folder / f"{stem}.{fmt}"
            write_layers(compiled, target, fmt)
            return target.read_bytes(), target.name
        files = write_layers(compiled, folder / stem, fmt)
        archive = zip_files(files, folder / f"{stem}-{fmt}.zip")
        return archive.read_bytes(), archive.name


def zip_files(files: list[Path], target: Path) -> Path:
    """Bundle exported files for a single download."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return target


__all__ = ["FORMATS", "export_bytes", "write_layers", "zip_files"]
