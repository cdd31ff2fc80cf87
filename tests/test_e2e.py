"""End to end in headless Chromium (Debian's package) against the real server started here.

The server runs on a fresh store loaded with the demo cycle (invented data) plus one
organisation whose name, sites, services and need comments are script injection attempts
(:data:`PAYLOADS`). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cartography.io.template import fill_template, write_template

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LATEST = "2020-2021"  # the demo's newest cycle: the one the home page opens on
#: Member text that runs script if it reaches HTML, a JavaScript string, a template literal
#: (folium writes tooltip and popup HTML into backtick strings) or Jinja unescaped. Each one
#: that runs leaves a mark: ``window.__pwned``, a changed title, a dialog or an ``img[src=x]``.
#: No quotes in the payloads that need to run: the old HTML escaping broke those on its own.
PAYLOADS = (
    "${window.__pwned=1}",
    "`+(window.__pwned=2)+`",
    "</script><script>window.__pwned=3</script>",
    '"><img src=x onerror=window.__pwned=4>',
    "x'-(window.__pwned=5)-'",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    "a\u2028${document.title=7}",
    "${alert(8)}<svg onload=alert(8)>",
)
pytestmark = pytest.mark.browser


def hostile_organisation(base: dict) -> dict:
    """A member whose name, sites, services and need comments are all :data:`PAYLOADS`.

    Names go where each field reaches a map: the organisation's name in every point's tooltip
    and popup, site names in popups, service names in tooltips, popups and the remote-service
    areas' tooltips, comments in the needs' popups.
    """
    p = PAYLOADS
    sites = [
        dict(base["sites"][0], name=p[2]),
        dict(base["sites"][1], name=p[3]),
        {"site_code": "S3", "name": p[4], "municipality": "Woodstock", "postal_code": "N4S 1A1"},
    ]
    names = [p[5], p[6], p[7], p[0], p[1], p[5], p[4]]
    services = [dict(service, name=name) for service, name in zip(base["services"], names, strict=True)]
    services.append(dict(base["services"][0], service_code="A8", site_code="S3", name=p[2]))
    needs = [dict(need, comment=p[i % len(p)]) for i, need in enumerate(base["needs"])]
    return dict(
        base,
        org_id="evil",
        name=f"{p[0]} {p[1]}",
        email="evil@example.org",
        sites=sites,
        services=services,
        needs=needs,
    )


#: Opens every tooltip and popup of a folium map: every marker leaves its cluster, every
#: shape and marker gets the mouseover and (where it has a popup) the click that Leaflet
#: listens to, and the text each shows is returned.
DRIVE_EVERY_OVERLAY = """
async () => {
  let map = window.map instanceof L.Map ? window.map : null;
  for (const key of Object.keys(window)) {
    if (map) break;
    try { if (window[key] instanceof L.Map) map = window[key]; } catch (error) {}
  }
  for (const layer of Object.values(map._layers)) {
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      const markers = layer.getLayers();
      layer.clearLayers();
      markers.forEach((marker) => marker.addTo(map));
    }
  }
  const shown = {tooltips: [], popups: []};
  for (const layer of Object.values(map._layers).filter((l) => l._path)) {
    const at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
    // true: the event goes on to the layer's groups, as a real one does
    if (layer._popup) {
      layer.fire("click", {latlng: at}, true);
      const box = layer._popup;  // what Leaflet just wrote into the page
      shown.popups.push(box.isOpen() ? box._contentNode.textContent : null);
      map.closePopup();
    }
    const owner = [layer, ...Object.values(layer._eventParents || {})].find((l) => l._tooltip);
    if (owner) {
      layer.fire("mouseover", {latlng: at}, true);
      const tip = owner._tooltip;
      shown.tooltips.push(tip.isOpen() && tip._source === layer ? tip._contentNode.textContent : null);
    }
    layer.fire("mouseout", {latlng: at}, true);  // closes the tooltip a click opens too
  }
  await new Promise((resolve) => setTimeout(resolve, 300));  // deferred handlers (onerror)
  return shown;
}
"""

#: Brings one marker of the hostile organisation to the front, centred, for a real mouse.
PROBE_MARKER = """
() => {
  const map = window.map instanceof L.Map ? window.map
    : Object.values(window).find((value) => value instanceof L.Map);
  const marker = Object.values(map._layers).find(
    (l) => l._path && l._popup && l._tooltip && String(l._tooltip._content).includes("__pwned=1"));
  map.setView(marker.getLatLng(), 15, {animate: false});
  marker.bringToFront();
  marker._path.setAttribute("data-probe", "hostile");
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def e2e_store(tmp_path_factory, geography, demo_org) -> str:  # type: ignore[no-untyped-def]
    """URL of a store holding the demo cycle plus the validated hostile organisation."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must provide Debian's chromium for the end-to-end test")
        pytest.skip("chromium not installed")
    from cartography.io.store import Store
    from cartography.services.demo import load_demo
    from cartography.services.submissions import submit_workbook

    home = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{home / 'e2e.sqlite'}"
    store = Store(url)
    gaz = geography.gazetteer()
    load_demo(store, gaz, home / "wb")
    evil = hostile_organisation(demo_org)
    path = home / "evil.xlsx"
    write_template(path, gaz.municipality_names)
    fill_template(path, evil)
    for cycle in ("2019-2020", LATEST):  # in every demo cycle, whichever a page opens on
        stored = submit_workbook(store, path, cycle, "demo:evil", gaz)
        store.validate("evil", cycle, stored.version, "coordination-demo")
    store.dispose()
    return url


@pytest.fixture(scope="module")
def server(e2e_store: str, tmp_path_factory):  # type: ignore[no-untyped-def]
    url = e2e_store
    home = tmp_path_factory.mktemp("e2e-server")
    port = _free_port()
    env = {**os.environ, "CARTO_DATABASE_URL": url, "CARTO_DATA_DIR": str(home)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # as `cartography serve`: no rerun prompt when a file changes during the test
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the app server did not start")
    yield base
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:  # open websocket sessions can hold it: stop it outright
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def blank(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records (and dismisses) every dialog any of its frames opens."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def page(blank, server):  # type: ignore[no-untyped-def]
    page = blank
    page.goto(server)
    page.wait_for_selector(f"text=Participation au cycle {LATEST}", timeout=60_000)
    return page


def _sign_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(password)  # not the eye button
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Connecté", timeout=30_000)


def _map_frame(page):  # type: ignore[no-untyped-def]
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    return frame


def test_home_status_and_language_switch(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Taux d'utilisation").first.wait_for(timeout=30_000)
    page.get_by_text("Collège Boréal").first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "e2e-home-fr.png")
    page.get_by_text("English").click()
    page.wait_for_selector(f"text=Participation in cycle {LATEST}", timeout=30_000)
    page.get_by_text("Participation rate").first.wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "e2e-home-en.png")


def test_map_draws_polygons_and_county_filter_reduces_them(page) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, "table", "demo-table")
    page.get_by_role("link", name="Carte des lacunes").click()
    frame = _map_frame(page)
    everything = frame.locator("path.leaflet-interactive").count()
    assert everything >= 28  # the 28 municipalities, plus points and needs
    page.screenshot(path=ARTIFACTS / "e2e-map-all.png")
    page.get_by_role("combobox", name="Régions (comtés)").click()
    page.get_by_role("option", name="Elgin").click()
    page.keyboard.press("Escape")
    # The map redraws after the filter: wait for the new drawing (not the empty frame between).
    deadline = time.time() + 60
    count = everything
    while time.time() < deadline:
        frame = _map_frame(page)
        count = frame.locator("path.leaflet-interactive").count()
        if 0 < count < everything:
            break
        time.sleep(0.5)
    assert 8 <= count < everything  # Elgin's 8 municipalities (plus its points and needs), not all 28
    page.wait_for_timeout(1000)
    page.screenshot(path=ARTIFACTS / "e2e-map-elgin.png")


def test_bad_workbook_shows_located_errors(page, tmp_path, geography, demo_org) -> None:  # type: ignore[no-untyped-def]
    bad = dict(demo_org, sites=[dict(demo_org["sites"][0], municipality="Londn"), *demo_org["sites"][1:]])
    path = tmp_path / "mauvais.xlsx"
    write_template(path, geography.gazetteer().municipality_names)
    fill_template(path, bad)
    _sign_in(page, "ccfl", "demo-ccfl")  # uploading and checking a workbook needs an account
    page.get_by_role("link", name="Gabarit").click()
    page.wait_for_selector("text=Déposer un gabarit rempli", timeout=30_000)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.wait_for_selector("text=problème(s) à corriger", timeout=60_000)
    grid = page.locator("[data-testid=stTable]").first
    grid.wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "e2e-template-errors.png", full_page=True)
    text = grid.inner_text()
    assert "Lieux" in text and "Municipalité" in text and "Londn" in text and "London" in text


def _assert_nothing_ran(page, frame) -> None:  # type: ignore[no-untyped-def]
    """No payload left its mark, in the map's frame or in the page around it."""
    marks = {
        "map window.__pwned": frame.evaluate("() => window.__pwned"),
        "page window.__pwned": page.evaluate("() => window.__pwned"),
        "title set": frame.evaluate("() => document.title") == "7",
        "img[src=x]": frame.locator("img[src='x']").count(),
        "dialogs": page.dialogs,  # type: ignore[attr-defined]
    }
    assert marks == {
        "map window.__pwned": None,
        "page window.__pwned": None,
        "title set": False,
        "img[src=x]": 0,
        "dialogs": [],
    }, f"member text ran as script: {marks}"


def _drive_hostile_map(page, frame) -> None:  # type: ignore[no-untyped-def]
    """Open every tooltip and popup of the map in ``frame``; fail if any member text ran.

    Every overlay layer is switched on with the layer control (the remote-service areas start
    hidden), then each shape and marker gets its mouseover and click; every payload must be
    shown as typed, and none may have left its mark. Finally the mouse hovers one of the
    hostile organisation's markers and a DOM click opens its popup.
    """
    frame.locator(".leaflet-control-layers").first.hover()  # the layer control starts collapsed
    overlays = frame.locator(".leaflet-control-layers-overlays input[type=checkbox]:not(:checked)")
    while overlays.count():
        overlays.first.click()
    _assert_nothing_ran(page, frame)  # on loading
    shown = frame.evaluate(DRIVE_EVERY_OVERLAY)
    _assert_nothing_ran(page, frame)  # on opening every tooltip and popup
    assert shown["tooltips"] and None not in shown["tooltips"]
    assert shown["popups"] and None not in shown["popups"]
    texts = shown["tooltips"] + shown["popups"]
    for payload in PAYLOADS:
        assert any(payload in text for text in texts), f"not shown as typed: {payload!r}"
    frame.evaluate(PROBE_MARKER)
    probe = frame.locator("[data-probe=hostile]")
    probe.hover()
    frame.locator(".leaflet-tooltip", has_text=PAYLOADS[0]).wait_for(timeout=10_000)
    probe.dispatch_event("click")  # a DOM click: inside the app a real one can land on the svg group
    frame.locator(".leaflet-popup-content", has_text=PAYLOADS[0]).wait_for(timeout=10_000)
    page.wait_for_timeout(300)  # any handler the popup could have set off
    _assert_nothing_ran(page, frame)


def test_standalone_map_runs_no_member_text(blank, e2e_store, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cartography.cli import main

    monkeypatch.setenv("CARTO_DATABASE_URL", e2e_store)
    target = tmp_path / "carte.html"
    assert main(["map", "--cycle", LATEST, "-o", str(target)]) == 0
    blank.goto(target.as_uri())
    blank.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    _drive_hostile_map(blank, blank.main_frame)
    blank.screenshot(path=ARTIFACTS / "e2e-injection-standalone.png")


def test_app_map_runs_no_member_text(page) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, "table", "demo-table")
    page.get_by_role("link", name="Carte des lacunes").click()
    _map_frame(page)
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    _drive_hostile_map(page, frame)
    page.screenshot(path=ARTIFACTS / "e2e-injection-map.png")
    page.get_by_role("link", name="Accueil").click()
    page.wait_for_selector("text=Participation au cycle", timeout=30_000)
    page.get_by_text("Collège Boréal").first.wait_for(state="attached", timeout=30_000)
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=ARTIFACTS / "e2e-injection.png")
