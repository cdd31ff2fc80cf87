"""Presenting a comparison between cycles: the table deck's "Depuis le dernier cycle" slide,
the map of class changes and the table of services that changed.

Presentation layer: reads a :class:`cartography.comparison.Comparison` (published values
only) and writes a slide on a :class:`cartography.reports.Deck` or a folium map. Never
imports streamlit. Member text (organisation, service and site names) is escaped with
:func:`cartography.maps.esc` before it reaches the map's HTML.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element

from cartography.comparison import CLASS_CHANGE_COLOURS, CLASS_CHANGES, Comparison
from cartography.gaps import ALL
from cartography.geography import CRS_DISPLAY
from cartography.i18n import Lang, t
from cartography.maps import display_geometries, esc, filter_areas, page_of, popup
from cartography.numbers import MISSING, format_integer
from cartography.reports import MARGIN, NAVY, TOP, Deck, W
from cartography.vocabulary import SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES, Vocabulary

#: Lines of each column that fit on the slide; the rest is counted ("… and 3 more").
MAX_LINES = 7
#: Area names listed per line of the slide.
NAMES_SHOWN = 4


def _category(code: str, lang: Lang) -> str:
    if code == ALL:
        return t("compile.all_categories", lang)
    return SERVICE_CATEGORIES.label(code, lang) if code in SERVICE_CATEGORIES else code


def service_lines(comparison: Comparison, lang: Lang = "fr") -> list[str]:
    """One sentence per service opened, closed or changed, opened first."""
    services = comparison.services_changed
    if services.empty:
        return [t("compare.slide.none", lang)]
    order = {"added": 0, "closed": 1, "changed": 2}
    ordered = services.assign(_o=services["change"].map(order)).sort_values(["_o", "org_name", "service_name"])
    lines = []
    for row in ordered.to_dict("records"):
        place = str(row["municipality"]) or t("compare.slide.no_site", lang)
        fields = {"service": row["service_name"], "org": row["org_name"], "place": place}
        if row["change"] == "changed":
            what = []
            if row["language_changed"]:
                what.append(
                    f"{SERVICE_LANGUAGES.label(row['language_before'], lang)} → "
                    f"{SERVICE_LANGUAGES.label(row['language_after'], lang)}"
                )
            if row["mode_changed"]:
                what.append(
                    f"{SERVICE_MODES.label(row['mode_before'], lang)} → {SERVICE_MODES.label(row['mode_after'], lang)}"
                )
            fields["what"] = "; ".join(what)
        lines.append(t(f"compare.slide.{row['change']}", lang, **fields))
    return _capped(lines, lang)


def _capped(lines: list[str], lang: Lang) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[: MAX_LINES - 1], t("compare.slide.more", lang, count=len(lines) - (MAX_LINES - 1))]


def area_lines(comparison: Comparison, lang: Lang = "fr", level: str = "csd") -> tuple[str, list[str]]:
    """The count of class changes at ``level`` and one line per (change, category).

    Categories only (not the "all categories" row, which repeats them), worsened first
    since that is what the table will want to discuss, each with the areas concerned.
    """
    frame = comparison.changes.get(level)
    if frame is None or frame.empty:
        return "", []
    counts = frame["class_change"].value_counts()
    summary = t(
        "compare.slide.counts",
        lang,
        improved=int(counts.get("improved", 0)),
        unchanged=int(counts.get("unchanged", 0)),
        worsened=int(counts.get("worsened", 0)),
        flagged=int(counts.get("not_comparable", 0)),
    )
    moved = frame[frame["class_change"].isin(["worsened", "improved"]) & (frame["category"] != ALL)]
    # areas where a service opened or closed first: they explain the change
    moved = moved.assign(_moved=moved["services_in_change"].abs().fillna(0).astype(int)).sort_values(
        ["_moved", "name"], ascending=[False, True]
    )
    groups = moved.groupby(["class_change", "category"])["name"].agg(list).reset_index()
    groups["_n"] = groups["name"].map(len)
    groups = groups.assign(_o=(groups["class_change"] == "improved").astype(int)).sort_values(["_o", "_n"])
    groups = groups.sort_values(["_o", "_n"], ascending=[True, False])
    lines = []
    for row in groups.to_dict("records"):
        names = [str(n) for n in row["name"]]
        shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
        lines.append(
            t(
                "compare.slide.group",
                lang,
                category=_category(row["category"], lang),
                change=t(f"compare.class.{row['class_change']}", lang).lower(),
                count=len(names),
                names=shown,
            )
        )
    return summary, _capped(lines, lang)


def since_last_cycle_slide(deck: Deck, comparison: Comparison) -> None:
    """Add the "Depuis le dernier cycle" slide: services opened / closed / changed, class changes."""
    lang = deck.lang
    slide = deck.slide(
        t("compare.slide_title", lang),
        t("compare.slide_subtitle", lang, before=comparison.from_cycle, after=comparison.to_cycle),
    )
    half = (W - 3 * MARGIN) // 2
    deck.text(slide, t("compare.slide.services", lang), MARGIN, TOP, half, 400_000, size=18, bold=True, colour=NAVY)
    deck.bullets(slide, service_lines(comparison, lang), MARGIN, TOP + 450_000, half, 3_900_000, size=13)
    right = 2 * MARGIN + half
    deck.text(slide, t("compare.slide.areas", lang), right, TOP, half, 400_000, size=18, bold=True, colour=NAVY)
    summary, lines = area_lines(comparison, lang)
    deck.text(slide, summary, right, TOP + 450_000, half, 600_000, size=13, bold=True)
    deck.bullets(slide, lines, right, TOP + 1_100_000, half, 3_300_000, size=12)
    deck.text(slide, t("compare.slide.note", lang), MARGIN, TOP + 4_500_000, W - 2 * MARGIN, 400_000, size=11)


def changed_services_table(comparison: Comparison, lang: Lang = "fr") -> pd.DataFrame:
    """Services opened, closed or changed as a small labelled table (for the app and exports)."""
    services = comparison.services_changed
    columns = ["change", "org", "service", "category", "site", "municipality", "language", "mode"]
    headers = {c: t(f"compare.col.{c}", lang) for c in columns if c != "category"}
    headers["category"] = t("compare.col.category", lang)
    if services.empty:
        return pd.DataFrame(columns=[headers[c] for c in columns])

    def arrow(before: object, after: object, vocab: Vocabulary) -> str:
        labels = [vocab.label(v, lang) if isinstance(v, str) and v in vocab else "" for v in (before, after)]
        if labels[0] and labels[1] and labels[0] != labels[1]:
            return f"{labels[0]} → {labels[1]}"
        return labels[1] or labels[0]

    out = pd.DataFrame(
        {
            "change": services["change"].map(lambda c: t(f"compare.change.{c}", lang)),
            "org": services["org_name"],
            "service": services["service_name"],
            "category": services["category"].map(lambda c: _category(c, lang)),
            "site": services["site_name"],
            "municipality": services["municipality"],
            "language": [
                arrow(b, a, SERVICE_LANGUAGES)
                for b, a in zip(services["language_before"], services["language_after"], strict=True)
            ],
            "mode": [
                arrow(b, a, SERVICE_MODES) for b, a in zip(services["mode_before"], services["mode_after"], strict=True)
            ],
        }
    )
    return out.rename(columns=headers)


def class_change_colours() -> dict[str, str]:
    """Colour of each class change: the project palette's when it has them, else ours
    (blue / grey / orange, safe for colour-blind readers)."""
    try:
        from cartography import palette
    except ImportError:
        return dict(CLASS_CHANGE_COLOURS)
    found = getattr(palette, "CLASS_CHANGE_COLOURS", None)
    return {**CLASS_CHANGE_COLOURS, **found} if isinstance(found, dict) else dict(CLASS_CHANGE_COLOURS)


def _gap_class(code: object, lang: Lang) -> str:
    from cartography.vocabulary import GAP_CLASSES

    return GAP_CLASSES.label(code, lang) if isinstance(code, str) and code in GAP_CLASSES else MISSING


#: Marker of each service change on the map: colour and symbol (shape, not only colour).
SERVICE_MARKERS = {"added": ("#2166ac", "+"), "closed": ("#e66101", "×"), "changed": ("#555555", "~")}


def change_map(
    comparison: Comparison,
    *,
    level: str = "csd",
    category: str = ALL,
    regions: list[str] | None = None,
    municipalities: list[str] | None = None,
    lang: Lang = "fr",
    attribution: str = "",
    geometries: gpd.GeoSeries | None = None,
) -> folium.Map:
    """Map of class changes (improved / unchanged / worsened / not comparable) and changed services.

    Works without a basemap (boundaries only). ``geometries`` (from
    :func:`cartography.maps.display_geometries`) may be passed in when cached.
    """
    frame = comparison.changes[level]
    rows = filter_areas(frame[frame["category"] == category], regions, municipalities)
    if geometries is None:
        geometries = display_geometries(frame, level)
    colours = class_change_colours()
    shapes = _change_tooltips(rows, geometries, colours, lang)
    fmap = folium.Map(tiles=None, control_scale=True, zoom_control=True)
    fmap.options.update({"max_zoom": 18, "min_zoom": 6, "zoom_snap": 0.25})
    _add_class_changes(fmap, shapes, lang)
    _add_changed_services(fmap, comparison, category, regions, municipalities, lang)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if len(shapes):
        minx, miny, maxx, maxy = shapes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    else:
        fmap.location, fmap.options["zoom"] = [42.95, -81.2], 9
    page = page_of(fmap)
    page.html.add_child(_change_legend(comparison, colours, lang))
    if attribution:
        page.html.add_child(_corner(esc(attribution), "bottom:28px;left:8px;font-size:10px;max-width:45%"))
    if comparison.demo:
        page.html.add_child(
            _corner(esc(t("demo.label", lang).upper()), "top:10px;left:56px;font-weight:bold;color:#b00")
        )
    return fmap


#: The tooltip of an area on the map of class changes: its fields and what each is called.
CHANGE_FIELDS = {
    "_name": "compare.col.area",
    "_change": "compare.col.class_change",
    "_before": "compare.col.class_before",
    "_after": "compare.col.class_after",
    "_services": "compare.col.services_in",
    "_flags": "compare.col.flags",
}


def _change_tooltips(
    rows: pd.DataFrame, geometries: gpd.GeoSeries, colours: dict[str, str], lang: Lang
) -> gpd.GeoDataFrame:
    """The areas shown, in display coordinates, with their colour and tooltip values (escaped)."""
    shapes = gpd.GeoDataFrame(
        rows.drop(columns="geometry").reset_index(drop=True),
        geometry=np.asarray(geometries.reindex(rows["area_id"])),
        crs=CRS_DISPLAY,
    )
    return shapes.assign(
        _colour=shapes["class_change"].map(colours),
        _name=shapes["name"].map(esc),
        _change=shapes["class_change"].map(lambda c: esc(t(f"compare.class.{c}", lang))),
        _before=shapes["gap_class_before"].map(lambda c: esc(_gap_class(c, lang))),
        _after=shapes["gap_class_after"].map(lambda c: esc(_gap_class(c, lang))),
        _services=[
            f"{format_integer(b, lang)} → {format_integer(a, lang)}"
            for b, a in zip(shapes["services_in_before"], shapes["services_in_after"], strict=True)
        ],
        _flags=shapes["flags"].map(
            lambda f: esc(", ".join(t(f"compare.flag.{code}", lang) for code in str(f).split(";") if code))
        ),
    )


def _add_class_changes(fmap: folium.Map, shapes: gpd.GeoDataFrame, lang: Lang) -> None:
    """The areas in the colour of their class change; those not comparable with a dashed edge."""
    fields = list(CHANGE_FIELDS)
    aliases = [esc(t(key, lang)) for key in CHANGE_FIELDS.values()]
    data = json.loads(shapes[["area_id", *fields, "_colour", "class_change", "geometry"]].to_json(drop_id=True))
    folium.GeoJson(
        data,
        name=esc(t("compare.map_title", lang)),
        style_function=lambda f: {
            "fillColor": f["properties"]["_colour"],
            "color": "#222",
            "weight": 0.8 if f["properties"]["class_change"] != "not_comparable" else 2,
            "dashArray": "5 4" if f["properties"]["class_change"] == "not_comparable" else None,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(fmap)


def _add_changed_services(
    fmap: folium.Map,
    comparison: Comparison,
    category: str,
    regions: list[str] | None,
    municipalities: list[str] | None,
    lang: Lang,
) -> None:
    services = comparison.services_changed
    if services.empty:
        return
    shown = services[services.geometry.notna() & ~services.geometry.is_empty]
    if category != ALL:
        shown = shown[shown["category"] == category]
    if regions:
        shown = shown[shown["region"].isin(regions)]
    if municipalities:
        shown = shown[shown["csd"].isin(municipalities)]
    layer = folium.FeatureGroup(name=esc(t("compare.services_title", lang)))
    table = changed_services_table(comparison, lang).set_index(services.index)
    for index, row in shown.to_crs(CRS_DISPLAY).iterrows():
        colour, symbol = SERVICE_MARKERS.get(str(row["change"]), ("#555555", "•"))
        marker = folium.Marker(
            [row.geometry.y, row.geometry.x],
            icon=folium.DivIcon(
                html=f'<div style="background:{colour};color:white;border:2px solid white;border-radius:50%;'
                f"width:22px;height:22px;line-height:18px;text-align:center;font:bold 16px sans-serif;"
                f'box-shadow:0 0 3px #000">{symbol}</div>',
                icon_size=(22, 22),
                icon_anchor=(11, 11),
            ),
        )
        details = table.xs(index)
        markup = "<br>".join(f"<b>{esc(name)}</b> : {esc(value)}" for name, value in details.items() if str(value))
        popup(markup).add_to(marker)
        marker.add_to(layer)
    layer.add_to(fmap)


def _corner(markup: str, position: str) -> Element:
    return Element(
        f'<div class="carto-banner" style="position:fixed;z-index:9999;background:rgba(255,255,255,.9);'
        f'padding:4px 8px;border:1px solid #aaa;border-radius:3px;font:12px sans-serif;max-width:60%;{position}">'
        f"{markup}</div>"
    )


def _change_legend(comparison: Comparison, colours: dict[str, str], lang: Lang) -> Element:
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{colours[c]};'
        f"border:1px {'dashed' if c == 'not_comparable' else 'solid'} #333;margin-right:6px;"
        f'vertical-align:middle"></span>{esc(t(f"compare.class.{c}", lang))}</div>'
        for c in CLASS_CHANGES
    )
    marks = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;border-radius:50%;background:{colour};'
        f'color:white;text-align:center;font:bold 11px/14px sans-serif;margin-right:6px">{symbol}</span>'
        f"{esc(t(f'compare.change.{change}', lang))}</div>"
        for change, (colour, symbol) in SERVICE_MARKERS.items()
    )
    note = esc(t("compare.legend_note", lang, before=comparison.from_cycle, after=comparison.to_cycle))
    return Element(
        f'<div class="carto-legend" style="position:fixed;bottom:30px;right:12px;z-index:9999;background:white;'
        f'padding:8px 10px;border:1px solid #888;border-radius:4px;font:12px sans-serif;max-width:260px">'
        f"<b>{esc(t('compare.map_title', lang))}</b>{rows}<div style='margin-top:6px'></div>{marks}"
        f"<div style='margin-top:4px;color:#555'>{note}</div></div>"
    )


__all__ = [
    "area_lines",
    "change_map",
    "changed_services_table",
    "class_change_colours",
    "service_lines",
    "since_last_cycle_slide",
]
