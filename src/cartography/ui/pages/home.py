"""Home: the region, and (once submissions exist) the cycle's status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.ui.state import geography, lang, tr


def render() -> None:
    st.title(tr("app.title"))
    st.caption(tr("app.subtitle"))
    geo = geography()
    st.subheader(tr("home.region_heading"))
    regions = pd.DataFrame(
        {
            tr("cli.label.region"): geo.regions[f"name_{lang()}"],
            tr("home.municipality_count"): geo.regions["municipality_count"],
            tr("cli.label.population"): geo.regions["pop_2021"],
        }
    )
    st.dataframe(regions, hide_index=True)
    st.caption(tr(f"geo.fidelity.{geo.fidelity}"))
    st.caption(geo.attribution(lang()))


render()
