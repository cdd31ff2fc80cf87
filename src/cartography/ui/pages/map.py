"""Gap map: the map first, what it shows in its title, its legend beside it, details below.

Built for a committee reading a projected screen at 1440×900: the filters live in the
sidebar so the map starts near the top; the legend sits in its own column beside the map
(never over the region); the details of an area are a table under the map, reachable by
clicking the area or with the keyboard (a list of the areas shown).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TypedDict

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.compilation import Compiled
from cartography.gaps import ALL
from cartography.i18n import Lang
from cartography.maps import (
    INDICATORS,
    METHOD_ANCHORS,
    area_details,
    filter_areas,
    gap_map,
    indicator_explanation,
    legend_html,
    localise_assets,
    map_legend,
    method_section,
)
from cartography.paths import project_root
from cartography.ui.plan_panel import plan_panel
from cartography.ui.state import (
    category_choice,
    compiled,
    cycle_picker,
    demo_banner,
    geography,
    guarded,
    kept_choice,
    lang,
    level_choice,
    map_geometries,
    multichoice,
    plain,
    region_and_municipality_filters,
    require,
    tr,
    with_accepted_names,
)
from cartography.vocabulary import SERVICE_LANGUAGES

#: Height of the map (pixels): with the banner and the title above it, the whole map and the
#: start of its legend fit a 1440×900 screen without scrolling.
MAP_HEIGHT = 540
METHOD_DOC = Path("docs") / "methodologie.md"


@dataclasses.dataclass(frozen=True)
class MapChoice:
    """What the reader chose in the sidebar; ``None`` filters mean everything."""

    cycle: str
    level: str
    category: str
    indicator: str
    regions: list[str] | None
    municipalities: list[str] | None
    languages: list[str] | None
    basemap: bool


class _MapOptions(TypedDict):
    """The arguments :func:`gap_map` and :func:`map_legend` share (the legend is that map's)."""

    level: str
    category: str
    indicator: str
    regions: list[str] | None
    municipalities: list[str] | None
    languages: list[str] | None
    lang: Lang


def _filters() -> MapChoice | None:
    """The map's choices, in the sidebar (the map itself starts near the top of the page)."""
    side = st.sidebar
    side.subheader(tr("mappage.filters"))
    with side:
        cycle = cycle_picker()
    if not cycle:
        return None
    indicator = kept_choice(
        tr("map.control.indicator"),
        INDICATORS,
        name="indicator",
        key="map_indicator",
        container=side,
        format_func=lambda c: tr(f"map.indicator.{c}"),
    )
    category = category_choice(side, "map_category")
    level = level_choice(side, "map_level")
    regions, municipalities = region_and_municipality_filters(side, side, "map")
    languages = multichoice(
        side,
        "map.control.languages",
        SERVICE_LANGUAGES.codes,
        lambda c: SERVICE_LANGUAGES.label(c, lang()),
        "map_languages",
        "languages",
    )
    basemap = side.toggle(tr("map.basemap"), value=False, key="map_basemap")
    return MapChoice(
        cycle=cycle,
        level=level,
        category=category,
        indicator=indicator,
        regions=regions or None,
        municipalities=municipalities or None,
        languages=languages or None,
        basemap=basemap,
    )


def _method_text(indicator: str) -> str | None:
    """The method document's paragraph on ``indicator`` (None when the document is absent)."""
    path = project_root() / METHOD_DOC
    if not path.exists():
        return None
    return method_section(path.read_text(encoding="utf-8"), indicator, lang())


def _explanation(indicator: str, params: dict[str, object] | None) -> None:
    """One line on what the indicator means, and the method's own paragraph in an expander."""
    st.markdown(plain(indicator_explanation(indicator, lang(), params)))
    anchor = METHOD_ANCHORS[indicator][lang()]
    title = tr(f"map.indicator.{indicator}")
    with st.expander(tr("mappage.method", section=title)):
        text = _method_text(indicator)
        if text is None:
            st.caption(tr("mappage.method_missing"))
        else:
            st.markdown(text, unsafe_allow_html=True)  # the project's own document (<sub> in formulas)
            st.caption(tr("mappage.method_where", section=f"#{anchor}"))


def _details(result: Compiled, choice: MapChoice, area_id: str | None) -> None:
    """The chosen area's indicators as a two-column table (no sideways scrolling)."""
    level, category = choice.level, choice.category
    gaps = result.layers[f"gaps_{level}"]
    shown = filter_areas(gaps[gaps["category"] == category], choice.regions, choice.municipalities)
    names = dict(zip(shown["area_id"].astype(str), shown["name"].astype(str), strict=True))
    options = ["", *sorted(names, key=lambda a: names[a].casefold())]
    clicked = st.session_state.get("map_clicked")
    if area_id and area_id != clicked:  # a new click on the map chooses that area in the list
        st.session_state["map_clicked"] = area_id
        st.session_state["map_area"] = area_id
    if st.session_state.get("map_area") not in options:
        st.session_state["map_area"] = ""
    chosen = st.selectbox(
        tr("mappage.area_select"),
        options,
        format_func=lambda a: names.get(a, "") if a else tr("mappage.area_none"),
        key="map_area",
    )
    if not chosen:
        st.caption(tr("map.click_hint"))
        return
    row = shown[shown["area_id"].astype(str) == chosen].iloc[0]
    clients = None
    if level == "csd":
        table = result.layers.get("clients_by_area")
        if table is not None and len(table):
            totals = table[table["profile"] == ALL].drop_duplicates("csd").set_index("csd")["clients_published"]
            clients = totals.get(chosen, 0)
        else:
            clients = 0
    pairs = area_details(row, lang(), clients)
    st.markdown(f"**{plain(names[chosen])}**")
    st.table(
        pd.DataFrame(
            {tr("map.detail.value"): [value for _, value in pairs]}, index=[name for name, _ in pairs]
        ).rename_axis(tr("map.detail.indicator"))
    )
    st.caption(tr("map.needs_note"))


@st.fragment
@guarded  # a fragment reruns on its own, outside the page's guard
def _map_view(choice: MapChoice) -> None:
    cycle = choice.cycle
    result = compiled(cycle)
    assert result is not None
    level, indicator = choice.level, choice.indicator
    options: _MapOptions = {
        "level": level,
        "category": choice.category,
        "indicator": indicator,
        "regions": choice.regions,
        "municipalities": choice.municipalities,
        "languages": choice.languages,
        "lang": lang(),
    }
    fmap = gap_map(
        result.layers,
        **options,
        demo=result.demo,
        basemap=choice.basemap,
        geometries=map_geometries(cycle, level),
        cycle=cycle,
        panel=False,  # the title and legend are drawn by the page, beside the map
    )
    localise_assets(fmap, inline_uri=True)  # no CDN: the assets travel with the map
    # What the map shows, on one line above it (a level-4 heading: fits 1440 px in one line).
    st.markdown(f"#### {plain(fmap.carto_title)}")
    left, right = st.columns([4, 1.35], gap="small")
    with left:
        clicked = st_folium(
            fmap,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            key="map-" + "-".join(str(v) for v in options.values()),
        )
    with right, st.container(height=MAP_HEIGHT, border=False):
        st.html(legend_html(map_legend(result.layers, **options)))
    st.caption(geography().attribution(lang()))
    method = result.metadata.get("method")  # the gap parameters the cycle was compiled with
    _explanation(indicator, method if isinstance(method, dict) else None)
    st.subheader(tr("mappage.details"), anchor=False)
    feature = (clicked or {}).get("last_active_drawing") or {}
    _details(result, choice, (feature.get("properties") or {}).get("area_id"))
    # Below the details: room for further panels about the same map (e.g. "Où ajouter un service ?").


def render() -> None:
    require()
    st.title(tr("nav.map"), anchor=False)
    choice = _filters()
    if choice is None:
        return
    result = compiled(choice.cycle)
    if result is None:
        st.info(tr("ui.nothing_validated"))
        return
    demo_banner(result.demo)
    _map_view(choice)
    if result.missing:  # under the map: who has not submitted yet
        missing = with_accepted_names(result.missing)
        st.caption(tr("compile.missing", names=", ".join(m["name"] for m in missing)))
    plan_panel(choice.cycle, result)  # « Où ajouter un service ? » (table and coordination)


render()
