"""Cartographie — the Streamlit app: page configuration and navigation only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cartography.i18n import t
from cartography.ui.state import lang, language_switch, sign_in_box, user

PAGES = Path(__file__).parent / "src" / "cartography" / "ui" / "pages"

st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
language_switch()
sign_in_box()
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
