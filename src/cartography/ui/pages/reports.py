"""Reports: the compiled cycle as files to take away (GeoPackage for QGIS, Excel, CSV, GeoJSON,
standalone map, PowerPoint decks, the HSDS 3.0 directory), filtered by county, municipality and
category.

A prepared file is kept under a key made of everything that shaped it (cycle, format, filters,
language): change any of them and the old file is no longer offered, so nobody downloads an
Elgin file believing it holds Oxford. Data files are named after the filters that made them
(``lacunes-2019-2020-elgin.gpkg``) and record them in their metadata (``export_filters``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io

import streamlit as st

from cartography.compilation import Compiled
from cartography.errors import UserError
from cartography.gaps import ALL
from cartography.maps import gap_map, map_html
from cartography.reports import member_deck, table_deck
from cartography.services.compile import previous_cycle
from cartography.services.files import FORMATS, export_bytes, export_name, hsds_zip, make_filters
from cartography.services.submissions import member_version
from cartography.ui.state import (
    category_choice,
    compiled,
    compiled_page,
    geography,
    keep_file,
    kept_file,
    lang,
    region_and_municipality_filters,
    store,
    tr,
    user,
    with_accepted_names,
)
from cartography.vocabulary import REGIONS, SERVICE_CATEGORIES

#: Formats that hold the whole region whatever the filters (the decks tell the whole story; the
#: HSDS directory is the cycle's, as the command line writes it).
WHOLE_REGION = ("pptx", "own", "hsds")
_PREFIX = "rep_file:"


def file_key(cycle: str, kind: str, regions: list[str], municipalities: list[str], category: str, language: str) -> str:
    """The session key of a prepared file: a digest of everything that shaped it.

    The decks ignore the filters, so their key ignores them too (changing a filter does not
    throw away a deck that would come out the same).
    """
    spec: tuple[object, ...] = (cycle, kind, language)
    if kind not in WHOLE_REGION:
        spec += (tuple(sorted(regions)), tuple(sorted(municipalities)), category)
    return _PREFIX + hashlib.sha256(repr(spec).encode()).hexdigest()[:16]


def _forget_other_files(keep: str) -> None:
    """Drop files prepared under other filters or formats (they are no longer what is asked)."""
    for key in [k for k in st.session_state if str(k).startswith(_PREFIX) and k != keep]:
        del st.session_state[key]


def _filters_text(regions: list[str], municipalities: list[str], category: str, names: dict[str, str]) -> str:
    parts = [REGIONS.label(r, lang()) for r in regions] + [names.get(m, m) for m in municipalities]
    if category != ALL:
        parts.append(SERVICE_CATEGORIES.label(category, lang()))
    return ", ".join(parts) if parts else tr("adminform.download.all_regions")


@dataclasses.dataclass(frozen=True)
class _Choice:
    """What the reader asked for: a format (``kind``) and the filters of a data file."""

    kind: str
    regions: list[str]
    municipalities: list[str]
    category: str


def _kind_choice(current: dict[str, str | None] | None) -> str:
    """The format asked for (the decks first; a member's own deck for a member account)."""
    choices = {
        "pptx": tr("reports.pptx"),
        "gpkg": tr("reports.gpkg"),
        "xlsx": tr("reports.xlsx"),
        "html": tr("reports.html"),
    }
    choices.update({fmt: tr(f"reports.{fmt}") for fmt in FORMATS if fmt not in choices})
    choices["hsds"] = tr("hsds.download.kind")
    if current and current.get("org_id"):
        choices["own"] = tr("reports.own_pptx")
    return st.radio(tr("explorer.format"), list(choices), format_func=choices.get, key="rep_kind", horizontal=True)


def _choice(current: dict[str, str | None] | None) -> _Choice:
    """The format and filters, and a caption saying which areas the file will hold."""
    kind = _kind_choice(current)
    region_box, municipality_box, category_box = st.columns(3)
    regions, municipalities = region_and_municipality_filters(region_box, municipality_box, "rep")
    category = category_choice(category_box, "rep_category")
    names = dict(zip(geography().municipalities["CSDUID"], geography().municipalities["CSDNAME"], strict=True))
    if kind == "hsds":
        st.caption(tr("hsds.download.help"))
    elif kind in WHOLE_REGION:
        st.caption(tr("adminform.download.filters", filters=tr("adminform.download.all_regions")))
    else:
        st.caption(tr("adminform.download.filters", filters=_filters_text(regions, municipalities, category, names)))
    return _Choice(kind, regions, municipalities, category)


def _table_deck(cycle: str, result: Compiled) -> bytes:
    """The table's deck of the whole region, with the names the coordinator accepted."""
    buffer = io.BytesIO()
    # Names as accepted by the coordinator, not a pending upload's.
    named = dataclasses.replace(result, missing=with_accepted_names(result.missing))
    before = previous_cycle(store(), cycle)  # for the « Depuis le dernier cycle » slide
    table_deck(
        named,
        with_accepted_names(store().status(cycle)),
        geography(),
        lang(),
        previous=compiled(before) if before else None,
    ).save(buffer)
    return buffer.getvalue()


def _map_file(cycle: str, result: Compiled, choice: _Choice) -> tuple[bytes, str]:
    """The standalone gap map (HTML) of the filtered areas, named after the filters."""
    fmap = gap_map(
        result.layers,
        level="csd",
        category=choice.category,
        regions=choice.regions or None,
        municipalities=choice.municipalities or None,
        lang=lang(),
        demo=result.demo,
        attribution=geography().attribution(lang()),
        cycle=cycle,
    )
    filters = make_filters(result, choice.regions, choice.municipalities, choice.category)
    return map_html(fmap).encode(), "carte-" + export_name(result, filters, "html", lang())


def _prepare(key: str, cycle: str, result: Compiled, choice: _Choice, current: dict[str, str | None] | None) -> bool:
    """Prepare the file asked for and keep it for this account.

    Returns ``False`` (having said why) when there is nothing to prepare: a member's own
    deck before the member has any version.
    """
    kind = choice.kind
    if kind == "pptx":
        keep_file(key, _table_deck(cycle, result), f"presentation-table-{cycle}.pptx")
    elif kind == "own" and current:
        try:
            mine = member_version(store(), cycle, str(current["org_id"]))
        except UserError:
            st.info(tr("template.none_yet"))
            return False
        buffer = io.BytesIO()
        member_deck(mine, geography(), lang()).save(buffer)
        keep_file(key, buffer.getvalue(), f"presentation-{current['org_id']}-{cycle}.pptx")
    elif kind == "html":
        keep_file(key, *_map_file(cycle, result, choice))
    elif kind == "hsds":  # published data only, exactly as ``export hsds`` writes it
        keep_file(key, hsds_zip(store(), geography(), cycle), f"hsds-{cycle}.zip")
    else:
        data, name = export_bytes(
            result,
            kind,
            regions=choice.regions,
            municipalities=choice.municipalities,
            category=choice.category,
            lang=lang(),
        )
        keep_file(key, data, name)
    return True


def render() -> None:
    opened = compiled_page("nav.reports")
    if opened is None:
        return
    cycle, result = opened
    st.write(tr("reports.intro"))
    current = user()
    choice = _choice(current)
    key = file_key(cycle, choice.kind, choice.regions, choice.municipalities, choice.category, lang())
    _forget_other_files(key)
    if st.button(tr("explorer.prepare"), key="rep_prepare") and not _prepare(key, cycle, result, choice, current):
        return
    prepared = kept_file(key)  # only the account that prepared it, with these filters and format
    if prepared is not None:
        data, name = prepared
        st.download_button(
            tr("explorer.download_file", name=name),
            data=data,
            file_name=name,
            help=tr("hsds.download.help") if choice.kind == "hsds" else None,
        )
    st.caption(tr("compile.limits"))


render()
