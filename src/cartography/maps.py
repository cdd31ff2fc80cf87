"""Interactive gap maps (folium/Leaflet). Presentation layer: never imports streamlit.

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
from pathlib import Path

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from cartography.escaping import html_text, js_string
from cartography.gaps import ALL
from cartography.geography import CRS_DISPLAY
from cartography.i18n import Lang, t
from cartography.io.compile import demand_label, demand_legend
from cartography.vocabulary import GAP_CLASSES, SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES

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
CATEGORY_COLOURS = [
    "#1f78b4",
    "#33a02c",
    "#e31a1c",
    "#ff7f00",
    "#6a3d9a",
    "#b15928",
    "#a6cee3",
    "#b2df8a",
    "#fb9a99",
    "#fdbf6f",
    "#cab2d6",
    "#8dd3c7",
    "#bebada",
    "#80b1d3",
    "#fccde5",
    "#bc80bd",
]
SEQUENTIAL = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]
GOOD_HIGH = {"access_e2sfca_per_10k", "access_2sfca_per_10k", "services_serving"}


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


def published(value: object, lang: Lang) -> str:
    """A published client count for display: ``<NA>`` (suppressed, 1 to 4) reads "≤ 4", never 0."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return t("safety.map.suppressed", lang)
    return _fmt(int(value))  # type: ignore[call-overload]


def display_geometries(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoSeries:
    """One simplified, rounded EPSG:4326 geometry per area id (shared edges kept together)."""
    unique = frame.drop_duplicates("area_id").set_index("area_id")
    simplified = shapely.coverage_simplify(unique.geometry.values, TOLERANCE_M.get(level, 100.0))
    series = gpd.GeoSeries(simplified, index=unique.index, crs=frame.crs).to_crs(CRS_DISPLAY)
    rounded = shapely.set_precision(series.values, GRID_DEG)
    return gpd.GeoSeries(shapely.make_valid(rounded), index=series.index, crs=CRS_DISPLAY)


def _fmt(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA:
        return "—"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}".replace(",", " ")
    return f"{float(value):,.{digits}f}".replace(",", " ")


def _indicator_label(indicator: str, lang: Lang) -> str:
    return t(f"map.indicator.{indicator}", lang)


def _classify(values: pd.Series, indicator: str, lang: Lang) -> tuple[pd.Series, list[tuple[str, str]]]:
    """Colour per row and legend entries (colour, words) for the indicator."""
    if indicator == "gap_class":
        colours = values.map(lambda c: str(GAP_CLASSES.get(c).attrs["colour"]))
        legend = [(str(term.attrs["colour"]), term.label(lang)) for term in GAP_CLASSES]
        return colours, legend
    numeric = pd.to_numeric(values, errors="coerce").astype(float)
    finite = numeric[np.isfinite(numeric)]
    if finite.nunique() < 2:
        colour = SEQUENTIAL[2]
        return pd.Series(colour, index=values.index), [(colour, f"{_fmt(finite.max() if len(finite) else None, 2)}")]
    k = min(5, finite.nunique())
    classifier = mapclassify.NaturalBreaks(finite.to_numpy(), k=k)
    bins = np.asarray(classifier.bins)
    palette = SEQUENTIAL[:k] if indicator not in GOOD_HIGH else SEQUENTIAL[:k][::-1]
    idx = np.searchsorted(bins, numeric.fillna(np.inf).to_numpy(), side="left").clip(0, k - 1)
    colours = pd.Series([palette[i] for i in idx], index=values.index)
    colours[~np.isfinite(numeric)] = "#cccccc"
    words = [t(f"map.class.{i}", lang) for i in range(k)] if k == 5 else [""] * k
    lower = float(finite.min())
    legend = []
    for i in range(k):
        label = f"{_fmt(lower, 2)} – {_fmt(bins[i], 2)}"
        legend.append((palette[i], f"{words[i]} ({label})" if words[i] else label))
        lower = float(bins[i])
    return colours, legend


def _legend(title: str, entries: list[tuple[str, str]], notes: list[str]) -> Element:
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{esc(c)};'
        f'border:1px solid #555;margin-right:6px;vertical-align:middle"></span>{esc(w)}</div>'
        for c, w in entries
    )
    lines = "".join(f"<div style='margin-top:4px;color:#555'>{esc(note)}</div>" for note in notes)
    return Element(
        f'<div class="carto-legend" style="position:fixed;bottom:30px;right:12px;z-index:9999;background:white;'
        f'padding:8px 10px;border:1px solid #888;border-radius:4px;font:12px sans-serif;max-width:280px">'
        f"<b>{esc(title)}</b>{rows}{lines}</div>"
    )


def _banner(text: str, position: str) -> Element:
    return Element(
        f'<div class="carto-banner" style="position:fixed;z-index:9999;background:rgba(255,255,255,.9);'
        f'padding:4px 8px;border:1px solid #aaa;border-radius:3px;font:12px sans-serif;max-width:60%;{position}">'
        f"{esc(text)}</div>"
    )


def filter_areas(frame: pd.DataFrame, regions: list[str] | None, municipalities: list[str] | None) -> pd.DataFrame:
    """Keep the rows of the chosen regions (counties) and municipalities."""
    out = frame
    if regions:
        out = out[out["region"].isin(regions)]
    if municipalities and "csd" in out.columns:
        keep = out["csd"].isin(municipalities) | (out.get("level", pd.Series(index=out.index)) == "region")
        out = out[keep]
    return out


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
) -> folium.Map:
    """The gap map for one level, category and indicator, filtered by region and municipality.

    ``geometries`` (from :func:`display_geometries`) may be passed in when cached.
    """
    gaps = layers[f"gaps_{level}"]
    rows = gaps[gaps["category"] == category]
    rows = filter_areas(rows, regions, municipalities)
    if geometries is None:
        geometries = display_geometries(gaps, level)
    shapes = gpd.GeoDataFrame(
        rows.drop(columns="geometry", errors="ignore").reset_index(drop=True),
        geometry=geometries.reindex(rows["area_id"]).to_numpy(),
        crs=CRS_DISPLAY,
    )
    fmap = folium.Map(tiles=None, control_scale=True, zoom_control=True)
    fmap.options.update(
        {"max_zoom": 18, "min_zoom": 6, "zoom_snap": 0.25}
    )  # no tile layer to set them (marker clusters need them)
    if basemap:
        folium.TileLayer("OpenStreetMap", name=esc(t("map.basemap", lang)), attr="© OpenStreetMap").add_to(fmap)
    colours, legend = _classify(shapes[indicator], indicator, lang)
    shapes = shapes.assign(
        _colour=colours.to_numpy(),
        _name=shapes["name"].map(esc),
        _class=shapes["gap_class"].map(lambda c: esc(GAP_CLASSES.label(c, lang))),
        _index=shapes["gap_index"].map(lambda v: _fmt(v, 2)),
        _access=shapes["access_e2sfca_per_10k"].map(lambda v: _fmt(v, 2)),
        _nearest=shapes["nearest_km"].map(lambda v: _fmt(v, 1)),
        _serving=shapes["services_serving"].map(_fmt),
        _needs=shapes["needs_unmet"].map(lambda v: "—" if pd.isna(v) else _fmt(int(v))),
        _pop=shapes["demand"].map(lambda v: _fmt(v, 0) if pd.notna(v) else esc(t("demand.not_enumerated", lang))),
    )
    fields = ["_name", "_class", "_index", "_access", "_nearest", "_serving", "_needs", "_pop"]
    if level == "csd":  # client counts are compiled by municipality only
        shapes = shapes.assign(_clients=[published(v, lang) for v in _clients_by_csd(layers, shapes["area_id"])])
        fields.append("_clients")
    keep = ["area_id", *fields, "_colour", "gap_class", "geometry"]
    data = json.loads(shapes[keep].to_json(drop_id=True))
    aliases = [esc(t(f"map.field.{f.strip('_')}" if f != "_clients" else "safety.map.clients", lang)) for f in fields]
    # What the demand is (population or an imported characteristic) names the demand and access fields.
    demand_key = str(gaps["demand_key"].iloc[0]) if "demand_key" in gaps.columns and len(gaps) else "pop_2021"
    per_10k = demand_label(demand_key, lang, "per_10k")
    aliases[fields.index("_pop")] = esc(demand_label(demand_key, lang, "field"))
    aliases[fields.index("_access")] = esc(t("demand.field.access", lang, per=per_10k))
    title = (
        t(f"demand.indicator.{indicator}", lang, per=per_10k)
        if indicator.startswith("access_")
        else _indicator_label(indicator, lang)
    )
    # Leaflet's layer control writes layer names as HTML.
    layer_name = esc(f"{t('map.layer.gaps', lang)} — {title}")
    folium.GeoJson(
        data,
        name=layer_name,
        style_function=lambda f: {
            "fillColor": f["properties"]["_colour"],
            "color": "#222" if f["properties"]["gap_class"] != "no_service" else "#000",
            "weight": 2.5 if f["properties"]["gap_class"] == "no_service" else 0.8,
            "dashArray": "6 4" if f["properties"]["gap_class"] == "no_service" else None,
            "fillOpacity": 0.7,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#0050b3"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(fmap)
    _add_service_points(fmap, layers, category, regions, municipalities, languages, lang)
    _add_service_areas(fmap, layers, category, regions, municipalities, lang)
    _add_needs(fmap, layers, category, regions, municipalities, lang)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if len(shapes):
        minx, miny, maxx, maxy = shapes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    else:
        fmap.location, fmap.options["zoom"] = [42.95, -81.2], 9
    notes = [demand_legend(gaps, lang), t("map.needs_note", lang), t("safety.map.suppressed_note", lang)]
    fmap.get_root().html.add_child(_legend(title, legend, notes))
    if attribution:
        fmap.get_root().html.add_child(_banner(attribution, "bottom:28px;left:8px;font-size:10px;max-width:45%"))
    if demo:
        fmap.get_root().html.add_child(
            _banner(
                t("demo.label", lang).upper(),
                "top:10px;left:56px;font-weight:bold;color:#b00",
            )
        )
    return fmap


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
    cluster = MarkerCluster(options={"maxClusterRadius": 35}).add_to(group)
    codes = list(SERVICE_CATEGORIES.codes)
    for row in points.itertuples():
        colour = CATEGORY_COLOURS[codes.index(row.category) % len(CATEGORY_COLOURS)]
        markup = (
            f"<b>{esc(row.service_name)}</b><br>{esc(row.org_name)}<br>"
            f"{esc(SERVICE_CATEGORIES.label(row.category, lang))}<br>"
            f"{esc(SERVICE_LANGUAGES.label(row.language, lang))} · {esc(SERVICE_MODES.label(row.mode, lang))}<br>"
            f"{esc(row.site_name)}, {esc(row.municipality)}<br>"
            f"<small>{esc(t('map.field.precision', lang))} : "
            f"{esc(t('geocode.precision.' + row.precision, lang))}</small>"
        )
        folium.CircleMarker(
            location=[row.latitude, row.longitude],
            radius=7,
            color="#222",
            weight=1,
            fill=True,
            fill_color=colour if row.french else "#ffffff",
            fill_opacity=0.9,
        ).add_child(tooltip(esc(f"{row.org_name} — {row.service_name}"))).add_child(popup(markup)).add_to(cluster)
    group.add_to(fmap)


def _add_service_areas(
    fmap: folium.Map,
    layers: dict[str, pd.DataFrame],
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    lang: Lang,
) -> None:
    areas = layers["service_areas"]
    areas = areas[areas["french"] & areas["mode"].isin(["itinerant", "virtual"])]
    if category != ALL:
        areas = areas[areas["category"] == category]
    areas = filter_areas(areas, regions, municipalities)
    group = folium.FeatureGroup(name=esc(t("map.layer.areas", lang)), show=False)
    if len(areas):
        summary = areas.groupby("csd").agg(
            municipality=("municipality", "first"),
            services=("service_name", lambda s: "; ".join(sorted(set(s)))[:400]),
            count=("service_key", "nunique"),
            geometry=("geometry", "first"),
        )
        shapes = gpd.GeoDataFrame(summary, geometry="geometry", crs=layers["service_areas"].crs).to_crs(CRS_DISPLAY)
        shapes["geometry"] = shapely.set_precision(shapely.simplify(shapes.geometry.values, 0.001), GRID_DEG)
        shapes["_name"] = shapes["municipality"].map(esc)
        shapes["_services"] = shapes["services"].map(esc)
        shapes["_count"] = shapes["count"].map(_fmt)
        data = json.loads(shapes[["_name", "_services", "_count", "geometry"]].to_json(drop_id=True))
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
        for row, point in zip(needs.itertuples(), centres, strict=True):
            markup = (
                f"<b>{esc(row.name)}</b> — {esc(SERVICE_CATEGORIES.label(row.category, lang))}<br>"
                f"{esc(t('map.field.needs_reported', lang))} : {_fmt(int(row.needs_reported))} · "
                f"{esc(t('map.field.needs', lang))} : {_fmt(int(row.needs_unmet) + int(row.needs_partly_met))}<br>"
                f"{esc(t('safety.map.clients_concerned', lang))} : {esc(published(row.clients_published, lang))}<br>"
                f"<i>{esc(row.comments)}</i><br><small>{esc(t('map.needs_note', lang))}</small>"
            )
            folium.CircleMarker(
                location=[point.y, point.x],
                radius=4 + 3 * min(int(row.needs_unmet), 5),
                color="#b2182b",
                weight=2,
                fill=True,
                fill_color="#ef8a62",
                fill_opacity=0.6,
            ).add_child(tooltip(esc(f"{row.name} — {SERVICE_CATEGORIES.label(row.category, lang)}"))).add_child(
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


def _walk(element):  # type: ignore[no-untyped-def]
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
    """The standalone HTML document of a map, its scripts and styles inlined (works offline)."""
    localise_assets(fmap)
    document = fmap.get_root().render()

    def script(match: re.Match[str]) -> str:
        return "<script>" + (STATIC / match.group(1)).read_text(encoding="utf-8") + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + (STATIC / match.group(1)).read_text(encoding="utf-8") + "</style>"

    document = re.sub(rf'<script src="{_LOCAL}([\w.-]+)"></script>', script, document)
    return re.sub(rf'<link rel="stylesheet" href="{_LOCAL}([\w.-]+)"/>', style, document)
