"""Interactive gap maps (folium/Leaflet). Presentation layer: never imports streamlit.

A map a committee reads on a projector in thirty seconds: a title that says what is shown,
municipality names drawn on it, county borders heavier than municipal ones, colours that
people with a colour-vision deficiency tell apart (:mod:`cartography.palette`), classes that
do not overlap (counts in whole numbers) and a legend for everything drawn, beside the map
rather than over the region. :func:`map_legend` gives that legend as data, so the app can
draw it beside its own map; the standalone document (:func:`map_html`) carries it in a side
panel with the attribution.

Boundaries are simplified together (``shapely.coverage_simplify``) so neighbours keep their
shared edges, then rounded to about a metre, which keeps a whole-region map light. Every
member-typed string goes through :mod:`cartography.escaping` (one function per context):
markup is built with :func:`~cartography.escaping.html_text`, and tooltip and popup markup
reaches Leaflet as a JSON string (:class:`Bound`), never inside folium's ``Tooltip`` or
``Popup``, which write their text into JavaScript template literals where ``${…}`` runs.
Suppressed client counts (``<NA>``: 1 to 4) read "≤ 4", explained in the legend, never 0.
The map works with no basemap (boundaries only) and can add an OpenStreetMap basemap when
the viewer is online.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from cartography import palette
from cartography.compilation import demand_label, demand_legend
from cartography.errors import UserError
from cartography.escaping import html_text, js_string
from cartography.gaps import ALL, GapParameters
from cartography.geography import CRS_DISPLAY, as_geo_frame
from cartography.i18n import Lang, t
from cartography.numbers import MISSING, as_float, as_int, format_integer, format_number
from cartography.vocabulary import (
    GAP_CLASSES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
)

#: Simplification tolerance (metres) by level: coarser areas tolerate coarser edges.
TOLERANCE_M = {"region": 250.0, "csd": 150.0, "ct": 40.0}
GRID_DEG = 1e-5  # about 1 m: coordinates are rounded to this grid
INDICATORS = (
    "gap_class",
    "gap_index",
    "access_e2sfca_per_10k",
    "access_2sfca_per_10k",
    "nearest_km",
    "services_serving",
    "needs_unmet",
)
#: Indicators that count things: whole-number classes that do not overlap (0, 1–2, 3–5).
COUNTS = {"services_serving", "needs_unmet"}
#: Indicators where a larger value is a smaller gap (the ramp is reversed: dark = larger gap).
GOOD_HIGH = {"access_e2sfca_per_10k", "access_2sfca_per_10k", "services_serving"}
#: Decimals shown for each numeric indicator.
DIGITS = {"gap_index": 2, "access_e2sfca_per_10k": 2, "access_2sfca_per_10k": 2, "nearest_km": 1}
#: Kept for callers that coloured points before the palette module existed.
CATEGORY_COLOURS = palette.CATEGORY_COLOURS
#: Municipalities smaller than this (km²: towns, reserves) get a smaller label.
SMALL_AREA_KM2 = 25.0
#: Radius (pixels) of a needs circle: grows with the unmet needs reported, up to 5.
NEEDS_RADIUS = {0: 4, 1: 7, 2: 10, 3: 13, 4: 16, 5: 19}


#: HTML text of anything a member could have typed (see :func:`cartography.escaping.html_text`).
esc = html_text


class Bound(MacroElement):
    """A tooltip or popup bound to its parent layer, its markup passed as data.

    folium's ``Tooltip`` and ``Popup`` splice their HTML into JavaScript template literals,
    where ``${…}`` and backticks in member text would run. Here the markup (built with
    :func:`esc`) is written as a :func:`~cartography.escaping.js_string` literal that Leaflet
    sets as the overlay's HTML when it opens; nothing in it is ever evaluated as code.

    Parameters
    ----------
    method : {"bindTooltip", "bindPopup"}
        The Leaflet method that binds the overlay.
    markup : str
        The overlay's HTML, every member-typed part already escaped with :func:`esc`.
    options : dict
        Leaflet options of the overlay (JSON values only).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.{{ this.method }}({{ this.content }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, method: str, markup: str, options: dict[str, object]) -> None:
        if method not in ("bindTooltip", "bindPopup"):
            raise ValueError(method)
        super().__init__()
        self._name = "Bound"
        self.method = method
        self.content = js_string(markup)
        self.options_js = json.dumps(options)  # our own constants: numbers and booleans


def tooltip(markup: str) -> Bound:
    """A hover label whose markup travels as data (see :class:`Bound`)."""
    return Bound("bindTooltip", markup, {"sticky": True})


def popup(markup: str, max_width: int = 320) -> Bound:
    """A click popup whose markup travels as data (see :class:`Bound`)."""
    return Bound("bindPopup", markup, {"maxWidth": max_width})


class Script(MacroElement):
    """A few lines of our own JavaScript run once the map exists (``{map}`` is its name).

    Only constant code and :func:`~cartography.escaping.js_string` literals of catalogue
    text go in; never member text.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.code }}
        {% endmacro %}
        """
    )

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "Script"
        self._code = code

    # branca's MacroElement.render returns nothing, though its base Element.render says str
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        # the map's name is known only once attached
        if self._parent is None:
            raise RuntimeError("a Script is rendered only once added to a map")
        self.code = self._code.replace("{map}", self._parent.get_name())
        super().render(**kwargs)


class CartoMap(folium.Map):
    """A folium map that carries what it shows: its title (the page's heading, the document's
    ``<title>``) and its language (``<html lang>``), for :func:`map_html` and the app."""

    carto_title: str = ""
    carto_lang: Lang = "fr"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value))


def published(value: object, lang: Lang) -> str:
    """A published client count for display: ``<NA>`` (suppressed, 1 to 4) reads "≤ 4", never 0."""
    if _missing(value):
        return t("safety.map.suppressed", lang)
    return format_integer(as_int(value), lang)


def page_of(fmap: folium.Map) -> Figure:
    """The page a map is drawn in: folium puts every map in a branca Figure."""
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"a folium map is drawn in a Figure, not '{type(root).__name__}'")
    return root


def display_geometries(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoSeries:
    """One simplified, rounded EPSG:4326 geometry per area id (shared edges kept together)."""
    unique = frame.drop_duplicates("area_id").set_index("area_id")
    simplified = shapely.coverage_simplify(unique.geometry.values, TOLERANCE_M.get(level, 100.0))
    series = gpd.GeoSeries(simplified, index=unique.index, crs=frame.crs).to_crs(CRS_DISPLAY)
    rounded = shapely.set_precision(series.values, GRID_DEG)
    return gpd.GeoSeries(shapely.make_valid(rounded), index=series.index, crs=CRS_DISPLAY)


def indicator_title(indicator: str, lang: Lang, demand_key: str = "pop_2021") -> str:
    """The indicator's name as a legend or title says it (access names its demand)."""
    if indicator.startswith("access_"):
        return t(f"demand.indicator.{indicator}", lang, per=demand_label(demand_key, lang, "per_10k"))
    return t(f"map.indicator.{indicator}", lang)


# -- classes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a swatch and what it stands for.

    ``kind`` says how the swatch is drawn: ``area`` (filled square), ``hatch`` (filled and
    hatched: no French service within reach), ``neutral`` (grey: no value), ``point``,
    ``point_open`` (a service not in French), ``circle`` (a needs circle, ``size`` its
    radius), ``cluster``, ``county`` and ``border`` (lines).
    """

    colour: str
    label: str
    kind: str = "area"
    size: int = 7


@dataclass(frozen=True)
class Classes:
    """How the areas of one indicator are coloured.

    ``colours`` and ``labels`` are per row (aligned with the values classified); ``entries``
    is the legend, every class and the neutral entry once, in reading order; ``notes``
    explain an unusual case (nothing measured anywhere, a level with no needs).
    """

    colours: pd.Series
    labels: pd.Series
    entries: list[LegendEntry]
    notes: list[str] = field(default_factory=list)


def _range_label(low: int, high: int, lang: Lang) -> str:
    if low == high:
        return format_integer(low, lang)
    return f"{format_integer(low, lang)}–{format_integer(high, lang)}"



#: Above this many values, the breaks are computed on this many evenly spaced quantiles of
#: them: Fisher-Jenks is exact but quadratic, and the quantiles keep the shape.
JENKS_SAMPLE = 200


def jenks_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` natural-breaks classes, the same every time for the same values.

    Fisher-Jenks (exact and deterministic), not mapclassify's ``NaturalBreaks``, whose
    random start gave a legend that moved each time the map was drawn again.
    """
    data = np.sort(np.asarray(values, dtype=float))
    if len(data) > JENKS_SAMPLE:
        data = np.quantile(data, np.linspace(0.0, 1.0, JENKS_SAMPLE))
    with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is fast enough here
        warnings.simplefilter("ignore", UserWarning)
        bins = np.asarray(mapclassify.FisherJenks(data, k=k).bins, dtype=float)
    bins[-1] = float(np.max(values))  # the top class ends at the largest value itself
    return bins


def integer_breaks(values: np.ndarray, k: int = 5) -> list[tuple[int, int]]:
    """Whole-number classes, each ``(low, high)`` inclusive, that cover ``values`` without overlap.

    Zero, where present, is a class of its own (no service, no unmet need is a different
    statement from one). Up to ``k`` distinct values get one class each; beyond that the
    positive values are split by natural breaks (Jenks) and rounded to whole numbers, each
    class starting one above the previous one's top (``0``, ``1–2``, ``3–5``).

    Parameters
    ----------
    values
        Non-negative whole numbers (no missing values).
    k
        Largest number of classes.
    """
    values = np.asarray(values, dtype=float)
    distinct = sorted({int(v) for v in values})
    if not distinct:
        return []
    if len(distinct) <= k:
        return [(v, v) for v in distinct]
    classes: list[tuple[int, int]] = []
    positive = values[values > 0]
    if 0 in distinct:
        classes.append((0, 0))
    remaining = k - len(classes)
    tops = sorted({int(np.floor(b)) for b in jenks_bins(positive, remaining)})
    tops[-1] = int(positive.max())
    low = int(positive.min())
    for top in tops:
        if top < low:
            continue
        classes.append((low, top))
        low = top + 1
    return classes


#: Where one class of a legend is drawn (a mask over the areas) and its legend line.
_Painted = list[tuple["pd.Series[bool] | np.ndarray", LegendEntry]]


def classify(frame: pd.DataFrame, indicator: str, lang: Lang = "fr") -> Classes:
    """Colour and legend of the areas in ``frame`` for ``indicator``.

    Honest classes: gap classes in the palette's colour-blind-safe colours; counts in whole,
    non-overlapping classes; other numbers in natural breaks; an area without a value in a
    neutral grey of its own (never a data colour). When no area has the thing measured
    (every value zero or missing) there is one neutral entry and a note, not a class that
    paints the whole region. For unmet needs, "no need reported" (neutral) and "needs
    reported, all met" (the class 0) are told apart.

    Parameters
    ----------
    frame
        One row per area: the ``indicator`` column, and ``needs_reported`` for ``needs_unmet``.
    """
    if indicator == "gap_class":
        return _gap_class_colours(frame[indicator], lang)
    numeric = pd.to_numeric(frame[indicator], errors="coerce").astype(float)
    neutral, missing_label = _unmeasured(frame, indicator, numeric, lang)
    measured = numeric[~neutral]
    notes: list[str] = []
    if measured.empty or not (measured != 0).any():
        painted = _nothing_measured(indicator, measured, neutral, lang)
        notes.append(t("mappage.note.nothing", lang, indicator=indicator_title(indicator, lang)))
    elif indicator in COUNTS:
        painted = _count_classes(indicator, numeric, measured, neutral, lang)
    else:
        painted, notes = _natural_classes(indicator, numeric, measured, neutral, lang)
    colours = pd.Series(palette.NEUTRAL, index=frame.index, dtype=object)
    labels = pd.Series(missing_label, index=frame.index, dtype=object)
    for inside, entry in painted:
        colours[inside] = entry.colour
        labels[inside] = entry.label
    entries = [entry for _, entry in painted]
    if neutral.any():
        entries.append(LegendEntry(palette.NEUTRAL, missing_label, "neutral"))
    return Classes(colours, labels, entries, notes)


def _gap_class_colours(values: pd.Series, lang: Lang) -> Classes:
    """Gap classes in the palette's colours, every class in the legend, "no data" in grey."""
    colours = values.map(palette.GAP_CLASS_COLOURS).fillna(palette.NEUTRAL)
    labels = values.map(lambda c: GAP_CLASSES.label(c, lang) if c in GAP_CLASSES else t("mappage.no_data", lang))
    entries = [
        LegendEntry(
            palette.GAP_CLASS_COLOURS[term.code], term.label(lang), "hatch" if term.code == "no_service" else "area"
        )
        for term in GAP_CLASSES
    ]
    if values.isna().any():
        entries.append(LegendEntry(palette.NEUTRAL, t("mappage.no_data", lang), "neutral"))
    return Classes(colours, labels, entries)


def _unmeasured(frame: pd.DataFrame, indicator: str, numeric: pd.Series, lang: Lang) -> tuple[pd.Series, str]:
    """The areas drawn in neutral grey, and what the grey says.

    No value (no in-person service for a distance); for unmet needs, also an area where no
    need was reported, or every area when needs were not compiled at this level.
    """
    missing_label = t("mappage.no_in_person" if indicator == "nearest_km" else "mappage.no_data", lang)
    unmeasured = ~np.isfinite(numeric.to_numpy())
    if indicator == "needs_unmet":
        reported = pd.to_numeric(frame["needs_reported"], errors="coerce") if "needs_reported" in frame else None
        if reported is None or reported.isna().all():
            unmeasured = np.ones(len(frame.index), dtype=bool)
            missing_label = t("mappage.needs_not_compiled", lang)
        else:
            unmeasured = unmeasured | (reported.fillna(0) <= 0).to_numpy()
            missing_label = t("mappage.no_need_reported", lang)
    return pd.Series(np.asarray(unmeasured, dtype=bool), index=frame.index), missing_label


def _nothing_measured(indicator: str, measured: pd.Series, neutral: pd.Series, lang: Lang) -> _Painted:
    """Nothing to compare: the measured areas (all zero) share one neutral entry, if any."""
    if measured.empty:
        return []
    value = format_number(0 if indicator in COUNTS else 0.0, lang, DIGITS.get(indicator, 0))
    return [(~neutral, LegendEntry(palette.NEUTRAL, value, "neutral"))]


def _count_classes(indicator: str, numeric: pd.Series, measured: pd.Series, neutral: pd.Series, lang: Lang) -> _Painted:
    """Whole-number classes (:func:`integer_breaks`); for unmet needs the class 0 reads "all met"."""
    classes = integer_breaks(measured.round().to_numpy())
    ramp = palette.sequential(len(classes), indicator in GOOD_HIGH)
    if indicator == "needs_unmet" and len(classes) and classes[0] == (0, 0):
        words = [t("mappage.needs_all_met", lang)] + [_range_label(lo, hi, lang) for lo, hi in classes[1:]]
    else:
        words = [_range_label(lo, hi, lang) for lo, hi in classes]
    return [
        ((~neutral) & (numeric >= low) & (numeric <= high), LegendEntry(colour, word))
        for (low, high), colour, word in zip(classes, ramp, words, strict=True)
    ]


def _natural_classes(
    indicator: str, numeric: pd.Series, measured: pd.Series, neutral: pd.Series, lang: Lang
) -> tuple[_Painted, list[str]]:
    """Up to five classes by natural breaks (Jenks), each labelled from the previous top to its own;
    a note says how the breaks were chosen when there is more than one class."""
    digits = DIGITS.get(indicator, 0)
    distinct = np.unique(measured.to_numpy())
    k = min(5, len(distinct))
    bins = np.array([distinct[0]]) if k == 1 else jenks_bins(measured.to_numpy(), k)
    ramp = palette.sequential(len(bins), indicator in GOOD_HIGH)
    position = np.searchsorted(bins, numeric.fillna(np.inf).to_numpy(), side="left").clip(0, len(bins) - 1)
    painted: _Painted = []
    bottom = float(measured.min())
    for i, top in enumerate(bins):
        word = (
            format_number(float(top), lang, digits)
            if bottom == top
            else f"{format_number(bottom, lang, digits)} – {format_number(float(top), lang, digits)}"
        )
        painted.append(((~neutral).to_numpy() & (position == i), LegendEntry(ramp[i], word)))
        bottom = float(top)
    return painted, [t("mappage.note.breaks", lang)] if k > 1 else []


# -- title, legend ------------------------------------------------------------------------------


def map_title(
    indicator: str,
    category: str,
    regions: list[str] | None,
    cycle: str | None,
    lang: Lang = "fr",
    municipalities: list[str] | None = None,
    demand_key: str = "pop_2021",
) -> str:
    """What the map shows, in one line: "Classe de lacune — toutes catégories — Elgin, Oxford — 2019-2020".

    ``municipalities`` are names (already chosen for display); with none, the counties
    (all four when none is chosen).
    """
    what = (
        t("mappage.title.all_categories", lang)
        if category == ALL
        else SERVICE_CATEGORIES.label(category, lang)
        if category in SERVICE_CATEGORIES
        else category
    )
    chosen = [REGIONS.label(r, lang) for r in REGIONS.codes if r in (regions or REGIONS.codes)]
    where = ", ".join(municipalities) if municipalities else ", ".join(chosen)
    parts = [indicator_title(indicator, lang, demand_key), what, where]
    if cycle:
        parts.append(cycle)
    return " — ".join(parts)


@dataclass(frozen=True)
class Legend:
    """Everything a map draws, as sections of :class:`LegendEntry` (see :func:`legend_html`)."""

    title: str
    areas: list[LegendEntry]
    notes: list[str]
    points: list[LegendEntry]
    needs: list[LegendEntry]
    lines: list[LegendEntry]
    headings: dict[str, str]


def _point_entries(points: pd.DataFrame, lang: Lang) -> list[LegendEntry]:
    codes = list(SERVICE_CATEGORIES.codes)
    entries = []
    french = points[points["french"].astype(bool)] if len(points) else points
    for code in [c for c in codes if c in set(french.get("category", []))]:
        colour = palette.CATEGORY_COLOURS[codes.index(code) % len(palette.CATEGORY_COLOURS)]
        entries.append(LegendEntry(colour, SERVICE_CATEGORIES.label(code, lang), "point"))
    if len(points) and (~points["french"].astype(bool)).any():
        entries.append(LegendEntry(palette.NOT_FRENCH_FILL, t("mappage.legend.not_french", lang), "point_open"))
    if len(points):
        entries.append(LegendEntry("#ffffff", t("mappage.legend.cluster", lang), "cluster"))
    return entries


def _needs_entries(needs: pd.DataFrame, lang: Lang) -> list[LegendEntry]:
    if not len(needs):
        return []
    entries = [
        LegendEntry(palette.NEEDS_FILL, t("mappage.legend.needs_size", lang, n=format_integer(n, lang)), "circle", r)
        for n, r in ((1, NEEDS_RADIUS[1]), (3, NEEDS_RADIUS[3]))
    ]
    entries.append(LegendEntry(palette.NEEDS_FILL, t("mappage.legend.needs_five", lang), "circle", NEEDS_RADIUS[5]))
    entries.append(LegendEntry(palette.NEEDS_FILL, t("mappage.legend.needs_met", lang), "circle", NEEDS_RADIUS[0]))
    return entries


def legend_html(legend: Legend) -> str:
    """The legend as HTML (inline styles, no script): the app draws it beside its map and the
    standalone document in its side panel. Every text is escaped."""

    def swatch(entry: LegendEntry) -> str:
        c = esc(entry.colour)
        if entry.kind in ("area", "neutral", "hatch"):
            hatch = (
                "background-image:repeating-linear-gradient(45deg,#fff 0 2px,transparent 2px 6px);"
                if entry.kind == "hatch"
                else ""
            )
            border = "1px dashed #555" if entry.kind == "neutral" else "1px solid #333"
            return (
                f'<span class="sw" style="width:18px;height:14px;background-color:{c};{hatch}border:{border}"></span>'
            )
        if entry.kind in ("point", "point_open"):
            return (
                f'<span class="sw" style="width:12px;height:12px;border-radius:50%;background:{c};'
                'border:1.5px solid #222"></span>'
            )
        if entry.kind == "circle":
            d = 2 * entry.size
            return (
                f'<span class="sw" style="width:{d}px;height:{d}px;border-radius:50%;background:{c};opacity:.75;'
                f'border:2px solid {esc(palette.NEEDS_STROKE)}"></span>'
            )
        if entry.kind == "cluster":
            return (
                '<span class="sw" style="width:22px;height:22px;border-radius:50%;background:#fff;'
                'border:2px solid #222;font:bold 11px/22px sans-serif;text-align:center;color:#111">3</span>'
            )
        weight = 3 if entry.kind == "county" else 1
        return f'<span class="sw" style="width:22px;height:0;border-top:{weight}px solid {c}"></span>'

    def section(heading: str, entries: list[LegendEntry]) -> str:
        if not entries:
            return ""
        rows = "".join(f'<div class="row">{swatch(e)}<span>{esc(e.label)}</span></div>' for e in entries)
        return f'<div class="sec"><div class="hd">{esc(heading)}</div>{rows}</div>'

    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in legend.notes)
    style = (
        "<style>.carto-legend{font:13px/1.35 sans-serif;color:#111}"
        ".carto-legend .hd{font-weight:bold;margin:6px 0 3px}"
        ".carto-legend .row{display:flex;align-items:center;gap:8px;margin:2px 0}"
        ".carto-legend .sw{display:inline-block;flex:none;box-sizing:border-box}"
        ".carto-legend .note{color:#444;font-size:12px;margin-top:4px}</style>"
    )
    body = (
        section(legend.title, legend.areas)
        + notes
        + section(legend.headings["lines"], legend.lines)
        + section(legend.headings["points"], legend.points)
        + section(legend.headings["needs"], legend.needs)
    )
    return f'{style}<div class="carto-legend" role="region" aria-label="{esc(legend.headings["legend"])}">{body}</div>'


# -- the map ----------------------------------------------------------------------------------


def filter_areas(frame: pd.DataFrame, regions: list[str] | None, municipalities: list[str] | None) -> pd.DataFrame:
    """Keep the rows of the chosen regions (counties) and municipalities."""
    out = frame
    if regions:
        out = out[out["region"].isin(regions)]
    if municipalities and "csd" in out.columns:
        keep = out["csd"].isin(municipalities) | (out.get("level", pd.Series(index=out.index)) == "region")
        out = out[keep]
    return out


def short_name(name: str) -> str:
    """A municipality's name short enough to print on the map ("Oneida 41" -> "Oneida")."""
    text = re.sub(r"\s+\d+$", "", str(name).strip())
    text = re.sub(r"\s+(First Nation|Nation)$", "", text)
    return text


def area_shapes(
    layers: dict[str, pd.DataFrame],
    level: str,
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    geometries: gpd.GeoSeries | None = None,
) -> gpd.GeoDataFrame:
    """The areas drawn (one row per area of ``level`` for ``category``), EPSG:4326."""
    gaps = layers[f"gaps_{level}"]
    rows = filter_areas(gaps[gaps["category"] == category], regions, municipalities)
    if geometries is None:
        geometries = display_geometries(as_geo_frame(gaps), level)
    return gpd.GeoDataFrame(
        rows.drop(columns="geometry", errors="ignore").reset_index(drop=True),
        geometry=np.asarray(geometries.reindex(rows["area_id"])),
        crs=CRS_DISPLAY,
    )


def map_legend(
    layers: dict[str, pd.DataFrame],
    *,
    level: str = "csd",
    category: str = ALL,
    indicator: str = "gap_class",
    regions: list[str] | None = None,
    municipalities: list[str] | None = None,
    languages: list[str] | None = None,
    lang: Lang = "fr",
    shapes: pd.DataFrame | None = None,
) -> Legend:
    """The legend of the map :func:`gap_map` draws with the same arguments."""
    if shapes is None:
        gaps = layers[f"gaps_{level}"]
        shapes = filter_areas(gaps[gaps["category"] == category], regions, municipalities)
    gaps = layers[f"gaps_{level}"]
    demand_key = str(gaps["demand_key"].iloc[0]) if "demand_key" in gaps.columns and len(gaps) else "pop_2021"
    classes = classify(shapes.reset_index(drop=True), indicator, lang)
    points = _points(layers, category, regions, municipalities, languages)
    needs = filter_areas(
        layers["needs_by_area"] if category == ALL else layers["needs_by_area"].query("category == @category"),
        regions,
        municipalities,
    )
    lines = [LegendEntry(palette.COUNTY_BORDER["color"], t("mappage.legend.county", lang), "county")]
    lines.append(LegendEntry(palette.AREA_BORDER["color"], t(f"mappage.legend.border.{level}", lang), "border"))
    notes = [
        *classes.notes,
        demand_legend(gaps, lang),
        t("map.needs_note", lang),
        t("safety.map.suppressed_note", lang),
    ]
    return Legend(
        title=indicator_title(indicator, lang, demand_key),
        areas=classes.entries,
        notes=notes,
        points=_point_entries(points, lang),
        needs=_needs_entries(needs, lang),
        lines=lines,
        headings={
            "legend": t("mappage.legend", lang),
            "lines": t("mappage.legend.lines", lang),
            "points": t("map.layer.points", lang),
            "needs": t("map.layer.needs", lang),
        },
    )


#: Labels, cluster icons and the "fullscreen" look: constant CSS, no data in it.
MAP_CSS = """
<style>
.carto-label{pointer-events:none;white-space:nowrap;transform:translate(-50%,-50%);display:inline-block;
 font:600 12px/1.1 "Source Sans Pro",Arial,sans-serif;color:#111;
 text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff,1px 1px 0 #fff,-1px -1px 0 #fff}
.carto-label.small{font-size:10.5px;font-weight:500}
.carto-label.region{font-size:15px;font-weight:700;letter-spacing:.04em;text-transform:uppercase}
.carto-label-icon{background:none;border:none}
.carto-cluster div{width:26px;height:26px;border-radius:50%;background:#fff;border:2px solid #222;
 font:bold 12px/22px sans-serif;text-align:center;color:#111;box-sizing:border-box}
.carto-fullscreen{display:flex!important;align-items:center;justify-content:center;cursor:pointer}
.leaflet-control-layers-toggle{background-image:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
viewBox='0 0 26 26'%3E%3Cpath d='M13 4 2 9.5 13 15 24 9.5z' fill='%23555'/%3E%3Cpath d='M4.5 13 2 14.3 13 19.8 \
24 14.3 21.5 13 13 17.2z' fill='%23888'/%3E%3C/svg%3E")!important;background-size:26px 26px!important}
.carto-fs-legend{display:none;background:#fff;padding:6px 10px;border:1px solid #888;border-radius:4px;
 max-height:85vh;max-width:320px;overflow:auto}
.leaflet-container:fullscreen .carto-fs-legend,.carto-fake-fullscreen .carto-fs-legend{display:block}
.carto-fake-fullscreen{position:fixed!important;inset:0!important;width:100vw!important;height:100vh!important;
 z-index:10000!important}
</style>
"""

#: The hatch pattern (white lines) used as the fill of areas with no French service within reach.
HATCH_SCRIPT = """
if (!document.getElementById("carto-hatch")) {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "0"); svg.setAttribute("height", "0");
  svg.setAttribute("aria-hidden", "true"); svg.style.position = "absolute";
  svg.innerHTML = '<defs><pattern id="carto-hatch" patternUnits="userSpaceOnUse" width="8" height="8"'
    + ' patternTransform="rotate(45)"><rect width="3" height="8" fill="HATCH"/></pattern></defs>';
  document.body.appendChild(svg);
}
"""

#: In full screen the page's legend is out of sight: the same legend, as a map control shown
#: only then (in the corner, beside the region). The markup is :func:`legend_html`'s, as data.
FULLSCREEN_LEGEND_SCRIPT = """
(function () {
  var map = {map};
  var Legend = L.Control.extend({
    options: {position: "bottomright"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "carto-fs-legend leaflet-control");
      box.innerHTML = MARKUP;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Legend().addTo(map);
})();
"""

#: Four corners: the usual "full screen" sign, drawn (no icon font to ship).
FULLSCREEN_ICON = (
    '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" fill="none" stroke="#222" '
    'stroke-width="2.2"><path d="M2 7V2h5M11 2h5v5M16 11v5h-5M7 16H2v-5"/></svg>'
)
#: A small fullscreen control of our own (no plugin to vendor): the Fullscreen API where the
#: page allows it, else the map fills the window (an iframe without "allow fullscreen").
FULLSCREEN_SCRIPT = """
(function () {
  var map = {map};
  var label = LABEL;
  var Control = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control");
      var button = L.DomUtil.create("a", "carto-fullscreen", bar);
      button.href = "#"; button.title = label; button.setAttribute("role", "button");
      button.setAttribute("aria-label", label); button.innerHTML = ICON;
      L.DomEvent.on(button, "click", function (event) {
        L.DomEvent.stop(event);
        var box = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); return; }
        if (box.classList.contains("carto-fake-fullscreen")) {
          box.classList.remove("carto-fake-fullscreen"); map.invalidateSize(); return;
        }
        home = map.getBounds();
        var fake = function () {
          box.classList.add("carto-fake-fullscreen"); map.invalidateSize();
          map.fitBounds(home, {paddingBottomRight: [330, 0]});  // beside the legend, not under it
        };
        if (box.requestFullscreen) { box.requestFullscreen().catch(fake); } else { fake(); }
      });
      return bar;
    }
  });
  new Control().addTo(map);
  var home = null;  // what the reader was looking at when entering full screen
  document.addEventListener("fullscreenchange", function () {
    // Fill the screen with the region (a projector), and back to the page's view after.
    setTimeout(function () {
      map.invalidateSize();
      if (home) map.fitBounds(home, document.fullscreenElement ? {paddingBottomRight: [330, 0]} : {});
    }, 150);
  });
})();
"""

#: Names that would overlap a more important place's name are hidden until the reader zooms
#: in: each label has a rank (most populous first); after every zoom they are placed in rank order and
#: one whose box touches a placed one is hidden.
LABEL_DECLUTTER_SCRIPT = """
(function () {
  var map = {map};
  function declutter() {
    var labels = Array.prototype.slice.call(map.getContainer().querySelectorAll(".carto-label[data-rank]"));
    labels.sort(function (a, b) { return Number(a.dataset.rank) - Number(b.dataset.rank); });
    var kept = [];
    labels.forEach(function (el) { el.style.visibility = ""; });
    labels.forEach(function (el) {
      var r = el.getBoundingClientRect();
      var hit = kept.some(function (k) {
        return r.left < k.right + 2 && r.right > k.left - 2 && r.top < k.bottom + 1 && r.bottom > k.top - 1;
      });
      if (hit) { el.style.visibility = "hidden"; } else { kept.push(r); }
    });
  }
  map.whenReady(function () { setTimeout(declutter, 50); });
  map.on("zoomend moveend", function () { setTimeout(declutter, 0); });
  window.addEventListener("resize", function () { setTimeout(declutter, 100); });
})();
"""
#: Labels draw above points and clusters (never under them) and never catch the mouse.
LABEL_PANE = "carto-labels"


def _add_labels(
    fmap: folium.Map,
    layers: dict[str, pd.DataFrame],
    level: str,
    shapes: gpd.GeoDataFrame,
    regions: list[str] | None,
    municipalities: list[str] | None,
    lang: Lang,
) -> None:
    """Permanent names: municipalities (regions at region level), at representative points."""
    group = folium.FeatureGroup(name=esc(t("mappage.layer.labels", lang)))
    if level == "region":
        named = shapes.assign(_label=shapes["area_id"].map(lambda c: REGIONS.label(c, lang) if c in REGIONS else c))
        css, big = "carto-label region", named
    else:
        if level == "csd":
            named = shapes
        else:  # tracts: name the municipalities they belong to
            csd = layers["gaps_csd"]
            rows = filter_areas(csd[csd["category"] == ALL], regions, municipalities)
            named = gpd.GeoDataFrame(
                rows.drop(columns="geometry").reset_index(drop=True),
                geometry=gpd.GeoSeries(rows.geometry.to_numpy(), crs=csd.crs).to_crs(CRS_DISPLAY).to_numpy(),
                crs=CRS_DISPLAY,
            )
        named = named.assign(_label=named["name"].map(short_name))
        css, big = "carto-label", named
    if not len(big):
        group.add_to(fmap)
        return
    # Sizes only pick the font and break ties: degrees² scaled at each area's latitude are
    # close enough, and avoid a projection on every redraw.
    where = big.geometry.representative_point()
    scale = 111.32**2 * np.cos(np.radians(where.y.to_numpy()))
    area_km2 = shapely.area(big.geometry.to_numpy()) * scale
    # Where names collide the most populous place keeps its name (St. Thomas before Central
    # Elgin), then the largest; places without a count (reserves not enumerated) come last.
    people = pd.to_numeric(big["demand"], errors="coerce").fillna(0).to_numpy() if "demand" in big else 0 * area_km2
    rank = np.argsort(np.lexsort((-area_km2, -people)), kind="stable")
    folium.map.CustomPane(LABEL_PANE, z_index=640, pointer_events=False).add_to(fmap)
    for name, x, y, km2, order in zip(big["_label"], where.x, where.y, area_km2, rank, strict=True):
        small = level != "region" and km2 < SMALL_AREA_KM2
        html = f'<span class="{css}{" small" if small else ""}" data-rank="{int(order)}">{esc(name)}</span>'
        folium.Marker(
            [y, x],
            icon=folium.DivIcon(html=html, icon_size=(0, 0), class_name="carto-label-icon"),
            interactive=False,
            keyboard=False,
            pane=LABEL_PANE,
        ).add_to(group)
    group.add_to(fmap)


def once_per_frame(compute: Callable[[pd.DataFrame], gpd.GeoSeries]) -> Callable[[pd.DataFrame], gpd.GeoSeries]:
    """``compute`` run once per compiled layer: the app redraws its map on every click.

    The answer is kept for the last few frames passed (a few cycles at most), keyed on the
    frame's identity: compiled layers are never changed in place, and holding the frame
    keeps its id from being reused by another one.
    """
    held: list[tuple[pd.DataFrame, gpd.GeoSeries]] = []

    @functools.wraps(compute)
    def cached(frame: pd.DataFrame) -> gpd.GeoSeries:
        for known, value in held:
            if known is frame:
                return value
        value = compute(frame)
        held.insert(0, (frame, value))
        del held[4:]
        return value

    return cached


@once_per_frame
def _region_outlines(gaps_region: pd.DataFrame) -> gpd.GeoSeries:
    """Display outlines of the regions (see :func:`once_per_frame`)."""
    return display_geometries(as_geo_frame(gaps_region[gaps_region["category"] == ALL]), "region")


def _add_borders(fmap: folium.Map, layers: dict[str, pd.DataFrame], level: str, regions: list[str] | None) -> None:
    """County (region) outlines, heavier than the areas' own edges, drawn above them."""
    gaps = layers["gaps_region"]
    outlines: pd.Series = _region_outlines(gaps)
    if regions:
        outlines = outlines[outlines.index.isin(regions)]
    data = json.loads(gpd.GeoDataFrame(geometry=outlines.to_numpy(), crs=CRS_DISPLAY).to_json(drop_id=True))
    style = {"fill": False, **palette.COUNTY_BORDER, "opacity": 1}
    folium.GeoJson(data, style_function=lambda f: style, interactive=False, control=False).add_to(fmap)


def gap_map(
    layers: dict[str, pd.DataFrame],
    *,
    level: str = "csd",
    category: str = ALL,
    indicator: str = "gap_class",
    regions: list[str] | None = None,
    municipalities: list[str] | None = None,
    languages: list[str] | None = None,
    lang: Lang = "fr",
    demo: bool = False,
    attribution: str = "",
    basemap: bool = False,
    geometries: gpd.GeoSeries | None = None,
    cycle: str | None = None,
    panel: bool = True,
) -> CartoMap:
    """The gap map for one level, category and indicator, filtered by region and municipality.

    ``geometries`` (from :func:`display_geometries`) may be passed in when cached. With
    ``panel`` (the standalone document) the title, legend, attribution and demonstration
    label sit in a side panel beside the map; without it (the app, which draws them itself
    with :func:`map_legend`) nothing but the map's own controls is drawn over the region.
    """
    gaps = layers[f"gaps_{level}"]
    demand_key = str(gaps["demand_key"].iloc[0]) if "demand_key" in gaps.columns and len(gaps) else "pop_2021"
    shapes = area_shapes(layers, level, category, regions, municipalities, geometries)
    if shapes.empty:  # nothing to draw (tracts of a town without any, an unknown region)
        raise UserError("map.error.no_areas", level=t(f"exports.level.{level}", lang))
    fmap = _blank_map(basemap, lang)
    shapes, fields = _area_tooltips(shapes, layers, level, indicator, lang)
    _add_gap_areas(fmap, shapes, fields, indicator, demand_key, lang)
    _add_borders(fmap, layers, level, regions)
    _add_labels(fmap, layers, level, shapes, regions, municipalities, lang)
    _add_service_points(fmap, layers, category, regions, municipalities, languages, lang)
    _add_service_areas(fmap, layers, category, regions, municipalities, lang)
    _add_needs(fmap, layers, category, regions, municipalities, lang)
    _add_controls(fmap, lang)
    _fit(fmap, shapes)
    fmap.carto_title = map_title(
        indicator, category, regions, cycle, lang, _municipality_names(layers, municipalities), demand_key
    )
    fmap.carto_lang = lang
    legend = map_legend(
        layers,
        level=level,
        category=category,
        indicator=indicator,
        regions=regions,
        municipalities=municipalities,
        languages=languages,
        lang=lang,
        shapes=shapes,
    )
    fmap.add_child(Script(FULLSCREEN_LEGEND_SCRIPT.replace("MARKUP", js_string(legend_html(legend)))))
    if panel:
        page_of(fmap).html.add_child(_side_panel(fmap.carto_title, legend, attribution, demo, lang))
    return fmap


def _blank_map(basemap: bool, lang: Lang) -> CartoMap:
    """An empty map: boundaries only, or over OpenStreetMap when ``basemap`` (online viewers)."""
    fmap = CartoMap(tiles=None, control_scale=False, zoom_control=True)
    fmap.options.update(
        {"max_zoom": 18, "min_zoom": 6, "zoom_snap": 0.25}
    )  # no tile layer to set them (marker clusters need them)
    if basemap:
        folium.TileLayer("OpenStreetMap", name=esc(t("map.basemap", lang)), attr="© OpenStreetMap").add_to(fmap)
    return fmap


def _area_tooltips(
    shapes: gpd.GeoDataFrame, layers: dict[str, pd.DataFrame], level: str, indicator: str, lang: Lang
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The areas with their class colour and the tooltip's values (escaped, formatted), and the
    tooltip's fields in reading order (the indicator's own value unless it is the class)."""
    classes = classify(shapes, indicator, lang)
    shapes = shapes.assign(
        _colour=classes.colours.to_numpy(),
        _name=shapes["name"].map(esc),
        _value=classes.labels.map(esc).to_numpy(),
        _class=shapes["gap_class"].map(lambda c: esc(GAP_CLASSES.label(c, lang))),
        _index=shapes["gap_index"].map(lambda v: format_number(v, lang, 2)),
        _access=shapes["access_e2sfca_per_10k"].map(lambda v: format_number(v, lang, 2)),
        _nearest=shapes["nearest_km"].map(
            lambda v: format_number(v, lang, 1) if not _missing(v) else esc(t("mappage.no_in_person", lang))
        ),
        _serving=shapes["services_serving"].map(lambda v: format_integer(v, lang)),
        _needs=[
            esc(_needs_words(reported, unmet, lang))
            for reported, unmet in zip(shapes["needs_reported"], shapes["needs_unmet"], strict=True)
        ],
        _pop=shapes["demand"].map(
            lambda v: format_integer(float(v), lang) if pd.notna(v) else esc(t("demand.not_enumerated", lang))
        ),
    )
    fields = ["_name", "_value", "_class", "_index", "_access", "_nearest", "_serving", "_needs", "_pop"]
    if indicator == "gap_class":
        fields.remove("_value")
    if level == "csd":  # client counts are compiled by municipality only
        shapes = shapes.assign(_clients=[published(v, lang) for v in _clients_by_csd(layers, shapes["area_id"])])
        fields.append("_clients")
    return shapes, fields


def _field_names(demand_key: str, title: str, lang: Lang) -> dict[str, str]:
    """What each tooltip field is called (``title``: the indicator shown)."""
    return {
        "_name": t("map.field.name", lang),
        "_value": title,
        "_class": t("map.field.class", lang),
        "_index": t("map.field.index", lang),
        "_access": t("demand.field.access", lang, per=demand_label(demand_key, lang, "per_10k")),
        "_nearest": t("map.field.nearest", lang),
        "_serving": t("map.field.serving", lang),
        "_needs": t("map.field.needs", lang),
        "_pop": demand_label(demand_key, lang, "field"),
        "_clients": t("safety.map.clients", lang),
    }


def _add_gap_areas(
    fmap: folium.Map, shapes: gpd.GeoDataFrame, fields: list[str], indicator: str, demand_key: str, lang: Lang
) -> None:
    """The areas in their class colours with their tooltips; "no service within reach" hatched."""
    data = json.loads(shapes[["area_id", *fields, "_colour", "gap_class", "geometry"]].to_json(drop_id=True))
    title = indicator_title(indicator, lang, demand_key)
    names = _field_names(demand_key, title, lang)
    aliases = [esc(names[f]) for f in fields]
    page_of(fmap).header.add_child(Element(MAP_CSS))
    fmap.add_child(Script(HATCH_SCRIPT.replace("HATCH", palette.HATCH_COLOUR)))
    # Leaflet's layer control writes layer names as HTML.
    layer_name = esc(f"{t('map.layer.gaps', lang)} — {title}")
    area = palette.AREA_BORDER
    folium.GeoJson(
        data,
        name=layer_name,
        style_function=lambda f: {
            "fillColor": f["properties"]["_colour"],
            "color": area["color"],
            "weight": area["weight"],
            "fillOpacity": 0.78,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#0050b3"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(fmap)
    if indicator == "gap_class":
        hatched = [f for f in data["features"] if f["properties"]["gap_class"] == "no_service"]
        if hatched:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": [{**f, "properties": {}} for f in hatched]},
                style_function=lambda f: {"fillColor": "url(#carto-hatch)", "fillOpacity": 1, "stroke": False},
                interactive=False,
                control=False,
            ).add_to(fmap)


def _add_controls(fmap: folium.Map, lang: Lang) -> None:
    """Layer list, scale bar, full-screen button and the script that keeps labels from colliding."""
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    fmap.add_child(Script("L.control.scale({metric: true, imperial: false, position: 'bottomleft'}).addTo({map});"))
    fullscreen = FULLSCREEN_SCRIPT.replace("LABEL", js_string(t("mappage.fullscreen", lang)))
    fmap.add_child(Script(fullscreen.replace("ICON", js_string(FULLSCREEN_ICON))))
    fmap.add_child(Script(LABEL_DECLUTTER_SCRIPT))


def _fit(fmap: folium.Map, shapes: gpd.GeoDataFrame) -> None:
    """Zoom to the areas shown (to the four counties' centre when none is)."""
    if len(shapes):
        minx, miny, maxx, maxy = shapes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    else:
        fmap.location, fmap.options["zoom"] = [42.95, -81.2], 9


def _municipality_names(layers: dict[str, pd.DataFrame], municipalities: list[str] | None) -> list[str]:
    if not municipalities:
        return []
    csd = layers["gaps_csd"].drop_duplicates("area_id").set_index("area_id")["name"]
    return [str(csd.get(code, code)) for code in municipalities]


def _needs_words(reported: object, unmet: object, lang: Lang) -> str:
    """Unmet needs of an area, saying whether none was reported or all were met."""
    if _missing(reported):
        return MISSING
    if as_int(reported) == 0:
        return t("mappage.no_need_reported", lang)
    if as_int(unmet) == 0:
        return t("mappage.needs_all_met_of", lang, n=format_integer(as_int(reported), lang))
    return t(
        "mappage.needs_unmet_of",
        lang,
        unmet=format_integer(as_int(unmet), lang),
        n=format_integer(as_int(reported), lang),
    )


#: Side panel of the standalone document: the map on the left, title and legend on the right
#: (under the map on a phone). Nothing is drawn over the region.
PANEL_CSS = """
<style>
html,body{height:100%;margin:0}
.folium-map{position:absolute!important;left:0;top:0;bottom:0;width:calc(100% - 340px)!important;height:100%!important}
.carto-panel{position:absolute;top:0;right:0;width:340px;height:100%;overflow:auto;box-sizing:border-box;
 padding:10px 14px;border-left:1px solid #bbb;background:#fff;font:13px/1.35 sans-serif;color:#111}
.carto-panel h1{font-size:17px;margin:0 0 6px}
.carto-panel .demo{color:#a00;font-weight:bold;margin-bottom:6px}
.carto-panel .attr{color:#444;font-size:11px;margin-top:10px;border-top:1px solid #ddd;padding-top:6px}
@media (max-width:700px){
 body{display:flex;flex-direction:column}
 .folium-map{position:relative!important;width:100%!important;height:70vh!important;flex:none;order:0}
 .carto-panel{order:1}
 .carto-panel{position:static;width:auto;height:auto;border-left:none;border-top:1px solid #bbb}
}
</style>
"""


def _side_panel(title: str, legend: Legend, attribution: str, demo: bool, lang: Lang) -> Element:
    demo_line = f'<div class="demo">{esc(t("demo.label", lang).upper())}</div>' if demo else ""
    attr = f'<div class="attr">{esc(attribution)}</div>' if attribution else ""
    return Element(
        f'{PANEL_CSS}<aside class="carto-panel" aria-label="{esc(t("mappage.legend", lang))}">'
        f"<h1>{esc(title)}</h1>{demo_line}{legend_html(legend)}{attr}</aside>"
    )


def area_details(row: pd.Series, lang: Lang, clients: object = None) -> list[tuple[str, str]]:
    """The details of one area, as (indicator, value) pairs in reading order, numbers formatted.

    ``clients`` is the area's published client total (municipalities only; ``<NA>`` reads
    "≤ 4").
    """
    demand_key = str(row.get("demand_key", "pop_2021"))
    rows = [
        (t("map.field.class", lang), GAP_CLASSES.label(row["gap_class"], lang)),
        (t("map.field.index", lang), format_number(row.get("gap_index"), lang, 2)),
        (
            t("demand.field.access", lang, per=demand_label(demand_key, lang, "per_10k")),
            format_number(row.get("access_e2sfca_per_10k"), lang, 2),
        ),
        (t("map.indicator.access_2sfca_per_10k", lang), format_number(row.get("access_2sfca_per_10k"), lang, 2)),
        (
            t("map.field.nearest", lang),
            t("mappage.no_in_person", lang)
            if _missing(row.get("nearest_km"))
            else format_number(row.get("nearest_km"), lang, 1),
        ),
        (t("map.detail.in", lang), format_integer(row.get("services_in"), lang)),
        (t("map.detail.itinerant", lang), format_integer(row.get("services_itinerant"), lang)),
        (t("map.detail.virtual", lang), format_integer(row.get("services_virtual"), lang)),
        (t("map.field.needs_reported", lang), format_integer(row.get("needs_reported"), lang)),
        (t("map.field.needs", lang), _needs_words(row.get("needs_reported"), row.get("needs_unmet"), lang)),
        (
            demand_label(demand_key, lang, "field"),
            format_integer(float(row["demand"]), lang)
            if pd.notna(row.get("demand"))
            else t("demand.not_enumerated", lang),
        ),
    ]
    if clients is not None or row.get("level") == "csd":
        rows.append((t("safety.map.clients", lang), published(clients, lang) if clients is not None else "0"))
    return rows


def indicator_explanation(indicator: str, lang: Lang, params: dict[str, object] | None = None) -> str:
    """One line saying what ``indicator`` means, with the method's radius, steps and weights."""
    p = {**GapParameters().as_dict(), **(params or {})}
    pairs = p["steps"]
    if not isinstance(pairs, list | tuple):  # (distance, weight) pairs; JSON gives lists
        raise TypeError(f"steps must be (distance, weight) pairs, not '{type(pairs).__name__}'")
    steps = "; ".join(
        f"≤ {format_number(as_float(d) / 1000, lang, 0)} km : {format_number(as_float(w), lang, 2)}" for d, w in pairs
    )
    return t(
        f"mappage.explain.{indicator}",
        lang,
        radius=format_number(as_float(p["radius_m"]) / 1000, lang, 0),
        far=format_number(as_float(p["far_km"]), lang, 0),
        steps=steps,
        wa=format_number(as_float(p["weight_access"]), lang, 1),
        wd=format_number(as_float(p["weight_distance"]), lang, 1),
        wn=format_number(as_float(p["weight_needs"]), lang, 1),
        share=format_number(as_float(p["low_capacity_share"]), lang, 1),
    )


#: The paragraph of docs/methodologie.md that documents each indicator: its stable anchor
#: (``<a id>``) in the French and in the English part.
METHOD_ANCHORS: dict[str, dict[str, str]] = {
    "gap_class": {"fr": "classes-de-lacune", "en": "gap-class"},
    "gap_index": {"fr": "indice-composite", "en": "composite-index"},
    "access_e2sfca_per_10k": {"fr": "accessibilite-2sfca-e2sfca", "en": "accessibility-2sfca-e2sfca"},
    "access_2sfca_per_10k": {"fr": "accessibilite-2sfca-e2sfca", "en": "accessibility-2sfca-e2sfca"},
    "nearest_km": {"fr": "distance-au-service-le-plus-proche", "en": "distance-to-nearest-service"},
    "services_serving": {"fr": "services-desservant-la-zone", "en": "services-serving-the-area"},
    "needs_unmet": {"fr": "besoins-declares", "en": "needs-reported"},
}


def method_section(document: str, indicator: str, lang: Lang) -> str | None:
    """The paragraph of the method document (Markdown text) that explains ``indicator``.

    It starts after the ``<a id>`` anchor of :data:`METHOD_ANCHORS` and ends at the first
    blank line; ``None`` when the document has no such anchor (an older copy).
    """
    anchor = METHOD_ANCHORS[indicator][lang]
    match = re.search(rf'<a id="{re.escape(anchor)}"></a>\s*\n(.*?)(?:\n\s*\n|\Z)', document, re.S)
    return match.group(1).strip() if match else None


def _clients_by_csd(layers: dict[str, pd.DataFrame], csds: pd.Series) -> list[object]:
    """Published client totals (all profiles) of each municipality; 0 where none was reported."""
    clients = layers.get("clients_by_area")
    if clients is None or clients.empty:
        return [0] * len(csds)
    totals = clients[clients["profile"] == ALL].drop_duplicates("csd").set_index("csd")["clients_published"]
    return [totals.get(csd, 0) for csd in csds]


def _points(
    layers: dict[str, pd.DataFrame],
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    languages: list[str] | None,
) -> pd.DataFrame:
    points = layers["service_points"]
    if category != ALL:
        points = points[points["category"] == category]
    if languages:
        points = points[points["language"].isin(languages)]
    return filter_areas(points, regions, municipalities)


#: Clusters in a neutral white disc with the count: no data colour, read "several services here".
CLUSTER_ICON = """function (cluster) {
  return L.divIcon({html: "<div>" + cluster.getChildCount() + "</div>", className: "carto-cluster",
                    iconSize: L.point(26, 26)});
}"""


def _add_service_points(
    fmap: folium.Map,
    layers: dict[str, pd.DataFrame],
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    languages: list[str] | None,
    lang: Lang,
) -> None:
    points = _points(layers, category, regions, municipalities, languages)
    group = folium.FeatureGroup(name=esc(t("map.layer.points", lang)))
    cluster = MarkerCluster(options={"maxClusterRadius": 35}, icon_create_function=CLUSTER_ICON).add_to(group)
    codes = list(SERVICE_CATEGORIES.codes)
    for row in points.to_dict("records"):
        colour = palette.CATEGORY_COLOURS[codes.index(row["category"]) % len(palette.CATEGORY_COLOURS)]
        markup = (
            f"<b>{esc(row['service_name'])}</b><br>{esc(row['org_name'])}<br>"
            f"{esc(SERVICE_CATEGORIES.label(row['category'], lang))}<br>"
            f"{esc(SERVICE_LANGUAGES.label(row['language'], lang))} · {esc(SERVICE_MODES.label(row['mode'], lang))}<br>"
            f"{esc(row['site_name'])}, {esc(row['municipality'])}<br>"
            f"<small>{esc(t('map.field.precision', lang))} : "
            f"{esc(t('geocode.precision.' + row['precision'], lang))}</small>"
        )
        folium.CircleMarker(
            location=[row["latitude"], row["longitude"]],
            radius=7,
            color="#222",
            weight=1.5,
            fill=True,
            fill_color=colour if row["french"] else palette.NOT_FRENCH_FILL,
            fill_opacity=0.95,
        ).add_child(tooltip(esc(f"{row['org_name']} — {row['service_name']}"))).add_child(popup(markup)).add_to(cluster)
    group.add_to(fmap)


@once_per_frame
def _served_outlines(service_areas: pd.DataFrame) -> gpd.GeoSeries:
    """Display outline of each municipality a remote service serves (see :func:`once_per_frame`)."""
    first = service_areas.drop_duplicates("csd").set_index("csd")
    shown = gpd.GeoSeries(first.geometry.to_numpy(), index=first.index, crs=service_areas.crs).to_crs(CRS_DISPLAY)
    return gpd.GeoSeries(
        shapely.set_precision(shapely.simplify(shown.to_numpy(), 0.001), GRID_DEG), index=shown.index, crs=CRS_DISPLAY
    )


def _add_service_areas(
    fmap: folium.Map,
    layers: dict[str, pd.DataFrame],
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    lang: Lang,
) -> None:
    # Plain columns (no geometry): this runs on every redraw of the app's map.
    table = layers["service_areas"]
    areas = pd.DataFrame({c: table[c].to_numpy() for c in table.columns if c != "geometry"})
    areas = areas[areas["french"].astype(bool) & areas["mode"].isin(["itinerant", "virtual"])]
    if category != ALL:
        areas = areas[areas["category"] == category]
    areas = filter_areas(areas, regions, municipalities)
    group = folium.FeatureGroup(name=esc(t("map.layer.areas", lang)), show=False)
    if len(areas):
        served: dict[str, tuple[str, set[str], set[str]]] = {}
        for csd, place, name, key in zip(
            areas["csd"], areas["municipality"], areas["service_name"], areas["service_key"], strict=True
        ):
            served.setdefault(csd, (place, set(), set()))
            served[csd][1].add(str(name))
            served[csd][2].add(key)
        outlines = _served_outlines(table)
        csds = list(served)
        shapes = gpd.GeoDataFrame(
            {
                "_name": [esc(served[c][0]) for c in csds],
                "_services": [esc("; ".join(sorted(served[c][1]))[:400]) for c in csds],
                "_count": [format_integer(len(served[c][2]), lang) for c in csds],
            },
            geometry=np.asarray(outlines.reindex(csds)),
            crs=CRS_DISPLAY,
        )
        data = json.loads(shapes.to_json(drop_id=True))
        folium.GeoJson(
            data,
            style_function=lambda f: {"fill": False, "color": "#6a3d9a", "weight": 2, "dashArray": "2 6"},
            tooltip=folium.GeoJsonTooltip(
                fields=["_name", "_count", "_services"],
                aliases=[
                    esc(t("map.field.name", lang)),
                    esc(t("map.field.remote", lang)),
                    esc(t("map.field.services", lang)),
                ],
            ),
        ).add_to(group)
    group.add_to(fmap)


def _add_needs(
    fmap: folium.Map,
    layers: dict[str, pd.DataFrame],
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    lang: Lang,
) -> None:
    needs = layers["needs_by_area"]
    if category != ALL:
        needs = needs[needs["category"] == category]
    needs = filter_areas(needs, regions, municipalities)
    group = folium.FeatureGroup(name=esc(t("map.layer.needs", lang)))
    if len(needs):
        centres = gpd.GeoSeries(needs.geometry.representative_point(), crs=needs.crs).to_crs(CRS_DISPLAY)
        for row, x, y in zip(needs.to_dict("records"), centres.x, centres.y, strict=True):
            open_needs = int(row["needs_unmet"]) + int(row["needs_partly_met"])
            markup = (
                f"<b>{esc(row['name'])}</b> — {esc(SERVICE_CATEGORIES.label(row['category'], lang))}<br>"
                f"{esc(t('map.field.needs_reported', lang))} : {format_integer(int(row['needs_reported']), lang)} · "
                f"{esc(t('map.field.needs', lang))} : {format_integer(open_needs, lang)}<br>"
                f"{esc(t('safety.map.clients_concerned', lang))} : {esc(published(row['clients_published'], lang))}<br>"
                f"<i>{esc(row['comments'])}</i><br><small>{esc(t('map.needs_note', lang))}</small>"
            )
            folium.CircleMarker(
                location=[y, x],
                radius=NEEDS_RADIUS[min(open_needs, 5)],
                color=palette.NEEDS_STROKE,
                weight=2,
                fill=True,
                fill_color=palette.NEEDS_FILL,
                fill_opacity=0.6,
            ).add_child(tooltip(esc(f"{row['name']} — {SERVICE_CATEGORIES.label(row['category'], lang)}"))).add_child(
                popup(markup)
            ).add_to(group)
    group.add_to(fmap)


STATIC = Path(__file__).resolve().parent / "static"
#: Vendored assets by the file name folium's CDN links end with.
ASSETS = {
    "leaflet.js": "leaflet.js",
    "leaflet.css": "leaflet.css",
    "jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "leaflet.markercluster.js": "leaflet.markercluster.js",
    "MarkerCluster.css": "MarkerCluster.css",
    "MarkerCluster.Default.css": "MarkerCluster.Default.css",
}
_LOCAL = "carto-static:"


def _walk(element: Element) -> Iterator[Element]:
    """``element`` and everything below it, depth first."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@functools.cache
def data_uri(filename: str) -> str:
    """A vendored asset as a data: URI (for hosts that cannot serve files)."""
    kind = "text/javascript" if filename.endswith(".js") else "text/css"
    return f"data:{kind};base64," + base64.b64encode((STATIC / filename).read_bytes()).decode()


def localise_assets(
    fmap: folium.Map, prefix: str = _LOCAL, leaflet_js: bool = True, inline_uri: bool = False
) -> folium.Map:
    """Point every script and style sheet at the vendored copies under ``prefix``.

    Links folium adds that these maps do not need (Bootstrap, Font Awesome, awesome-markers)
    are dropped: with no internet they would only fail. ``leaflet_js=False`` leaves Leaflet
    itself out, for hosts (streamlit-folium) that bundle it.
    """
    for element in _walk(fmap):
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if not links:
                continue
            kept = []
            for name, url in links:
                filename = str(url).rsplit("/", 1)[-1]
                if filename in ASSETS and (leaflet_js or filename != "leaflet.js"):
                    kept.append((name, data_uri(ASSETS[filename]) if inline_uri else prefix + ASSETS[filename]))
            setattr(element, attribute, kept)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The standalone HTML document of a map, its scripts and styles inlined (works offline),
    with ``<html lang>`` and a ``<title>`` saying what it shows (see :func:`map_title`)."""
    localise_assets(fmap)
    document = fmap.get_root().render()

    def script(match: re.Match[str]) -> str:
        return "<script>" + (STATIC / match.group(1)).read_text(encoding="utf-8") + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + (STATIC / match.group(1)).read_text(encoding="utf-8") + "</style>"

    document = re.sub(rf'<script src="{_LOCAL}([\w.-]+)"></script>', script, document)
    document = re.sub(rf'<link rel="stylesheet" href="{_LOCAL}([\w.-]+)"/>', style, document)
    # The page says its language (screen readers, translation) and what it shows (tab, bookmark).
    lang: Lang = "en" if getattr(fmap, "carto_lang", "fr") == "en" else "fr"
    title = getattr(fmap, "carto_title", "") or t("mappage.title.fallback", lang)
    document = re.sub(r"<html[^>]*>", f'<html lang="{esc(lang)}">', document, count=1)
    return re.sub(r"<head>", f"<head>\n<title>{esc(title)}</title>", document, count=1)
