"""Explorer for planners: filter by region (county), municipality, category, stage, client profile and
language; tables, charts, and downloads of exactly what is filtered."""

from __future__ import annotations

import dataclasses
import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from cartography.compilation import Compiled
from cartography.gaps import ALL
from cartography.i18n import Lang
from cartography.numbers import format_integer, format_number
from cartography.services.files import export_bytes
from cartography.ui.state import (
    compiled_page,
    display_frame,
    keep_file,
    kept_choice,
    kept_file,
    lang,
    level_choice,
    multichoice,
    region_and_municipality_filters,
    tr,
)
from cartography.vocabulary import (
    CLIENT_PROFILES,
    CONTINUUM_STAGES,
    GAP_CLASSES,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    stage_of,
)


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the planner chose to see; an empty list means everything."""

    regions: list[str]
    municipalities: list[str]
    level: str
    stages: list[str]
    categories: list[str]
    profiles: list[str]
    languages: list[str]


def _filters() -> Filters:
    area = st.columns(3)
    regions, municipalities = region_and_municipality_filters(area[0], area[1], "ex")
    level = level_choice(area[2], "ex_level")
    kind = st.columns(4)
    stages = multichoice(
        kind[0], "explorer.stage", CONTINUUM_STAGES.codes, lambda c: CONTINUUM_STAGES.label(c, lang()), "ex_stages"
    )
    categories = [c for c in SERVICE_CATEGORIES.codes if not stages or stage_of(c) in stages]
    chosen = multichoice(
        kind[1],
        "map.control.category",
        categories,
        lambda c: SERVICE_CATEGORIES.label(c, lang()),
        "ex_categories",
        "categories",
    )
    profiles = multichoice(
        kind[2], "explorer.profile", CLIENT_PROFILES.codes, lambda c: CLIENT_PROFILES.label(c, lang()), "ex_profiles"
    )
    languages = multichoice(
        kind[3],
        "map.control.languages",
        SERVICE_LANGUAGES.codes,
        lambda c: SERVICE_LANGUAGES.label(c, lang()),
        "ex_languages",
        "languages",
    )
    return Filters(
        regions=regions,
        municipalities=municipalities,
        level=level,
        stages=stages,
        categories=chosen or (categories if stages else []),
        profiles=profiles,
        languages=languages,
    )


def _where(frame: pd.DataFrame, f: Filters, *, category: bool = True, area: bool = True) -> pd.DataFrame:
    out = frame
    if area and f.regions and "region" in out.columns:
        out = out[out["region"].isin(f.regions)]
    if area and f.municipalities and "csd" in out.columns:
        out = out[out["csd"].isin(f.municipalities)]
    if category and f.categories and "category" in out.columns:
        out = out[out["category"].isin(f.categories)]
    return out


def filtered_layers(layers: dict[str, pd.DataFrame], f: Filters) -> dict[str, pd.DataFrame]:
    """Every layer restricted to the filters (the downloads are exactly these)."""
    gaps = layers[f"gaps_{f.level}"]
    gaps = gaps[gaps["category"].isin(f.categories)] if f.categories else gaps[gaps["category"] == ALL]
    points = _where(layers["service_points"], f)
    if f.languages:
        points = points[points["language"].isin(f.languages)]
    clients = _where(layers["clients_by_area"], f, category=False)
    if f.profiles:
        clients = clients[clients["profile"].isin(f.profiles)]
    needs = layers["needs_by_area"]
    needs = _where(needs, f)
    return {
        f"gaps_{f.level}": _where(gaps, f, category=False),
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


def for_reading(frame: pd.DataFrame, language: Lang) -> pd.DataFrame:
    """A copy whose measures are written for a reader in ``language`` (0,54; 7 583).

    Counts are whole; each measure keeps :data:`READING_DIGITS` decimals; missing values
    show as a dash. Only for the screen: the downloads are the unformatted layers.
    """
    out = frame.copy()
    for column in out.columns:
        if column in COUNTS:
            out[column] = [format_integer(v, language) for v in out[column]]
        elif column in READING_DIGITS:
            digits = READING_DIGITS[column]
            out[column] = [format_number(v, language, digits) for v in out[column]]
    return out


def bar_chart(
    values: pd.Series, *, title: str, value_title: str, label_title: str, language: Lang, digits: int
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


#: The columns each tab shows, in order.
GAP_COLUMNS = ["gap_class", "gap_index", "name", "category", "demand", "services_in", "services_itinerant",
               "services_virtual", "access_e2sfca_per_10k", "nearest_km", "needs_unmet"]  # fmt: skip
SERVICE_COLUMNS = ["org_name", "service_name", "category", "stage", "language", "mode", "site_name", "municipality",
                   "region", "capacity", "precision"]  # fmt: skip
CLIENT_COLUMNS = ["municipality", "region", "profile", "clients_published"]
NEED_COLUMNS = [
    "name",
    "category",
    "needs_reported",
    "needs_unmet",
    "needs_partly_met",
    "clients_published",
    "comments",
]


def _table(frame: pd.DataFrame, columns: list[str]) -> None:
    """One filtered layer as a table: its ``columns``, labelled for the screen."""
    st.dataframe(display_frame(frame, columns), hide_index=True, width="stretch")


def _needs_chart(needs: pd.DataFrame) -> None:
    """Unmet needs by category, when any need is reported."""
    if not len(needs):
        return
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


def _download_section(result: Compiled, layers: dict[str, pd.DataFrame], f: Filters) -> None:
    """Exactly what is filtered, in the chosen format; prepared on request, for this account only."""
    st.subheader(tr("explorer.download"))
    cols = st.columns([1, 1, 2])
    formats = ["csv", "geojson", "gpkg", "xlsx"]
    fmt = kept_choice(tr("explorer.format"), formats, name="ex_format", key="ex_format", container=cols[0])
    # The prepared file is kept under a key made of the cycle, format, language and filters:
    # change any of them and the file made for the old ones is no longer offered (ADMIN-FORM).
    chosen = dataclasses.asdict(f)
    spec = repr((result.cycle, fmt, lang(), sorted((k, repr(v)) for k, v in chosen.items())))
    key = "ex_file:" + hashlib.sha256(spec.encode()).hexdigest()[:16]
    for old in [k for k in st.session_state if str(k).startswith("ex_file") and k != key]:
        del st.session_state[old]
    if cols[1].button(tr("explorer.prepare"), key="ex_prepare"):
        subset = dataclasses.replace(result, layers=layers)
        one = f.categories[0] if len(f.categories) == 1 else None  # named in the file name
        data, name = export_bytes(
            subset, fmt, regions=f.regions, municipalities=f.municipalities, category=one, lang=lang()
        )
        keep_file(key, data, name)
    prepared = kept_file(key)  # only the account that prepared it, with these filters and format
    if prepared is not None:
        data, name = prepared
        cols[2].download_button(tr("explorer.download_file", name=name), data=data, file_name=name)


def render() -> None:
    opened = compiled_page("nav.explorer")
    if opened is None:
        return
    _, result = opened
    f = _filters()
    layers = filtered_layers(result.layers, f)
    gaps = layers[f"gaps_{f.level}"]
    tabs = st.tabs(
        [tr("explorer.tab.gaps"), tr("explorer.tab.services"), tr("explorer.tab.clients"), tr("explorer.tab.needs")]
    )
    with tabs[0]:
        st.caption(tr("appfr.table_sorted"))
        _table(for_reading(sort_gaps(gaps), lang()), GAP_COLUMNS)
        _gap_chart(gaps)
    with tabs[1]:
        _table(layers["service_points"], SERVICE_COLUMNS)
    with tabs[2]:
        st.caption(tr("explorer.protected"))
        _table(layers["clients_by_area"], CLIENT_COLUMNS)
    with tabs[3]:
        st.caption(tr("map.needs_note"))
        _table(layers["needs_by_area"], NEED_COLUMNS)
        _needs_chart(layers["needs_by_area"])
    _download_section(result, layers, f)


render()
