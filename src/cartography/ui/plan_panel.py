"""« Où ajouter un service ? » — the site recommendation panel of the map page.

For the table and the coordination (coordinator and planner accounts): pick a category and a
number of new sites K, see the recommended sites ranked on a map with the demand each adds,
and download the layers (``plan.gpkg``). The computation is :func:`cartography.services.files.plan_cycle`
(PySAL spopt MCLP with the category's existing French services fixed open); this module only
asks and shows. The last answer is kept in the session, keyed by everything it depends on, so
a rerun of the page never solves again.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.compilation import Compiled, demand_label
from cartography.errors import UserError
from cartography.escaping import html_text as esc
from cartography.geography import CRS_DISPLAY
from cartography.i18n import Lang, t
from cartography.maps import localise_assets, tooltip
from cartography.numbers import as_float, as_int, format_integer, format_number, format_percent
from cartography.services.files import (
    MAX_NEW_SITES,
    Plan,
    compiled_radius_km,
    plan_bytes,
    plan_cycle,
    plan_summary,
    radius_text,
    site_label,
)
from cartography.ui.state import error_text, geography, guarded, kept_category, lang, map_geometries, store, tr, user
from cartography.vocabulary import SERVICE_CATEGORIES

#: Who sees the panel: the table's planners and the coordinator, not members.
ROLES = ("coordinator", "planner")
#: Colours of the map (the same words as the legend below it).
COVERED = "#8c8c8c"
NEWLY = "#1a9850"
OUT_OF_REACH = "#d95f02"
EXISTING = "#1f4e79"
RECOMMENDED = "#b00000"
DEFAULT_K = 3
SHOWN_K = 10  # the panel offers up to this many; the command line goes to MAX_NEW_SITES
ZOOM = 9  # the four counties in a 520-pixel-high map


def _state_key(cycle: str, category: str, k: int, radius_km: float) -> tuple[object, ...]:
    return (cycle, store().revision(), category, k, round(radius_km, 3))


def _plan_map(plan: Plan, cycle: str, language: Lang) -> folium.Map:
    """Municipalities, demand points by coverage, existing services, recommended sites by rank."""
    points = plan.layers["demand_points"].to_crs(CRS_DISPLAY)
    fmap = _base_map(points, cycle, language)
    people = demand_label(plan.demand_key, language, "people")
    _demand_layer(points, people, language).add_to(fmap)
    _add_existing(fmap, plan.layers["existing_services"].to_crs(CRS_DISPLAY), language)
    _add_recommended(fmap, plan, people, language)
    localise_assets(fmap, inline_uri=True)  # no CDN: the assets travel with the map
    return fmap


def _base_map(points: gpd.GeoDataFrame, cycle: str, language: Lang) -> folium.Map:
    """The map centred on the region's demand points, with the municipalities' outlines."""
    # The region's centre, given at construction (folium ignores a location set afterwards).
    minx, miny, maxx, maxy = points.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=ZOOM,
        zoom_snap=0.25,
        tiles=None,
        control_scale=True,
        zoom_control=True,
    )
    outlines = gpd.GeoDataFrame(geometry=map_geometries(cycle, "csd").reset_index(drop=True))
    folium.GeoJson(
        outlines,
        name=esc(t("plan.col.municipality", language)),
        style_function=lambda _: {"color": "#777777", "weight": 0.8, "fillColor": "#f4f4f4", "fillOpacity": 0.6},
    ).add_to(fmap)
    return fmap


def _demand_layer(points: gpd.GeoDataFrame, people: str, language: Lang) -> folium.FeatureGroup:
    """Demand points sized by demand and coloured by coverage (covered, newly covered, out of reach)."""
    demand = points["demand"].fillna(0.0)
    scale = float(demand.max()) or 1.0
    newly = points["covered_after"] & ~points["covered_before"]
    colour = pd.Series(OUT_OF_REACH, index=points.index).where(~points["covered_after"], COVERED).where(~newly, NEWLY)
    places = [
        f"{municipality} {ct}".strip() for municipality, ct in zip(points["municipality"], points["ct"], strict=True)
    ]
    group = folium.FeatureGroup(name=esc(t("plan.legend.uncovered", language)))
    for x, y, place, fill, weight in zip(points.geometry.x, points.geometry.y, places, colour, demand, strict=True):
        label = f"{place} : {format_integer(weight, language)} {people}"
        folium.CircleMarker(
            location=[y, x],
            radius=2.5 + 7.5 * (float(weight) / scale) ** 0.5,
            color=fill,
            weight=1,
            fill=True,
            fill_color=fill,
            fill_opacity=0.7,
        ).add_child(tooltip(esc(label))).add_to(group)
    return group


def _add_existing(fmap: folium.Map, existing: gpd.GeoDataFrame, language: Lang) -> None:
    """The category's existing French services, as squares."""
    names = zip(existing["org_name"], existing["site_name"], strict=True)
    for x, y, (org_name, site_name) in zip(existing.geometry.x, existing.geometry.y, names, strict=True):
        folium.Marker(  # a square in core Leaflet (no plugin to fetch)
            [y, x],
            icon=folium.DivIcon(
                html=f'<div style="background:{EXISTING};border:2px solid #fff;width:14px;height:14px"></div>',
                icon_size=(14, 14),
                icon_anchor=(7, 7),
            ),
        ).add_child(tooltip(esc(f"{t('plan.legend.existing', language)} — {org_name} — {site_name}"))).add_to(fmap)


def _add_recommended(fmap: folium.Map, plan: Plan, people: str, language: Lang) -> None:
    """The recommended sites: their rank in a red disc, and the coverage radius around them."""
    radius_m = as_float(plan.metadata["radius_m"])
    recommended = plan.layers["recommended"].to_crs(CRS_DISPLAY)
    for (_, row), x, y in zip(recommended.iterrows(), recommended.geometry.x, recommended.geometry.y, strict=True):
        where = [y, x]
        rank = as_int(row["rank"])
        text = t(
            "plan.tooltip.site",
            language,
            rank=rank,
            name=site_label(row, language),
            municipality=row["municipality"],
            added=format_integer(row["demand_newly_covered"], language),
            people=people,
        )
        folium.Circle(where, radius=radius_m, color=RECOMMENDED, weight=1, dash_array="6 6", fill=False).add_to(fmap)
        folium.Marker(
            where,
            icon=folium.DivIcon(
                html=(
                    f'<div style="background:{RECOMMENDED};color:#fff;border:2px solid #fff;border-radius:50%;'
                    "width:26px;height:26px;line-height:22px;text-align:center;font-weight:bold;"
                    f'font-family:Arial,sans-serif;font-size:14px">{rank}</div>'
                ),
                icon_size=(26, 26),
                icon_anchor=(13, 13),
            ),
        ).add_child(tooltip(esc(text))).add_to(fmap)


def _table(plan: Plan, language: Lang) -> pd.DataFrame:
    """The recommended sites for a table cell (plain text: ``t``, not ``tr``)."""
    rows = plan.layers["recommended"]
    return pd.DataFrame(
        {
            t("plan.col.rank", language): rows["rank"].astype(int).to_numpy(),
            t("plan.col.name", language): [site_label(r, language) for _, r in rows.iterrows()],
            t("plan.col.kind", language): [t(f"plan.kind.{k}", language) for k in rows["kind"]],
            t("plan.col.municipality", language): rows["municipality"].to_numpy(),
            t("plan.col.added", language): [format_integer(v, language) for v in rows["demand_newly_covered"]],
            t("plan.col.cumulative", language): [format_integer(v, language) for v in rows["cumulative_covered"]],
            t("plan.col.share", language): [format_percent(v, language, 1) for v in rows["share_of_uncovered"]],
        }
    )


def _keep_category(codes: list[str]) -> None:
    """Set the panel's category before its box is drawn: the planner's last choice, kept across pages.

    A box in a form takes no callback, and its own value is dropped while the map page is not
    shown: the choice is kept under ``plan_chosen`` after each run and written back to the box
    on the next. It follows the one category chosen for the map when that choice
    changes, and otherwise stays what the planner chose here.
    """
    shown = kept_category(codes)
    chosen = st.session_state.get("plan_category", st.session_state.get("plan_chosen"))  # the box's, if drawn
    if chosen not in codes or (shown is not None and shown != st.session_state.get("plan_followed")):
        chosen = shown or codes[0]
    st.session_state["plan_followed"] = shown
    st.session_state["plan_category"] = chosen


@st.fragment
@guarded  # a fragment reruns on its own, outside the page's guard
def plan_panel(cycle: str, result: Compiled) -> None:
    """The panel, for coordinator and planner accounts only (nothing for members)."""
    current = user()
    if current is None or current.get("role") not in ROLES:
        return
    language = lang()
    st.divider()
    st.subheader(tr("plan.title"))
    default_radius = compiled_radius_km(result)
    codes = list(SERVICE_CATEGORIES.codes)
    _keep_category(codes)
    with st.form("plan_form"):
        cols = st.columns([3, 1, 1])
        category = cols[0].selectbox(
            tr("plan.control.category"),
            codes,
            format_func=lambda c: SERVICE_CATEGORIES.label(c, language),
            key="plan_category",
        )
        k = int(
            cols[1].number_input(
                tr("plan.control.k"), min_value=0, max_value=min(SHOWN_K, MAX_NEW_SITES), value=DEFAULT_K, step=1
            )
        )
        radius_km = float(
            cols[2].number_input(
                tr("plan.control.radius"), min_value=1.0, max_value=200.0, value=default_radius, step=5.0, format="%.1f"
            )
        )
        asked = st.form_submit_button(tr("plan.control.run"), type="primary")
    st.session_state["plan_chosen"] = category
    st.caption(tr("plan.intro", k=k, radius=radius_text(radius_km, language)))
    key = _state_key(cycle, category, k, radius_km)
    kept = st.session_state.get("plan_result")
    if asked:
        try:
            with st.spinner(tr("plan.control.run")):
                plan = plan_cycle(result, geography(), category, k, radius_km)
        except UserError as error:
            st.error(error_text(error))
            return
        st.session_state["plan_result"] = (key, plan)
    elif kept is None or kept[0] != key:
        return
    else:
        plan = kept[1]
    _show(plan, cycle, language)


def _show(plan: Plan, cycle: str, language: Lang) -> None:
    for line in plan_summary(plan, language):
        st.markdown(line)  # catalogue text with numbers and category labels only
    st_folium(
        _plan_map(plan, cycle, language),
        height=520,
        use_container_width=True,
        returned_objects=[],
        key=f"plan-map-{plan.category}-{plan.solution.requested}-{plan.metadata['radius_km']}",
    )
    st.markdown(
        f":red[●] {tr('plan.legend.recommended')}  ·  :blue[■] {tr('plan.legend.existing')}  ·  "
        f":green[●] {tr('plan.legend.newly')}  ·  :orange[●] {tr('plan.legend.uncovered')}  ·  "
        f":gray[●] {tr('plan.legend.covered')}"
    )
    if not plan.layers["recommended"].empty:
        st.dataframe(_table(plan, language), hide_index=True, width="stretch")
    data, name = plan_bytes(plan)
    st.download_button(tr("plan.download"), data=data, file_name=name, mime="application/geopackage+sqlite3")
    demand_words = demand_label(plan.demand_key, language, "name")
    st.caption(tr("plan.note", crs=str(plan.metadata["distance_crs"]), demand=demand_words))
    st.caption(
        tr(
            "plan.solver",
            solver=str(plan.metadata["solver"]),
            seconds=format_number(plan.solution.solve_seconds, language, 2),
        )
    )


__all__ = ["plan_panel"]
