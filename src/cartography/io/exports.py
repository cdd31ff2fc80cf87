"""Write a compiled cycle as the files users open: GeoPackage, CSV, GeoJSON and Excel.

Computing the layers lives in :mod:`cartography.io.compile`; this module only lays them out
for the tools users have, because each tool expects something different:

* **GeoPackage** (QGIS): one geometry layer per level (``gaps_region``, ``gaps_csd``,
  ``gaps_ct``) holding each area once with its "all categories" indicators, so it opens as a
  map; the per-category indicators once per level in attribute tables without geometry
  (``gaps_<level>_categories``, keyed by ``area_id`` and ``category``) instead of 17 stacked
  copies of every polygon. QGIS styles in ``layer_styles`` (coloured like the app's map, with a
  legend, French and English), layer titles in ``gpkg_contents`` and field titles and
  descriptions in ``gpkg_data_columns``. GeoPackage 1.2, which QGIS 3.22's GDAL reads without
  a warning.
* **GeoJSON** (web tools): RFC 7946 (EPSG:4326, no ``crs`` member, counter-clockwise exterior
  rings, 6 decimals), shared boundaries simplified together so the tract file stays small.
* **CSV** (Excel on Windows): UTF-8 with BOM, ``standard`` (``,`` and ``.``) or ``excel-fr``
  (``;``, decimal comma, French headers), codes quoted as text, and a Frictionless
  ``datapackage.json`` describing every file.
* **Excel**: one sheet per table.

A name given by the user is the file written: several files are zipped into one archive,
never a folder. Formula neutralisation applies to CSV and Excel only (spreadsheets run
formulas; QGIS and web tools do not).
"""

from __future__ import annotations

import functools
import json
import math
import re
import sqlite3
import tempfile
import threading
import unicodedata
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from cartography import palette
from cartography.compilation import Compiled
from cartography.errors import UserError
from cartography.geography import CRS_DISPLAY, distance_crs_for
from cartography.i18n import MESSAGES, Lang, t
from cartography.io.atomic import written_aside
from cartography.io.formula_safety import neutralise_formula
from cartography.vocabulary import GAP_CLASSES, NEED_STATUSES, REGIONS, SERVICE_CATEGORIES, SEVERITIES

_T = TypeVar("_T")

FORMATS = ("gpkg", "csv", "geojson", "xlsx")
CSV_STYLES = ("standard", "excel-fr")
#: Gap layers and their level.
GAP_LAYERS = {"gaps_region": "region", "gaps_csd": "csd", "gaps_ct": "ct"}
ALL = "all"
LANGS: tuple[Lang, Lang] = ("fr", "en")
#: GeoPackage version: 1.2 is read by every GDAL since 2.2 (QGIS 3.22 on Debian ships GDAL 3.6,
#: which warns on the 1.4 that GDAL 3.7+ writes by default).
GPKG_VERSION = "1.2"
GEOMETRY_COLUMN = "geom"
#: Simplification of shared boundaries for display formats (GeoJSON), in metres of the layer
#: CRS (EPSG:3347, see :func:`simplified`). 10 m is a fiftieth of a millimetre at the 1:500 000
#: of a region map and half a screen pixel at web zoom 13 (19 m); far under the ~400 m
#: generalisation of 20 of the 28 municipal boundaries. Tract GeoJSON of the demo: 1.04 MB
#: unsimplified, 0.35 MB at 10 m.
SIMPLIFY_M = 10.0
#: The GeoPackage's analysis layers (gaps by level) are simplified together at 2 m only: it
#: drops the near-collinear vertices (a third of the tract vertices, 0.6 MB of the demo), far
#: below the positional accuracy of Statistics Canada's cartographic boundary files, so the
#: analyst's layer is full geometry at every usable scale and the demo file stays under 2 MB.
GPKG_SIMPLIFY_M = 2.0
#: Layers of the GeoPackage that only draw municipal boundaries again (service areas, clients,
#: needs: 155 + 23 + 18 copies in the demo) use them simplified at 25 m, as a drawing aid; the
#: analysis geometry is the gap layers'. At 10 m the demo GeoPackage would pass 2 MB.
GPKG_DISPLAY_M = 25.0
#: Columns that describe an area (constant over categories): they live on the geometry
#: layer; everything else varies by category and goes to ``gaps_<level>_categories``.
AREA_COLUMNS = (
    "level",
    "area_id",
    "name",
    "csd",
    "region",
    "demand",
    "demand_source",
    "demand_sources",
    "demand_enumerated",
    "unenumerated_names",
    "demand_note",
    "demand_note_en",
    "demand_key",
)


@dataclass(frozen=True)
class Filters:
    """Which part of a cycle an export holds; recorded in its name and its metadata."""

    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    category: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.regions or self.municipalities or self.category)

    def as_dict(self) -> dict[str, object]:
        return {
            "regions": list(self.regions),
            "municipalities": list(self.municipalities),
            "category": self.category or ALL,
        }


# -- names, titles, filters -------------------------------------------------------------------


def _slug(text: str) -> str:
    """ASCII, lower case, hyphens: safe in a file name on every system."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _municipality_names(compiled: Compiled) -> dict[str, str]:
    frame = compiled.layers.get("gaps_csd")
    if frame is None or "name" not in frame:
        return {}
    return dict(zip(frame["area_id"].astype(str), frame["name"].astype(str), strict=False))


def export_name(compiled: Compiled, filters: Filters, ext: str, lang: Lang = "fr") -> str:
    """``lacunes-2019-2020-elgin.gpkg``: the cycle and the filters that made the file.

    Up to three municipalities are named; more are counted, so the name stays short.
    """
    parts = ["lacunes" if lang == "fr" else "gaps", compiled.cycle]
    parts += list(filters.regions)
    names = _municipality_names(compiled)
    if len(filters.municipalities) <= 3:
        parts += [names.get(code, code) for code in filters.municipalities]
    else:
        parts.append(f"{len(filters.municipalities)}-municipalites" if lang == "fr" else "municipalities")
    if filters.category:
        parts.append(filters.category)
    return "-".join(_slug(str(p)) for p in parts if _slug(str(p))) + f".{ext}"


def _check(values: Iterable[str], allowed: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(str(v) for v in values))
    for value in chosen:
        if value not in allowed:
            raise UserError("exports.error.filter", value=value, values=", ".join(allowed))
    return chosen


def make_filters(
    compiled: Compiled,
    regions: Iterable[str] | None = None,
    municipalities: Iterable[str] | None = None,
    category: str | None = None,
) -> Filters:
    """Checked filters (codes): an unknown code is a :class:`UserError` naming the valid ones."""
    regions_ok = _check(regions or (), REGIONS.codes)
    munis_ok = _check(municipalities or (), sorted(_municipality_names(compiled)))
    if category in (None, "", ALL):
        return Filters(regions_ok, munis_ok, None)
    (cat,) = _check([str(category)], SERVICE_CATEGORIES.codes)
    return Filters(regions_ok, munis_ok, cat)


def _keep(frame: pd.DataFrame, filters: Filters, muni_regions: set[str]) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if filters.regions and "region" in frame:
        mask &= frame["region"].isin(filters.regions)
    if filters.municipalities and "region" in frame:
        csd = frame["csd"].fillna("").astype(str) if "csd" in frame else pd.Series("", index=frame.index)
        whole_region = (csd == "") & frame["region"].isin(muni_regions)
        mask &= csd.isin(filters.municipalities) | whole_region
    if filters.category and "category" in frame:
        mask &= frame["category"] == filters.category
    return frame[mask.to_numpy()]


def filter_compiled(compiled: Compiled, filters: Filters) -> Compiled:
    """A copy of ``compiled`` holding only the filtered rows (the input is not changed).

    Regions keep their areas; municipalities keep their own rows and the region-wide rows of
    their region (a regional need concerns them too); a category keeps its rows only.
    """
    if filters.empty:
        return compiled
    csd = compiled.layers.get("gaps_csd", pd.DataFrame(columns=["area_id", "region"]))
    muni_regions = set(csd.loc[csd["area_id"].isin(filters.municipalities), "region"])
    layers = {name: _keep(frame, filters, muni_regions) for name, frame in compiled.layers.items()}
    if filters.municipalities and "gaps_region" in layers:
        frame = layers["gaps_region"]
        layers["gaps_region"] = frame[frame["area_id"].isin(muni_regions)]
    metadata = {**compiled.metadata, "export_filters": filters.as_dict()}
    return replace(compiled, layers=layers, metadata=metadata)


def _filtered_category(compiled: Compiled) -> str | None:
    """The one category an export was filtered to, if any (from its metadata)."""
    filters = compiled.metadata.get("export_filters")
    category = filters.get("category") if isinstance(filters, dict) else None
    return None if category in (None, "", ALL) else str(category)


def field_title(column: str, lang: Lang = "fr") -> str:
    """The reader's title of a column (French or English), from the message catalogue."""
    match = re.fullmatch(r"needs_(met|partly_met|unmet)_(\w+)", column)
    if match and match.group(2) in SEVERITIES.codes:
        status = NEED_STATUSES.label(match.group(1), lang).lower()
        severity = SEVERITIES.label(match.group(2), lang).lower()
        return t("exports.field.needs_status_severity", lang, status=status, severity=severity)
    key = f"exports.field.{column}"
    return t(key, lang) if key in MESSAGES else column


def field_help(column: str, lang: Lang = "fr") -> str:
    """What a column holds, its unit and codes (French or English)."""
    if re.fullmatch(r"needs_(met|partly_met|unmet)_(\w+)", column) and column.rsplit("_", 1)[1] in SEVERITIES.codes:
        return t("exports.field.needs_status_severity.help", lang)
    key = f"exports.field.{column}.help"
    return t(key, lang) if key in MESSAGES else t("exports.field.unknown.help", lang, field=column)


def _both(fr: str, en: str) -> str:
    return fr if fr == en else f"{fr} / {en}"


def layer_title(name: str, lang: Lang = "fr", category: str | None = None) -> tuple[str, str]:
    """Title and description of a file's layer, in ``lang``."""
    level = GAP_LAYERS.get(name.removesuffix("_categories"))
    if level is None:
        key = f"exports.layer.{name}"
        if key not in MESSAGES:
            return name, ""
        return t(key, lang), t(f"{key}.help", lang) if f"{key}.help" in MESSAGES else ""
    words = t(f"exports.level.{level}", lang)
    chosen = SERVICE_CATEGORIES.label(category, lang) if category else t("exports.all_categories", lang)
    key = "exports.layer.gaps_categories" if name.endswith("_categories") else "exports.layer.gaps"
    return t(key, lang, level=words), t(f"{key}.help", lang, level=words, category=chosen, code=level)


# -- tables: what each format holds -----------------------------------------------------------


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


_Frame = TypeVar("_Frame", bound=pd.DataFrame)


def _integers(frame: _Frame) -> _Frame:
    """Counts as integers: a float column holding only whole numbers (or gaps) becomes Int64.

    ``frame`` itself when no column changes (it is not modified either way).
    """
    converted = {}
    for column, dtype in frame.dtypes.items():
        if str(column).startswith(("needs_", "services_", "clients_")) and dtype.kind == "f":
            values = frame[column].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            if np.array_equal(finite, np.round(finite)):
                converted[str(column)] = frame[column].round().astype("Int64")
    return frame.assign(**converted) if converted else frame


def _chosen_category(frame: pd.DataFrame) -> str:
    present = set(frame["category"].unique()) if "category" in frame else set()
    return ALL if ALL in present or len(present) != 1 else next(iter(present))


def split_gaps(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None]:
    """One geometry row per area (chosen category) and the other categories without geometry.

    The geometry layer holds the "all categories" rows (or the one category an export was
    filtered to) with every area attribute; the table holds, once per area and category, only
    the columns that vary by category, keyed by ``area_id`` and ``category``.
    """
    chosen = _chosen_category(frame)
    is_chosen = (frame["category"] == chosen).to_numpy(dtype=bool, na_value=False)
    areas = _integers(_rows(frame, is_chosen)).reset_index(drop=True)
    if is_chosen.all():
        return areas, None
    varying = [c for c in frame.columns if c not in AREA_COLUMNS and c != "geometry"]
    table = pd.DataFrame(_rows(frame, ~is_chosen)).reindex(columns=["area_id", "name", *varying])  # the fastest pick
    table = _integers(table).reset_index(drop=True)
    return areas, table


def _rows(frame: _Frame, mask: np.ndarray) -> _Frame:
    """The rows of ``frame`` where ``mask``: a slice when they follow each other, as the
    compile lays out a level's categories (no column is copied), else a copy of them."""
    where = np.flatnonzero(mask)
    if len(where) and where[-1] - where[0] + 1 == len(where):
        return frame.iloc[where[0] : where[-1] + 1]
    return frame.iloc[where]


def _gpkg_tables(compiled: Compiled) -> dict[str, pd.DataFrame]:
    """Gap layers at full geometry (2 m), once per area, and their category tables; layers that
    repeat municipal boundaries (service areas, clients, needs) drawn with the 25 m ones."""
    splits = _split_levels(compiled)
    drawn: dict[str, gpd.GeoDataFrame] = {
        n: simplified(splits[n][0], GPKG_DISPLAY_M) for n in ("gaps_region", "gaps_csd") if n in splits
    }
    shapes = _shapes(drawn)
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in compiled.layers.items():
        if name in splits:
            areas, categories = splits[name]
            tables[name] = simplified(areas, GPKG_SIMPLIFY_M)
            if categories is not None:
                tables[f"{name}_categories"] = categories
        elif isinstance(frame, gpd.GeoDataFrame):
            tables[name] = territories(_display(frame, shapes))
        else:
            tables[name] = _integers(_plain(frame))
    return tables


# -- GeoPackage ---------------------------------------------------------------------------------


def _rgba(colour: str, alpha: int = 255) -> str:
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _symbol(name: str, kind: str, props: dict[str, str], alpha: float = 1.0, fill_expression: str = "") -> str:
    """A QGIS symbol of one simple layer; ``fill_expression`` overrides its fill colour per feature."""
    cls = {"fill": "SimpleFill", "marker": "SimpleMarker", "line": "SimpleLine"}[kind]
    body = "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in props.items())
    if fill_expression:
        body += (
            '<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/>'
            '<Option name="properties" type="Map"><Option name="fillColor" type="Map">'
            '<Option name="active" type="bool" value="true"/>'
            f'<Option name="expression" type="QString" value={quoteattr(fill_expression)}/>'
            '<Option name="type" type="int" value="3"/></Option></Option>'
            '<Option name="type" type="QString" value="collection"/></Option></data_defined_properties>'
        )
    return (
        f'<symbol type="{kind}" name={quoteattr(name)} alpha="{alpha}" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" locked="0" pass="0">{body}</layer></symbol>'
    )


def _fill(colour: str, outline: str = "#222222", width: str = "0.2", style: str = "solid", dash: bool = False) -> dict:
    return {
        "color": _rgba(colour),
        "style": style,
        "outline_color": _rgba(outline),
        "outline_style": "dash" if dash else "solid",
        "outline_width": width,
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }


def _qml(renderer: str, geometry_type: int, aliases: dict[str, str]) -> str:
    """A QGIS 3 style document (what "Save style" writes), renderer and field aliases."""
    alias_xml = "".join(
        f'<alias field={quoteattr(field)} index="{i}" name={quoteattr(title)}/>'
        for i, (field, title) in enumerate(aliases.items())
    )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Fields">'
        f"{renderer}<aliases>{alias_xml}</aliases>"
        f"<layerGeometryType>{geometry_type}</layerGeometryType></qgis>"
    )


def _gap_renderer(lang: Lang) -> str:
    categories, symbols = [], []
    for i, term in enumerate(GAP_CLASSES):
        categories.append(
            f'<category symbol="{i}" value={quoteattr(term.code)} label={quoteattr(term.label(lang))} render="true"/>'
        )
        symbols.append(_symbol(str(i), "fill", _fill(palette.GAP_CLASS_COLOURS[term.code]), alpha=0.8))
    return (
        '<renderer-v2 type="categorizedSymbol" attr="gap_class" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<categories>{''.join(categories)}</categories><symbols>{''.join(symbols)}</symbols>"
        "</renderer-v2>"
    )


def _single(kind: str, props: dict[str, str], alpha: float = 1.0) -> str:
    return (
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<symbols>{_symbol('0', kind, props, alpha)}</symbols></renderer-v2>"
    )


def _points_renderer(lang: Lang) -> str:
    """Points coloured by category as on the app's map; a service not in French is hollow."""
    marker = {"name": "circle", "size": "2.6", "size_unit": "MM", "outline_color": _rgba("#222222")}
    marker |= {"outline_width": "0.3", "outline_width_unit": "MM"}
    hollow = f"if(\"french\", @symbol_color, '{palette.NOT_FRENCH_FILL}')"
    colours = palette.CATEGORY_COLOURS
    categories, symbols = [], []
    for i, term in enumerate(SERVICE_CATEGORIES):
        label = quoteattr(term.label(lang))
        categories.append(f'<category symbol="{i}" value={quoteattr(term.code)} label={label} render="true"/>')
        props = marker | {"color": _rgba(colours[i % len(colours)])}
        symbols.append(_symbol(str(i), "marker", props, fill_expression=hollow))
    return (
        '<renderer-v2 type="categorizedSymbol" attr="category" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<categories>{''.join(categories)}</categories><symbols>{''.join(symbols)}</symbols></renderer-v2>"
    )


def layer_style(name: str, columns: Iterable[str], lang: Lang = "fr") -> str | None:
    """The QML of a spatial layer of the GeoPackage, or ``None`` for a table."""
    aliases = {c: field_title(c, lang) for c in columns if c != "geometry"}
    if name in GAP_LAYERS:
        return _qml(_gap_renderer(lang), 2, aliases)
    if name == "service_points":
        return _qml(_points_renderer(lang), 0, aliases)
    if name == "service_areas":
        props = _fill("#6a3d9a", outline="#6a3d9a", width="0.6", style="no", dash=True)
        return _qml(_single("fill", props), 2, aliases)
    if name == "needs_by_area":
        needs = _fill(palette.NEEDS_FILL, outline=palette.NEEDS_STROKE, width="0.4")
        return _qml(_single("fill", needs, alpha=0.6), 2, aliases)
    if name == "clients_by_area":
        return _qml(_single("fill", _fill("#fdd0a2", outline="#7f2704", width="0.3"), alpha=0.6), 2, aliases)
    return None


@functools.lru_cache(maxsize=256)
def _style_of(name: str, columns: tuple[str, ...], lang: Lang) -> str | None:
    """:func:`layer_style`, built once per layer, columns and language (the catalogue and
    palette do not change while the program runs): every export writes the same few."""
    return layer_style(name, columns, lang)


@functools.lru_cache(maxsize=4096)
def _column_text(column: str) -> tuple[str, str]:
    """A column's title and description, French / English, for the schema extension."""
    return (
        _both(field_title(column, "fr"), field_title(column, "en")),
        _both(field_help(column, "fr"), field_help(column, "en")),
    )


def _styles_frame(tables: dict[str, pd.DataFrame], lang: Lang) -> pd.DataFrame:
    """``layer_styles`` rows as QGIS writes them: a French and an English style per layer."""
    rows = []
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    for name, frame in tables.items():
        if not isinstance(frame, gpd.GeoDataFrame):
            continue
        for style_lang in LANGS:
            qml = _style_of(name, tuple(frame.columns), style_lang)
            if qml is None:
                continue
            title, _ = layer_title(name, style_lang)
            rows.append(
                {
                    "f_table_catalog": "",
                    "f_table_schema": "",
                    "f_table_name": name,
                    "f_geometry_column": GEOMETRY_COLUMN,
                    "styleName": f"{name} ({style_lang})",
                    "styleQML": qml,
                    "styleSLD": "",
                    "useAsDefault": style_lang == lang,
                    "description": title,
                    "owner": "",
                    "ui": "",
                    "update_time": now,
                }
            )
    return pd.DataFrame(rows)


def _data_columns(db: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> None:
    """Field titles and descriptions (French / English) in the GeoPackage schema extension."""
    spec = "http://www.geopackage.org/spec120/#extension_schema"
    db.execute(
        "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
        " name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT,"
        " CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL,"
        " constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC,"
        " max_is_inclusive BOOLEAN, description TEXT,"
        " CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))"
    )
    db.executemany(
        "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)"
        " VALUES (?, NULL, 'gpkg_schema', ?, 'read-write')",
        [("gpkg_data_columns", spec), ("gpkg_data_column_constraints", spec)],
    )
    rows = [
        (name, column, column, *_column_text(column))
        for name, frame in tables.items()
        for column in frame.columns
        if column != "geometry"
    ]
    db.executemany("INSERT OR REPLACE INTO gpkg_data_columns VALUES (?, ?, ?, ?, ?, NULL, NULL)", rows)


def _write_gpkg(compiled: Compiled, target: Path, lang: Lang) -> Path:
    tables = _gpkg_tables(compiled)
    tables["metadata"] = _metadata_frame(compiled)
    tables["layer_styles"] = _styles_frame(tables, lang)
    category = _filtered_category(compiled)
    # SQLite's per-transaction fsync is most of the write time; the file is private until
    # written_aside renames it, so it is synced once, whole, instead (nothing half-written is
    # ever visible under the target name).
    with written_aside(target) as partial:
        kept = _write_tables(tables, partial, category)
        with sqlite3.connect(partial) as db:  # one transaction for all that follows
            db.execute("PRAGMA synchronous = OFF")  # private file, synced whole by written_aside
            # spatial layers first, as GDAL would have written them before the tables
            for name, layer in sorted(kept.items(), key=lambda item: item[1].kind is None):
                _sql_layer(db, name, layer, _titles(name, category))
            if kept:
                _contents_in_order(db, list(tables))
            _data_columns(db, tables)
        db.close()
    return target


def _titles(name: str, category: str | None) -> tuple[str, str]:
    """A layer's identifier and description in the GeoPackage, French / English."""
    fr, en = (layer_title(name, x, category) for x in LANGS)
    return _both(fr[0], en[0]), _both(fr[1], en[1])


def _write_tables(tables: dict[str, pd.DataFrame], partial: Path, category: str | None) -> dict[str, _Kept]:
    """Write through GDAL what SQLite cannot; return the layers left for SQLite.

    Each GDAL write opens and closes the GeoPackage (about 10 ms, whatever the rows: most of
    the file's writing time). The file starts as the empty GeoPackage GDAL creates in the
    first spatial layer's CRS (:func:`_skeleton`); a layer SQLite can type
    (:func:`_sql_columns`), and for a spatial one encode (:func:`_geometry_kind`) in that
    CRS, is written afterwards in the one SQLite transaction of the schema extension, exactly
    as GDAL would write it. GDAL writes the others (and creates the file when no layer has a
    CRS).
    """
    kept: dict[str, _Kept] = {}
    crs, srs_id = _started(tables, partial)
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        for name, frame in tables.items():
            columns = _attribute_columns(frame) if partial.exists() else None
            if columns is not None and not isinstance(frame, gpd.GeoDataFrame):
                kept[name] = _Kept(frame, columns, None, None)
                continue
            if columns is not None and isinstance(frame, gpd.GeoDataFrame) and crs is not None and frame.crs == crs:
                kind = _geometry_kind(frame)
                if kind is not None:
                    kept[name] = _Kept(frame, columns, srs_id, kind)
                    continue
            _gdal_layer(name, frame, partial, category, first=not partial.exists())
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": None})
    return kept


def _started(tables: dict[str, pd.DataFrame], partial: Path) -> tuple[CRS | None, int | None]:
    """Start ``partial`` as the empty GeoPackage of the first spatial layer's CRS; return
    that CRS and its id in the file (``None, None`` and no file when no layer has a CRS)."""
    crs = next((f.crs for f in tables.values() if isinstance(f, gpd.GeoDataFrame) and f.crs is not None), None)
    if crs is None:
        return None, None
    empty, srs_id = _skeleton(crs)
    partial.write_bytes(empty)
    return crs, srs_id


@functools.lru_cache(maxsize=8)
def _skeleton(crs: CRS) -> tuple[bytes, int]:
    """The GeoPackage GDAL creates, with no layer, and the id it gives ``crs`` in it.

    GDAL creates it with a layer in ``crs`` (registering the CRS, and creating the tables a
    layer needs: the extensions and the key sequence), dropped then with every trace of it;
    the bytes are kept: every export starts from them instead of opening GDAL.
    """
    with tempfile.TemporaryDirectory(prefix="carto-gpkg-") as tmp:
        path = Path(tmp) / "empty.gpkg"
        pyogrio.write_dataframe(
            gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs)),
            path,
            layer="empty",
            driver="GPKG",
            dataset_options={"VERSION": GPKG_VERSION},
            layer_options={"GEOMETRY_NAME": GEOMETRY_COLUMN},
        )
        with sqlite3.connect(path) as db:
            (srs_id,) = db.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'empty'").fetchone()
            db.execute(f'DROP TABLE IF EXISTS "rtree_empty_{GEOMETRY_COLUMN}"')
            db.execute('DROP TABLE "empty"')
            for table in ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_contents"):
                db.execute(f"DELETE FROM {table} WHERE table_name = 'empty'")
            db.execute("DELETE FROM sqlite_sequence WHERE name = 'empty'")
        db.execute("VACUUM")
        db.close()
        return path.read_bytes(), int(srs_id)


@dataclass(frozen=True)
class _Kept:
    """A layer left for SQLite: its columns' types and, for a spatial one, its SRS id and
    geometry type (see :func:`_geometry_kind`)."""

    frame: pd.DataFrame
    columns: list[tuple[str, str]]
    srs_id: int | None
    kind: int | None


def _gdal_layer(name: str, frame: pd.DataFrame, partial: Path, category: str | None, first: bool) -> None:
    """One layer written by GDAL (the first one creates the GeoPackage, version 1.2)."""
    spatial = isinstance(frame, gpd.GeoDataFrame)
    identifier, description = _titles(name, category)
    options = {"IDENTIFIER": identifier, "DESCRIPTION": description}
    if name == "layer_styles":
        options["FID"] = "id"  # the key QGIS gives the table it creates
    if spatial:
        options["GEOMETRY_NAME"] = GEOMETRY_COLUMN
    pyogrio.write_dataframe(
        frame if spatial else pd.DataFrame(frame),
        partial,
        layer=name,
        driver="GPKG",
        promote_to_multi=spatial or None,
        use_arrow=True,
        dataset_options={"VERSION": GPKG_VERSION} if first else None,
        layer_options=options,
    )


def _attribute_columns(frame: pd.DataFrame) -> list[tuple[str, str]] | None:
    """:func:`_sql_columns` of a layer's attributes (its geometry aside); ``[]`` for none."""
    if isinstance(frame, gpd.GeoDataFrame):
        return _sql_columns(frame, skip=frame.geometry.name) if len(frame.columns) > 1 else []
    return _sql_columns(frame)


def _sql_columns(frame: pd.DataFrame, skip: object = None) -> list[tuple[str, str]] | None:
    """Each column (but ``skip``) and the type GDAL gives it in a GeoPackage, or None when one
    is of a kind GDAL would be left to write (anything but 64-bit integers, floats, booleans,
    text and naive date-times)."""
    columns = []
    for column, dtype in frame.dtypes.items():
        if column == skip:
            continue
        kind = _NUMPY_KINDS.get((dtype.kind, dtype.itemsize)) if isinstance(dtype, np.dtype) else None
        if kind is not None or (isinstance(dtype, np.dtype) and dtype.kind != "O"):
            pass  # a NumPy column: typed above, or of a kind left to GDAL
        elif isinstance(dtype, pd.StringDtype):
            kind = "TEXT"
        elif pd.api.types.is_integer_dtype(dtype) and getattr(dtype, "itemsize", 0) == 8:
            kind = "INTEGER"
        elif pd.api.types.is_float_dtype(dtype) and getattr(dtype, "itemsize", 0) == 8:
            kind = "REAL"
        elif pd.api.types.is_string_dtype(dtype) and pd.api.types.infer_dtype(frame[column], skipna=True) in (
            "string",
            "empty",
        ):
            kind = "TEXT"
        if kind is None:
            return None
        columns.append((str(column), kind))
    return columns or None


#: GeoPackage types of NumPy columns by kind and size (``dtype.kind``, ``dtype.itemsize``).
_NUMPY_KINDS = {
    ("b", 1): "BOOLEAN",
    ("i", 8): "INTEGER",
    ("u", 8): "INTEGER",
    ("f", 8): "REAL",
    ("M", 8): "DATETIME",
}


def _sql_values(values: pd.Series, kind: str) -> list[object]:
    """A column as SQLite takes it: Python values, ``None`` where missing (as GDAL writes NaN)."""
    if kind == "DATETIME":
        values = values.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3]  # as GDAL: milliseconds
    # the array's own conversion: the Series' one builds a Series per column to find gaps
    return values.array.to_numpy(dtype=object, na_value=None).tolist()  # booleans: 1 / 0


#: The GeoPackage type a layer of each shapely type is written as (pyogrio's
#: ``promote_to_multi``), by shapely type id: points, lines and polygons become multi.
_MULTI_KINDS = {0: 4, 4: 4, 1: 5, 5: 5, 3: 6, 6: 6}
_MULTI_NAMES = {4: "MULTIPOINT", 5: "MULTILINESTRING", 6: "MULTIPOLYGON"}
_PROMOTE: dict[int, Callable[..., np.ndarray]] = {
    4: shapely.multipoints,
    5: shapely.multilinestrings,
    6: shapely.multipolygons,
}
_RTREE_SPEC = "http://www.geopackage.org/spec120/#extension_rtree"


def _geometry_kind(frame: gpd.GeoDataFrame) -> int | None:
    """The one multi type (shapely id) of a layer, or None when GDAL is left to write it:
    no rows, missing or empty shapes, Z or M coordinates, or kinds mixed."""
    shapes = frame.geometry.to_numpy()
    if not len(shapes) or not shapely.is_geometry(shapes).all() or shapely.is_empty(shapes).any():
        return None
    if (shapely.get_coordinate_dimension(shapes) != 2).any() or shapely.has_m(shapes).any():
        return None
    kinds = {_MULTI_KINDS.get(int(k)) for k in np.unique(shapely.get_type_id(shapes))}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else None


def _gpkg_geometries(frame: gpd.GeoDataFrame, kind: int, srs_id: int) -> tuple[list[bytes], np.ndarray]:
    """GeoPackage geometry blobs of a layer, as GDAL writes them, and their envelopes.

    Each blob is the binary header (``GP``, version 0, little-endian with an XY envelope:
    flags 3), the SRS id, the envelope (min x, max x, min y, max y) and the ISO WKB of the
    shape made multi. Envelopes are returned as rows of min x, min y, max x, max y.
    """
    shapes = frame.geometry.to_numpy()
    single = shapely.get_type_id(shapes) != kind
    if single.any():
        shapes = shapes.copy()
        shapes[single] = _PROMOTE[kind](shapes[single][:, np.newaxis])
    bounds = shapely.bounds(shapes)
    envelopes = np.ascontiguousarray(bounds[:, [0, 2, 1, 3]], dtype="<f8")
    header = b"GP\x00\x03" + np.int32(srs_id).astype("<i4").tobytes()
    wkb = shapely.to_wkb(shapes, byte_order=1, output_dimension=2)
    return [header + e.tobytes() + w for e, w in zip(envelopes, wkb, strict=True)], bounds


def _sql_layer(db: sqlite3.Connection, name: str, kept: _Kept, titles: tuple[str, str]) -> None:
    """A layer written by SQLite, registered as GDAL registers it (same DDL, contents entry,
    feature count and its triggers; for a spatial layer its geometry column, SRS, extent and
    R-tree index with the GeoPackage's triggers)."""
    frame, columns = kept.frame, kept.columns
    key = "id" if name == "layer_styles" else "fid"  # the key QGIS gives its style table
    series = dict(frame.items())
    values = [range(1, len(frame) + 1), *(_sql_values(series[c], kind) for c, kind in columns)]
    names = [key, *(c for c, _ in columns)]
    geometry, srs_id = "", 0
    extent: tuple[float | None, ...] = (None, None, None, None)
    if kept.srs_id is not None and kept.kind is not None and isinstance(frame, gpd.GeoDataFrame):
        kind, srs_id = kept.kind, kept.srs_id
        blobs, bounds = _gpkg_geometries(frame, kind, srs_id)
        geometry = f', "{GEOMETRY_COLUMN}" {_MULTI_NAMES[kind]}'
        values.insert(1, blobs)
        names.insert(1, GEOMETRY_COLUMN)
        # as GDAL writes the extent: 16 significant digits
        extent = tuple(float(f"{v:.16g}") for v in (*bounds[:, :2].min(axis=0), *bounds[:, 2:].max(axis=0)))
    quoted = "".join(f', "{c}" {kind}' for c, kind in columns)
    db.execute(f'CREATE TABLE "{name}" ( "{key}" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL{geometry}{quoted})')
    listed = ", ".join(f'"{c}"' for c in names)
    db.executemany(f'INSERT INTO "{name}" ({listed}) VALUES ({", ".join("?" * len(names))})', zip(*values, strict=True))
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x,"
        " max_y, srs_id) VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?, ?, ?)",
        (name, "features" if geometry else "attributes", *titles, extent[0], extent[1], extent[2], extent[3], srs_id),
    )
    db.execute("INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, ?)", (name, len(frame)))
    if geometry:
        _rtree(db, name, _MULTI_NAMES[kind], srs_id, bounds)
    for event, sign in (("insert", "+"), ("delete", "-")):
        db.execute(
            f'CREATE TRIGGER "trigger_{event}_feature_count_{name}" AFTER {event.upper()} ON "{name}" BEGIN UPDATE'
            f" gpkg_ogr_contents SET feature_count = feature_count {sign} 1 WHERE lower(table_name) ="
            f" lower('{name}'); END"
        )


def _rtree(db: sqlite3.Connection, name: str, type_name: str, srs_id: int, bounds: np.ndarray) -> None:
    """A spatial layer's geometry column and its R-tree index, as GDAL registers them: the
    index filled from the envelopes (SQLite rounds them outwards to 32-bit floats, as GDAL's
    loader does) and kept by the triggers of the GeoPackage 1.2 R-tree extension."""
    g, rtree = GEOMETRY_COLUMN, f"rtree_{name}_{GEOMETRY_COLUMN}"
    db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)", (name, g, type_name, srs_id))
    db.execute("INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')", (name, g, _RTREE_SPEC))
    db.execute(f'CREATE VIRTUAL TABLE "{rtree}" USING rtree(id, minx, maxx, miny, maxy)')
    rows = zip(range(1, len(bounds) + 1), *bounds[:, [0, 2, 1, 3]].T.tolist(), strict=True)
    db.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', rows)
    box = f'NEW."fid",ST_MinX(NEW."{g}"), ST_MaxX(NEW."{g}"),ST_MinY(NEW."{g}"), ST_MaxY(NEW."{g}")'
    present, absent = f'NEW."{g}" NOTNULL AND NOT ST_IsEmpty(NEW."{g}")', f'NEW."{g}" ISNULL OR ST_IsEmpty(NEW."{g}")'
    triggers = {
        "insert": f'AFTER INSERT ON "{name}" WHEN (new."{g}" NOT NULL AND NOT ST_IsEmpty(NEW."{g}")) BEGIN INSERT'
        f' OR REPLACE INTO "{rtree}" VALUES ({box}); END',
        "update1": f'AFTER UPDATE OF "{g}" ON "{name}" WHEN OLD."fid" = NEW."fid" AND ({present}) BEGIN INSERT OR'
        f' REPLACE INTO "{rtree}" VALUES ({box}); END',
        "update2": f'AFTER UPDATE OF "{g}" ON "{name}" WHEN OLD."fid" = NEW."fid" AND ({absent}) BEGIN DELETE FROM'
        f' "{rtree}" WHERE id = OLD."fid"; END',
        "update3": f'AFTER UPDATE ON "{name}" WHEN OLD."fid" != NEW."fid" AND ({present}) BEGIN DELETE FROM'
        f' "{rtree}" WHERE id = OLD."fid"; INSERT OR REPLACE INTO "{rtree}" VALUES ({box}); END',
        "update4": f'AFTER UPDATE ON "{name}" WHEN OLD."fid" != NEW."fid" AND ({absent}) BEGIN DELETE FROM'
        f' "{rtree}" WHERE id IN (OLD."fid", NEW."fid"); END',
        "delete": f'AFTER DELETE ON "{name}" WHEN old."{g}" NOT NULL BEGIN DELETE FROM "{rtree}" WHERE id ='
        ' OLD."fid"; END',
    }
    for suffix, body in triggers.items():
        db.execute(f'CREATE TRIGGER "{rtree}_{suffix}" {body}')


def _contents_in_order(db: sqlite3.Connection, order: list[str]) -> None:
    """Layers listed in ``gpkg_contents`` in the order they were meant to be written (QGIS
    and GDAL list them in that order), whichever way each was written."""
    rank = {name: i for i, name in enumerate(order)}
    for table in ("gpkg_contents", "gpkg_ogr_contents"):
        rows = db.execute(f"SELECT * FROM {table}").fetchall()
        rows.sort(key=lambda r: rank.get(r[0], len(rank)))
        db.execute(f"DELETE FROM {table}")
        db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


# -- GeoJSON ------------------------------------------------------------------------------------


def simplified(frame: gpd.GeoDataFrame, tolerance_m: float = SIMPLIFY_M) -> gpd.GeoDataFrame:
    """Areas of one level with shared edges simplified together (no gaps, no slivers).

    Done in metres: in the frame's own CRS when it is projected in metres (EPSG:3347 here:
    its 2.7 % scale error makes a 10 m tolerance 10.3 m, immaterial for a drawing tolerance,
    and it saves two reprojections that cost more than the simplification), else in the local
    UTM zone (:func:`~cartography.geography.distance_crs_for`). Never used for measurement.
    """
    if frame.empty:
        return frame
    crs = frame.crs
    shapes = frame.geometry.to_numpy()

    def simplify() -> np.ndarray:
        if crs is None:  # no unit to measure a tolerance in
            raise ValueError("simplified() needs a frame with a CRS")
        if crs.is_projected and crs.axis_info[0].unit_name in ("metre", "meter"):
            return np.asarray(shapely.coverage_simplify(frame.geometry.values, tolerance_m))
        local = distance_crs_for(frame.geometry)
        simple = gpd.GeoSeries(shapely.coverage_simplify(frame.geometry.to_crs(local).values, tolerance_m), crs=local)
        return simple.to_crs(crs).to_numpy()

    key = ("simplified", float(tolerance_m), str(crs), *map(id, shapes))
    out = frame.copy()
    out.geometry = gpd.GeoSeries(_memo(key, shapes, simplify), index=frame.index, crs=crs)
    return out


#: Results computed from shapes (simplified boundaries, service territories), kept for the
#: next export: every compile of the same geography shares its shapely objects, so a
#: GeoPackage written again (another cycle, a filter, the app's download) simplifies nothing
#: twice. Keyed by the identity of the input shapes, which are held with the result (so an
#: identity cannot be reused while its entry lives) and immutable.
_MEMO: OrderedDict[Hashable, tuple[object, object]] = OrderedDict()
_MEMO_LOCK = threading.Lock()
#: Entries kept (least recently used dropped first): a few levels and tolerances, and the
#: territories of a province's services.
MEMO_ENTRIES = 20_000


def _memo(key: Hashable, inputs: object, compute: Callable[[], _T]) -> _T:
    """``compute()``, or the value kept for ``key`` (computed from the same ``inputs``)."""
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
        if hit is not None:
            _MEMO.move_to_end(key)
            return hit[1]  # type: ignore[return-value]
    value = compute()
    with _MEMO_LOCK:
        _MEMO[key] = (inputs, value)
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
    return value


def _split_levels(compiled: Compiled) -> dict[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]]:
    """Each gap layer split once (see :func:`split_gaps`)."""
    return {
        name: split_gaps(frame)
        for name, frame in compiled.layers.items()
        if name in GAP_LAYERS and isinstance(frame, gpd.GeoDataFrame) and "category" in frame and not frame.empty
    }


def _shapes(areas: Mapping[str, gpd.GeoDataFrame]) -> dict[tuple[str, str], BaseGeometry]:
    """Shapes by ``(level, area_id)``, to draw other layers over the same boundaries."""
    return {
        (GAP_LAYERS[name], str(a)): g
        for name, frame in areas.items()
        for a, g in zip(frame["area_id"], frame.geometry, strict=True)
    }


def _display(frame: gpd.GeoDataFrame, shapes: Mapping[tuple[str, str], BaseGeometry]) -> gpd.GeoDataFrame:
    """A layer drawn over area boundaries takes its areas' simplified shapes.

    Needs (by ``level`` and ``area_id``), clients and service areas (by ``csd``) repeat a
    municipality's boundary once per category, profile or service: they take the shared
    simplified one. A shape not found keeps its own geometry.
    """
    frame = _integers(_plain_geo(frame))
    if frame.empty or not np.isin(shapely.get_type_id(frame.geometry.to_numpy()), (3, 6)).all():  # polygons
        return frame
    if "level" in frame and "area_id" in frame:
        keys = list(zip(frame["level"].astype(str), frame["area_id"].astype(str), strict=True))
    elif "csd" in frame:
        keys = [("csd", str(c)) for c in frame["csd"].to_numpy(dtype=object)]
    else:
        return frame
    mapped = [shapes.get(k) for k in keys]
    geometry: list[BaseGeometry] = [m if m is not None else g for m, g in zip(mapped, frame.geometry, strict=True)]
    return frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs))


def territories(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One feature per service: the union of the municipalities it serves.

    The compiled layer has a row per service and municipality (one copy of a municipal
    boundary each, 155 in the demo); a QGIS user wants each service's territory once, with
    the municipalities listed (``csd``, ``municipality``, ``region``, separated by ``; ``).
    """
    if frame.empty or "service_key" not in frame or "csd" not in frame:
        return frame
    listed = [c for c in ("csd", "municipality", "region") if c in frame]
    constant = [c for c in frame.columns if c not in (*listed, "service_key", "geometry")]
    # As GeoDataFrame.dissolve(by="service_key", aggfunc=..., sort=False): a row per service
    # in order of appearance, the first value present of each constant column (its first
    # row's, unless missing there), each listed column's distinct values joined; each union
    # kept: services serving the same municipalities share their territory's union.
    members = frame.groupby("service_key", sort=False).indices
    keys = sorted(members, key=lambda k: members[k][0])
    out = frame.iloc[[members[k][0] for k in keys]].reset_index(drop=True)
    gaps = [c for c, missing in frame[constant].isna().any().items() if missing]
    if gaps:
        firsts = pd.DataFrame(frame[["service_key", *gaps]]).groupby("service_key", sort=False).first()
        out = out.assign(**{str(c): firsts[c].reindex(keys).to_numpy() for c in gaps})
    for column in listed:
        values = frame[column].to_numpy(dtype=object)
        present = frame[column].notna().to_numpy()
        joined = ["; ".join(dict.fromkeys(str(values[i]) for i in members[k] if present[i])) for k in keys]
        out = out.assign(**{column: pd.Series(joined, index=out.index)})
    shapes = frame.geometry.to_numpy()

    def union(key: object) -> BaseGeometry:
        parts = shapes[members[key]]
        return _memo(("union", *map(id, parts)), parts, lambda: shapely.union_all(parts))

    return out.set_geometry(gpd.GeoSeries([union(k) for k in keys], index=out.index, crs=frame.crs, name="geometry"))


def _geojson_tables(compiled: Compiled) -> dict[str, gpd.GeoDataFrame]:
    """Spatial layers only: gap layers once per area, every boundary simplified for display."""
    levels = {name: simplified(areas) for name, (areas, _) in _split_levels(compiled).items()}
    shapes = _shapes(levels)
    out: dict[str, gpd.GeoDataFrame] = dict(levels)
    for name, frame in compiled.layers.items():
        if name not in GAP_LAYERS and isinstance(frame, gpd.GeoDataFrame):
            out[name] = territories(_display(frame, shapes))
    return out


def _plain_geo(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lists in text columns joined by ``; `` (``frame`` itself when it holds none)."""
    joined = {}
    for column, dtype in frame.dtypes.items():
        if column != "geometry" and dtype == np.dtype(object):
            values = frame[column]
            if any(isinstance(v, (list, tuple)) for v in values.array):
                joined[str(column)] = values.map(lambda v: v if not isinstance(v, (list, tuple)) else "; ".join(v))
    return frame.assign(**joined) if joined else frame


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """RFC 7946: GDAL reprojects to EPSG:4326, drops ``crs``, winds rings CCW, rounds to 6 dp."""
    pyogrio.write_dataframe(
        frame.to_crs(CRS_DISPLAY),
        path,
        driver="GeoJSON",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_NAME": "NO"},
    )
    return path


# -- CSV and its data package -------------------------------------------------------------------


def _kind(series: pd.Series) -> str:
    if series.dtype == bool or str(series.dtype) == "boolean":
        return "boolean"
    if series.dtype.kind in "iu" or str(series.dtype) in ("Int64", "Int32", "UInt64"):
        return "integer"
    if series.dtype.kind == "f":
        return "number"
    return "string"


def _cell(value: object, kind: str, decimal: str) -> str:
    """One CSV cell: text always quoted (codes stay text in Excel), numbers bare."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(str(value)))
    if kind == "number":
        number = float(str(value))
        if not math.isfinite(number):
            return ""
        return repr(number).replace(".", decimal)
    return '"' + str(neutralise_formula(str(value))).replace('"', '""') + '"'


def write_csv(frame: pd.DataFrame, path: Path, style: str = "standard") -> dict[str, object]:
    """Write ``frame`` as CSV for Excel; return its Frictionless table schema and dialect."""
    if style not in CSV_STYLES:
        raise UserError("exports.error.filter", value=style, values=", ".join(CSV_STYLES))
    table = _plain(frame)
    french = style == "excel-fr"
    sep, decimal = (";", ",") if french else (",", ".")
    kinds = {c: _kind(table[c]) for c in table.columns}
    headers = [field_title(c, "fr") if french else c for c in table.columns]
    if len(set(headers)) != len(headers):  # two columns with one title: keep the codes
        headers = list(table.columns)
    lines = [sep.join('"' + h.replace('"', '""') + '"' for h in headers)]
    columns = [table[c].tolist() for c in table.columns]
    for row in zip(*columns, strict=True):
        lines.append(sep.join(_cell(v, kinds[c], decimal) for v, c in zip(row, table.columns, strict=True)))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig", newline="")
    fields = []
    for column, header in zip(table.columns, headers, strict=True):
        field: dict[str, object] = {
            "name": header,
            "type": kinds[column],
            "title": field_title(column, "fr"),
            "description": _both(field_help(column, "fr"), field_help(column, "en")),
        }
        if kinds[column] == "number" and french:
            field["decimalChar"] = ","
        if kinds[column] == "boolean":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        fields.append(field)
    schema: dict[str, object] = {"fields": fields, "missingValues": [""]}
    if {"area_id", "category"} <= set(table.columns) and not table.duplicated(["area_id", "category"]).any():
        schema["primaryKey"] = [headers[list(table.columns).index(c)] for c in ("area_id", "category")]
    return {"schema": schema, "dialect": {"delimiter": sep, "doubleQuote": True, "header": True}}


def datapackage(compiled: Compiled, resources: list[dict[str, object]]) -> dict[str, object]:
    """The ``datapackage.json`` of a CSV export: every file, licence, sources, French titles."""
    meta = compiled.metadata
    name = _slug(f"lacunes-{compiled.cycle}") or "lacunes"
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": _both(
            f"Lacunes de services en français — {compiled.cycle}", f"French service gaps — {compiled.cycle}"
        ),
        "description": _both(str(meta.get("attribution_fr", "")), str(meta.get("attribution_en", "")))
        + (f" {meta['label']}" if meta.get("label") else ""),
        "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [
            {
                "name": "OGL-Canada-2.0",
                "title": "Licence du gouvernement ouvert – Canada / Open Government Licence – Canada",
                "path": "https://open.canada.ca/fr/licence-du-gouvernement-ouvert-canada",
            }
        ],
        "sources": [
            {"title": "Statistique Canada / Statistics Canada", "path": "https://www.statcan.gc.ca"},
            {"title": "GeoNames (CC BY 4.0)", "path": "https://www.geonames.org"},
        ],
        "resources": resources,
    }


def _resource(name: str, path: Path, described: dict[str, object], compiled: Compiled) -> dict[str, object]:
    category = _filtered_category(compiled)
    fr, en = (layer_title(name, x, category) for x in LANGS)
    return {
        "name": _slug(name).replace("-", "_") or "table",
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": fr[0],
        "description": _both(fr[1], en[1]),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        **described,
    }


def _csv_tables(compiled: Compiled) -> dict[str, pd.DataFrame]:
    """Every layer as a table (gap layers long: one row per area and category) and metadata."""
    tables = {name: _integers(_plain(frame)) for name, frame in compiled.layers.items()}
    tables["metadata"] = _metadata_frame(compiled)
    return tables


# -- putting it together ------------------------------------------------------------------------


def _zip(files: list[Path], target: Path) -> Path:
    partial = target.with_name(target.name + ".partial")
    zip_files(files, partial)
    partial.replace(target)
    return target


def _single_or_zip(files: list[Path], target: Path, ext: str) -> Path:
    """The file the name says: one file as is; several in one zip (``lacunes.csv`` becomes
    ``lacunes-csv.zip``, so a CSV and a GeoJSON archive of one cycle never overwrite each other)."""
    if len(files) == 1 and target.suffix.lower() != ".zip":
        final = target if target.suffix.lower() == f".{ext}" else target.with_suffix(f".{ext}")
        files[0].replace(final)
        return final
    return _zip(files, target if target.suffix.lower() == ".zip" else target.with_name(f"{target.stem}-{ext}.zip"))


def _pick(tables: dict, layer: str | None) -> dict:
    if layer is None:
        return tables
    if layer not in tables:
        raise UserError("exports.error.layer", layer=layer, layers=", ".join(tables))
    return {layer: tables[layer]}


def write_layers(
    compiled: Compiled,
    target: Path,
    fmt: str = "gpkg",
    *,
    csv_style: str = "standard",
    lang: Lang = "fr",
    layer: str | None = None,
) -> list[Path]:
    """Write ``compiled`` as ``fmt`` under the name ``target``; return ``[the file written]``.

    ``gpkg`` and ``xlsx`` are one file. ``csv`` and ``geojson`` are one file when ``layer``
    names a single table, otherwise one ZIP archive (``lacunes.csv`` -> ``lacunes-csv.zip``) of every table,
    the metadata and, for CSV, ``datapackage.json``. Never a folder.
    """
    if fmt not in FORMATS:
        raise UserError("compile.error.format", fmt=fmt, formats=", ".join(FORMATS))
    if csv_style not in CSV_STYLES:
        raise UserError("exports.error.filter", value=csv_style, values=", ".join(CSV_STYLES))
    target = Path(target)
    if target.is_dir():
        raise UserError("exports.error.folder", path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gpkg":
        return [_write_gpkg(compiled, target, lang)]
    if fmt == "xlsx":
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for name, frame in _pick(_csv_tables(compiled), layer).items():
                frame.map(neutralise_formula).to_excel(writer, sheet_name=name[:31], index=False)
        return [target]
    with tempfile.TemporaryDirectory(prefix="carto-export-", dir=target.parent) as tmp:
        folder = Path(tmp)
        files: list[Path] = []
        if fmt == "geojson":
            for name, frame in _pick(_geojson_tables(compiled), layer).items():
                files.append(_write_geojson(frame, folder / f"{name}.geojson"))
            if layer is None:
                meta = folder / "metadata.json"
                meta.write_text(json.dumps(compiled.metadata, ensure_ascii=False, default=str, indent=1), "utf-8")
                files.append(meta)
            return [_single_or_zip(files, target, "geojson")]
        resources = []
        for name, frame in _pick(_csv_tables(compiled), layer).items():
            path = folder / f"{name}.csv"
            resources.append(_resource(name, path, write_csv(frame, path, csv_style), compiled))
            files.append(path)
        if layer is None:
            package = folder / "datapackage.json"
            package.write_text(json.dumps(datapackage(compiled, resources), ensure_ascii=False, indent=1), "utf-8")
            files.append(package)
        return [_single_or_zip(files, target, "csv")]


#: What each file suffix means; ``.zip`` holds CSV unless told otherwise.
SUFFIXES = {".gpkg": "gpkg", ".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".xlsx": "xlsx", ".zip": "csv"}


def output_format(target: Path, fmt: str | None = None) -> str:
    """The format of ``target``: ``fmt`` when given, else its suffix (none means GeoPackage).

    An unknown suffix is an error naming the formats, not a GeoPackage under a wrong name.
    """
    if fmt:
        if fmt not in FORMATS:
            raise UserError("compile.error.format", fmt=fmt, formats=", ".join(FORMATS))
        return fmt
    suffix = Path(target).suffix.lower()
    if not suffix:
        return "gpkg"
    if suffix not in SUFFIXES:
        raise UserError("compile.error.format", fmt=suffix.lstrip("."), formats=", ".join(FORMATS))
    return SUFFIXES[suffix]


def write_filtered(
    compiled: Compiled,
    target: Path,
    fmt: str,
    *,
    regions: Iterable[str] | None = None,
    municipalities: Iterable[str] | None = None,
    category: str | None = None,
    csv_style: str = "standard",
    lang: Lang = "fr",
    layer: str | None = None,
) -> Path:
    """Filter ``compiled`` (checked codes), record the filters in its metadata, write it."""
    filters = make_filters(compiled, regions, municipalities, category)
    subset = filter_compiled(compiled, filters)
    subset = replace(subset, metadata={**subset.metadata, "export_filters": filters.as_dict()})
    (written,) = write_layers(subset, target, fmt, csv_style=csv_style, lang=lang, layer=layer)
    return written


def export_bytes(
    compiled: Compiled,
    fmt: str,
    *,
    regions: Iterable[str] | None = None,
    municipalities: Iterable[str] | None = None,
    category: str | None = None,
    lang: Lang = "fr",
    csv_style: str | None = None,
    layer: str | None = None,
) -> tuple[bytes, str]:
    """One downloadable file of ``compiled`` in ``fmt``, filtered, and its name.

    The name says the cycle and the filters (``lacunes-2019-2020-elgin.gpkg``) and the
    metadata table records them (``export_filters``). CSV defaults to the French Excel style
    when ``lang`` is French. Several CSV or GeoJSON tables come as one ``.zip``.
    """
    if fmt not in FORMATS:
        raise UserError("compile.error.format", fmt=fmt, formats=", ".join(FORMATS))
    filters = make_filters(compiled, regions, municipalities, category)
    style = csv_style or ("excel-fr" if lang == "fr" else "standard")
    name = export_name(compiled, filters, fmt, lang)
    with tempfile.TemporaryDirectory(prefix="carto-export-") as tmp:
        written = write_filtered(
            compiled,
            Path(tmp) / name,
            fmt,
            regions=filters.regions,
            municipalities=filters.municipalities,
            category=filters.category,
            csv_style=style,
            lang=lang,
            layer=layer,
        )
        return written.read_bytes(), written.name


def zip_files(files: list[Path], target: Path) -> Path:
    """Bundle exported files for a single download."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return target


__all__ = [
    "CSV_STYLES",
    "FORMATS",
    "Filters",
    "export_bytes",
    "export_name",
    "field_title",
    "filter_compiled",
    "layer_style",
    "make_filters",
    "output_format",
    "simplified",
    "split_gaps",
    "territories",
    "write_filtered",
    "write_layers",
    "zip_files",
]
