"""One streamlit.testing AppTest per page, on the demo store (invented data), with the
sign-in rules: anonymous visitors see the cycle status only, members see their own
organisation's exact answers and nothing of others', planners see compiled protected results,
and only the coordinator reaches the administration."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = "src/cartography/ui/pages"
COORDINATOR = {"username": "coordination", "role": "coordinator", "org_id": None}
PLANNER = {"username": "table", "role": "planner", "org_id": None}
MEMBER = {"username": "ccfl", "role": "member", "org_id": "ccfl"}


@pytest.fixture
def app(demo_store_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)

    def open_page(page: str | None = None, user: dict | None = None, lang: str = "fr") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if user:
            at.session_state["user"] = user
        at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(f"{PAGES}/{page}.py")
            at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.success]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)


def test_home_shows_the_cycle_status(app) -> None:
    at = app()
    assert at.title[0].value == "Cartographie des services en français"
    assert [m.value for m in at.metric][:2] == ["9 / 9", "9 / 9"]
    status = at.dataframe[0].value
    assert len(status) == 9 and "Collège Boréal" in set(status["Organisme"])
    assert "Données fictives de démonstration" in _text(at)


def test_home_in_english(app) -> None:
    at = app(lang="en")
    assert at.title[0].value == "Map of French-language services"
    assert "Organisation" in at.dataframe[0].value.columns


def test_template_page_anonymous_can_download_and_check(app) -> None:
    at = app("template")
    assert at.title[0].value == "Gabarit"
    assert "Mes soumissions" not in _text(at)


def test_member_sees_own_exact_counts_and_nothing_of_others(app) -> None:
    at = app("template", MEMBER)
    text = _text(at)
    assert "Mes soumissions" in text and "nombres exacts" in text
    own = next(df.value for df in at.dataframe if "Nombre de clients" in df.value.columns)
    # CCFL's own view is exact: its 2 temporary workers in Central Elgin are shown as 2.
    assert 2 in set(own["Nombre de clients"]) and 3 in set(own["Nombre de clients"])
    submissions = next(df.value for df in at.dataframe if "Version" in df.value.columns)
    assert len(submissions) == 1  # only CCFL's own submission, not the 8 others


def test_member_cannot_submit_for_another_organisation(app) -> None:
    at = app("template", MEMBER)
    at.text_input(key="form-org-org_id").input("boreal")
    at.button(key="check-form").click()
    at.run()
    assert any("boreal" in e.value and "vôtre" in e.value for e in at.error), _text(at)
    assert not any(b.key == "submit-form" for b in at.button)


def test_member_can_check_and_submit_own_form(app, demo_store_copy) -> None:
    demo_store = demo_store_copy
    before = len(demo_store.submissions("2019-2020", "ccfl"))
    at = app("template", MEMBER)
    at.button(key="check-form").click()
    at.run()
    assert any("Gabarit valide" in s.value for s in at.success), _text(at)
    at.button(key="submit-form").click()
    at.run()
    assert len(demo_store.submissions("2019-2020", "ccfl")) == before + 1


def test_map_requires_sign_in(app) -> None:
    at = app("map")
    assert "Connectez-vous" in _text(at)


def test_map_page_for_planners(app) -> None:
    at = app("map", PLANNER)
    assert at.title[0].value == "Carte des lacunes"
    assert "Cliquez sur une zone" in _text(at)
    at.multiselect(key="map_regions").select("elgin")
    at.run()
    assert not at.exception
    options = at.multiselect(key="map_municipalities").options
    assert len(options) == 8  # Elgin's municipalities only


def test_explorer_filters_and_protects(app) -> None:
    at = app("explorer", PLANNER)
    at.multiselect(key="ex_regions").select("elgin")
    at.run()
    gaps = at.dataframe[0].value
    assert set(gaps["Zone"]) <= {
        "Bayham",
        "Malahide",
        "Aylmer",
        "Central Elgin",
        "St. Thomas",
        "Southwold",
        "Dutton/Dunwich",
        "West Elgin",
    }
    clients = at.dataframe[2].value
    published = clients["Clients (publiés, arrondis)"].dropna()
    assert not published.between(1, 4).any()
    assert (published % 5 == 0).all()


def test_reports_page(app) -> None:
    at = app("reports", PLANNER)
    assert at.title[0].value == "Rapports"
    at.button(key="rep_prepare").click()  # the table's PowerPoint deck is the default
    at.run()
    assert not at.exception
    assert at.session_state["rep_file"][1] == "presentation-table-2019-2020.pptx"
    member = app("reports", MEMBER)
    member.radio(key="rep_kind").set_value("own")
    member.button(key="rep_prepare").click()
    member.run()
    assert member.session_state["rep_file"][1] == "presentation-ccfl-2019-2020.pptx"


def test_admin_only_for_the_coordinator(app) -> None:
    for user in (MEMBER, PLANNER, None):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app("admin", user)  # the page is not even registered for them
    at = app("admin", COORDINATOR)
    assert at.title[0].value == "Administration"
    at.text_input[0].input("2020-2021")
    form_buttons = [b for b in at.button if "Ouvrir" in str(b.label)]
    form_buttons[0].click()
    at.run()
    assert any("2020-2021" in s.value for s in at.success), _text(at)
