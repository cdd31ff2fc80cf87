"""Everything the pages cache, in one place (the only module that uses ``st.cache_*``)."""

from __future__ import annotations

import streamlit as st

from cartography.i18n import Lang, t
from cartography.io.geo_source import Geography, load_geography


@st.cache_resource(show_spinner=False)
def geography() -> Geography:
    """The geography in use, loaded once per server process."""
    return load_geography()


def lang() -> Lang:
    """The language chosen in the sidebar (French by default)."""
    return "en" if st.session_state.get("lang") == "en" else "fr"


def tr(key: str, **fields: object) -> str:
    """A catalogue message in the chosen language."""
    return t(key, lang(), **fields)


def language_switch() -> None:
    """French by default, English on request; remembered for the session."""
    choice = st.sidebar.radio(
        "Langue / Language",
        options=["fr", "en"],
        format_func=lambda c: "Français" if c == "fr" else "English",
        horizontal=True,
        key="lang",
    )
    del choice
