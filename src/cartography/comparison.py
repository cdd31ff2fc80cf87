"""What changed between two compiled cycles ("Qu'est-ce qui a changé ?"). Pure: frames in, frames out.

The comparison reads only what a cycle *publishes* (its compiled gap, client and need
layers, whose client counts are already suppressed or randomly rounded), never the stored
answers' exact counts, so it can show nothing the two published cycles do not already show.
A change computed from a suppressed cell would reveal it (published 10 now, "+7" since last
year tells last year's 3), so any difference involving a suppressed value is itself left
empty.

An area is compared only when both cycles measured it the same way: if its demand (the
figure the accessibility indicators divide by) comes from another source, or its boundary
moved, the area is flagged in ``flags`` and its class change is ``not_comparable`` instead
of a change that would only reflect the method.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.arrays import IntegerArray

from cartography.gaps import ALL
from cartography.i18n import Lang, demo_label, t
from cartography.privacy import published_total
from cartography.vocabulary import GAP_CLASSES, SERVICE_CATEGORIES

LEVELS = ("region", "csd", "ct")
#: The class change of an area, best news first (catalogue keys ``compare.class.<code>``).
CLASS_CHANGES = ("improved", "unchanged", "worsened", "not_comparable")
#: Colour-blind-safe colours (blue / grey / orange, never red against green); used when no
#: project palette supplies them. "Not comparable" is white, drawn with a hatched outline.
CLASS_CHANGE_COLOURS = {
    "improved": "#2166ac",
    "unchanged": "#bababa",
    "worsened": "#e66101",
    "not_comparable": "#ffffff",
}
#: Indicators that do not depend on the demand figure: still compared when only the demand
#: source changed (a count of services or of reported needs means the same either way).
COUNT_INDICATORS = (
    "services_in",
    "services_itinerant",
    "services_virtual",
    "services_serving",
    "needs_reported",
    "needs_unmet",
)
#: Indicators computed from the demand (population-weighted or per resident).
DEMAND_INDICATORS = (
    "demand",
    "access_2sfca_per_10k",
    "access_e2sfca_per_10k",
    "nearest_km",
    "need_score",
    "gap_index",
)
INDICATORS = COUNT_INDICATORS + DEMAND_INDICATORS
#: A boundary counts as moved when the two polygons differ by more than this share of
#: their union's area (0.1 %: a redrawn tract or a generalised vs official boundary, not
#: the rounding of a coordinate).
BOUNDARY_TOLERANCE = 0.001
#: Flags (catalogue keys ``compare.flag.<code>``).
FLAGS = ("demand_source", "boundary", "area_new", "area_gone")
KEYS = ["level", "area_id", "category"]


@dataclass
class Comparison:
    """Two cycles compared: one layer per level, the services that changed, and metadata."""

    from_cycle: str
    to_cycle: str
    changes: dict[str, gpd.GeoDataFrame]
    services_changed: gpd.GeoDataFrame
    metadata: dict[str, object] = field(default_factory=dict)
    demo: bool = False


def class_rank() -> dict[str, int]:
    """Each gap class's rank: 1 for the worst ("no French service within reach"), upwards."""
    return {term.code: int(term.attrs["order"]) for term in GAP_CLASSES}


def class_change(before: pd.Series, after: pd.Series) -> pd.Series:
    """``improved`` / ``unchanged`` / ``worsened`` from the ordered gap classes.

    Classes are ordered as in :data:`cartography.vocabulary.GAP_CLASSES` (worst first); a
    move towards "covered" is an improvement. A class missing on either side (an area in
    one cycle only) is ``not_comparable``.
    """
    rank = class_rank()
    b = before.map(rank).astype("Float64")
    a = after.map(rank).astype("Float64").set_axis(b.index)
    out = pd.Series("not_comparable", index=b.index, dtype=object)
    known = (b.notna() & a.notna()).to_numpy(dtype=bool)
    diff = (a - b).to_numpy(dtype=float, na_value=np.nan)
    out[known & (diff > 0)] = "improved"
    out[known & (diff == 0)] = "unchanged"
    out[known & (diff < 0)] = "worsened"
    return out


def _int64(values: pd.Series) -> IntegerArray:
    """``values`` as a nullable integer array, positionally (the index is dropped).

    One place for the conversion because pandas-stubs lists no overload of ``pd.array`` that
    takes a Series with dtype ``Int64``, which pandas accepts at run time.
    """
    return pd.array(values, dtype="Int64")  # type: ignore[call-overload]


def protected_change(before: pd.Series, after: pd.Series) -> pd.Series:
    """``after - before`` of two published counts, empty (``<NA>``) when either is suppressed.

    Suppressed cells are ``<NA>`` in the compiled layers; subtracting around them would
    give the suppressed value back, so the difference is suppressed too.
    """
    b = pd.Series(_int64(before), index=before.index, dtype="Int64")
    a = pd.Series(_int64(after), index=before.index, dtype="Int64")
    return (a - b).astype("Int64")


def _boundary_moved(before: pd.Series, after: pd.Series) -> np.ndarray:
    """Whether each pair of polygons differs by more than :data:`BOUNDARY_TOLERANCE`.

    Takes plain series of geometries (empty where an area is missing), as a merge leaves them.
    """
    b = np.asarray(before, dtype=object)
    a = np.asarray(after, dtype=object)
    present = ~(pd.isna(b) | pd.isna(a))
    out = np.zeros(len(b), dtype=bool)
    if not present.any():
        return out
    bp, ap = b[present], a[present]
    exact = shapely.equals_exact(bp, ap, tolerance=0.0)
    moved = np.zeros(len(bp), dtype=bool)
    check = ~exact
    if check.any():
        union = shapely.area(shapely.union(bp[check], ap[check]))
        diff = shapely.area(shapely.symmetric_difference(bp[check], ap[check]))
        with np.errstate(invalid="ignore", divide="ignore"):
            moved[check] = np.where(union > 0, diff / union > BOUNDARY_TOLERANCE, diff > 0)
    out[present] = moved
    return out


def _clients_by_area(clients: pd.DataFrame | None) -> pd.DataFrame:
    """Published clients per municipality and per region (category ``all``).

    A municipality's figure is its published total (profile ``all``), a region's the sum of
    its municipalities' published cells (:func:`privacy.published_total`: suppressed when
    only suppressed cells make it up). An area with no row had no client reported: 0.
    """
    columns = ["level", "area_id", "clients"]
    if clients is None or clients.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(clients.drop(columns="geometry", errors="ignore"))
    cells = frame[frame["profile"] != ALL]
    totals = frame[frame["profile"] == ALL]
    csd = pd.DataFrame({"level": "csd", "area_id": totals["csd"].astype(str), "clients": totals["clients_published"]})
    region = (
        cells.groupby("region")["clients_published"]
        .apply(published_total)
        .rename("clients")
        .reset_index()
        .rename(columns={"region": "area_id"})
        .assign(level="region")
    )
    out = pd.concat([csd, region[columns]], ignore_index=True)
    out["clients"] = _int64(out["clients"])
    return out


def _needs_clients(needs: pd.DataFrame | None) -> pd.DataFrame:
    """Published clients concerned by reported needs, per area and category (and ``all``)."""
    columns = ["level", "area_id", "category", "needs_clients"]
    if needs is None or needs.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(needs.drop(columns="geometry", errors="ignore"))
    rows = frame[["level", "area_id", "category", "clients_published"]].rename(
        columns={"clients_published": "needs_clients"}
    )
    every = (
        rows.groupby(["level", "area_id"])["needs_clients"].apply(published_total).reset_index().assign(category=ALL)
    )
    out = pd.concat([rows, every[columns]], ignore_index=True)
    out["needs_clients"] = _int64(out["needs_clients"])
    return out


def _with_counts(gaps: pd.DataFrame, clients: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Gap rows with the published client and need-client counts of their area.

    An area without a row had nothing reported (0); a row with ``<NA>`` is suppressed and
    stays ``<NA>``. Clients are published by municipality and region for all categories
    together, needs by municipality and region: other rows get ``<NA>`` (not published).
    """
    out = gaps.merge(clients.assign(_client=True), on=["level", "area_id"], how="left")
    out = out.merge(needs.assign(_need=True), on=KEYS, how="left")
    ct = (out["level"] == "ct").to_numpy()
    for column, marker, unpublished in (
        ("clients", "_client", ct | (out["category"] != ALL).to_numpy()),
        ("needs_clients", "_need", ct),
    ):
        values = _int64(out[column])
        values[out[marker].isna().to_numpy()] = 0
        values[unpublished] = pd.NA
        out[column] = values
    return out.drop(columns=["_client", "_need"])


def compare_gaps(
    before: pd.DataFrame,
    after: pd.DataFrame,
    clients_before: pd.DataFrame | None = None,
    clients_after: pd.DataFrame | None = None,
    needs_before: pd.DataFrame | None = None,
    needs_after: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Per area and category: each indicator before, after and its change, and the class change.

    Parameters
    ----------
    before, after
        Published gap layers (``gaps_region``, ``gaps_csd`` or ``gaps_ct``, or several
        concatenated) of the two cycles: ``level``, ``area_id``, ``category``, ``name``,
        ``gap_class``, the indicators, ``demand_source``, ``demand_key`` and ``geometry``.
    clients_before, clients_after
        The cycles' ``clients_by_area`` layers (published counts; ``<NA>`` = suppressed).
    needs_before, needs_after
        The cycles' ``needs_by_area`` layers.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per (level, area, category) present in either cycle: ``<indicator>_before``,
        ``<indicator>_after``, ``<indicator>_change``; ``gap_class_before`` / ``_after``,
        ``class_change`` (:data:`CLASS_CHANGES`); ``clients_*`` and ``needs_clients_*``
        (published counts, change empty when a side is suppressed); ``flags`` (``;``-joined
        :data:`FLAGS`) and ``comparable``. The geometry is the newer cycle's.
    """
    b = _published_side(before, clients_before, needs_before)
    a = _published_side(after, clients_after, needs_after)
    merged = b.merge(a, on=KEYS, how="outer", suffixes=("_before", "_after"), indicator=True)
    in_before = merged["_merge"].isin(["both", "left_only"]).to_numpy()
    in_after = merged["_merge"].isin(["both", "right_only"]).to_numpy()
    demand_moved = in_before & in_after & _demand_moved(merged)
    moved = in_before & in_after & _boundary_moved(merged["geometry_before"], merged["geometry_after"])
    flags = _flags(demand_moved, moved, in_before, in_after)
    comparable = flags == ""
    out = _class_columns(merged, in_after, comparable)
    counts_ok = in_before & in_after & ~moved
    _add_indicator_changes(out, merged, counts_ok, counts_ok & ~demand_moved)
    _add_published_count_changes(out, merged, counts_ok)
    for name in ("demand_source", "demand_key"):
        out[f"{name}_before"] = merged[f"{name}_before"]
        out[f"{name}_after"] = merged[f"{name}_after"]
    out["flags"] = flags
    out["comparable"] = comparable
    geometry = merged["geometry_after"].where(in_after, merged["geometry_before"])
    crs = getattr(after, "crs", None) or getattr(before, "crs", None)
    result = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry.to_numpy(), crs=crs), crs=crs)
    order = {lv: i for i, lv in enumerate(LEVELS)}
    result = result.assign(_lv=result["level"].map(order), _all=result["category"] != ALL)
    return (
        result.sort_values(["_lv", "area_id", "_all", "category"]).drop(columns=["_lv", "_all"]).reset_index(drop=True)
    )


def _published_side(gaps: pd.DataFrame, clients: pd.DataFrame | None, needs: pd.DataFrame | None) -> pd.DataFrame:
    """One cycle's gap rows (the columns compared), with the published counts of their area."""
    keep = [*KEYS, "name", "region", "csd", "gap_class", *INDICATORS, "demand_source", "demand_key", "geometry"]
    part = pd.DataFrame(gaps[[c for c in keep if c in gaps.columns]]).copy()
    part["area_id"] = part["area_id"].astype(str)
    return _with_counts(part, _clients_by_area(clients), _needs_clients(needs))


def _demand_moved(merged: pd.DataFrame) -> np.ndarray:
    """Whether each area's demand comes from another source or characteristic in the newer cycle."""
    return (merged["demand_source_before"].astype(str) != merged["demand_source_after"].astype(str)).to_numpy() | (
        merged["demand_key_before"].astype(str) != merged["demand_key_after"].astype(str)
    ).to_numpy()


def _flags(demand_moved: np.ndarray, moved: np.ndarray, in_before: np.ndarray, in_after: np.ndarray) -> np.ndarray:
    """Each area's :data:`FLAGS`, ``;``-joined; empty for an area compared as it is."""
    flags = np.array([""] * len(moved), dtype=object)
    for code, mask in (
        ("demand_source", demand_moved),
        ("boundary", moved),
        ("area_new", ~in_before),
        ("area_gone", ~in_after),
    ):
        flags[mask] = np.where(flags[mask] == "", code, flags[mask] + ";" + code)
    return flags


def _class_columns(merged: pd.DataFrame, in_after: np.ndarray, comparable: np.ndarray) -> pd.DataFrame:
    """Each area's identity (the newer cycle's name and place) and its class before, after and change."""
    out = pd.DataFrame({name: merged[name] for name in KEYS})
    for name in ("name", "region", "csd"):
        out[name] = merged[f"{name}_after"].where(in_after, merged[f"{name}_before"])
    out["category_fr"] = out["category"].map(_category_label)
    out["gap_class_before"] = merged["gap_class_before"]
    out["gap_class_after"] = merged["gap_class_after"]
    change = class_change(merged["gap_class_before"], merged["gap_class_after"])
    out["class_change"] = change.where(comparable, "not_comparable")
    out["class_change_fr"] = out["class_change"].map(lambda c: t(f"compare.class.{c}", "fr"))
    return out


def _add_indicator_changes(out: pd.DataFrame, merged: pd.DataFrame, counts_ok: np.ndarray, all_ok: np.ndarray) -> None:
    """Each indicator before, after and its change, into ``out``.

    Counts change where the area kept its boundary (``counts_ok``), the demand-based
    indicators only where its demand kept its source too (``all_ok``); counts stay whole.
    """
    for name in INDICATORS:
        before_values = pd.to_numeric(merged[f"{name}_before"], errors="coerce").astype(float)
        after_values = pd.to_numeric(merged[f"{name}_after"], errors="coerce").astype(float)
        out[f"{name}_before"] = before_values
        out[f"{name}_after"] = after_values
        ok = counts_ok if name in COUNT_INDICATORS else all_ok
        diff = (after_values - before_values).where(ok)
        out[f"{name}_change"] = diff.round(6) if name not in COUNT_INDICATORS else diff
    for name in COUNT_INDICATORS:  # counts stay whole numbers (empty where not reported)
        for suffix in ("before", "after", "change"):
            out[f"{name}_{suffix}"] = _int64(out[f"{name}_{suffix}"].round())


def _add_published_count_changes(out: pd.DataFrame, merged: pd.DataFrame, counts_ok: np.ndarray) -> None:
    """Published client and need-client counts before and after, into ``out``; the change
    is empty where either side is suppressed (:func:`protected_change`) or the boundary moved."""
    for name in ("clients", "needs_clients"):
        out[f"{name}_before"] = _int64(merged[f"{name}_before"])
        out[f"{name}_after"] = _int64(merged[f"{name}_after"])
        diff = protected_change(out[f"{name}_before"], out[f"{name}_after"])
        out[f"{name}_change"] = diff.where(pd.Series(counts_ok, index=diff.index)).astype("Int64")


def _category_label(code: str, lang: Lang = "fr") -> str:
    if code == ALL:
        return t("compile.all_categories", lang)
    return SERVICE_CATEGORIES.label(code, lang) if code in SERVICE_CATEGORIES else str(code)


SERVICE_COLUMNS = [
    "org_id",
    "org_name",
    "site_code",
    "site_name",
    "service_code",
    "service_name",
    "category",
    "language",
    "mode",
    "french",
    "csd",
    "municipality",
    "region",
]


#: A service is recognised from one cycle to the next by its organisation, site and category.
SITE_KEYS = ["org_id", "site_code", "category"]
#: What a service is, without what may change about it (language, mode, French or not).
IDENTITY_COLUMNS = [c for c in SERVICE_COLUMNS if c not in ("language", "mode", "french")]
#: Columns of :func:`services_changed`, in order (its geometry besides).
CHANGED_COLUMNS = [
    "change",
    "language_changed",
    "mode_changed",
    *IDENTITY_COLUMNS,
    "category_fr",
    "language_before",
    "language_after",
    "mode_before",
    "mode_after",
    "french_before",
    "french_after",
    "change_fr",
]


def services_changed(before: pd.DataFrame, after: pd.DataFrame) -> gpd.GeoDataFrame:
    """Services added, closed, or whose language of service or mode changed, by organisation.

    A service is the same from one cycle to the next when its organisation, site and
    category codes are the same (a member may renumber its services; the place and the
    kind of service are what a user recognises). Where an organisation has several services
    of one category at one site, those with the same service code are paired first, then
    the rest in service-code order.

    Parameters
    ----------
    before, after
        One row per service (:data:`SERVICE_COLUMNS`, optional point ``geometry``; a
        virtual service without a site has an empty ``site_code``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``change`` (``added``, ``closed``, ``changed``), ``language_changed``,
        ``mode_changed``, the service's identity, ``language_before`` / ``_after``,
        ``mode_before`` / ``_after``, ``french_before`` / ``_after``; sorted by organisation.
    """
    b, a = _prepared_services(before), _prepared_services(after)
    pairs = _paired_services(b, a)
    rows = [
        *_changed_services(b, a, pairs),
        *_unpaired_services(b, pairs["_row_b"], "closed"),
        *_unpaired_services(a, pairs["_row_a"], "added"),
    ]
    frame = pd.DataFrame(rows)
    crs = getattr(after, "crs", None) or getattr(before, "crs", None)
    if frame.empty:
        return gpd.GeoDataFrame(pd.DataFrame(columns=CHANGED_COLUMNS), geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    frame["category_fr"] = frame["category"].map(_category_label)
    frame["change_fr"] = frame["change"].map(lambda c: t(f"compare.change.{c}", "fr"))
    order = {"added": 0, "closed": 1, "changed": 2}
    frame = frame.assign(_order=frame["change"].map(order)).sort_values(
        ["org_id", "_order", "category", "site_code", "service_code"]
    )
    geometry = gpd.GeoSeries(frame["geometry"].to_numpy(), crs=crs)
    return gpd.GeoDataFrame(frame[CHANGED_COLUMNS].reset_index(drop=True), geometry=geometry.to_numpy(), crs=crs)


def _prepared_services(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column of :data:`SERVICE_COLUMNS` present, in pairing order, each row numbered (``_row``)."""
    out = pd.DataFrame(frame).copy()
    if "geometry" not in out.columns:
        out["geometry"] = None
    for column in SERVICE_COLUMNS:
        if column not in out.columns:
            out[column] = "" if column != "french" else False
    out["site_code"] = out["site_code"].fillna("").astype(str)
    out = out.sort_values([*SITE_KEYS, "service_code"]).reset_index(drop=True)
    out["_row"] = np.arange(len(out))
    return out


def _paired_services(b: pd.DataFrame, a: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``b`` and ``a`` (``_row_b``, ``_row_a``) that are the same service.

    At one site and category, the same service code first, then the rest in order.
    """
    same_code = b.merge(a, on=[*SITE_KEYS, "service_code"], suffixes=("_b", "_a"))[["_row_b", "_row_a"]]
    rest_b = b[~b["_row"].isin(same_code["_row_b"])].copy()
    rest_a = a[~a["_row"].isin(same_code["_row_a"])].copy()
    rest_b["_rank"] = rest_b.groupby(SITE_KEYS).cumcount()
    rest_a["_rank"] = rest_a.groupby(SITE_KEYS).cumcount()
    by_rank = rest_b.merge(rest_a, on=[*SITE_KEYS, "_rank"], suffixes=("_b", "_a"))[["_row_b", "_row_a"]]
    return pd.concat([same_code, by_rank], ignore_index=True)


def _identity(row: pd.Series) -> dict[str, object]:
    """What a service is (:data:`IDENTITY_COLUMNS`) and where (its point)."""
    return {c: row[c] for c in IDENTITY_COLUMNS} | {"geometry": row["geometry"]}


def _changed_services(b: pd.DataFrame, a: pd.DataFrame, pairs: pd.DataFrame) -> list[dict[str, object]]:
    """Paired services whose language of service or mode changed, as the newer cycle names them."""
    rows: list[dict[str, object]] = []
    for rb, ra in pairs.itertuples(index=False):
        old, new = b.loc[rb], a.loc[ra]
        lang_changed = str(old["language"]) != str(new["language"])
        mode_changed = str(old["mode"]) != str(new["mode"])
        if lang_changed or mode_changed:
            rows.append(
                _identity(new)
                | {
                    "change": "changed",
                    "language_changed": lang_changed,
                    "mode_changed": mode_changed,
                    "language_before": old["language"],
                    "language_after": new["language"],
                    "mode_before": old["mode"],
                    "mode_after": new["mode"],
                    "french_before": bool(old["french"]),
                    "french_after": bool(new["french"]),
                }
            )
    return rows


def _unpaired_services(frame: pd.DataFrame, paired: pd.Series, change: str) -> list[dict[str, object]]:
    """Services of one cycle with no pair in the other: ``closed`` (before) or ``added`` (after)."""
    side = "before" if change == "closed" else "after"
    rows: list[dict[str, object]] = []
    for _, row in frame[~frame["_row"].isin(paired)].iterrows():
        entry = _identity(row) | {"change": change, "language_changed": False, "mode_changed": False}
        for name in ("language", "mode", "french"):
            entry[f"{name}_before"] = None
            entry[f"{name}_after"] = None
            entry[f"{name}_{side}"] = bool(row[name]) if name == "french" else row[name]
        rows.append(entry)
    return rows


def _geography(metadata: dict[str, object]) -> str:
    return f"{metadata.get('geography_source', '')} {metadata.get('geography_vintage', '')}".strip()


def compare_published(
    before_layers: dict[str, pd.DataFrame],
    after_layers: dict[str, pd.DataFrame],
    before_services: pd.DataFrame,
    after_services: pd.DataFrame,
    before_metadata: dict[str, object],
    after_metadata: dict[str, object],
    levels: tuple[str, ...] = LEVELS,
) -> Comparison:
    """Compare two compiled cycles' published layers at the chosen ``levels``.

    ``*_layers`` are :attr:`Compiled.layers` (``gaps_<level>``, ``clients_by_area``,
    ``needs_by_area``); ``*_services`` one row per service (see :func:`services_changed`);
    ``*_metadata`` the compiled metadata (cycle, compiled_at, demand, demand_sources, ...).
    """
    changes = {}
    for level in levels:
        changes[level] = compare_gaps(
            before_layers[f"gaps_{level}"],
            after_layers[f"gaps_{level}"],
            before_layers.get("clients_by_area"),
            after_layers.get("clients_by_area"),
            before_layers.get("needs_by_area"),
            after_layers.get("needs_by_area"),
        )
    services = services_changed(before_services, after_services)
    metadata = _comparison_metadata(before_metadata, after_metadata, levels, services)
    return Comparison(
        from_cycle=str(metadata["from_cycle"]),
        to_cycle=str(metadata["to_cycle"]),
        changes=changes,
        services_changed=services,
        metadata=metadata,
        demo=bool(metadata["demo_data"]),
    )


#: How a comparison was made, as its metadata says it (English: read by whoever opens the files).
METHOD_NOTES: dict[str, object] = {
    "class_change": "improved / unchanged / worsened: the gap class moved towards / stayed / moved away from "
    "'covered' in the order of class_order; not_comparable: the area is flagged",
    "flags": "demand_source: the area's demand comes from another source or characteristic; boundary: its "
    f"polygon moved by more than {BOUNDARY_TOLERANCE:.1%} of its area; area_new / area_gone: in one cycle only. "
    "Flagged areas keep their values but no class change; counts of services and needs are still compared "
    "when only the demand source changed",
    "services_matched_by": "organisation + site + category codes (then service code)",
    "privacy": "published (suppressed / randomly rounded) counts only; a change involving a suppressed "
    "count is suppressed (empty)",
}


def _comparison_metadata(
    before: dict[str, object], after: dict[str, object], levels: tuple[str, ...], services: pd.DataFrame
) -> dict[str, object]:
    """What the comparison says about itself: the two cycles' sources, the method, the counts
    of services that changed, and the demonstration label when either cycle is fictitious."""
    demo = bool(before.get("demo_data")) or bool(after.get("demo_data"))
    metadata: dict[str, object] = {
        "from_cycle": str(before.get("cycle", "")),
        "to_cycle": str(after.get("cycle", "")),
        "from_compiled_at": before.get("compiled_at", ""),
        "to_compiled_at": after.get("compiled_at", ""),
        "from_demand": before.get("demand", ""),
        "to_demand": after.get("demand", ""),
        "from_demand_sources": before.get("demand_sources", {}),
        "to_demand_sources": after.get("demand_sources", {}),
        "from_geography": _geography(before),
        "to_geography": _geography(after),
        "levels": list(levels),
        "class_order": [term.code for term in GAP_CLASSES],
        **METHOD_NOTES,
        "counts": {
            change: int((services["change"] == change).sum()) if len(services) else 0
            for change in ("added", "closed", "changed")
        },
        "demo_data": demo,
    }
    if demo:
        metadata["label"] = demo_label()
    return metadata


__all__ = [
    "CLASS_CHANGES",
    "CLASS_CHANGE_COLOURS",
    "FLAGS",
    "INDICATORS",
    "Comparison",
    "class_change",
    "compare_gaps",
    "compare_published",
    "protected_change",
    "services_changed",
]
