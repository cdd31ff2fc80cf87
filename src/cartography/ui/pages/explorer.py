"""Explorer for planners: filter by region (county), municipality, category, stage, client profile and
language; tables, charts, and downloads of exactly what is filtered."""

from __future__ import annotations

import dataclasses
import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from cartography.gaps import ALL
from cartography.numbers import format_integer, format_number
from cartography.services.files import export_bytes
from cartography.ui.state import (
    choose,
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
    GAP_CLASSES,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    stage_of,
)


def _filters() -> dict[str, list[str] | str]:
    cols = st.columns(3)
    regions, municipalities = region_and_municipality_filters(cols[0], cols[1], "ex")
    level = choose(
        tr("map.control.level"),
        AREA_LEVELS.codes,
        container=cols[2],
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


#: How many digits each measure keeps on screen (downloads keep every digit).
READING_DIGITS = {"gap_index": 2, "access_e2sfca_per_10k": 1, "access_2sfca_per_10k": 1, "nearest_km": 1}
#: Counts: whole numbers on screen.
COUNTS = ("demand", "services_in", "services_itinerant", "services_virtual", "services_serving", "needs_unmet",
          "needs_reported", "needs_partly_met")  # fmt: skip
#: The chart shows at most this many areas (the largest gaps); the caption says so.
CHART_AREAS = 20


def sort_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Gap rows, the largest gap first: by class (vocabulary order, worst first), then index.

    A planner reads the table from the top for where French service is missing; the class
    order is the vocabulary's (from "no French service within reach" to "covered"), so a
    class added there sorts where it was put. Returns a sorted copy.
    """
    rank = {code: position for position, code in enumerate(GAP_CLASSES.codes)}
    keys = pd.DataFrame(
        {
            "rank": gaps["gap_class"].map(rank).fillna(len(rank)) if "gap_class" in gaps else 0,
            "index": -pd.to_numeric(gaps["gap_index"], errors="coerce").fillna(-1) if "gap_index" in gaps else 0,
            "name": gaps["name"].astype(str) if "name" in gaps else "",
        },
        index=gaps.index,
    )
    order = keys.sort_values(["rank", "index", "name"], kind="stable").index
    return gaps.loc[order]


def for_reading(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """A copy whose measures are written for a reader in ``language`` (0,54; 7 583).

    Counts are whole; each measure keeps :data:`READING_DIGITS` decimals; missing values
    show as a dash. Only for the screen: the downloads are the unformatted layers.
    """
    out = frame.copy()
    for column in out.columns:
        if column in COUNTS:
            out[column] = [format_integer(v, language) for v in out[column]]  # type: ignore[arg-type]
        elif column in READING_DIGITS:
            digits = READING_DIGITS[column]
            out[column] = [format_number(v, language, digits) for v in out[column]]  # type: ignore[arg-type]
    return out


def bar_chart(
    values: pd.Series, *, title: str, value_title: str, label_title: str, language: str, digits: int
) -> alt.Chart:
    """Horizontal bars sorted by value (largest on top), titled, with a numeric axis title.

    Axis labels and tooltips follow ``language``'s number format (Vega writes ``0.5``; in
    French the label expression swaps in the decimal comma and thin-space thousands).
    """
    data = pd.DataFrame({"label": values.index.astype(str), "value": values.to_numpy(dtype=float)})
    data["shown"] = [
        format_number(round(float(v), digits) if digits else round(float(v)), language, digits) for v in data["value"]
    ]
    spec = f".{digits}f" if digits else ",d"
    label = f"format(datum.value, '{spec}')"
    if language == "fr":
        label = f"replace(replace(replace({label}, ',', ' '), '.', ','), ' ', '\u202f')"
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(labelExpr=label)),
            # no axis title on the labels: the chart's title names them, and a title there
            # overlaps long names ("Chippewas of the Thames First Nation 42")
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            tooltip=[alt.Tooltip("label:N", title=label_title), alt.Tooltip("shown:N", title=value_title)],
        )
        .properties(height=alt.Step(22))
    )


def _gap_chart(gaps: pd.DataFrame) -> None:
    """The areas with the largest mean gap index, and how many of them the chart shows."""
    means = gaps.groupby("name")["gap_index"].mean().dropna().sort_values(ascending=False)
    if means.empty:
        return
    shown = means.head(CHART_AREAS)
    st.altair_chart(
        bar_chart(
            shown,
            title=tr("appfr.chart.gap_title"),
            value_title=tr("appfr.chart.gap_axis"),
            label_title=tr("appfr.chart.area"),
            language=lang(),
            digits=2,
        ),
        width="stretch",
    )
    if len(means) > len(shown):
        st.caption(tr("appfr.chart.first_n", shown=len(shown), total=len(means)))
    else:
        st.caption(tr("appfr.chart.all_n", total=len(means)))


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
            "gap_class",
            "gap_index",
            "name",
            "category",
            "demand",
            "services_in",
            "services_itinerant",
            "services_virtual",
            "access_e2sfca_per_10k",
            "nearest_km",
            "needs_unmet",
        ]
        ordered = sort_gaps(gaps)
        st.caption(tr("appfr.table_sorted"))
        st.dataframe(display_frame(for_reading(ordered, lang()), columns), hide_index=True, width="stretch")
        _gap_chart(gaps)
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
            by_category = needs.groupby(labels)["needs_unmet"].sum()
            st.altair_chart(
                bar_chart(
                    by_category,
                    title=tr("appfr.chart.needs_title"),
                    value_title=tr("appfr.chart.needs_axis"),
                    label_title=tr("appfr.chart.category"),
                    language=lang(),
                    digits=0,
                ),
                width="stretch",
            )
    st.subheader(tr("explorer.download"))
    cols = st.columns([1, 1, 2])
    fmt = choose(tr("explorer.format"), ["csv", "geojson", "gpkg", "xlsx"], container=cols[0], key="ex_format")
    # The prepared file is kept under a key made of the cycle, format, language and filters:
    # change any of them and the file made for the old ones is no longer offered (ADMIN-FORM).
    spec = repr((result.cycle, fmt, lang(), sorted((k, repr(v)) for k, v in f.items())))
    key = "ex_file:" + hashlib.sha256(spec.encode()).hexdigest()[:16]
    for old in [k for k in st.session_state if str(k).startswith("ex_file") and k != key]:
        del st.session_state[old]
    if cols[1].button(tr("explorer.prepare"), key="ex_prepare"):
        subset = dataclasses.replace(result, layers=layers)
        one = f["categories"][0] if len(f["categories"]) == 1 else None  # named in the file name
        data, name = export_bytes(
            subset, fmt, regions=f["regions"], municipalities=f["municipalities"], category=one, lang=lang()
        )
        keep_file(key, data, name)
    prepared = kept_file(key)  # only the account that prepared it, with these filters and format
    if prepared is not None:
        data, name = prepared
        cols[2].download_button(tr("explorer.download_file", name=name), data=data, file_name=name)


render()
