"""Everything the pages share and cache, in one place (the only module using ``st.cache_*``).

Heavy objects (the geography, the store, a compiled cycle, simplified boundaries) are cached
as resources keyed by what they depend on; a compiled cycle is keyed by the store's
revision, so a new validation is seen at once without recompiling on every rerun.

It also holds the app's safety rules, so that each page follows them by calling one helper:

* member text is plain text: :func:`plain` escapes Markdown, and :func:`tr` escapes every
  field it puts into a message (organisation names once drew links and tracking images);
* everything in the session belongs to the signed-in account: signing in or out clears all
  but the language, and prepared files (:func:`keep_file`) are offered only to their owner;
* no traceback reaches a user: :func:`guarded` turns the unexpected into a short bilingual
  message with an incident reference, the detail going to the operator's log;
* every page says which store it serves (:func:`store_banner`).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec

import geopandas as gpd
import pandas as pd
import streamlit as st

from cartography import incidents
from cartography.escaping import markdown_text
from cartography.i18n import Lang, UserError, t
from cartography.io.compile import Compiled, compile_cycle
from cartography.io.geo_source import Geography, load_geography
from cartography.io.store import Store, default_url
from cartography.maps import display_geometries

P = ParamSpec("P")


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




def plain(value: object) -> str:
    """``value`` as Markdown that displays exactly its text (:func:`escaping.markdown_text`).

    Streamlit renders Markdown in ``st.markdown``, ``st.write``, ``st.caption``, alerts,
    widget labels and ``st.table`` cells: member text goes through here before any of them.
    (``st.dataframe`` cells and widget values are plain text already and take it as it is.)
    """
    return markdown_text(value)


def tr(key: str, **fields: object) -> str:
    """A catalogue message in the chosen language, its fields escaped with :func:`plain`.

    Almost every message lands in an element that renders Markdown, and its fields are where
    member text enters; escaping them here makes the safe way the only way. For a table cell
    (``st.dataframe``), which shows text as typed, use :func:`cartography.i18n.t` directly.
    """
    return t(key, lang(), **{name: plain(value) for name, value in fields.items()})


def error_text(error: UserError) -> str:
    """A :class:`UserError` in the chosen language, its fields escaped (they may be member text)."""
    return t(error.key, lang(), **{name: plain(value) for name, value in error.fields.items()})


def language_switch() -> None:
    """French by default, English on request; remembered for the session."""
    st.sidebar.radio(
        "Langue / Language",
        options=["fr", "en"],
        format_func=lambda c: "Français" if c == "fr" else "English",
        horizontal=True,
        key="lang",
    )


# -- unexpected errors -----------------------------------------------------------------------


def _console_log() -> None:
    """Send incident details to the server's console (the operator's, never a user's)."""
    logger = incidents.LOGGER
    if not any(getattr(h, "_cartography_console", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._cartography_console = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def unexpected(error: Exception, where: str) -> str:
    """Record ``error`` (detail to the log) and show the user a short bilingual message.

    Returns
    -------
    str
        The incident reference shown (8 hexadecimal characters).
    """
    _console_log()
    incident = incidents.record(error, where)
    first, second = (lang(), "fr" if lang() == "en" else "en")
    st.error(
        t("uisafety.unexpected", first, reference=incident.reference)
        + "\n\n"
        + t("uisafety.unexpected", second, reference=incident.reference),
        icon="⚠️",
    )
    return incident.reference


def guarded(render: Callable[P, None]) -> Callable[P, None]:
    """Run a page (or a part of one) so that no traceback reaches the user.

    A :class:`UserError` shows its own message; anything else shows the incident message of
    :func:`unexpected`. Streamlit's own control flow (``st.stop``, ``st.rerun``,
    ``st.switch_page``) derives from ``BaseException`` and passes through untouched.
    """

    @functools.wraps(render)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            render(*args, **kwargs)
        except UserError as error:
            st.error(error_text(error))
        except Exception as error:  # the point: nothing unexpected reaches the user raw
            unexpected(error, getattr(render, "__qualname__", "page"))

    return run


# -- accounts --------------------------------------------------------------------------------

_KEPT = "lang"  # the only session state that is not the account's: the language choice


def user() -> dict[str, str | None] | None:
    """The signed-in account, if any."""
    return st.session_state.get("user")


def reset_session() -> None:
    """Forget everything the session holds except the language choice.

    Called when an account signs in or out: prepared files (a member's exact counts, explorer
    exports, a checked workbook), form answers, filters and uploads all belong to the account
    that made them and must not be offered to the next person at the same screen.
    """
    for key in list(st.session_state.keys()):
        if key != _KEPT:
            del st.session_state[key]


def sign_in_box() -> None:
    """Sign-in form (or the signed-in account and a sign-out button) in the sidebar."""
    current = user()
    box = st.sidebar.container(border=True)
    if current:
        role = t(f"users.role.{current['role']}", lang())
        org = f" — {plain(current['org_id'])}" if current.get("org_id") else ""
        box.markdown(tr("ui.signed_in_as", name=current["username"], role=role) + org)
        if box.button(tr("ui.sign_out"), key="sign_out"):
            reset_session()
            st.rerun()
        return
    with box.form("sign_in", clear_on_submit=True):
        st.write(tr("ui.sign_in"))
        username = st.text_input(tr("ui.username"), key="sign_in_username")
        password = st.text_input(tr("ui.password"), type="password", key="sign_in_password")
        if st.form_submit_button(tr("ui.sign_in_button")):
            try:
                account = store().authenticate(username, password)
            except UserError as error:  # e.g. too many failed attempts: the store says why
                st.error(error_text(error))
                return
            if account is None:
                st.error(tr("ui.sign_in_failed"))
            else:
                reset_session()
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


def keep_file(key: str, data: bytes, name: str) -> None:
    """Keep a prepared file for download, tied to the account that prepared it."""
    current = user()
    st.session_state[key] = {"owner": current["username"] if current else None, "data": data, "name": name}


def kept_file(key: str) -> tuple[bytes, str] | None:
    """The file kept under ``key`` if the signed-in account prepared it; otherwise forget it.

    A file is never offered to another account (or to nobody), even if the session was not
    cleared in between.
    """
    kept = st.session_state.get(key)
    current = user()
    if not isinstance(kept, dict) or current is None or kept.get("owner") != current["username"]:
        st.session_state.pop(key, None)
        return None
    return kept["data"], kept["name"]


# -- which store -----------------------------------------------------------------------------


def store_is_demo() -> bool:
    """Whether the store served is the demonstration store (fictitious data, published accounts)."""
    return store().is_demo()


def store_label(url: str) -> tuple[str, str]:
    """A store's short name and its location with any password hidden.

    The name is the SQLite file's stem or the PostgreSQL database's name.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database or ""
    name = Path(database).stem if parsed.get_backend_name() == "sqlite" else database
    return name or "?", parsed.render_as_string(hide_password=True)


def store_banner() -> None:
    """Say on every page which store is served: the demonstration one, or real data."""
    if store_is_demo():
        st.warning(f"**{tr('uisafety.store.demo')}** — {tr('uisafety.store.demo_note')}", icon="⚠️")
        return
    name, location = store_label(default_url())
    st.info(tr("uisafety.store.real", name=name), icon="🗄️")
    current = user()
    if current and current["role"] == "coordinator":
        st.caption(tr("uisafety.store.location", location=location))


# -- organisation names ----------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _organisation_names(url: str, revision: int) -> dict[str, str]:
    del revision  # part of the cache key only
    current = _store(url)
    newest: dict[str, tuple[tuple[str, int], str]] = {}
    submitted: set[str] = set()
    for s in current.submissions():
        submitted.add(s.org_id)
        if s.status == "validated" and (s.org_id not in newest or (s.cycle, s.version) > newest[s.org_id][0]):
            newest[s.org_id] = ((s.cycle, s.version), s.content.organisation.name)
    names = {}
    for org in current.organisations():
        if org["org_id"] in newest:
            names[org["org_id"]] = newest[org["org_id"]][1]
        elif org["org_id"] not in submitted:
            names[org["org_id"]] = org["name"]
        else:
            names[org["org_id"]] = org["org_id"]
    return names


def organisation_names() -> dict[str, str]:
    """The name everyone sees for each organisation: the one the coordinator has accepted.

    A member's new name takes effect when the coordinator validates the version that carries
    it: the name of the organisation's most recent validated version; with none, the name it
    was registered under, as long as no unvalidated upload can have replaced it; otherwise its
    code. (The store keeps the latest upload's name for the coordinator's review.)
    """
    return _organisation_names(default_url(), store().revision())


def with_accepted_names(rows: list[dict], key: str = "org_id") -> list[dict]:
    """Copies of ``rows`` (status rows, missing members) with ``name`` the accepted name."""
    names = organisation_names()
    return [{**row, "name": names.get(str(row[key]), str(row[key]))} for row in rows]


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
    """Label demonstration results, unless the store banner already says the store is a demo."""
    if is_demo and not store_is_demo():
        st.warning(f"**{tr('demo.label')}** — {tr('ui.demo_note')}", icon="⚠️")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: geometry removed (tables show numbers and names only)."""
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


@st.cache_data(show_spinner=False, max_entries=32)
def _template_bytes(url: str, cycle: str, org_id: str | None, revision: int) -> bytes:
    import io

    from cartography.io.template import write_template

    del revision
    gaz = _geography().gazetteer()
    names = gaz.municipality_names
    communities = [label for label, _ in gaz.community_choices()]
    buffer = io.BytesIO()
    if org_id:
        previous = _store(url).latest_validated(org_id)
        if previous is not None:
            write_template(
                buffer,
                names,
                cycle=cycle,
                content=previous.content,
                prefilled_from=(previous.cycle, previous.version),
                communities=communities,
            )
            return buffer.getvalue()
    write_template(buffer, names, cycle=cycle, communities=communities)
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
