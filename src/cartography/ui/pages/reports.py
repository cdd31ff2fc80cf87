"""Reports: the compiled cycle as files to take away (GeoPackage for QGIS, Excel, standalone map)."""

from __future__ import annotations

import dataclasses
import io

import streamlit as st

from cartography.io.exports import export_bytes
from cartography.maps import gap_map, map_html
from cartography.reports import member_deck, table_deck
from cartography.ui.state import (
    compiled_page,
    geography,
    keep_file,
    kept_file,
    lang,
    store,
    tr,
    user,
    with_accepted_names,
)


def render() -> None:
    opened = compiled_page("nav.reports")
    if opened is None:
        return
    cycle, result = opened
    st.write(tr("reports.intro"))
    choices = {
        "pptx": tr("reports.pptx"),
        "gpkg": tr("reports.gpkg"),
        "xlsx": tr("reports.xlsx"),
        "html": tr("reports.html"),
    }
    current = user()
    if current and current.get("org_id"):
        choices["own"] = tr("reports.own_pptx")
    kind = st.radio(tr("explorer.format"), list(choices), format_func=choices.get, key="rep_kind")
    if st.button(tr("explorer.prepare"), key="rep_prepare"):
        if kind == "pptx":
            buffer = io.BytesIO()
            # Names as accepted by the coordinator, not a pending upload's.
            named = dataclasses.replace(result, missing=with_accepted_names(result.missing))
            table_deck(named, with_accepted_names(store().status(cycle)), geography(), lang()).save(buffer)
            keep_file("rep_file", buffer.getvalue(), f"presentation-table-{cycle}.pptx")
        elif kind == "own" and current:
            mine = store().submissions(cycle, str(current["org_id"]))
            if not mine:
                st.info(tr("template.none_yet"))
                return
            buffer = io.BytesIO()
            member_deck(mine[-1], geography(), lang()).save(buffer)
            keep_file("rep_file", buffer.getvalue(), f"presentation-{current['org_id']}-{cycle}.pptx")
        elif kind == "html":
            fmap = gap_map(
                result.layers, level="csd", lang=lang(), demo=result.demo, attribution=geography().attribution(lang())
            )
            keep_file("rep_file", map_html(fmap).encode(), f"carte-lacunes-{cycle}.html")
        else:
            keep_file("rep_file", *export_bytes(result, kind))
    prepared = kept_file("rep_file")  # only the account that prepared it gets it
    if prepared is not None:
        data, name = prepared
        st.download_button(tr("explorer.download_file", name=name), data=data, file_name=name)
    st.caption(tr("compile.limits"))


render()
