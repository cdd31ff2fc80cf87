"""Qu'est-ce qui a changé ? Two cycles compared: a map of class changes and tables of what changed.

For the table and the coordinator. Only published results are compared (both cycles are
compiled with the usual privacy protection), so the page shows nothing the two cycles'
own pages do not.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.compare_slides import change_map, changed_services_table
from cartography.comparison import Comparison
from cartography.gaps import ALL
from cartography.i18n import t
from cartography.maps import localise_assets
from cartography.numbers import as_float, format_integer, format_number
from cartography.services.compile import service_counts
from cartography.services.files import changes_bytes, compare_compiled
from cartography.services.workspace import default_url
from cartography.ui.state import (
    category_choice,
    compiled,
    demo_banner,
    geography,
    guarded,
    keep_file,
    kept_file,
    lang,
    level_choice,
    map_geometries,
    region_and_municipality_filters,
    require,
    store,
    tr,
)
from cartography.vocabulary import GAP_CLASSES, SERVICE_CATEGORIES

_CACHE = "cmp_cache"


def _comparison(before: str, after: str) -> Comparison:
    """The comparison of two cycles, kept for the session until the store changes."""
    key = (default_url(), before, after, store().revision())
    cached = st.session_state.get(_CACHE)
    if isinstance(cached, tuple) and cached[0] == key:
        return cached[1]
    old, new = compiled(before), compiled(after)
    assert old is not None and new is not None  # only cycles with validated submissions are offered
    comparison = compare_compiled(old, new, geography())
    st.session_state[_CACHE] = (key, comparison)
    return comparison


def _summary(comparison: Comparison, level: str) -> str:
    counts = comparison.changes[level]["class_change"].value_counts()
    services = service_counts(comparison)
    return tr(
        "compare.summary",
        added=services["added"],
        closed=services["closed"],
        changed=services["changed"],
        improved=int(counts.get("improved", 0)),
        worsened=int(counts.get("worsened", 0)),
        flagged=int(counts.get("not_comparable", 0)),
    )


def _areas_table(rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """What changed by area, labelled for the screen (numbers in the reader's format)."""
    language = lang()

    def integer(value: float | None) -> str:
        return format_integer(value, language) if pd.notna(value) else "—"

    def signed(value: float | None, digits: int = 2) -> str:
        if pd.isna(value):
            return "—"
        text = format_number(value, language, digits) if digits else format_integer(value, language)
        return f"+{text}" if as_float(value) > 0 else text

    table = {
        t("compare.col.area", language): rows["name"],
        t("compare.col.category", language): rows["category"].map(
            lambda c: tr("map.all_categories") if c == ALL else SERVICE_CATEGORIES.label(c, language)
        ),
        t("compare.col.class_before", language): rows["gap_class_before"].map(
            lambda c: GAP_CLASSES.label(c, language) if isinstance(c, str) else "—"
        ),
        t("compare.col.class_after", language): rows["gap_class_after"].map(
            lambda c: GAP_CLASSES.label(c, language) if isinstance(c, str) else "—"
        ),
        t("compare.col.class_change", language): rows["class_change"].map(lambda c: t(f"compare.class.{c}", language)),
        t("compare.col.services_before", language): rows["services_serving_before"].map(integer),
        t("compare.col.services_after", language): rows["services_serving_after"].map(integer),
        t("compare.col.access_change", language): rows["access_e2sfca_per_10k_change"].map(signed),
        t("compare.col.nearest_change", language): rows["nearest_km_change"].map(lambda v: signed(v, 1)),
    }
    if level != "ct":  # needs and clients are reported by municipality or region
        table[t("compare.col.needs_unmet_before", language)] = rows["needs_unmet_before"].map(integer)
        table[t("compare.col.needs_unmet_after", language)] = rows["needs_unmet_after"].map(integer)
    if level != "ct" and (rows["category"] == ALL).any():
        suppressed = t("safety.map.suppressed", language)
        table[t("compare.col.clients_before", language)] = rows["clients_before"].map(
            lambda v: suppressed if pd.isna(v) else integer(v)
        )
        table[t("compare.col.clients_after", language)] = rows["clients_after"].map(
            lambda v: suppressed if pd.isna(v) else integer(v)
        )
        table[t("compare.col.clients_change", language)] = rows["clients_change"].map(lambda v: signed(v, 0))
    table[t("compare.col.flags", language)] = rows["flags"].map(
        lambda f: ", ".join(t(f"compare.flag.{code}", language) for code in str(f).split(";") if code)
    )
    return pd.DataFrame(table)


@st.fragment
@guarded  # a fragment reruns on its own, outside the page's guard
def _view(before: str, after: str) -> None:
    comparison = _comparison(before, after)
    controls = st.columns(4)
    level = level_choice(controls[0], "cmp_level")
    category = category_choice(controls[1], "cmp_category")
    regions, municipalities = region_and_municipality_filters(controls[2], controls[3], "cmp")
    st.markdown(f"**{_summary(comparison, level)}**")
    fmap = change_map(
        comparison,
        level=level,
        category=category,
        regions=regions or None,
        municipalities=municipalities or None,
        lang=lang(),
        attribution=geography().attribution(lang()),
        geometries=map_geometries(after, level),
    )
    localise_assets(fmap, inline_uri=True)  # no CDN: the assets travel with the map
    st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key=f"cmp-{level}-{category}")
    _services_section(comparison)
    _areas_section(comparison, level, category, regions, municipalities)
    _download(comparison)


def _services_section(comparison: Comparison) -> None:
    """Services opened, closed or changed between the two cycles."""
    st.subheader(tr("compare.services_title"))
    services = changed_services_table(comparison, lang())
    if services.empty:
        st.info(tr("compare.no_service_change"))
    else:
        st.dataframe(services, hide_index=True, width="stretch")


def _areas_section(
    comparison: Comparison, level: str, category: str, regions: list[str], municipalities: list[str]
) -> None:
    """What changed by area (only the changed ones unless asked), and the areas not comparable."""
    st.subheader(tr("compare.areas_title"))
    frame = comparison.changes[level]
    rows = frame[frame["category"] == category]
    if regions:
        rows = rows[rows["region"].isin(regions)]
    if municipalities and level != "region":
        rows = rows[rows["csd"].isin(municipalities)]
    if st.toggle(tr("compare.only_changed"), value=True, key="cmp_only_changed"):
        rows = rows[rows["class_change"] != "unchanged"]
    if rows.empty:
        st.info(tr("compare.no_area_change"))
    else:
        st.dataframe(_areas_table(rows, level), hide_index=True, width="stretch")
    flagged = frame.loc[~frame["comparable"].astype(bool), "name"].dropna().astype(str).unique()
    if len(flagged):
        st.warning(tr("compare.flagged_note", names=", ".join(sorted(flagged))))
    st.caption(tr("compare.privacy_note"))
    st.caption(tr("map.needs_note"))


def _download(comparison: Comparison) -> None:
    """``changes.gpkg``, prepared on request and offered only to the account that asked."""
    if st.button(tr("compare.download"), key="cmp_prepare"):
        keep_file("cmp_file", *changes_bytes(comparison))
    prepared = kept_file("cmp_file")  # only the account that prepared it gets it
    if prepared is not None:
        data, name = prepared
        st.download_button(tr("explorer.download_file", name=name), data=data, file_name=name, key="cmp_download")


def render() -> None:
    require("planner", "coordinator")
    st.title(tr("compare.nav"))
    st.write(tr("compare.intro"))
    ready = [c.code for c in store().cycles() if store().validated(c.code)]
    if len(ready) < 2:
        st.info(tr("compare.need_two"))
        return
    left, right = st.columns(2)
    # The newest cycle against the one before it, by default.
    if st.session_state.get("cmp_to") not in ready:
        st.session_state["cmp_to"] = ready[-1]
    if st.session_state.get("cmp_from") not in ready:
        st.session_state["cmp_from"] = ready[-2]
    before = left.selectbox(tr("compare.from"), ready, key="cmp_from")
    after = right.selectbox(tr("compare.to"), ready, key="cmp_to")
    if before == after:
        st.warning(tr("compare.same"))
        return
    demo_banner(any(result is not None and result.demo for result in (compiled(before), compiled(after))))
    _view(before, after)
    st.caption(geography().attribution(lang()))


render()
