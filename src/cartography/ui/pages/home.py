"""Home: the cycle's status — who has submitted and who has not (the "taux d'utilisation")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.numbers import format_integer, format_percent
from cartography.rules import is_demo_author
from cartography.ui.state import (
    cycle_picker,
    demo_banner,
    geography,
    lang,
    shown_time,
    store,
    tr,
    with_accepted_names,
)


def _status(row: dict) -> str:
    if row["validated_version"]:
        return tr("home.status.validated", version=row["validated_version"])
    if row["versions"]:
        return tr("home.status.submitted", versions=row["versions"])
    return tr("home.status.none")


def _pending_for_coordinator(cycle: str) -> None:
    """The coordinator's to-do: versions of ``cycle`` waiting for validation (ADMIN-FORM)."""
    from cartography.ui.state import organisation_names, user

    current = user()
    if not current or current["role"] != "coordinator":
        return
    pending = store().pending(cycle)
    if not pending:
        return
    names = organisation_names()
    lines = [
        "- "
        + tr(
            "adminform.home.pending_row",
            org=names.get(s.org_id, s.org_id),
            version=s.version,
            when=shown_time(s.created_at),
        )
        for s in pending
    ]
    st.info(tr("adminform.home.pending", count=len(pending)) + "\n\n" + "\n".join(lines))


def render() -> None:
    st.title(tr("app.title"))
    st.caption(tr("app.subtitle"))
    cycle = cycle_picker()
    if cycle:
        rows = with_accepted_names(store().status(cycle))  # a new name shows once validated
        demo = any(is_demo_author(s.author) for s in store().submissions(cycle))
        demo_banner(demo)
        st.subheader(tr("home.participation", cycle=cycle))
        done = sum(1 for r in rows if r["versions"])
        validated = sum(1 for r in rows if r["validated_version"])
        left, middle, right = st.columns(3)
        left.metric(tr("home.submitted"), f"{done} / {len(rows)}")
        middle.metric(tr("home.validated"), f"{validated} / {len(rows)}")
        right.metric(tr("home.rate"), format_percent(done / len(rows) if rows else 0.0, lang()))
        table = pd.DataFrame(
            {
                tr("store.col.org"): [r["name"] for r in rows],
                tr("home.col.status"): [_status(r) for r in rows],
                # Toronto time, as in Administration
                tr("store.col.last"): [shown_time(r["last_submitted_at"], "—") for r in rows],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        _pending_for_coordinator(cycle)
    geo = geography()
    st.subheader(tr("home.region_heading"))
    regions = pd.DataFrame(
        {
            tr("cli.label.region"): geo.regions[f"name_{lang()}"],
            tr("home.municipality_count"): geo.regions["municipality_count"],
            tr("cli.label.population"): [format_integer(v, lang()) for v in geo.regions["pop_2021"]],
        }
    )
    st.dataframe(regions, hide_index=True)
    st.caption(tr(f"geo.fidelity.{geo.fidelity}"))
    st.caption(geo.attribution(lang()))


render()
