"""AppTest of the administration, the online form's submission rules and the reports' downloads
(issue 11 "The app around it", issue 13 new cycle): on a private copy of the demo store
(invented data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartography.io.store import local_time
from cartography.ui.state import shown_time

ROOT = Path(__file__).resolve().parents[1]
PAGES = "src/cartography/ui/pages"
COORDINATOR = {"username": "coordination", "role": "coordinator", "org_id": None}
PLANNER = {"username": "table", "role": "planner", "org_id": None}
MEMBER = {"username": "ccfl", "role": "member", "org_id": "ccfl"}
CYCLE = "2019-2020"


@pytest.fixture
def app(demo_store_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)

    def open_page(page: str | None = None, user: dict | None = None, lang: str = "fr", cycle: str = CYCLE) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        if user:
            at.session_state["user"] = user
        at.session_state["lang"] = lang
        for key in ("cycle", "admin_cycle"):
            at.session_state[key] = cycle
        at.run()
        if page:
            at.switch_page(f"{PAGES}/{page}.py")
            at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def _read(markdown: str) -> str:
    """What the user reads of escaped Markdown (backslash escapes resolved)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.success]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader] + [b.label for b in at.button]
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(str(p) for p in parts))


def _frame_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _edited(content, comment: str):  # type: ignore[no-untyped-def]
    needs = list(content.needs)
    needs[0] = needs[0].model_copy(update={"comment": comment})
    return content.model_copy(update={"needs": tuple(needs)})


def test_admin_tables_show_labels_french_headers_and_toronto_time(app, demo_store_copy) -> None:
    at = app("admin", COORDINATOR)
    versions = _frame_with(at, "Validée le")
    assert {"Organisme", "Version", "État", "Auteur", "Dernier envoi"} <= set(versions.columns)
    assert "Collège Boréal" in set(versions["Organisme"])  # names, not codes
    assert set(versions["État"]) == {"Validée"}
    first = demo_store_copy.submissions(CYCLE)[0]
    assert shown_time(first.created_at) in set(versions["Dernier envoi"])  # JJ/MM/AAAA hh:mm
    # November: Toronto is UTC-5 (hand-checkable), and in July UTC-4.
    from datetime import UTC, datetime

    assert local_time(datetime(2026, 11, 23, 16, 4, tzinfo=UTC)) == "2026-11-23 11:04"
    assert local_time(datetime(2026, 7, 1, 16, 4, tzinfo=UTC)) == "2026-07-01 12:04"
    accounts = _frame_with(at, "État du compte")
    assert set(accounts["Rôle"]) >= {"Coordination", "Membre", "Table et planification"}
    assert set(accounts["État du compte"]) == {"Actif"}
    members = _frame_with(at, "Type")
    assert not set(members["Type"]) & {"community", "college", "school_board"}  # labels
    audit = _frame_with(at, "Date et heure")
    assert {"Par", "Action", "Objet", "Détail"} <= set(audit.columns)
    assert "Version validée" in set(audit["Action"]) and not set(audit["Action"]) & {"validate", "submit"}
    assert "Aucune version en attente." in _text(at)
    assert "None" not in set(versions["Validée par"])


def test_the_coordinator_sees_a_summary_validates_and_the_page_refreshes(app, demo_store_copy) -> None:
    store = demo_store_copy
    v1 = next(s for s in store.validated(CYCLE) if s.org_id == "ccfl")
    without_first_need = v1.content.model_copy(update={"needs": v1.content.needs[1:]})
    v2 = store.submit(_edited(without_first_need, "précisé"), CYCLE, "ccfl", "formulaire")
    home = app(None, COORDINATOR)
    assert "1 version(s) attendent votre validation" in _text(home) and "version 2" in _text(home)
    assert "attendent votre validation" not in _text(app(None, PLANNER))
    at = app("admin", COORDINATOR)
    pending = at.selectbox(key="admin_pending")
    assert len(pending.options) == 1 and "version 2" in pending.options[0]
    summary = _frame_with(at, "Retirées")
    needs = summary[summary["Section"] == "Besoins"].iloc[0]
    # v1 had n needs; v2 drops the first and changes the comment of the (new) first one.
    assert needs["Lignes"] == len(v1.content.needs) - 1
    assert (needs["Retirées"], needs["Modifiées"], needs["Ajoutées"]) == (1, 1, 0)
    sites = summary[summary["Section"] == "Sites"].iloc[0]
    assert (sites["Lignes"], sites["Ajoutées"], sites["Retirées"], sites["Modifiées"]) == (
        len(v1.content.sites),
        0,
        0,
        0,
    )
    assert "Comparée à la version validée 1" in _text(at)
    at.button(key="admin_validate").click()
    at.run()
    assert not at.exception
    assert any("Version 2" in s.value for s in at.success), _text(at)
    assert "Aucune version en attente." in _text(at)  # the pending list refreshed
    versions = _frame_with(at, "Validée le")
    ccfl = versions[versions["Organisme"] == next(o["name"] for o in store.organisations() if o["org_id"] == "ccfl")]
    assert dict(zip(ccfl["Version"], ccfl["État"], strict=True)) == {1: "Remplacée", 2: "Validée"}
    assert store.latest_validated("ccfl", up_to=CYCLE).version == v2.version


def test_superseded_versions_are_not_offered(app, demo_store_copy) -> None:
    store = demo_store_copy
    v1 = next(s for s in store.validated(CYCLE) if s.org_id == "ccfl")
    store.submit(_edited(v1.content, "deux"), CYCLE, "ccfl")
    store.submit(_edited(v1.content, "trois"), CYCLE, "ccfl")
    at = app("admin", COORDINATOR)
    offered = at.selectbox(key="admin_pending").options
    assert len(offered) == 1 and "version 3" in offered[0]
    versions = _frame_with(at, "Validée le")
    assert list(versions["État"]).count("Remplacée") == 1


def test_accounts_default_to_member_reset_and_disable(app, demo_store_copy) -> None:
    at = app("admin", COORDINATOR)
    role = next(s for s in at.selectbox if s.label == "Rôle")
    assert role.value == "member"  # the least powerful role by default
    at.selectbox(key="admin_account").set_value("ccfl")
    at.run()
    reset = next(b for b in at.button if b.label == "Réinitialiser le mot de passe")
    reset.click()
    at.run()
    assert not at.exception
    shown = [c.value for c in at.code]
    assert len(shown) == 1 and len(shown[0]) == 16
    assert demo_store_copy.authenticate("ccfl", shown[0])["username"] == "ccfl"
    assert demo_store_copy.authenticate("ccfl", "demo-ccfl") is None
    at.run()  # shown once
    assert not at.code
    at.button(key="admin_disable").click()
    at.run()
    assert any("désactivé" in s.value for s in at.success), _text(at)
    accounts = _frame_with(at, "État du compte")
    assert accounts.set_index("Nom d'utilisateur").loc["ccfl", "État du compte"] == "Désactivé"
    assert not demo_store_copy.is_enabled("ccfl")
    at.selectbox(key="admin_account").set_value("coordination")
    at.run()
    at.button(key="admin_disable").click()
    at.run()
    assert any("dernier compte de coordination" in e.value for e in at.error), _text(at)
    assert demo_store_copy.is_enabled("coordination")


def test_opening_a_cycle_prefills_from_the_last_validated_version(app, demo_store_copy) -> None:
    at = app("admin", COORDINATOR)
    at.text_input[0].input("2031-2032")
    at.date_input[0].set_value("2031-04-01")
    at.date_input[1].set_value("2032-03-31")
    next(b for b in at.button if b.label == "Ouvrir le cycle").click()
    at.run()
    assert not at.exception
    orgs = len(demo_store_copy.organisations())
    assert any("2031-2032" in _read(s.value) and f"{orgs} membre(s)" in _read(s.value) for s in at.success)
    cycle = next(c for c in demo_store_copy.cycles() if c.code == "2031-2032")
    assert (str(cycle.starts_on), str(cycle.ends_on)) == ("2031-04-01", "2032-03-31")
    start = _frame_with(at, "Prérempli à partir de")
    assert all("version" in v for v in start["Prérempli à partir de"])
    member = app("template", MEMBER, cycle="2031-2032")
    assert "Le formulaire part de votre version" in _text(member)
    latest = demo_store_copy.latest_validated("ccfl")
    assert f"cycle {latest.cycle}" in _text(member)


def test_an_unchanged_form_is_refused_and_submit_is_disabled_after_success(app, demo_store_copy) -> None:
    before = len(demo_store_copy.submissions(CYCLE, "ccfl"))
    at = app("template", MEMBER)
    at.button(key="check-form").click()
    at.run()
    at.button(key="submit-form").click()
    at.run()
    assert any("Rien n'a changé" in e.value for e in at.error), _text(at)
    assert len(demo_store_copy.submissions(CYCLE, "ccfl")) == before
    at.text_input(key="form-org-name").input("CCFL — nom revu")
    at.button(key="check-form").click()
    at.run()
    assert not at.button(key="submit-form").disabled
    at.button(key="submit-form").click()
    at.run()
    assert any("Soumission enregistrée" in s.value for s in at.success), _text(at)
    assert at.button(key="submit-form").disabled  # until the content changes
    assert len(demo_store_copy.submissions(CYCLE, "ccfl")) == before + 1


def test_a_prepared_file_goes_when_filters_or_format_change(app) -> None:
    at = app("reports", PLANNER)
    at.radio(key="rep_kind").set_value("gpkg")
    at.multiselect(key="rep_regions").set_value(["elgin"])
    at.run()
    at.button(key="rep_prepare").click()
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 1
    kept = [k for k in list(at.session_state) if str(k).startswith("rep_file:")]
    assert len(kept) == 1 and at.session_state[kept[0]]["name"] == f"lacunes-{CYCLE}-elgin.gpkg"
    at.multiselect(key="rep_regions").set_value(["oxford"])
    at.run()
    assert not at.get("download_button")  # an Elgin file is not offered for Oxford
    assert not [k for k in list(at.session_state) if str(k).startswith("rep_file:")]
    at.button(key="rep_prepare").click()
    at.run()
    at.radio(key="rep_kind").set_value("xlsx")
    at.run()
    assert not at.get("download_button")


def test_the_explorer_download_is_named_by_its_filters_and_goes_when_they_change(app) -> None:
    at = app("explorer", PLANNER)
    at.selectbox(key="ex_format").set_value("gpkg")
    at.multiselect(key="ex_regions").set_value(["elgin"])
    at.run()
    at.button(key="ex_prepare").click()
    at.run()
    assert not at.exception
    kept = [at.session_state[k] for k in list(at.session_state) if str(k).startswith("ex_file:")]
    assert [k["name"] for k in kept] == [f"lacunes-{CYCLE}-elgin.gpkg"]
    assert len(at.get("download_button")) == 1
    at.multiselect(key="ex_regions").set_value(["elgin", "oxford"])
    at.run()
    assert not at.get("download_button")
    assert not [k for k in list(at.session_state) if str(k).startswith("ex_file")]
