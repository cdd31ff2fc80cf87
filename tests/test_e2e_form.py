"""In headless Chromium: the online form never drops a row, and the administration reads in French.

A member adds a site in the online form with its code and name but no municipality (a required
drop-down left empty). The table editor used to keep such a row in the browser and never send
it, so the form "passed" without the site; now the check reports the missing municipality with
its section, row and column, and nothing is stored. Reuses the server, store and browser
fixtures of ``test_e2e.py``. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_e2e import ARTIFACTS, _sign_in, blank, browser, e2e_store, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
ROW = 35  # height of a row of Streamlit's table editor, header included (CSS pixels)


def _open(page, base: str, username: str, password: str, nav: str):  # type: ignore[no-untyped-def]
    page.goto(base)
    page.wait_for_selector("text=Participation au cycle", timeout=60_000)
    _sign_in(page, username, password)
    page.locator("[data-testid='stSidebarNav'] a", has_text=nav).first.click()
    return page


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished running the page (its "running" widget is gone)."""
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=60_000)


def _cell(editor, row: int, column: int):  # type: ignore[no-untyped-def]
    """The table editor's accessible copy of a cell (the editor itself draws on a canvas)."""
    return editor.locator(f"[data-testid='glide-cell-{column}-{row}']")


def _set_cell(page, editor, row: int, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into the table editor's cell (``row`` from 0, ``column`` from 1).

    The editor is a canvas: a click selects a cell, Enter opens the cell's text box, Enter
    again commits and reruns the page. Each step is checked on what the page shows (the cell
    selected in the editor's accessible table, the text box open, the committed value in the
    accessible table) and the whole edit is done again if a rerun interfered, instead of
    trusting fixed waits.
    """
    selected = _cell(editor, row, column).and_(editor.locator("[aria-selected='true']"))
    box_open = page.locator("textarea.gdg-input, input.gdg-input").first
    for _attempt in range(5):
        _idle(page)
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        page.mouse.click(box["x"] + 70, box["y"] + ROW * (row + 1) + ROW // 2)  # first column
        for _ in range(column - 1):
            page.keyboard.press("ArrowRight")
        try:
            selected.wait_for(state="attached", timeout=5_000)
            page.keyboard.press("Enter")
            box_open.wait_for(timeout=5_000)
            box_open.fill(text)
            page.keyboard.press("Enter")
            _idle(page)
            _cell(editor, row, column).filter(has_text=text).wait_for(state="attached", timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "form-fr-cell-not-kept.png"))  # to see why
    raise AssertionError(f"the table editor did not keep {text!r} in row {row}, column {column}")


def _add_row(page, editor, rows: int) -> None:  # type: ignore[no-untyped-def]
    """Add a row below the ``rows`` the editor holds, and wait until it is there."""
    for _attempt in range(3):
        _idle(page)
        editor.hover()
        editor.get_by_role("button", name="Ajouter une ligne").click()
        try:
            _cell(editor, rows, 1).wait_for(state="attached", timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError("the table editor did not add a row")


def _problems(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The rows of the validation report (sheet, row, column, value, message, suggestion)."""
    table = page.locator("[data-testid='stTable'] table").first
    passed = page.get_by_role("button", name=re.compile("Soumettre"))  # offered only when it passes
    table.or_(passed).first.wait_for(timeout=60_000)
    assert table.count(), "the check found no problem: the new site did not reach the server"
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
    _cell(sites, existing - 1, 1).wait_for(state="attached", timeout=30_000)
    _add_row(page, sites, existing)
    _set_cell(page, sites, existing, 2, "Nouveau lieu sans municipalité")  # the site's name
    _set_cell(page, sites, existing, 1, "S9")  # its code; the municipality stays empty
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
