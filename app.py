"""Cartographie — the Streamlit app: page configuration, navigation and the rules every page keeps.

Every page runs inside :func:`cartography.ui.state.guarded` (no traceback reaches a user: a
short bilingual message with an incident reference instead, the detail in the operator's
log) and under the banner naming the store served (demonstration or real data).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cartography.i18n import t
from cartography.ui.state import guarded, lang, language_switch, sign_in_box, store_banner, user

PAGES = Path(__file__).parent / "src" / "cartography" / "ui" / "pages"

st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
# Whatever the server's configuration, an exception Streamlit itself catches (a callback, say)
# shows only a generic message: no type, no message, no traceback in the browser.
st.set_option("client.showErrorDetails", "none")


@guarded
def _sidebar() -> None:
    language_switch()
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
    if current and current["role"] == "coordinator":
        pages.append(st.Page(PAGES / "admin.py", title=t("nav.admin", lang()), url_path="administration"))
    st.navigation(pages).run()


_sidebar()
_banner()
_pages()
