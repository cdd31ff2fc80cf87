"""Administration (coordinator): cycles, members, submissions to validate, accounts, audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.i18n import UserError
from cartography.io.store import ROLES
from cartography.ui.state import cycle_picker, error_text, lang, require, store, tr
from cartography.vocabulary import ORGANISATION_TYPES, SUBMISSION_STATUSES


def _guarded(action, success: str) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
    except UserError as error:
        st.error(error_text(error))
    else:
        st.success(success)


def render() -> None:
    current = require("coordinator")
    actor = str(current["username"]) if current else "?"
    st.title(tr("nav.admin"))
    cycles, members, submissions, accounts, audit = st.tabs(
        [
            tr("admin.tab.cycles"),
            tr("admin.tab.members"),
            tr("admin.tab.submissions"),
            tr("admin.tab.accounts"),
            tr("admin.tab.audit"),
        ]
    )
    with cycles:
        st.dataframe(pd.DataFrame([c.model_dump() for c in store().cycles()]), hide_index=True)
        with st.form("open_cycle"):
            code = st.text_input(tr("admin.cycle_code"), placeholder="2020-2021")
            if st.form_submit_button(tr("admin.open_cycle")):
                _guarded(lambda: store().open_cycle(code.strip(), actor), tr("store.cycle_opened", code=code))
    with members:
        st.dataframe(pd.DataFrame(store().organisations()), hide_index=True)
        with st.form("register_org"):
            org_id = st.text_input(tr("admin.org_id"))
            name = st.text_input(tr("admin.org_name"))
            org_type = st.selectbox(
                tr("admin.org_type"),
                ORGANISATION_TYPES.codes,
                format_func=lambda c: ORGANISATION_TYPES.label(c, lang()),
            )
            if st.form_submit_button(tr("admin.register")):
                _guarded(
                    lambda: store().register_organisation(org_id.strip().lower(), name.strip(), org_type, actor),
                    tr("admin.registered", org=name),
                )
    with submissions:
        cycle = cycle_picker("admin_cycle")
        if cycle:
            subs = store().submissions(cycle)
            table = pd.DataFrame(
                {
                    "id": [s.submission_id for s in subs],
                    tr("store.col.org"): [s.org_id for s in subs],
                    tr("col.version"): [s.version for s in subs],
                    tr("home.col.status"): [SUBMISSION_STATUSES.label(s.status, lang()) for s in subs],
                    tr("admin.author"): [s.author for s in subs],
                    tr("store.col.last"): [s.created_at.strftime("%Y-%m-%d %H:%M") for s in subs],
                }
            )
            st.dataframe(table, hide_index=True, width="stretch")
            pending = [s for s in subs if s.status != "validated"]
            if pending:
                choice = st.selectbox(
                    tr("admin.to_validate"), pending, format_func=lambda s: f"{s.org_id} — version {s.version}"
                )
                if st.button(tr("admin.validate"), type="primary"):
                    _guarded(
                        lambda: store().validate(choice.org_id, cycle, choice.version, actor),
                        tr("store.validated", org=choice.org_id, cycle=cycle, version=choice.version),
                    )
    with accounts:
        st.dataframe(pd.DataFrame(store().users()), hide_index=True)
        with st.form("create_user", clear_on_submit=True):
            username = st.text_input(tr("ui.username"))
            password = st.text_input(tr("ui.password"), type="password")
            role = st.selectbox(tr("admin.role"), ROLES, format_func=lambda r: tr(f"users.role.{r}"))
            orgs = [""] + [o["org_id"] for o in store().organisations()]
            org = st.selectbox(tr("admin.org_id"), orgs)
            if st.form_submit_button(tr("admin.create_account")):
                _guarded(
                    lambda: store().create_user(username, password, role, actor, org_id=org or None),
                    tr("users.created", username=username, role=tr(f"users.role.{role}")),
                )
    with audit:
        st.dataframe(pd.DataFrame(store().audit(300)), hide_index=True, width="stretch")


render()
