"""AppTest of the filters the pages share: a choice made on one page is still chosen on the
others and across reruns, a choice no longer offered falls back without an error, and nothing
of it outlives sign-out. On a private copy of the demo store (invented data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartography.gaps import ALL

ROOT = Path(__file__).resolve().parents[1]
PAGES = "src/cartography/ui/pages"
PLANNER = {"username": "table", "role": "planner", "org_id": None}
CYCLE = "2019-2020"


@pytest.fixture
def app(demo_store_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)

    def open_page(page: str, user: dict | None = PLANNER) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        if user:
            at.session_state["user"] = user
        at.session_state["lang"] = "fr"
        at.session_state["cycle"] = CYCLE
        at.run()
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


def _go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_filters_chosen_on_the_map_follow_the_reader_to_every_page(app) -> None:
    at = app("map")
    at.multiselect(key="map_regions").set_value(["elgin"]).run()
    at.multiselect(key="map_municipalities").set_value(["3534020"]).run()  # Central Elgin
    at.selectbox(key="map_category").set_value("health").run()
    at.selectbox(key="map_level").set_value("region").run()
    at.multiselect(key="map_languages").set_value(["fr_active"]).run()
    at.selectbox(key="map_indicator").set_value("nearest_km").run()
    assert not at.exception
    _go(at, "explorer")
    assert at.multiselect(key="ex_regions").value == ["elgin"]
    assert at.multiselect(key="ex_municipalities").value == ["3534020"]
    assert at.multiselect(key="ex_categories").value == ["health"]
    assert at.selectbox(key="ex_level").value == "region"
    assert at.multiselect(key="ex_languages").value == ["fr_active"]
    _go(at, "reports")
    assert at.multiselect(key="rep_regions").value == ["elgin"]
    assert at.selectbox(key="rep_category").value == "health"
    _go(at, "home")
    _go(at, "map")  # two pages later, and the map's own choice too
    assert at.multiselect(key="map_regions").value == ["elgin"]
    assert at.selectbox(key="map_category").value == "health"
    assert at.selectbox(key="map_indicator").value == "nearest_km"
    at.run()  # a plain rerun keeps them
    assert at.selectbox(key="map_level").value == "region"


def test_a_choice_made_on_the_explorer_reaches_the_map_and_comes_back(app) -> None:
    at = app("explorer")
    at.multiselect(key="ex_regions").set_value(["oxford"]).run()
    at.multiselect(key="ex_categories").set_value(["health", "housing"]).run()
    _go(at, "map")
    assert at.multiselect(key="map_regions").value == ["oxford"]
    # Two categories: the map's one-category box shows them all, without forgetting the two.
    assert at.selectbox(key="map_category").value == ALL
    _go(at, "explorer")
    assert at.multiselect(key="ex_categories").value == ["health", "housing"]
    at.multiselect(key="ex_categories").set_value(["housing"]).run()
    _go(at, "reports")
    assert at.selectbox(key="rep_category").value == "housing"
    at.selectbox(key="rep_category").set_value(ALL).run()  # all categories chosen here...
    _go(at, "explorer")
    assert at.multiselect(key="ex_categories").value == []  # ...is all of them there


def test_a_choice_no_longer_offered_falls_back_without_an_error(app) -> None:
    at = app("explorer")
    at.multiselect(key="ex_regions").set_value(["elgin"]).run()
    at.multiselect(key="ex_municipalities").set_value(["3534020"]).run()
    at.multiselect(key="ex_categories").set_value(["health"]).run()
    # A stage without health: the category is no longer offered, the table shows the stage.
    at.multiselect(key="ex_stages").set_value(["settlement"]).run()
    assert not at.exception
    assert at.multiselect(key="ex_categories").value == []
    _go(at, "map")
    at.multiselect(key="map_regions").set_value(["oxford"]).run()  # Central Elgin is not in Oxford
    assert not at.exception
    assert at.multiselect(key="map_municipalities").value == []
    # A kept code that no longer exists at all (a vocabulary changed, a stale session).
    at.session_state["filter.categories"] = ["retired_category"]
    at.session_state["filter.level"] = "retired_level"
    at.session_state["filter.regions"] = ["atlantis", "oxford"]
    at.run()
    assert not at.exception
    assert at.selectbox(key="map_category").value == ALL
    assert at.selectbox(key="map_level").value == "csd"  # the default level
    assert at.multiselect(key="map_regions").value == ["oxford"]


def test_the_planning_panel_keeps_its_category_and_starts_from_the_maps(app) -> None:
    at = app("map")
    at.selectbox(key="map_category").set_value("housing").run()
    assert at.selectbox(key="plan_category").value == "housing"  # the map's, to start with
    at.selectbox(key="plan_category").set_value("legal")
    next(b for b in at.button if "plan_form" in str(b.id)).click().run()  # the form's submit
    assert not at.exception
    _go(at, "explorer")
    _go(at, "map")
    assert at.selectbox(key="plan_category").value == "legal"  # the panel's own choice, kept
    at.selectbox(key="map_category").set_value("health").run()
    assert at.selectbox(key="plan_category").value == "health"  # a new map category is followed


def test_no_filter_outlives_sign_out(app) -> None:
    at = app("map")
    at.multiselect(key="map_regions").set_value(["elgin"]).run()
    at.selectbox(key="map_category").set_value("health").run()
    assert at.session_state["filter.regions"] == ["elgin"]
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert not [k for k in list(at.session_state) if str(k).startswith("filter.")]
    at.session_state["user"] = PLANNER  # the next person at the same screen
    at.run()
    _go(at, "map")
    assert at.multiselect(key="map_regions").value == []
    assert at.selectbox(key="map_category").value == ALL
