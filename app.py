"""Cartographie — the Streamlit app: page configuration and navigation only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cartography.i18n import t
from cartography.ui.state import lang, language_switch

PAGES = Path(__file__).parent / "src" / "cartography" / "ui" / "pages"

st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
language_switch()
navigation = st.navigation(
    [
        st.Page(PAGES / "home.py", title=t("nav.home", lang()), default=True, url_path="accueil"),
    ]
)
navigation.run()
