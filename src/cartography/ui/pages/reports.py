"""Reports: the compiled cycle as files to take away (GeoPackage for QGIS, Excel, standalone map)."""

from __future__ import annotations

import streamlit as st

from cartography.io.compile import export_bytes
from cartography.maps import gap_map, map_html
from cartography.ui.state import compiled, cycle_picker, demo_banner, geography, lang, require, tr


def render() -> None:
    require()
    st.title(tr("nav.reports"))
    cycle = cycle_picker()
    if not cycle:
        return
    result = compiled(cycle)
    if result is None:
        st.info(tr("ui.nothing_validated"))
        return
    demo_banner(result.demo)
    st.write(tr("reports.intro"))
    choices = {"gpkg": tr("reports.gpkg"), "xlsx": tr("reports.xlsx"), "html": tr("reports.html")}
    kind = st.radio(tr("explorer.format"), list(choices), format_func=choices.get, key="rep_kind")
    if st.button(tr("explorer.prepare"), key="rep_prepare"):
        if kind == "html":
            fmap = gap_map(
                result.layers, level="csd", lang=lang(), demo=result.demo, attribution=geography().attribution(lang())
            )
            st.session_state["rep_file"] = (map_html(fmap).encode(), f"carte-lacunes-{cycle}.html")
        else:
            st.session_state["rep_file"] = export_bytes(result, kind)
    if "rep_file" in st.session_state:
        data, name = st.session_state["rep_file"]
        st.download_button(tr("explorer.download_file", name=name), data=data, file_name=name)
    st.caption(tr("compile.limits"))


render()
