"""Comparison between cycles ("Qu'est-ce qui a changé ?") on the two fictitious demo cycles.

Known answers come from data/demo/demo.toml's second cycle (2020-2021), read by hand:
CCFL opens a needs-assessment desk in Woodstock (site S3) and a housing service at its London
office (S1); the health centre opens a clinic in Woodstock (C3); Viamonde closes the region's
only early-childhood programme (V3S at site V1, London); the City's counter (M2 at H1) goes
from interpretation only to French on request. Before, Oxford had no in-person French
needs-assessment or health service and the region no French housing service at all.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from cartography.comparison import class_change, compare_gaps, protected_change, services_changed
from cartography.gaps import ALL

BEFORE, AFTER = "2019-2020", "2020-2021"
WOODSTOCK, LONDON, CENTRAL_ELGIN = "3532042", "3539036", "3534020"


@pytest.fixture(scope="module")
def compiled_pair(demo_store, geography):
    from cartography.services.compile import compile_cycle

    return compile_cycle(demo_store, geography, BEFORE), compile_cycle(demo_store, geography, AFTER)


@pytest.fixture(scope="module")
def comparison(compiled_pair, geography):
    from cartography.cycle_comparison import compare_compiled

    return compare_compiled(*compiled_pair, geography)


def _row(frame: pd.DataFrame, area_id: str, category: str) -> pd.Series:
    match = frame[(frame["area_id"] == area_id) & (frame["category"] == category)]
    assert len(match) == 1, (area_id, category)
    return match.iloc[0]


# -- the demo's second cycle -----------------------------------------------------------------


def test_demo_has_two_fictitious_cycles(demo_store, compiled_pair) -> None:
    from cartography.services.demo import demo_answers, demo_cycles

    cycles = demo_cycles(demo_answers())
    assert [code for code, _ in cycles] == [BEFORE, AFTER]
    assert [c.code for c in demo_store.cycles()] == [BEFORE, AFTER]  # the app opens on the newest
    assert len(demo_store.validated(BEFORE)) == len(demo_store.validated(AFTER)) == 9
    before, after = compiled_pair
    assert before.demo and after.demo
    assert "Données fictives" in str(after.metadata["label"]) and "Fictitious" in str(after.metadata["label"])
    answers = dict(cycles)
    viamonde = next(o for o in answers[AFTER] if o["org_id"] == "viamonde")
    assert "V3S" not in {s["service_code"] for s in viamonde["services"]}
    first = next(o for o in answers[BEFORE] if o["org_id"] == "viamonde")
    assert "V3S" in {s["service_code"] for s in first["services"]}  # the first cycle is untouched


def test_demo_if_empty_completes_an_older_demo_store(tmp_path: Path, gazetteer, monkeypatch) -> None:
    """A demo store loaded before the second cycle existed gets it, without new versions of the first."""
    from cartography.io.store import Store
    from cartography.services.demo import demo_answers, load_demo

    answers = demo_answers()
    one_cycle = tmp_path / "one.toml"
    source = Path(__file__).resolve().parents[1] / "data" / "demo" / "demo.toml"
    one_cycle.write_text(source.read_text(encoding="utf-8").split("[[next_cycle]]")[0], encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'old-demo.sqlite'}")
    load_demo(store, gazetteer, tmp_path / "wb", source=one_cycle)
    assert [c.code for c in store.cycles()] == [BEFORE]
    added = load_demo(store, gazetteer, tmp_path / "wb", only_missing=True)
    assert {s.cycle for s in added} == {AFTER} and len(added) == len(answers["organisation"])
    assert {s.version for s in store.submissions(BEFORE)} == {1}  # nothing resubmitted
    assert load_demo(store, gazetteer, tmp_path / "wb", only_missing=True) == []
    # `cartography demo` on a loaded store: the same answers again change nothing and are no error
    again = load_demo(store, gazetteer, tmp_path / "wb")
    assert {s.version for s in again} == {1} and all(s.status == "validated" for s in again)
    assert len(again) == 2 * len(answers["organisation"]) and len(store.submissions()) == len(again)
    store.dispose()


# -- services opened, closed, changed --------------------------------------------------------


def test_services_changed_are_the_demo_changes(comparison) -> None:
    services = comparison.services_changed
    found = {(r.change, r.org_id, r.site_code, r.category) for r in services.itertuples()}
    assert found == {
        ("added", "ccfl", "S3", "needs_assessment"),
        ("added", "ccfl", "S1", "housing"),
        ("added", "sante-fr", "C3", "health"),
        ("closed", "viamonde", "V1", "early_childhood"),
        ("changed", "lmlip", "H1", "information_orientation"),
    }
    changed = services[services["change"] == "changed"].iloc[0]
    assert (changed["language_before"], changed["language_after"]) == ("fr_interpretation", "fr_on_request")
    assert bool(changed["language_changed"]) and not bool(changed["mode_changed"])
    assert not changed["french_before"] and changed["french_after"]
    woodstock = services[services["site_code"].isin(["S3", "C3"])]
    assert set(woodstock["municipality"]) == {"Woodstock"} and set(woodstock["region"]) == {"oxford"}
    assert comparison.metadata["counts"] == {"added": 3, "closed": 1, "changed": 1}


def test_services_are_matched_by_organisation_site_and_category() -> None:
    base = {"org_id": "o", "org_name": "O", "site_name": "", "service_name": "x", "french": True}
    before = pd.DataFrame(
        [
            {**base, "site_code": "S1", "category": "health", "service_code": "H1", "language": "fr_active",
             "mode": "in_person"},
            {**base, "site_code": "S1", "category": "health", "service_code": "H2", "language": "fr_active",
             "mode": "in_person"},
            {**base, "site_code": "", "category": "reception", "service_code": "R", "language": "fr_active",
             "mode": "virtual"},
        ]
    )
    after = pd.DataFrame(
        [
            # renumbered but same organisation, site and category: the same service, its mode changed
            {**base, "site_code": "S1", "category": "health", "service_code": "Z9", "language": "fr_active",
             "mode": "itinerant"},
            {**base, "site_code": "S1", "category": "health", "service_code": "H2", "language": "fr_active",
             "mode": "in_person"},
            {**base, "site_code": "S2", "category": "health", "service_code": "H1", "language": "fr_active",
             "mode": "in_person"},
        ]
    )
    out = services_changed(before, after)
    found = {(r.change, r.site_code, r.category, bool(r.mode_changed)) for r in out.itertuples()}
    assert found == {
        ("changed", "S1", "health", True),  # H1 -> Z9 at the same site: mode in_person -> itinerant
        ("added", "S2", "health", False),  # another site is another service
        ("closed", "", "reception", False),  # a virtual service without a site closes too
    }


# -- class changes at every level ------------------------------------------------------------


def test_class_change_follows_the_gap_class_order() -> None:
    before = pd.Series(["no_service", "far", "covered", "unmet_need", "far", None])
    after = pd.Series(["far", "far", "low_capacity", "covered", None, "covered"])
    assert class_change(before, after).tolist() == [
        "improved",
        "unchanged",
        "worsened",
        "improved",
        "not_comparable",
        "not_comparable",
    ]


def test_region_level_shows_openings_and_closure(comparison) -> None:
    region = comparison.changes["region"]
    for category in ("needs_assessment", "health"):  # Oxford had none; one opened in Woodstock
        row = _row(region, "oxford", category)
        assert (row["services_in_before"], row["services_in_after"]) == (0, 1)
        assert row["gap_class_before"] == "far" and row["class_change"] == "improved"
        assert (row["needs_unmet_before"], row["needs_unmet_after"]) == (1, 0)  # the need is now met
    housing = _row(region, "london", "housing")
    assert (housing["services_in_before"], housing["services_in_after"]) == (0, 1)
    assert housing["gap_class_before"] == "no_service" and housing["class_change"] == "improved"
    early = _row(region, "london", "early_childhood")
    assert (early["services_in_before"], early["services_in_after"]) == (1, 0)
    assert (early["gap_class_before"], early["gap_class_after"]) == ("covered", "no_service")
    assert early["class_change"] == "worsened" and early["services_in_change"] == -1
    # the region's only early-childhood service closed: no area has one within reach any more
    assert set(region.loc[region["category"] == "early_childhood", "gap_class_after"]) == {"no_service"}


def test_municipal_level_shows_openings_and_closure(comparison) -> None:
    csd = comparison.changes["csd"]
    for category in ("needs_assessment", "health"):
        row = _row(csd, WOODSTOCK, category)
        assert (row["services_in_before"], row["services_in_after"]) == (0, 1)
        assert (row["gap_class_before"], row["class_change"]) == ("no_service", "improved")
        assert row["nearest_km_after"] < row["nearest_km_before"]
    housing = _row(csd, LONDON, "housing")
    assert (housing["gap_class_before"], housing["class_change"]) == ("no_service", "improved")
    early = _row(csd, LONDON, "early_childhood")
    assert (early["gap_class_before"], early["gap_class_after"], early["class_change"]) == (
        "covered",
        "no_service",
        "worsened",
    )
    assert set(csd.loc[csd["category"] == "early_childhood", "gap_class_after"]) == {"no_service"}
    # the City's counter now counts as a French service in London
    info = _row(csd, LONDON, "information_orientation")
    assert (info["services_in_before"], info["services_in_after"]) == (1, 2)
    assert len(csd) == 28 * 17  # 28 municipalities x (16 categories + all)


def test_tract_level_shows_opening_and_closure(comparison, compiled_pair) -> None:
    ct = comparison.changes["ct"]
    points = compiled_pair[1].layers["service_points"]
    office = points[(points["org_id"] == "ccfl") & (points["service_code"] == "A9")].iloc[0]
    assert office["ct"]  # CCFL's London office lies in a census tract
    housing = _row(ct, office["ct"], "housing")
    assert (housing["services_in_before"], housing["services_in_after"]) == (0, 1)
    assert (housing["gap_class_before"], housing["class_change"]) == ("no_service", "improved")
    closed = points.iloc[0:0]
    before_points = compiled_pair[0].layers["service_points"]
    closed = before_points[(before_points["org_id"] == "viamonde") & (before_points["service_code"] == "V3S")].iloc[0]
    early = _row(ct, closed["ct"], "early_childhood")
    assert (early["services_in_before"], early["services_in_after"]) == (1, 0)
    assert early["class_change"] == "worsened"
    early_all = ct[ct["category"] == "early_childhood"]
    assert set(early_all["gap_class_after"]) == {"no_service"}
    assert (early_all["class_change"] == "worsened").sum() == (early_all["gap_class_before"] != "no_service").sum()
    assert ct["needs_unmet_change"].isna().all()  # needs are not reported by tract


# -- privacy ---------------------------------------------------------------------------------


def test_protected_change_is_empty_when_a_side_is_suppressed() -> None:
    before = pd.Series([10, pd.NA, 5, pd.NA, 0], dtype="Int64")
    after = pd.Series([15, 10, pd.NA, pd.NA, 5], dtype="Int64")
    assert protected_change(before, after).tolist() == [5, pd.NA, pd.NA, pd.NA, 5]


def test_suppressed_cells_give_no_published_difference(comparison) -> None:
    csd = comparison.changes["csd"]
    # Central Elgin: 2 clients reported in 2019-2020 (suppressed), 6 in 2020-2021 (published)
    elgin = _row(csd, CENTRAL_ELGIN, ALL)
    assert pd.isna(elgin["clients_before"]) and not pd.isna(elgin["clients_after"])
    assert elgin["clients_after"] % 5 == 0 and pd.isna(elgin["clients_change"])
    for frame in comparison.changes.values():
        for name in ("clients", "needs_clients"):
            either = frame[f"{name}_before"].isna() | frame[f"{name}_after"].isna()
            assert frame.loc[either, f"{name}_change"].isna().all()
            published = frame[f"{name}_after"].dropna()
            assert not published.between(1, 4).any() and (published % 5 == 0).all()
    # the written file carries no difference that a suppressed cell could be read back from
    woodstock = _row(csd, WOODSTOCK, ALL)
    assert woodstock["clients_change"] == woodstock["clients_after"] - woodstock["clients_before"]


def test_clients_compare_published_values_only(comparison, compiled_pair) -> None:
    """Clients before/after are exactly the compiled (published) totals, never stored counts."""
    csd = comparison.changes["csd"]
    for compiled, side in zip(compiled_pair, ("before", "after"), strict=True):
        clients = compiled.layers["clients_by_area"]
        totals = clients[clients["profile"] == ALL].set_index("csd")["clients_published"]
        rows = csd[(csd["category"] == ALL) & csd["area_id"].isin(totals.index)].set_index("area_id")
        expected = totals.reindex(rows.index)
        assert rows[f"clients_{side}"].astype("Int64").equals(expected.astype("Int64").rename(f"clients_{side}"))


# -- flagged areas ---------------------------------------------------------------------------


def test_areas_whose_demand_source_differs_are_flagged(demo_store, geography, compiled_pair) -> None:
    """2020-2021 compiled with municipal counts only: London's tracts lose their own counts."""
    from cartography.cycle_comparison import compare_compiled
    from cartography.services.compile import compile_cycle

    munis = geography.municipalities
    municipal = pd.Series(
        pd.to_numeric(munis["pop_2021"], errors="coerce").to_numpy(), index=munis["CSDUID"].astype(str).to_numpy()
    )
    after = compile_cycle(demo_store, geography, AFTER, demand=municipal)
    result = compare_compiled(compiled_pair[0], after, geography, ("csd",))
    csd = result.changes["csd"]
    london = _row(csd, LONDON, "early_childhood")
    assert (london["demand_source_before"], london["demand_source_after"]) == ("census_ct", "census_csd")
    assert london["flags"] == "demand_source" and not london["comparable"]
    assert london["class_change"] == "not_comparable"
    assert pd.isna(london["access_e2sfca_per_10k_change"]) and pd.isna(london["gap_index_change"])
    assert london["services_in_change"] == -1  # counts of services mean the same either way
    woodstock = _row(csd, WOODSTOCK, "health")  # no tracts: its source is the same
    assert woodstock["comparable"] and woodstock["class_change"] == "improved"
    flagged = set(csd.loc[~csd["comparable"], "area_id"])
    tracted = set(after.layers["gaps_ct"]["csd"])
    assert LONDON in flagged and flagged <= tracted


def test_moved_boundaries_and_missing_areas_are_flagged(compiled_pair) -> None:
    before = compiled_pair[0].layers["gaps_csd"]
    after = compiled_pair[1].layers["gaps_csd"].copy()
    moved = after["area_id"] == WOODSTOCK
    after.loc[moved, "geometry"] = after.loc[moved, "geometry"].buffer(500)
    after = gpd.GeoDataFrame(after[after["area_id"] != CENTRAL_ELGIN], crs=after.crs)
    out = compare_gaps(before, after)
    woodstock = _row(out, WOODSTOCK, "health")
    assert woodstock["flags"] == "boundary" and woodstock["class_change"] == "not_comparable"
    assert pd.isna(woodstock["services_in_change"])  # counted in another area: not compared
    gone = _row(out, CENTRAL_ELGIN, ALL)
    assert gone["flags"] == "area_gone" and gone["class_change"] == "not_comparable"
    assert _row(out, LONDON, "health")["comparable"]


# -- outputs ---------------------------------------------------------------------------------


def test_cli_compare_writes_changes_gpkg(demo_store_copy, monkeypatch, tmp_path: Path, capsys) -> None:
    from cartography.cli import main

    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)
    target = tmp_path / "changes.gpkg"
    assert main(["compare", "--from", BEFORE, "--to", AFTER, "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "3 service(s) ajouté(s), 1 fermé(s), 1 modifié(s)" in out and "Fictitious" in out
    layers = {name for name, _ in pyogrio.list_layers(target)}
    assert layers == {"changes_region", "changes_csd", "changes_ct", "services_changed", "metadata"}
    csd = gpd.read_file(target, layer="changes_csd")
    assert csd.crs.to_epsg() == 3347
    woodstock = csd[(csd["area_id"] == WOODSTOCK) & (csd["category"] == "health")].iloc[0]
    assert woodstock["class_change"] == "improved" and woodstock["class_change_fr"] == "Amélioré"
    services = gpd.read_file(target, layer="services_changed")
    assert sorted(services["change"]) == ["added", "added", "added", "changed", "closed"]
    meta = dict(pyogrio.read_dataframe(target, layer="metadata")[["key", "value"]].itertuples(index=False))
    assert meta["from_cycle"] == BEFORE and meta["to_cycle"] == AFTER
    assert meta["from_compiled_at"] and meta["to_compiled_at"]
    assert "census_ct" in meta["to_demand_sources"]
    one = tmp_path / "ct.gpkg"
    assert main(["compare", "--from", BEFORE, "--to", AFTER, "-o", str(one), "--level", "ct"]) == 0
    assert {name for name, _ in pyogrio.list_layers(one)} == {"changes_ct", "services_changed", "metadata"}


def test_cli_compare_refuses_the_same_cycle(demo_store_copy, monkeypatch, tmp_path: Path, capsys) -> None:
    from cartography.cli import main

    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)
    assert main(["compare", "--from", AFTER, "--to", AFTER, "-o", str(tmp_path / "x.gpkg")]) != 0
    err = capsys.readouterr().err
    assert "deux cycles différents" in err and "two different cycles" in err and "Traceback" not in err
    assert not (tmp_path / "x.gpkg").exists()


def test_deck_has_since_last_cycle_slide_only_with_a_previous_cycle(compiled_pair, geography) -> None:
    from cartography.reports import table_deck

    def texts(deck) -> list[str]:  # type: ignore[no-untyped-def]
        """Each slide's text, French typography's no-break spaces read as spaces."""
        return [
            " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
            .replace("\u00a0", " ")
            .replace("\u202f", " ")
            for slide in deck.prs.slides
        ]

    before, after = compiled_pair
    with_previous = texts(table_deck(after, [], geography, "fr", previous=before))
    slide = next(s for s in with_previous if "Depuis le dernier cycle" in s)
    assert "Permanence Woodstock" in slide and "Petite enfance (programme fictif)" in slide
    assert "Fermé" in slide and "Ouvert" in slide and "DONNÉES FICTIVES" in slide
    assert "Petite enfance : détérioré" in slide
    english = texts(table_deck(after, [], geography, "en", previous=before))
    assert any("Since the last cycle" in s and "Closed:" in s for s in english)
    assert not any("Depuis le dernier cycle" in s for s in texts(table_deck(after, [], geography, "fr")))


def test_change_map_escapes_member_text_and_labels_demo(comparison) -> None:
    import dataclasses

    from cartography.compare_slides import change_map
    from cartography.maps import map_html

    services = comparison.services_changed.copy()
    services.loc[services.index[0], "service_name"] = "<img src=x onerror=alert(1)>"
    hostile = dataclasses.replace(comparison, services_changed=services)
    html = map_html(change_map(hostile, level="csd", category=ALL))
    assert "<img src=x" not in html and "DONNÉES FICTIVES" in html
    assert "Amélioré" in html and "Détérioré" in html and "Non comparable" in html


# -- app page --------------------------------------------------------------------------------


def test_compare_page_for_the_table(demo_store_copy, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from cartography.i18n import t

    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)

    def open_page(user: dict | None) -> AppTest:
        at = AppTest.from_file(str(root / "app.py"), default_timeout=90)
        if user:
            at.session_state["user"] = user
        at.session_state["lang"] = "fr"
        at.run()
        at.switch_page("src/cartography/ui/pages/compare.py")
        at.run()
        return at

    at = open_page({"username": "table", "role": "planner", "org_id": None})
    assert not at.exception, at.exception
    assert at.title[0].value == t("compare.nav", "fr")
    assert at.selectbox(key="cmp_from").value == BEFORE and at.selectbox(key="cmp_to").value == AFTER
    services = at.dataframe[0].value
    assert set(services["Changement"]) == {"Nouveau service", "Service fermé", "Service modifié"}
    assert "Permanence Woodstock" in set(services["Service"])
    at.selectbox(key="cmp_category").set_value("health")
    at.run()
    areas = at.dataframe[1].value
    assert "Woodstock" in set(areas["Zone"]) and set(areas["Évolution"]) <= {"Amélioré", "Détérioré"}
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page({"username": "ccfl", "role": "member", "org_id": "ccfl"})  # not registered for members
