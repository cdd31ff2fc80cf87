"""French all the way, in a real browser: every page, as every role, says ``lang="fr"`` and shows
none of Streamlit's own English words; a reload, a bookmark or an unknown address stays French.

Runs against the same server as tests/test_e2e.py (its fixtures, imported), on the demo cycle.
What is checked is what a reader meets: the text of the page and of its frames, and the
attributes screen readers and tooltips read (``aria-label``, ``title``, ``placeholder``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from test_e2e import ARTIFACTS, browser, e2e_store, server  # noqa: F401 - fixtures, by import

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from screenshots import ACCOUNTS, go, open_page, open_sidebar, screen_options, settle, sign_in

pytestmark = pytest.mark.browser

#: Streamlit's English that must not reach a French reader (issue 11), as whole words.
FORBIDDEN = (
    "Select all",
    "Choose an option",
    "Choose options",
    "Upload",
    "Browse files",
    "Drag and drop",
    "per file",
    "Please fill out this cell",
    "None",
    "Page not found",
    "No results",
    "Running...",
    "Download as CSV",
    "Show/hide columns",
    "Show password",
)
#: Every page a role can open, by URL path (administration: the coordinator only).
PAGES = {
    "anonymous": ("accueil", "gabarit", "carte", "explorateur", "rapports"),
    "member": ("accueil", "gabarit", "carte", "explorateur", "rapports"),
    "table": ("accueil", "gabarit", "carte", "explorateur", "rapports"),
    "coordinator": ("accueil", "gabarit", "carte", "explorateur", "rapports", "administration"),
}

#: The text a reader meets: the page and its frames, plus what screen readers and tooltips read.
READABLE = """
() => {
  const parts = [];
  const docs = [document];
  for (const frame of document.querySelectorAll("iframe")) {
    try { if (frame.contentDocument) docs.push(frame.contentDocument); } catch (error) {}
  }
  for (const doc of docs) {
    if (!doc.body) continue;
    parts.push(doc.body.innerText);
    for (const element of doc.querySelectorAll("[aria-label], [title], [placeholder]")) {
      for (const name of ["aria-label", "title", "placeholder"]) {
        const value = element.getAttribute(name);
        if (value) parts.push(value);
      }
    }
  }
  return parts.join("\\n");
}
"""


def english_left(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The forbidden English words a reader of ``page`` meets now."""
    text = page.evaluate(READABLE)
    return [word for word in FORBIDDEN if re.search(rf"(?<![\w/]){re.escape(word)}(?!\w)", text)]


def assert_french(page, where: str) -> None:  # type: ignore[no-untyped-def]
    """``<html lang="fr">`` and none of :data:`FORBIDDEN` on the page shown."""
    assert page.evaluate("document.documentElement.lang") == "fr", where
    left = english_left(page)
    if left:
        page.screenshot(path=ARTIFACTS / f"e2e-french-{where.replace('/', '-')}.png")
    assert not left, f"{where}: English framework text left: {left}"


@pytest.fixture
def fresh(browser):  # type: ignore[no-untyped-def]  # noqa: F811 - the imported fixture
    """A new browser tab (a new session: nobody signed in)."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_is_french_for_every_role(fresh, server, role) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = fresh
    sign_in(page, server, role, "fr")
    for path in PAGES[role]:
        if path != "accueil":
            go(page, path)
        assert page.url.split("?")[0].rstrip("/").endswith(path) or path == "accueil", page.url
        assert_french(page, f"{role}/{path}")
        assert page.title().endswith(" — Cartographie"), page.title()  # the page's name first


def test_tab_titles_name_the_page_in_the_language(fresh, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = fresh
    open_page(page, server, "carte", "fr")
    assert page.title() == "Carte des lacunes — Cartographie"
    open_page(page, server, "carte", "en")
    assert page.title() == "Gap map — Cartographie"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_drop_down_and_upload_speak_french(fresh, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = fresh
    sign_in(page, server, "member", "fr")
    go(page, "explorateur")
    box = page.get_by_role("combobox", name="Régions (comtés)")
    box.click()
    page.keyboard.type("zzzz")  # no region is called that
    page.get_by_text("Aucun résultat").first.wait_for(timeout=10_000)
    assert_french(page, "member/explorateur-open-list")
    page.keyboard.press("Escape")
    go(page, "gabarit")
    page.locator("[data-testid=stFileUploaderDropzone]").first.wait_for(timeout=30_000)
    dropzone = page.locator("[data-testid=stFileUploaderDropzone]").first.inner_text()
    assert "Téléverser" in dropzone and "5 Mo au plus par fichier" in dropzone, dropzone
    assert_french(page, "member/gabarit-upload")


def test_reload_and_bookmark_keep_french(fresh, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = fresh
    open_page(page, server, "", "fr")
    go(page, "carte")
    assert "lang=fr" in page.url  # the address carries the language, on every page
    page.reload()
    settle(page)
    assert_french(page, "reload/carte")
    page.get_by_role("link", name="Carte des lacunes").first.wait_for(state="attached", timeout=30_000)
    # English chosen, then a reload: still English (the choice is in the address too)
    page.get_by_text("English").click()
    settle(page)
    assert "lang=en" in page.url
    page.reload()
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="Gap map").first.wait_for(state="attached", timeout=30_000)


def test_unknown_or_signed_out_page_says_so_in_french(fresh, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A bookmark of the administration page, opened signed out (sign-in does not survive a
    reload), or an address that never existed: a French message, then the home page."""
    page = fresh
    for path in ("administration", "nulle-part"):
        page.goto(f"{server}/{path}?lang=fr")
        settle(page)
        page.get_by_text("Page introuvable").first.wait_for(timeout=30_000)
        assert_french(page, f"not-found/{path}")
        page.get_by_text("Voici la page d'accueil").first.wait_for(state="attached", timeout=10_000)


def test_sign_in_box_says_it_does_not_survive_a_reload(fresh, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = fresh
    sign_in(page, server, "table", "fr")
    page.get_by_text("Connecté").first.wait_for(timeout=10_000)
    page.reload()
    settle(page)
    if page.locator("[data-testid=stSidebar][data-collapsed=true]").count():
        open_sidebar(page)
    page.get_by_text("La connexion ne survit pas au rechargement").first.wait_for(timeout=30_000)
    assert page.get_by_text("Connecté").count() == 0


def test_phone_sidebar_closes_after_navigation_and_map_comes_first(browser, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """At 390x844 the sidebar covers the page: it must close once a page is chosen, and the map
    must start on the first screen, not under every control."""
    context = browser.new_context(**screen_options("phone"))  # a phone's browser, 390x844
    page = context.new_page()
    try:
        sign_in(page, server, "table", "fr")
        go(page, "carte")  # opens the sidebar, clicks the link
        assert page.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "true"
        frame = page.locator("iframe[title*='st_folium']").first
        frame.wait_for(timeout=120_000)
        top = frame.evaluate("(element) => element.getBoundingClientRect().top")
        page.screenshot(path=ARTIFACTS / "e2e-french-phone-map.png")
        assert top < 844, f"the map starts {top:.0f} px down: below the first screen"
    finally:
        context.close()
