"""End to end in headless Chromium (Debian's package) against the real server started here.

The server runs on a fresh store loaded with the demo cycle (invented data) plus one
organisation whose name is an HTML injection attempt. Screenshots go to test-artifacts/.
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
EVIL = "<img src=x onerror=alert(1)>"
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, geography, demo_org):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must provide Debian's chromium for the end-to-end test")
        pytest.skip("chromium not installed")
    from cartography.io.store import Store
    from cartography.io.submission import load_demo, submit_workbook

    home = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{home / 'e2e.sqlite'}"
    store = Store(url)
    gaz = geography.gazetteer()
    load_demo(store, gaz, home / "wb")
    evil = dict(demo_org, org_id="evil", name=EVIL, email="evil@example.org")
    path = home / "evil.xlsx"
    write_template(path, gaz.municipality_names)
    fill_template(path, evil)
    stored = submit_workbook(store, path, "2019-2020", "demo:evil", gaz)
    store.validate("evil", "2019-2020", stored.version, "coordination-demo")
    store.dispose()
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
def page(browser, server):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    page.goto(server)
    page.wait_for_selector("text=Participation au cycle 2019-2020", timeout=60_000)
    yield page
    context.close()


def _sign_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
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
    page.wait_for_selector("text=Participation in cycle 2019-2020", timeout=30_000)
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
    page.get_by_role("link", name="Gabarit").click()
    page.wait_for_selector("text=Déposer un gabarit rempli", timeout=30_000)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.wait_for_selector("text=problème(s) à corriger", timeout=60_000)
    grid = page.locator("[data-testid=stTable]").first
    grid.wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "e2e-template-errors.png", full_page=True)
    text = grid.inner_text()
    assert "Lieux" in text and "Municipalité" in text and "Londn" in text and "London" in text


def test_injected_name_is_text_and_no_script_runs(page) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, "table", "demo-table")
    page.get_by_role("link", name="Carte des lacunes").click()
    frame = _map_frame(page)
    html = frame.locator("body").inner_html()
    assert 'src="x"' not in html
    assert frame.locator("img[src='x']").count() == 0
    page.get_by_role("link", name="Accueil").click()
    page.wait_for_selector("text=Participation au cycle", timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=ARTIFACTS / "e2e-injection.png")
