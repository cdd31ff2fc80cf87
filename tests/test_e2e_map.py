"""The gap map as a committee sees it on a projector: 1440×900, signed in as ``table``.

In headless Chromium against the real server of ``test_e2e`` (demo cycle, invented data):
the whole region, the map's title and its legend are on screen without scrolling, the
municipalities are named on the map, and an area's details are a readable table reached
with the keyboard. Screenshots (French and English, desktop and phone) go to test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from test_e2e import ARTIFACTS, _sign_in, browser, e2e_store, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

#: The box (page coordinates) around every area drawn on the map: its overlay polygons.
REGION_BOX = """
() => {
  const paths = Array.from(document.querySelectorAll(".leaflet-overlay-pane path"));
  const boxes = paths.map((p) => p.getBoundingClientRect()).filter((b) => b.width > 0);
  return {
    left: Math.min(...boxes.map((b) => b.left)), top: Math.min(...boxes.map((b) => b.top)),
    right: Math.max(...boxes.map((b) => b.right)), bottom: Math.max(...boxes.map((b) => b.bottom)),
    count: boxes.length,
  };
}
"""
#: The place names a reader can see: drawn, and not hidden by the decluttering.
VISIBLE_LABELS = """
() => Array.from(document.querySelectorAll(".carto-label"))
  .filter((el) => getComputedStyle(el).visibility !== "hidden" && el.getBoundingClientRect().width > 0)
  .map((el) => el.textContent)
"""


def _open_map(browser, server, viewport, lang="fr"):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector("text=Participation au cycle", timeout=60_000)
    if viewport["width"] < 600:  # the sidebar holds the sign-in form: open it on a phone
        page.get_by_test_id("stExpandSidebarButton").click()
    _sign_in(page, "table", "demo-table")
    if lang == "en":
        page.get_by_text("English").click()
        page.wait_for_selector("text=Participation in cycle", timeout=30_000)
    page.get_by_role("link", name="Carte des lacunes" if lang == "fr" else "Gap map").click()
    frame_element = page.locator("iframe[title*='st_folium']").first
    frame_element.wait_for(timeout=60_000)
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=60_000)
    frame.wait_for_selector(".carto-label", timeout=30_000)
    if viewport["width"] < 600 and page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "false":
        # the sidebar covers the page on a phone: close it ("<<") to see the map
        page.get_by_test_id("stSidebar").get_by_test_id("stBaseButton-headerNoPadding").first.click()
        page.wait_for_timeout(1000)
    page.wait_for_timeout(1500)  # labels decluttered, legend drawn
    return context, page, frame_element, frame


def _inside(box: dict, viewport: dict) -> bool:
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and (box["y"] + box["height"] <= viewport["height"])
    )


def test_map_region_title_and_legend_fit_the_screen(browser, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context, page, frame_element, frame = _open_map(browser, server, DESKTOP)
    try:
        assert page.evaluate("() => window.scrollY") == 0
        # The whole region: every area's polygon inside the map and inside the screen.
        origin = frame_element.bounding_box()
        region = frame.evaluate(REGION_BOX)
        assert region["count"] >= 28
        box = {
            "x": origin["x"] + region["left"],
            "y": origin["y"] + region["top"],
            "width": region["right"] - region["left"],
            "height": region["bottom"] - region["top"],
        }
        assert _inside(box, DESKTOP), box
        assert box["height"] > 0.45 * DESKTOP["height"]  # a map, not a thumbnail
        # The title says what is shown, on screen.
        title = page.get_by_text(
            re.compile(r"^Classe de lacune — toutes catégories — London, Middlesex, Elgin, Oxford")
        )
        assert _inside(title.first.bounding_box(), DESKTOP)
        # The legend's classes, beside the map (not over it), on screen.
        legend = page.locator(".carto-legend .sec").first
        legend_box = legend.bounding_box()
        assert _inside(legend_box, DESKTOP), legend_box
        assert legend_box["x"] >= origin["x"] + origin["width"] - 1  # right of the map
        assert "Aucun service en français à portée" in legend.inner_text()
        # Municipality names drawn on the map, readable at the default zoom.
        names = frame.evaluate(VISIBLE_LABELS)
        assert {"London", "St. Thomas", "Woodstock"} <= set(names), names
        # Nothing of ours over the region: the layer control starts collapsed.
        assert frame.locator(".leaflet-control-layers-expanded").count() == 0
        page.screenshot(path=ARTIFACTS / "map-desktop-fr.png")
    finally:
        context.close()


def test_area_details_by_keyboard_in_a_readable_table(browser, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context, page, _, _ = _open_map(browser, server, DESKTOP)
    try:
        box = page.get_by_role("combobox", name="Zone (ou cliquez sur la carte)")
        box.focus()
        page.keyboard.type("Woodstock")
        page.keyboard.press("Enter")
        table = page.locator("[data-testid=stTable]").first
        table.wait_for(timeout=30_000)
        page.get_by_text("Indice de lacune").first.wait_for(timeout=30_000)
        text = table.inner_text()
        assert "Classe" in text and "Indice de lacune" in text
        assert re.search(r"\d,\d\d", text)  # French decimals (0,54)
        # Every value visible without scrolling sideways.
        overflow = table.evaluate("(el) => el.scrollWidth - el.clientWidth")
        assert overflow <= 1
        table.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "map-details-fr.png")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "viewport", "name"), [("en", DESKTOP, "desktop"), ("fr", PHONE, "phone"), ("en", PHONE, "phone")]
)
def test_map_screenshots(browser, server, lang: str, viewport: dict, name: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context, page, _, frame = _open_map(browser, server, viewport, lang)
    try:
        if lang == "en":
            page.get_by_text(re.compile(r"^Gap class — all categories")).first.wait_for(timeout=30_000)
        assert "London" in frame.evaluate(VISIBLE_LABELS)
        page.screenshot(path=ARTIFACTS / f"map-{name}-{lang}.png")
    finally:
        context.close()
