"""In headless Chromium: the online form never drops a row, and the administration reads in French.

A member adds a site in the online form with its code and name but no municipality (a required
drop-down left empty). The table editor used to keep such a row in the browser and never send
it, so the form "passed" without the site; now the check reports the missing municipality with
its section, row and column, and nothing is stored. Reuses the server, store and browser
fixtures of ``test_e2e.py``. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import time

import pytest
from test_e2e import ARTIFACTS, _sign_in, blank, browser, e2e_store, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
ROW = 35  # height of a row of Streamlit's table editor, header included (CSS pixels)


def _open(page, base: str, username: str, password: str, nav: str):  # type: ignore[no-untyped-def]
    page.goto(base)
    page.wait_for_selector("text=Participation au cycle", timeout=60_000)
    _sign_in(page, username, password)
    page.locator("[data-testid='stSidebarNav'] a", has_text=nav).first.click()
    return page


SETTLE = 1.5  # seconds for an edit to reach the server and the page to be drawn again


def _type_in_cell(page, cell: tuple[float, float], text: str, right: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into the table editor's cell at ``cell`` (or ``right`` columns further).

    The editor is a canvas: a click selects a cell, typing opens its editor, Enter commits.
    Each step waits for the page to settle (a commit reruns the page, which eats keys).
    """
    page.mouse.click(*cell)
    time.sleep(0.5)
    for _ in range(right):
        page.keyboard.press("ArrowRight")
        time.sleep(0.3)
    page.keyboard.type(text, delay=20)
    time.sleep(0.3)
    page.keyboard.press("Enter")
    time.sleep(SETTLE)


def _problems(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The rows of the validation report (sheet, row, column, value, message, suggestion)."""
    table = page.locator("[data-testid='stTable'] table").first
    table.wait_for(timeout=30_000)
    rows = table.locator("tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_a_site_without_its_municipality_is_reported_not_dropped(blank, server, e2e_store) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from cartography.io.store import Store

    store = Store(e2e_store)
    before = store.counts()["submissions"]
    page = _open(blank, server, "ccfl", "demo-ccfl", "Gabarit")
    page.get_by_role("tab", name="Formulaire en ligne").click()
    page.wait_for_selector("text=Vérifier le formulaire", timeout=30_000)
    sites = page.locator("[data-testid='stDataFrame']").first  # "Lieux", the first section
    sites.scroll_into_view_if_needed()
    cycle = page.locator("[data-testid='stSelectbox']", has_text="Cycle").first.locator("input").input_value()
    existing = len(store.prefill_for("ccfl", cycle).content.sites)  # the rows the form starts with
    sites.hover()
    sites.get_by_role("button", name="Ajouter une ligne").click()
    time.sleep(SETTLE)  # the new row goes to the server and the page is drawn again
    box = sites.bounding_box()
    code_cell = (box["x"] + 70, box["y"] + ROW * (existing + 1) + ROW // 2)  # new row, first column
    _type_in_cell(page, code_cell, "Nouveau lieu sans municipalité", right=1)  # the site's name
    _type_in_cell(page, code_cell, "S9")  # its code; the municipality stays empty
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "form-fr-new-site.png"))
    page.get_by_role("button", name="Vérifier le formulaire").click()
    problems = _problems(page)
    page.get_by_text(re.compile("problème")).first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "form-fr-located-error.png"))
    assert len(problems) == 1, problems
    sheet, row, column, _value, message, _suggestion = problems[0]
    assert (sheet, row, column) == ("Lieux", str(existing + 1), "Municipalité"), problems
    assert "Valeur obligatoire manquante" in message
    assert page.get_by_text("Rien n'a été enregistré").count() >= 1
    assert page.get_by_role("button", name="Soumettre").count() == 0  # nothing to submit
    assert page.get_by_text("None", exact=True).count() == 0
    assert store.counts()["submissions"] == before
    store.dispose()


def test_administration_in_french_with_labels_and_local_time(blank, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = _open(blank, server, "coordination", "demo-coordination", "Administration")
    page.wait_for_selector("text=Heures de Toronto", timeout=60_000)
    page.get_by_role("tab", name="Soumissions").click()
    page.wait_for_selector("text=Versions en attente de validation", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-fr-submissions.png"))
    page.get_by_role("tab", name="Comptes").click()
    page.wait_for_selector("text=Gérer un compte", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "admin-fr-accounts.png"))
    role = page.locator("[data-testid='stSelectbox']", has_text="Rôle").first
    assert role.locator("input").input_value() == "Membre"  # the least powerful role by default
    page.get_by_role("tab", name="Cycles").click()
    page.wait_for_selector("text=Point de départ des membres", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "admin-fr-cycles.png"))
