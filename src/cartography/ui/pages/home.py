"""Home: the cycle's status — who has submitted and who has not (the "taux d'utilisation")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.ui.state import cycle_picker, demo_banner, geography, lang, store, tr, with_accepted_names


def _status(row: dict) -> str:
    if row["validated_version"]:
        return tr("home.status.validated", version=row["validated_version"])
    if row["versions"]:
        return tr("home.status.submitted", versions=row["versions"])
    return tr("home.status.none")


def render() -> None:
    st.title(tr("app.title"))
    st.caption(tr("app.subtitle"))
    cycle = cycle_picker()
    if cycle:
        rows = with_accepted_names(store().status(cycle))  # a new name shows once validated
        demo = any(s.author.startswith("demo:") for s in store().submissions(cycle))
        demo_banner(demo)
        st.subheader(tr("home.participation", cycle=cycle))
        done = sum(1 for r in rows if r["versions"])
        validated = sum(1 for r in rows if r["validated_version"])
        left, middle, right = st.columns(3)
        left.metric(tr("home.submitted"), f"{done} / {len(rows)}")
        middle.metric(tr("home.validated"), f"{validated} / {len(rows)}")
        right.metric(tr("home.rate"), f"{(100 * done / len(rows)) if rows else 0:.0f} %")
        table = pd.DataFrame(
            {
                tr("store.col.org"): [r["name"] for r in rows],
                tr("home.col.status"): [_status(r) for r in rows],
                tr("store.col.last"): [
                    r["last_submitted_at"].strftime("%Y-%m-%d %H:%M") if r["last_submitted_at"] else "—" for r in rows
                ],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
    geo = geography()
    st.subheader(tr("home.region_heading"))
    regions = pd.DataFrame(
        {
            tr("cli.label.region"): geo.regions[f"name_{lang()}"],
            tr("home.municipality_count"): geo.regions["municipality_count"],
            tr("cli.label.population"): [f"{int(v):,}".replace(",", "\u202f") for v in geo.regions["pop_2021"]],
        }
    )
    st.dataframe(regions, hide_index=True)
    st.caption(tr(f"geo.fidelity.{geo.fidelity}"))
    st.caption(geo.attribution(lang()))


render()
