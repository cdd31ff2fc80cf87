"""Explorer for planners: filter by region (county), municipality, category, stage, client profile and
language; tables, charts, and downloads of exactly what is filtered."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from cartography.gaps import ALL
from cartography.io.exports import export_bytes
from cartography.ui.state import (
    compiled_page,
    display_frame,
    keep_file,
    kept_file,
    lang,
    multichoice,
    region_and_municipality_filters,
    tr,
)
from cartography.vocabulary import (
    AREA_LEVELS,
    CLIENT_PROFILES,
    CONTINUUM_STAGES,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    stage_of,
)


def _filters() -> dict[str, list[str] | str]:
    cols = st.columns(3)
    regions, municipalities = region_and_municipality_filters(cols[0], cols[1], "ex")
    level = cols[2].selectbox(
        tr("map.control.level"),
        AREA_LEVELS.codes,
        index=1,
        format_func=lambda c: AREA_LEVELS.label(c, lang()),
        key="ex_level",
    )
    cols = st.columns(4)
    stages = multichoice(
        cols[0], "explorer.stage", CONTINUUM_STAGES.codes, lambda c: CONTINUUM_STAGES.label(c, lang()), "ex_stages"
    )
    categories = [c for c in SERVICE_CATEGORIES.codes if not stages or stage_of(c) in stages]
    chosen = multichoice(
        cols[1], "map.control.category", categories, lambda c: SERVICE_CATEGORIES.label(c, lang()), "ex_categories"
    )
    profiles = multichoice(
        cols[2], "explorer.profile", CLIENT_PROFILES.codes, lambda c: CLIENT_PROFILES.label(c, lang()), "ex_profiles"
    )
    languages = multichoice(
        cols[3],
        "map.control.languages",
        SERVICE_LANGUAGES.codes,
        lambda c: SERVICE_LANGUAGES.label(c, lang()),
        "ex_languages",
    )
    return {
        "regions": regions,
        "municipalities": municipalities,
        "level": level,
        "stages": stages,
        "categories": chosen or (categories if stages else []),
        "profiles": profiles,
        "languages": languages,
    }


def _where(frame: pd.DataFrame, f: dict, *, category: bool = True, area: bool = True) -> pd.DataFrame:
    out = frame
    if area and f["regions"] and "region" in out.columns:
        out = out[out["region"].isin(f["regions"])]
    if area and f["municipalities"] and "csd" in out.columns:
        out = out[out["csd"].isin(f["municipalities"])]
    if category and f["categories"] and "category" in out.columns:
        out = out[out["category"].isin(f["categories"])]
    return out


def filtered_layers(layers: dict[str, pd.DataFrame], f: dict) -> dict[str, pd.DataFrame]:
    """Every layer restricted to the filters (the downloads are exactly these)."""
    gaps = layers[f"gaps_{f['level']}"]
    gaps = gaps[gaps["category"].isin(f["categories"])] if f["categories"] else gaps[gaps["category"] == ALL]
    points = _where(layers["service_points"], f)
    if f["languages"]:
        points = points[points["language"].isin(f["languages"])]
    clients = _where(layers["clients_by_area"], f, category=False)
    if f["profiles"]:
        clients = clients[clients["profile"].isin(f["profiles"])]
    needs = layers["needs_by_area"]
    needs = _where(needs, f)
    return {
        f"gaps_{f['level']}": _where(gaps, f, category=False),
        "service_points": points,
        "clients_by_area": clients,
        "needs_by_area": needs,
        "service_areas": _where(layers["service_areas"], f),
    }


def render() -> None:
    opened = compiled_page("nav.explorer")
    if opened is None:
        return
    _, result = opened
    f = _filters()
    layers = filtered_layers(result.layers, f)
    gaps = layers[f"gaps_{f['level']}"]
    tabs = st.tabs(
        [tr("explorer.tab.gaps"), tr("explorer.tab.services"), tr("explorer.tab.clients"), tr("explorer.tab.needs")]
    )
    with tabs[0]:
        columns = [
            "name",
            "category",
            "demand",
            "services_in",
            "services_itinerant",
            "services_virtual",
            "access_e2sfca_per_10k",
            "nearest_km",
            "needs_unmet",
            "gap_index",
            "gap_class",
        ]
        st.dataframe(display_frame(gaps, columns), hide_index=True, width="stretch")
        chart = gaps.groupby("name")["gap_index"].mean().sort_values(ascending=False).head(20)
        st.bar_chart(chart, horizontal=True, y_label="", x_label=tr("map.field.index"))
    with tabs[1]:
        st.dataframe(
            display_frame(
                layers["service_points"],
                [
                    "org_name",
                    "service_name",
                    "category",
                    "stage",
                    "language",
                    "mode",
                    "site_name",
                    "municipality",
                    "region",
                    "capacity",
                    "precision",
                ],
            ),
            hide_index=True,
            width="stretch",
        )
    with tabs[2]:
        st.caption(tr("explorer.protected"))
        st.dataframe(
            display_frame(layers["clients_by_area"], ["municipality", "region", "profile", "clients_published"]),
            hide_index=True,
            width="stretch",
        )
    with tabs[3]:
        st.caption(tr("map.needs_note"))
        needs = layers["needs_by_area"]
        st.dataframe(
            display_frame(
                needs,
                [
                    "name",
                    "category",
                    "needs_reported",
                    "needs_unmet",
                    "needs_partly_met",
                    "clients_published",
                    "comments",
                ],
            ),
            hide_index=True,
            width="stretch",
        )
        if len(needs):
            labels = needs["category"].map(lambda c: SERVICE_CATEGORIES.label(c, lang()))
            by_category = needs.groupby(labels)["needs_unmet"].sum().sort_values()
            st.bar_chart(by_category, horizontal=True, y_label="", x_label=tr("map.field.needs"))
    st.subheader(tr("explorer.download"))
    cols = st.columns([1, 1, 2])
    fmt = cols[0].selectbox(tr("explorer.format"), ["csv", "geojson", "gpkg", "xlsx"], key="ex_format")
    if cols[1].button(tr("explorer.prepare"), key="ex_prepare"):
        subset = dataclasses.replace(result, layers=layers)
        keep_file("ex_file", *export_bytes(subset, fmt))
    prepared = kept_file("ex_file")  # only the account that prepared it gets it
    if prepared is not None:
        data, name = prepared
        cols[2].download_button(tr("explorer.download_file", name=name), data=data, file_name=name)


render()
