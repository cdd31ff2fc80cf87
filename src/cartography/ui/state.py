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
import re
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TextIO, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cartography import incidents
from cartography.compilation import Compiled
from cartography.errors import UserError
from cartography.escaping import markdown_text
from cartography.geography import as_geo_frame
from cartography.i18n import Lang, t
from cartography.maps import display_geometries
from cartography.services import files
from cartography.services.compile import compile_cycle
from cartography.services.workspace import LOCAL_TIMEZONE, Store, default_url, load_geography

if TYPE_CHECKING:
    from cartography.geocoding import Gazetteer
    from cartography.services.workspace import Geography

P = ParamSpec("P")
T = TypeVar("T")


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
    return display_geometries(as_geo_frame(result.layers[f"gaps_{level}"]), level)


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
    """French by default, English on request; kept in the address (``?lang=fr`` / ``?lang=en``).

    A reload or a bookmark starts a new session, which would forget a choice kept in the
    session only: the address carries it instead, so a reload, a bookmark or a shared link
    opens in the same language. The address is written on every run because Streamlit drops
    the query string when it changes page. (Streamlit's ``bind="query-params"`` would write
    the option's label, ``?lang=English``.)
    """
    asked = st.query_params.get("lang")
    if "lang" not in st.session_state:
        st.session_state["lang"] = asked if asked in ("fr", "en") else "fr"
    st.sidebar.radio(
        t("appfr.language", "fr"),
        options=["fr", "en"],
        format_func=lambda c: "Français" if c == "fr" else "English",
        horizontal=True,
        key="lang",
    )
    if asked != lang():
        st.query_params["lang"] = lang()


def _framework_table(language: Lang) -> dict[str, object]:
    """Streamlit's own English words and their replacements in ``language``, for the translator.

    Built from the catalogue's ``appfr.fw.*`` entries: the English side is the framework's
    wording, the other side ours. A ``{field}`` in the English side matches any text there
    and is carried over to the same field of the replacement.
    """
    from cartography.i18n import MESSAGES

    exact: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for key, (french, english) in MESSAGES.items():
        if not key.startswith("appfr.fw."):
            continue
        wanted = french if language == "fr" else english
        if wanted == english:
            continue
        fields = re.findall(r"\{(\w+)\}", english)
        if not fields:
            exact[english] = wanted
            continue
        regex = (
            "^"
            + "".join(
                "(.+?)" if part in fields and index % 2 else re.escape(part)
                for index, part in enumerate(re.split(r"\{(\w+)\}", english))
            )
            + "$"
        )
        replacement = re.sub(r"\{(\w+)\}", functools.partial(_group_reference, fields), wanted)
        patterns.append((regex, replacement))
    return {"lang": language, "exact": exact, "patterns": patterns}


def _group_reference(fields: list[str], match: re.Match[str]) -> str:
    """``$n``, the JavaScript reference to the regex group that captured the field ``match`` names."""
    return f"${fields.index(match.group(1)) + 1}"


#: Runs in the app's page (not in an iframe): sets ``<html lang>`` and replaces Streamlit's
#: own English words (placeholders, the file uploader's instructions, the dataframe toolbar,
#: the "Page not found" dialog...) by the catalogue's, in text and in the attributes screen
#: readers and tooltips read. One observer per browser tab; each run updates its table, so
#: switching language takes effect at once. Text nodes are changed in place (``nodeValue``),
#: which React keeps.
_TRANSLATOR = """
<div class="carto-page-language" hidden></div>
<style>div[data-testid="stElementContainer"]:has(.carto-page-language){display:none}</style>
<script>
(function () {
  const table = __TABLE__;
  table.compiled = table.patterns.map(([re, rep]) => [new RegExp(re), rep]);
  window.__cartoLanguage = table;
  const ATTRIBUTES = ["aria-label", "title", "placeholder"];
  const SKIP = new Set(["SCRIPT", "STYLE", "TEXTAREA", "CODE", "PRE"]);
  function translated(text) {
    const current = window.__cartoLanguage;
    if (!text || current.lang === "en") return null;
    const core = text.trim();
    if (!core) return null;
    if (Object.prototype.hasOwnProperty.call(current.exact, core)) {
      return text.replace(core, current.exact[core]);
    }
    for (const [re, rep] of current.compiled) {
      if (re.test(core)) return text.replace(core, core.replace(re, rep));
    }
    return null;
  }
  function fixText(node) {
    if (node.parentNode && SKIP.has(node.parentNode.nodeName)) return;
    const better = translated(node.nodeValue);
    if (better !== null && better !== node.nodeValue) node.nodeValue = better;
  }
  function fixAttributes(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute && element.getAttribute(name);
      const better = value && translated(value);
      if (better && better !== value) element.setAttribute(name, better);
    }
  }
  function fix(root) {
    if (!root) return;
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE || SKIP.has(root.nodeName)) return;
    fixAttributes(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) fixText(node); else fixAttributes(node);
    }
  }
  function fixLanguage() {
    const wanted = window.__cartoLanguage.lang;
    if (document.documentElement.lang !== wanted) document.documentElement.lang = wanted;
  }
  if (!window.__cartoLanguageObserver) {
    window.__cartoLanguageObserver = new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === "characterData") fixText(m.target);
        else if (m.type === "attributes") {
          if (m.target === document.documentElement) fixLanguage(); else fixAttributes(m.target);
        } else m.addedNodes.forEach(fix);
      }
    });
    window.__cartoLanguageObserver.observe(document.documentElement, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ATTRIBUTES.concat(["lang"]),
    });
  }
  fixLanguage();
  fix(document.body);
})();
</script>
"""


def page_language() -> None:
    """Make the browser page speak the chosen language: ``<html lang>`` and Streamlit's own words.

    Streamlit serves ``<html lang="en">`` and writes some English of its own ("Choose an
    option", "Drag and drop file here", "Page not found"...), which no widget argument
    changes; a screen reader would read French text with English pronunciation. A small
    script (:data:`_TRANSLATOR`) fixes both in the page itself, from the catalogue.
    """
    import json

    table = json.dumps(_framework_table(lang()), ensure_ascii=False).replace("</", "<\\/")
    st.html(_TRANSLATOR.replace("__TABLE__", table), unsafe_allow_javascript=True)


# -- unexpected errors -----------------------------------------------------------------------


def _console_log() -> None:
    """Send incident details to the server's console (the operator's, never a user's)."""
    logger = incidents.LOGGER
    if not any(getattr(h, "_cartography_console", False) for h in logger.handlers):
        handler = _ConsoleHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


class _ConsoleHandler(logging.StreamHandler[TextIO]):
    """The console handler :func:`_console_log` adds once (marked, so a reloaded module still finds it)."""

    _cartography_console = True


def unexpected(error: Exception, where: str) -> str:
    """Record ``error`` (detail to the log) and show the user a short bilingual message.

    Returns
    -------
    str
        The incident reference shown (8 hexadecimal characters).
    """
    _console_log()
    incident = incidents.record(error, where)
    first = lang()
    second: Lang = "fr" if first == "en" else "en"
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
    """The signed-in account, if any, and only while the account may still act.

    An account the coordinator disables (or that disappears) is signed out on the next thing
    its session does, on every page, not only on Administration: the session is cleared as on
    sign-out and the sign-in box says why.
    """
    current: dict[str, str | None] | None = st.session_state.get("user")
    if current is not None and not store().is_enabled(str(current["username"])):
        reset_session()
        st.session_state[_DISABLED_NOTICE] = True
        return None
    return current


#: Session key: the account was signed out because it was disabled (said once in the sign-in box).
_DISABLED_NOTICE = "signed_out_disabled"


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
    if st.session_state.pop(_DISABLED_NOTICE, False):
        box.warning(plain(t("adminform.sign_in.disabled", lang())))
    # Sign-in does not survive a reload: the account lives in the server's session only, and a
    # reload (or a bookmark) opens a new session. No cookie or token keeps it, so a shared or
    # public computer keeps nobody signed in once the page is closed or reloaded; the box says so.
    with box.form("sign_in", clear_on_submit=True, border=False):
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
        st.caption(tr("appfr.sign_in_note"))


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


# -- dates -----------------------------------------------------------------------------------

#: How the date boxes read and write a date: day, month, year (JJ/MM/AAAA), as French readers
#: read dates; Streamlit's own default, ``YYYY/MM/DD``, reads as a foreign order to them.
DATE_INPUT_FORMAT = "DD/MM/YYYY"
#: The same order for every date the app writes as text, so a date looks the same in a box
#: and in a table: ``23/11/2026``, and ``23/11/2026 11:04`` for a time of day.
DATE_TEXT = "%d/%m/%Y"


def shown_date(value: date | None, empty: str = "") -> str:
    """A date as the app writes it (``23/11/2026``); ``None`` gives ``empty``."""
    return empty if value is None else value.strftime(DATE_TEXT)


def shown_time(value: datetime | None, empty: str = "") -> str:
    """A stored time (UTC) as the committee reads it: Toronto time, ``23/11/2026 11:04``.

    The same conversion as :func:`cartography.services.workspace.local_time` (Toronto, with
    daylight saving), written in the app's date order; ``None`` gives ``empty``.
    """
    from zoneinfo import ZoneInfo

    if value is None:
        return empty
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(LOCAL_TIMEZONE)).strftime(f"{DATE_TEXT} %H:%M")


# -- shared widgets --------------------------------------------------------------------------


def cycle_picker(key: str = "cycle") -> str | None:
    """Choose a reporting cycle: the newest by default, then the one chosen, on every page."""
    cycles = [c.code for c in store().cycles()]
    if not cycles:
        st.info(tr("ui.no_cycle"))
        return None
    chosen = st.session_state.get(key)
    # Written back every run, not only when unset: a widget's own value is dropped when the
    # reader moves to another page (each page's selectbox is a new widget), and the next page
    # then opened on the first cycle. A value the code sets is kept across pages.
    st.session_state[key] = chosen if chosen in cycles else cycles[-1]
    return choose(tr("ui.cycle"), cycles, key=key)


def demo_banner(is_demo: bool) -> None:
    """Label demonstration results, unless the store banner already says the store is a demo."""
    if is_demo and not store_is_demo():
        st.warning(f"**{tr('demo.label')}** — {tr('ui.demo_note')}", icon="⚠️")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: geometry removed (tables show numbers and names only)."""
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


@st.cache_data(show_spinner=False, max_entries=32)
def _template_bytes(url: str, cycle: str, org_id: str | None, revision: int) -> bytes:
    del revision  # part of the cache key only: a new version changes what is pre-filled
    return files.template_bytes(_store(url), _geography(), cycle, org_id)


def template_bytes(cycle: str, org_id: str | None = None) -> bytes:
    """The blank template, or an organisation's pre-filled one (``services.submissions.template_start``)."""
    return _template_bytes(default_url(), cycle, org_id, store().revision())


@st.cache_resource(show_spinner=False)
def _gazetteer() -> Gazetteer:
    return _geography().gazetteer()


def gazetteer() -> Gazetteer:
    """The geocoding gazetteer (built once)."""
    return _gazetteer()


# French-safe widgets: Streamlit's selectbox, multiselect and file uploader write English of
# their own ("Choose an option", "Select all", "Drag and drop file here"). These wrappers pass
# the catalogue's words where Streamlit takes them, drop the bulk "Select all" action (a filter
# left empty already means everything), and say the upload limits in the reader's language;
# what no argument reaches is translated in the page by :func:`page_language`. Pages use these
# instead of the bare widgets.


def _here(container: DeltaGenerator | None) -> DeltaGenerator:
    """Where a widget goes: ``container``, or the main area ``st.<widget>`` writes to.

    ``st.selectbox`` and the like are the methods of ``st._main`` (whatever ``with`` block is
    active), so the widget lands exactly where the bare call would put it.
    """
    return st._main if container is None else container


def choose(
    label: str,
    options: Iterable[T],
    *,
    container: DeltaGenerator | None = None,
    placeholder: str | None = None,
    **kwargs: Any,
) -> T | None:
    """``st.selectbox`` with a placeholder from the catalogue (shown when ``index=None``).

    ``label`` is already translated (use :func:`tr`); other keyword arguments go to
    ``selectbox`` unchanged. ``container`` is where it goes (``st`` by default).
    """
    choice: T | None = _here(container).selectbox(
        label, list(options), placeholder=placeholder or tr("appfr.choose_one"), **kwargs
    )
    return choice


def choose_many(
    label: str,
    options: Iterable[T],
    *,
    container: DeltaGenerator | None = None,
    placeholder: str | None = None,
    **kwargs: Any,
) -> list[T]:
    """``st.multiselect`` with a placeholder from the catalogue and no "Select all" action.

    An empty choice means "all" on every filter of the app, which is what the default
    placeholder says.
    """
    return _here(container).multiselect(
        label,
        list(options),
        placeholder=placeholder or tr("appfr.choose_many"),
        select_all=False,
        **kwargs,
    )


def upload(
    label: str, types: list[str], *, container: DeltaGenerator | None = None, help: str | None = None, **kwargs: Any
) -> UploadedFile | None:
    """``st.file_uploader`` whose help says, in the reader's language, what it accepts.

    The limit shown is the server's ``server.maxUploadSize`` (the one it enforces).
    """
    limit = st.get_option("server.maxUploadSize")
    kinds = ", ".join(f".{kind}" for kind in types)
    note = tr("appfr.upload_help", types=kinds, limit=limit)
    uploaded: UploadedFile | None = _here(container).file_uploader(
        label, type=types, help=f"{help}\n\n{note}" if help else note, **kwargs
    )
    return uploaded


#: Session keys of the filters the reader chose (``filter.regions``, ``filter.level``...), kept
#: apart from the widgets that show them. A widget's own value is dropped when the page holding
#: it is not rendered, so a choice kept only there was lost on the next page; each page's
#: widget now starts from the kept choice and, when the reader changes it, writes it back
#: (:func:`_remember`). Pages showing the same filter share its name, hence its choice. All of
#: it is the account's: :func:`reset_session` forgets it on sign-in and sign-out.
FILTER = "filter."


def kept(name: str) -> object:
    """The choice kept under filter ``name`` (``None`` if the reader has made none)."""
    return st.session_state.get(FILTER + name)


def _remember(name: str, key: str, as_kept: Callable[[Any], object] | None = None) -> None:
    """Widget callback: the new value of widget ``key`` becomes the kept choice ``name``.

    Only the reader's own change is kept: a page that merely shows a filter (and may show
    less of the choice than is kept, e.g. one category of several) does not overwrite it.
    """
    value = st.session_state[key]
    st.session_state[FILTER + name] = value if as_kept is None else as_kept(value)


def kept_choice(
    label: str,
    options: Iterable[T],
    *,
    name: str,
    key: str,
    default: T | None = None,
    container: DeltaGenerator | None = None,
    **kwargs: Any,
) -> T:
    """A :func:`choose` box that starts from the choice kept under ``name`` and keeps the next one.

    A kept choice that is not among ``options`` (no longer offered) falls back to ``default``
    (the first option if ``default`` is not offered either), without an error.
    """
    offered = list(options)
    fallback = default if default is not None and default in offered else offered[0]
    chosen = kept(name)
    st.session_state[key] = chosen if chosen in offered else fallback
    choice = choose(label, offered, container=container, key=key, on_change=_remember, args=(name, key), **kwargs)
    return fallback if choice is None else choice


def _one_or_all(code: str) -> list[str]:
    """A one-category box's choice as the kept list of categories (none for all of them)."""
    from cartography.gaps import ALL

    return [] if code == ALL else [code]


def category_choice(container: DeltaGenerator, key: str) -> str:
    """One service category, or all of them (``ALL``), sharing the explorer's choice of categories.

    The categories are kept as a list (the explorer chooses several): this box shows the kept
    category when there is exactly one, all of them otherwise, and keeps what the reader picks
    here as a list of one (or none, for all).
    """
    from cartography.gaps import ALL
    from cartography.vocabulary import SERVICE_CATEGORIES

    codes = [ALL, *SERVICE_CATEGORIES.codes]
    chosen = kept("categories")
    one = chosen[0] if isinstance(chosen, list) and len(chosen) == 1 else ALL
    st.session_state[key] = one if one in codes else ALL
    choice: str = container.selectbox(
        tr("map.control.category"),
        codes,
        format_func=lambda c: tr("map.all_categories") if c == ALL else SERVICE_CATEGORIES.label(c, lang()),
        key=key,
        on_change=_remember,
        args=("categories", key, _one_or_all),
    )
    return choice


def level_choice(container: DeltaGenerator, key: str) -> str:
    """The level of areas (municipalities by default), shared by every page that shows it."""
    from cartography.vocabulary import AREA_LEVELS

    return kept_choice(
        tr("map.control.level"),
        AREA_LEVELS.codes,
        name="level",
        key=key,
        default=AREA_LEVELS.codes[1],
        container=container,
        format_func=lambda c: AREA_LEVELS.label(c, lang()),
    )


def kept_category(options: Iterable[str]) -> str | None:
    """The one category the reader has chosen on another page, if it is among ``options``.

    For a box that cannot show "all categories" (the planning panel) and starts from it.
    """
    chosen = kept("categories")
    if isinstance(chosen, list) and len(chosen) == 1 and chosen[0] in list(options):
        return str(chosen[0])
    return None


def multichoice(
    container: DeltaGenerator,
    label_key: str,
    options: Iterable[str],
    format_func: Callable[[str], str],
    key: str,
    name: str | None = None,
) -> list[str]:
    """A filter that selects nothing by default, meaning everything (placeholder from the catalogue).

    It starts from the choice kept under ``name`` (``key`` if not given), less anything no
    longer offered (a municipality outside the chosen counties, a category outside the chosen
    stages), and keeps the reader's next choice there.
    """
    offered = list(options)
    chosen = kept(name or key)
    st.session_state[key] = [c for c in chosen if c in offered] if isinstance(chosen, list) else []
    return choose_many(
        tr(label_key),
        offered,
        container=container,
        format_func=format_func,
        placeholder=tr("ui.choose"),
        key=key,
        on_change=_remember,
        args=(name or key, key),
    )


def region_and_municipality_filters(
    region_box: DeltaGenerator, municipality_box: DeltaGenerator, prefix: str
) -> tuple[list[str], list[str]]:
    """Regions (counties), then the municipalities of the chosen regions.

    Both are shared by every page that shows them (``prefix`` only names the widgets).
    """
    from cartography.vocabulary import REGIONS

    regions = multichoice(
        region_box,
        "map.control.regions",
        REGIONS.codes,
        lambda c: REGIONS.label(c, lang()),
        f"{prefix}_regions",
        "regions",
    )
    munis = geography().municipalities
    if regions:
        munis = munis[munis["region"].isin(regions)]
    names = dict(zip(munis["CSDUID"], munis["CSDNAME"], strict=True))
    municipalities = multichoice(
        municipality_box,
        "map.control.municipalities",
        names,
        names.__getitem__,
        f"{prefix}_municipalities",
        "municipalities",
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
