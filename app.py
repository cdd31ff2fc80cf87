"""Cartographie — the Streamlit app: page configuration, navigation and the rules every page keeps.

Every page runs inside :func:`cartography.ui.state.guarded` (no traceback reaches a user: a
short bilingual message with an incident reference instead, the detail in the operator's
log) and under the banner naming the store served (demonstration or real data).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cartography.i18n import t
from cartography.ui.state import guarded, lang, language_switch, page_language, sign_in_box, store_banner, user

PAGES = Path(__file__).parent / "src" / "cartography" / "ui" / "pages"

# The tab's title is set again per page and language once the page is known (see _pages).
st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
# Whatever the server's configuration, an exception Streamlit itself catches (a callback, say)
# shows only a generic message: no type, no message, no traceback in the browser.
st.set_option("client.showErrorDetails", "none")


@guarded
def _sidebar() -> None:
    language_switch()
    page_language()  # <html lang> and Streamlit's own words in the chosen language
    sign_in_box()


@guarded
def _banner() -> None:
    store_banner()


@guarded
def _pages() -> None:
    current = user()
    pages = [
        st.Page(PAGES / "home.py", title=t("nav.home", lang()), default=True, url_path="accueil"),
        st.Page(PAGES / "template.py", title=t("nav.template", lang()), url_path="gabarit"),
        st.Page(PAGES / "map.py", title=t("nav.map", lang()), url_path="carte"),
        st.Page(PAGES / "explorer.py", title=t("nav.explorer", lang()), url_path="explorateur"),
        st.Page(PAGES / "reports.py", title=t("nav.reports", lang()), url_path="rapports"),
    ]
    if current and current["role"] in ("planner", "coordinator"):  # the table and the coordinator
        pages.append(st.Page(PAGES / "compare.py", title=t("compare.nav", lang()), url_path="comparaison"))
    if current and current["role"] == "coordinator":
        pages.append(st.Page(PAGES / "admin.py", title=t("nav.admin", lang()), url_path="administration"))
    page = st.navigation(pages)
    # The browser tab names the page in the reader's language ("Carte des lacunes — Cartographie").
    st.set_page_config(page_title=t("appfr.tab_title", lang(), page=page.title))
    page.run()


_sidebar()
_banner()
_pages()
