"""Gap map: the chosen indicator by region, municipality or census tract; click an area for details."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.gaps import ALL
from cartography.io.compile import POP_2021, demand_label
from cartography.maps import INDICATORS, gap_map, localise_assets
from cartography.ui.state import (
    compiled,
    compiled_page,
    geography,
    guarded,
    lang,
    map_geometries,
    multichoice,
    plain,
    region_and_municipality_filters,
    tr,
    with_accepted_names,
)
from cartography.vocabulary import AREA_LEVELS, GAP_CLASSES, SERVICE_CATEGORIES, SERVICE_LANGUAGES


def _details(row: pd.Series) -> None:
    st.markdown(f"### {plain(row['name'])}")
    st.markdown(f"**{plain(GAP_CLASSES.label(row['gap_class'], lang()))}**")
    numbers = {
        tr("map.field.index"): f"{row['gap_index']:.2f}",
        tr("map.field.access"): f"{row['access_e2sfca_per_10k']:.2f}"
        if pd.notna(row["access_e2sfca_per_10k"])
        else "—",
        tr("map.indicator.access_2sfca_per_10k"): f"{row['access_2sfca_per_10k']:.2f}"
        if pd.notna(row["access_2sfca_per_10k"])
        else "—",
        tr("map.field.nearest"): f"{row['nearest_km']:.1f}" if pd.notna(row["nearest_km"]) else "—",
        tr("map.detail.in"): int(row["services_in"]),
        tr("map.detail.itinerant"): int(row["services_itinerant"]),
        tr("map.detail.virtual"): int(row["services_virtual"]),
        tr("map.field.needs_reported"): "—" if pd.isna(row["needs_reported"]) else int(row["needs_reported"]),
        tr("map.field.needs"): "—" if pd.isna(row["needs_unmet"]) else int(row["needs_unmet"]),
        # The demand is what the compile used (population or an imported characteristic); a
        # reserve Statistics Canada did not enumerate has no figure, which is not zero.
        demand_label(str(row.get("demand_key", POP_2021)), lang(), "field"): (
            f"{row['demand']:,.0f}".replace(",", "\u202f" if lang() == "fr" else ",")
            if pd.notna(row["demand"])
            else tr("demand.not_enumerated")
        ),
    }
    st.dataframe(
        pd.DataFrame(
            {tr("map.detail.indicator"): list(numbers), tr("map.detail.value"): [str(v) for v in numbers.values()]}
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(tr("map.needs_note"))


@st.fragment
@guarded  # a fragment reruns on its own, outside the page's guard
def _map_view(cycle: str) -> None:
    result = compiled(cycle)
    assert result is not None
    names = {term.code: term.label(lang()) for term in SERVICE_CATEGORIES}
    controls = st.columns(4)
    level = controls[0].selectbox(
        tr("map.control.level"),
        AREA_LEVELS.codes,
        index=1,
        format_func=lambda c: AREA_LEVELS.label(c, lang()),
        key="map_level",
    )
    category = controls[1].selectbox(
        tr("map.control.category"),
        [ALL, *SERVICE_CATEGORIES.codes],
        format_func=lambda c: tr("map.all_categories") if c == ALL else names[c],
        key="map_category",
    )
    indicator = controls[2].selectbox(
        tr("map.control.indicator"), INDICATORS, format_func=lambda c: tr(f"map.indicator.{c}"), key="map_indicator"
    )
    more = st.columns([2, 2, 1])
    regions, municipalities = region_and_municipality_filters(controls[3], more[0], "map")
    languages = multichoice(
        more[1],
        "map.control.languages",
        SERVICE_LANGUAGES.codes,
        lambda c: SERVICE_LANGUAGES.label(c, lang()),
        "map_languages",
    )
    basemap = more[2].toggle(tr("map.basemap"), value=False, key="map_basemap")
    fmap = gap_map(
        result.layers,
        level=level,
        category=category,
        indicator=indicator,
        regions=regions or None,
        municipalities=municipalities or None,
        languages=languages or None,
        lang=lang(),
        demo=result.demo,
        attribution=geography().attribution(lang()),
        basemap=basemap,
        geometries=map_geometries(cycle, level),
    )
    localise_assets(fmap, inline_uri=True)  # no CDN: the assets travel with the map
    left, right = st.columns([3, 1])
    with left:
        clicked = st_folium(
            fmap,
            height=640,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            key=f"map-{level}-{category}-{indicator}",
        )
    with right:
        feature = (clicked or {}).get("last_active_drawing") or {}
        area_id = (feature.get("properties") or {}).get("area_id")
        gaps = result.layers[f"gaps_{level}"]
        match = gaps[(gaps["area_id"] == area_id) & (gaps["category"] == category)]
        if match.empty:
            st.info(tr("map.click_hint"))
        else:
            _details(match.iloc[0])


def render() -> None:
    opened = compiled_page("nav.map")
    if opened is None:
        return
    cycle, result = opened
    if result.missing:
        missing = with_accepted_names(result.missing)
        st.caption(tr("compile.missing", names=", ".join(m["name"] for m in missing)))
    _map_view(cycle)
    st.caption(geography().attribution(lang()))


render()
