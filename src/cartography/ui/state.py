"""Everything the pages share and cache, in one place (the only module using ``st.cache_*``).

Heavy objects (the geography, the store, a compiled cycle, simplified boundaries) are cached
as resources keyed by what they depend on; a compiled cycle is keyed by the store's
revision, so a new validation is seen at once without recompiling on every rerun.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from cartography.i18n import Lang, t
from cartography.io.compile import Compiled, compile_cycle
from cartography.io.geo_source import Geography, load_geography
from cartography.io.store import Store, default_url
from cartography.maps import display_geometries


@st.cache_resource(show_spinner=False)
def _geography() -> Geography:
    return load_geography()


def geography() -> Geography:
    """The geography in use, loaded once per server process."""
    return _geography()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The store named by ``CARTO_DATABASE_URL`` (or the embedded SQLite file)."""
    return _store(default_url())


@st.cache_resource(show_spinner=False, max_entries=8)
def _compiled(url: str, cycle: str, revision: int) -> Compiled | None:
    del revision  # part of the cache key only
    current = _store(url)
    if not current.validated(cycle):
        return None
    return compile_cycle(current, _geography(), cycle)


def compiled(cycle: str) -> Compiled | None:
    """The cycle's compiled, privacy-protected layers (``None`` if nothing is validated)."""
    current = store()
    return _compiled(default_url(), cycle, current.revision())


@st.cache_resource(show_spinner=False, max_entries=16)
def _geometries(url: str, cycle: str, revision: int, level: str) -> gpd.GeoSeries:
    result = _compiled(url, cycle, revision)
    assert result is not None
    return display_geometries(result.layers[f"gaps_{level}"], level)


def map_geometries(cycle: str, level: str) -> gpd.GeoSeries:
    """Simplified display boundaries of a level, computed once per compiled cycle."""
    return _geometries(default_url(), cycle, store().revision(), level)


# -- language and messages -------------------------------------------------------------------


def lang() -> Lang:
    """The language chosen in the sidebar (French by default)."""
    return "en" if st.session_state.get("lang") == "en" else "fr"


def tr(key: str, **fields: object) -> str:
    """A catalogue message in the chosen language."""
    return t(key, lang(), **fields)


def language_switch() -> None:
    """French by default, English on request; remembered for the session."""
    st.sidebar.radio(
        "Langue / Language",
        options=["fr", "en"],
        format_func=lambda c: "Français" if c == "fr" else "English",
        horizontal=True,
        key="lang",
    )


# -- accounts --------------------------------------------------------------------------------


def user() -> dict[str, str | None] | None:
    """The signed-in account, if any."""
    return st.session_state.get("user")


def sign_in_box() -> None:
    """Sign-in form (or the signed-in account and a sign-out button) in the sidebar."""
    current = user()
    box = st.sidebar.container(border=True)
    if current:
        role = tr(f"users.role.{current['role']}")
        org = f" — {current['org_id']}" if current.get("org_id") else ""
        box.write(tr("ui.signed_in_as", name=current["username"], role=role) + org)
        if box.button(tr("ui.sign_out"), key="sign_out"):
            st.session_state.pop("user", None)
            st.rerun()
        return
    with box.form("sign_in", clear_on_submit=False):
        st.write(tr("ui.sign_in"))
        username = st.text_input(tr("ui.username"), key="sign_in_username")
        password = st.text_input(tr("ui.password"), type="password", key="sign_in_password")
        if st.form_submit_button(tr("ui.sign_in_button")):
            account = store().authenticate(username, password)
            if account is None:
                st.error(tr("ui.sign_in_failed"))
            else:
                st.session_state["user"] = account
                st.rerun()


def require(*roles: str) -> dict[str, str | None] | None:
    """The signed-in account if it has one of ``roles``; otherwise say so and stop the page."""
    current = user()
    if current is None:
        st.info(tr("ui.sign_in_required"))
        st.stop()
    if roles and current["role"] not in roles:
        st.warning(tr("ui.not_allowed"))
        st.stop()
    return current


# -- shared widgets --------------------------------------------------------------------------


def cycle_picker(key: str = "cycle") -> str | None:
    """Choose a reporting cycle (the newest by default)."""
    cycles = [c.code for c in store().cycles()]
    if not cycles:
        st.info(tr("ui.no_cycle"))
        return None
    if st.session_state.get(key) not in cycles:
        st.session_state[key] = cycles[-1]
    return st.selectbox(tr("ui.cycle"), cycles, key=key)


def demo_banner(is_demo: bool) -> None:
    if is_demo:
        st.warning(f"**{tr('demo.label')}** — {tr('ui.demo_note')}", icon="⚠️")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: geometry removed (tables show numbers and names only)."""
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


@st.cache_data(show_spinner=False, max_entries=32)
def _template_bytes(url: str, cycle: str, org_id: str | None, revision: int) -> bytes:
    import io

    from cartography.io.template import write_template

    del revision
    names = _geography().gazetteer().municipality_names
    buffer = io.BytesIO()
    if org_id:
        previous = _store(url).latest_validated(org_id)
        if previous is not None:
            write_template(
                buffer, names, cycle=cycle, content=previous.content, prefilled_from=(previous.cycle, previous.version)
            )
            return buffer.getvalue()
    write_template(buffer, names, cycle=cycle)
    return buffer.getvalue()


def template_bytes(cycle: str, org_id: str | None = None) -> bytes:
    """The blank template, or an organisation's pre-filled one, as workbook bytes."""
    return _template_bytes(default_url(), cycle, org_id, store().revision())


@st.cache_resource(show_spinner=False)
def _gazetteer():  # type: ignore[no-untyped-def]
    return _geography().gazetteer()


def gazetteer():  # type: ignore[no-untyped-def]
    """The geocoding gazetteer (built once)."""
    return _gazetteer()


def multichoice(container, label_key: str, options, format_func, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """A filter that selects nothing by default, meaning everything (placeholder from the catalogue)."""
    return container.multiselect(
        tr(label_key), list(options), format_func=format_func, placeholder=tr("ui.choose"), key=key
    )


def region_and_municipality_filters(region_box, municipality_box, prefix: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Regions (counties), then the municipalities of the chosen regions."""
    from cartography.vocabulary import REGIONS

    regions = multichoice(
        region_box, "map.control.regions", REGIONS.codes, lambda c: REGIONS.label(c, lang()), f"{prefix}_regions"
    )
    munis = geography().municipalities
    if regions:
        munis = munis[munis["region"].isin(regions)]
    names = dict(zip(munis["CSDUID"], munis["CSDNAME"], strict=True))
    municipalities = multichoice(
        municipality_box, "map.control.municipalities", names, names.get, f"{prefix}_municipalities"
    )
    return regions, municipalities


def display_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A table for the screen: chosen columns, codes shown as labels, headers from the catalogue."""
    from cartography.gaps import ALL
    from cartography.i18n import MESSAGES
    from cartography.vocabulary import (
        CLIENT_PROFILES,
        CONTINUUM_STAGES,
        GAP_CLASSES,
        REGIONS,
        SERVICE_CATEGORIES,
        SERVICE_LANGUAGES,
        SERVICE_MODES,
        SUBMISSION_STATUSES,
    )

    vocabularies = {
        "category": SERVICE_CATEGORIES,
        "gap_class": GAP_CLASSES,
        "region": REGIONS,
        "language": SERVICE_LANGUAGES,
        "mode": SERVICE_MODES,
        "profile": CLIENT_PROFILES,
        "stage": CONTINUUM_STAGES,
        "status": SUBMISSION_STATUSES,
    }
    out = safe_frame(frame)
    if columns is not None:
        out = out[[c for c in columns if c in out.columns]]
    else:
        out = out[[c for c in out.columns if not c.endswith(("_fr", "_en")) and not c.startswith("_")]]
    for column, vocab in vocabularies.items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda code, v=vocab: (
                    tr("map.all_categories") if code == ALL else (v.label(code, lang()) if code in v else code)
                )
            )
    return out.rename(columns={c: tr(f"col.{c}") for c in out.columns if f"col.{c}" in MESSAGES})


def compiled_page(title_key: str) -> tuple[str, Compiled] | None:
    """Opening of every page of compiled results: sign-in, title, cycle, demo label.

    Returns the cycle and its compiled layers, or ``None`` (having said why) when there is
    nothing to show yet.
    """
    require()
    st.title(tr(title_key))
    cycle = cycle_picker()
    if not cycle:
        return None
    result = compiled(cycle)
    if result is None:
        st.info(tr("ui.nothing_validated"))
        return None
    demo_banner(result.demo)
    return cycle, result
