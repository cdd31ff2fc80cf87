"""Screenshots of every page of the app, in French and English, on a desktop and a phone.

Starts the app on a temporary demonstration store (fictitious data, loaded fresh into a
temporary folder; the project's stores are not touched), signs in as each role and writes
one PNG per page, role, language and screen size, so a reviewer can see the whole app
without installing anything::

    .venv/bin/python scripts/screenshots.py [FOLDER] [--only fr|en] [--roles anonymous,table]

FOLDER defaults to ``build/screenshots`` (ignored by git). Files are named
``<role>-<lang>-<screen>-<page>.png``, e.g. ``table-fr-phone-carte.png``. Needs Debian's
``chromium`` (or ``CHROMIUM=/path``) and Playwright (in the test extras).

The browser helpers here (:func:`serve`, :func:`sign_in`, :func:`open_page`) are shared with
the French end-to-end test (tests/test_e2e_french.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: The demo accounts (data/demo/demo.toml): username and published password, by role.
ACCOUNTS = {
    "anonymous": None,
    "member": ("ccfl", "demo-ccfl"),
    "table": ("table", "demo-table"),
    "coordinator": ("coordination", "demo-coordination"),
}
#: Pages by URL path, with what each role may open (the others show "sign in" or are absent).
PAGES = ("accueil", "gabarit", "carte", "explorateur", "rapports", "administration")
SCREENS = {"desktop": (1440, 900), "phone": (390, 844)}
#: A phone is a phone to the page too (Streamlit closes its sidebar after navigation only on a
#: mobile browser, which it recognises by its user agent), not just a narrow window.
PHONE = {
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
}


def screen_options(screen: str) -> dict[str, object]:
    """Browser context options for ``screen`` ("desktop" or "phone")."""
    width, height = SCREENS[screen]
    return {"viewport": {"width": width, "height": height}, **(PHONE if screen == "phone" else {})}
#: Text each page shows once it has finished drawing, by language (what we wait for).
READY = {"fr": "Langue / Language", "en": "Langue / Language"}


def free_port() -> int:
    """A TCP port nobody listens on right now (the server takes it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_store(folder: Path) -> str:
    """A demonstration store under ``folder``; its URL.

    A copy of the project's demo store (``data/demo/store.sqlite``, made by ``scripts/app.sh``)
    when there is one, so the screenshots show what ``app.sh`` serves and the original is never
    written to; otherwise the demo cycles are loaded into a new one.
    """
    from cartography.io.geo_source import load_geography
    from cartography.io.store import Store, demo_url
    from cartography.services.demo import load_demo

    url = f"sqlite:///{folder / 'demo.sqlite'}"
    original = Path(demo_url().removeprefix("sqlite:///"))
    if original.is_file():
        source = sqlite3.connect(original)
        with sqlite3.connect(folder / "demo.sqlite") as copy:
            source.backup(copy)  # consistent even if the app is serving it right now
        source.close()
        return url
    store = Store(url)
    load_demo(store, load_geography().gazetteer(), folder / "workbooks")
    store.dispose()
    return url


@contextlib.contextmanager
def serve(url: str, data_dir: Path, port: int | None = None) -> Iterator[str]:
    """Run the app on store ``url`` until the block ends; yields its base address."""
    port = port or free_port()
    env = {**os.environ, "CARTO_DATABASE_URL": url, "CARTO_DATA_DIR": str(data_dir)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.runOnSave", "false",
    ]  # fmt: skip
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the app did not start; see {data_dir / 'server.log'}") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app has drawn the page: its script has run to the end, twice in a row."""
    page.wait_for_selector("[data-testid=stSidebar]", state="attached", timeout=180_000)
    done = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
    page.wait_for_function(done, timeout=180_000)
    page.wait_for_timeout(700)  # a rerun a widget asks for, late layout (charts, the map's iframe)
    page.wait_for_function(done, timeout=180_000)
    # widgets' code loads lazily: grey placeholders until then
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stSkeleton], [data-testid=stSkeletonElement]')",
        timeout=60_000,
    )


def open_page(page, base: str, path: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``path`` in ``language`` (French leaves the address clean) and wait for it."""
    query = "?lang=en" if language == "en" else ""
    page.goto(f"{base}/{path}{query}")
    settle(page)


def _sidebar_open(page) -> bool:  # type: ignore[no-untyped-def]
    sidebar = page.locator("[data-testid=stSidebar]")
    return sidebar.count() > 0 and sidebar.get_attribute("data-collapsed") == "false"


def open_sidebar(page) -> None:  # type: ignore[no-untyped-def]
    """Open the sidebar (closed on a phone) with its own button, and wait for it."""
    page.locator("[data-testid=stExpandSidebarButton]").first.click()
    page.wait_for_selector("[data-testid=stSidebar][data-collapsed=false]", timeout=10_000)
    page.wait_for_timeout(400)  # the slide-in


def sign_in(page, base: str, role: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as ``role``'s demo account from the home page (nothing to do when anonymous)."""
    account = ACCOUNTS[role]
    open_page(page, base, "", language)
    if account is None:
        return
    if not _sidebar_open(page):
        open_sidebar(page)
    user_label, password_label, button = (
        ("Nom d'utilisateur", "Mot de passe", "Se connecter")
        if language == "fr"
        else ("Username", "Password", "Sign in")
    )
    page.get_by_label(user_label, exact=True).fill(account[0])
    page.get_by_label(password_label, exact=True).fill(account[1])  # not the "show password" eye
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_selector("text=Connecté" if language == "fr" else "text=Signed in", timeout=30_000)
    settle(page)


def go(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Navigate inside the app (keeps the session, hence the sign-in) by changing the address's path.

    Uses the history API the way Streamlit's own links do, then lets the app rerun.
    """
    link = page.locator(f"[data-testid=stSidebarNav] a[href$='/{path}']")
    if link.count():
        if not _sidebar_open(page):
            open_sidebar(page)
        link.first.click()
        settle(page)
        return
    raise LookupError(path)


def offered(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The pages the sidebar offers the signed-in role, by URL path ("accueil" for the home page).

    Read from the page itself, so a page added to the app is photographed without a change here.
    """
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stSidebarNav] a')].map(a => new URL(a.href).pathname)"
    )
    paths = [href.strip("/").split("/")[-1] or "accueil" for href in hrefs]
    return list(dict.fromkeys(paths)) or list(PAGES)


def whole_page(page, target: Path) -> Path:  # type: ignore[no-untyped-def]
    """Screenshot of the whole page, however long.

    Streamlit scrolls inside its main area, not the document, so a "full page" screenshot
    would show one screen: the window is made as tall as the content for the shot, then
    put back.
    """
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    if tall > height:
        page.set_viewport_size({"width": width, "height": min(int(tall) + 40, 12_000)})
        page.wait_for_timeout(700)
    page.screenshot(path=target)
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)
    return target


def shoot(folder: Path, languages: list[str], roles: list[str]) -> list[Path]:
    """Take every screenshot; returns the files written."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="carto-shots-") as temp:
        home = Path(temp)
        print(f"Chargement des données de démonstration / loading demo data in {home} ...", flush=True)
        url = demo_store(home)
        with serve(url, home) as base, sync_playwright() as playwright:
            print(f"Application / app: {base}", flush=True)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for role in roles:
                for language in languages:
                    for screen in SCREENS:
                        context = browser.new_context(**screen_options(screen))
                        page = context.new_page()
                        sign_in(page, base, role, language)
                        for path in offered(page):
                            if path == "accueil":
                                open_here = True
                            else:
                                try:
                                    go(page, path)
                                    open_here = True
                                except LookupError:
                                    open_here = False  # not offered to this role
                            if not open_here:
                                continue
                            if page.locator("iframe[title*='st_folium']").count():
                                with contextlib.suppress(Exception):
                                    page.frame_locator("iframe[title*='st_folium']").first.locator(
                                        "path.leaflet-interactive"
                                    ).first.wait_for(timeout=30_000)
                                page.wait_for_timeout(800)
                            target = folder / f"{role}-{language}-{screen}-{path}.png"
                            page.screenshot(path=target)  # what the reader sees first
                            written.append(target)
                            written.append(whole_page(page, target.with_name(target.stem + "-full.png")))
                            print(f"  {target}", flush=True)
                        context.close()
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: folder, languages, roles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "build" / "screenshots"))
    parser.add_argument("--only", choices=["fr", "en"], help="one language only")
    parser.add_argument("--roles", default=",".join(ACCOUNTS), help="comma-separated: " + ", ".join(ACCOUNTS))
    args = parser.parse_args(argv)
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    unknown = [r for r in roles if r not in ACCOUNTS]
    if unknown:
        parser.error(f"unknown role(s): {', '.join(unknown)}")
    if not Path(CHROMIUM).exists():
        print(f"chromium introuvable / not found: {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    languages = [args.only] if args.only else ["fr", "en"]
    written = shoot(Path(args.folder), languages, roles)
    print(f"{len(written)} captures / screenshots in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
