"""Administration (coordinator): cycles, members, versions to validate, accounts, audit log.

Every table shows labels (not codes), French headers (English in English) and Toronto time.
After any change the page is drawn again (``st.rerun``) so the tables and the pending list
show the store as it now is; the outcome message is carried over the rerun once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
import streamlit as st

from cartography.errors import UserError
from cartography.i18n import MESSAGES, Lang, t
from cartography.model import Submission
from cartography.services.submissions import SECTION_KEYS, validate_version, version_changes
from cartography.services.workspace import ROLES
from cartography.ui.state import (
    DATE_INPUT_FORMAT,
    cycle_picker,
    error_text,
    lang,
    organisation_names,
    plain,
    require,
    shown_date,
    shown_time,
    store,
    tr,
)
from cartography.vocabulary import ORGANISATION_TYPES, SUBMISSION_STATUSES

_FLASH = "admin_flash"


def _flash(kind: str, text: str, secret: str | None = None) -> None:
    """Keep a message (and a password shown once) for the next drawing of the page."""
    st.session_state[_FLASH] = (kind, text, secret)


def _show_flash() -> None:
    kept = st.session_state.pop(_FLASH, None)
    if kept is None:
        return
    kind, text, secret = kept
    (st.success if kind == "success" else st.error)(text)
    if secret:
        st.code(secret, language=None)


def _act(action: Callable[[], object], success: Callable[[object], str]) -> None:
    """Run a store change; on success remember the message and draw the page again."""
    try:
        outcome = action()
    except UserError as error:
        st.error(error_text(error))
        return
    _flash("success", success(outcome))
    st.rerun()


def _h(key: str) -> str:
    """A column header (plain text in ``st.dataframe``: no Markdown escaping)."""
    return t(key, lang())


# -- cycles ----------------------------------------------------------------------------------


def _cycles_tab(actor: str) -> None:
    cycles = store().cycles()
    st.dataframe(
        pd.DataFrame(
            {
                _h("adminform.col.code"): [c.code for c in cycles],
                _h("adminform.col.status"): [_h(f"adminform.cycle.status.{c.status}") for c in cycles],
                _h("adminform.cycle.starts_on"): [shown_date(c.starts_on) for c in cycles],
                _h("adminform.cycle.ends_on"): [shown_date(c.ends_on) for c in cycles],
                _h("adminform.col.opened_at"): [shown_time(c.opened_at) for c in cycles],
            }
        ),
        hide_index=True,
    )
    st.caption(tr("adminform.time_note"))
    with st.form("open_cycle"):
        code = st.text_input(tr("admin.cycle_code"), placeholder="2020-2021")
        left, right = st.columns(2)
        starts = left.date_input(tr("adminform.cycle.starts_on"), value=None, format=DATE_INPUT_FORMAT)
        ends = right.date_input(tr("adminform.cycle.ends_on"), value=None, format=DATE_INPUT_FORMAT)
        if st.form_submit_button(tr("admin.open_cycle")):
            chosen = code.strip()

            def open_it() -> int:
                store().open_cycle(
                    chosen,
                    actor,
                    starts if isinstance(starts, date) else None,
                    ends if isinstance(ends, date) else None,
                )
                return sum(1 for org in store().organisations() if store().prefill_for(org["org_id"], chosen))

            _act(open_it, lambda count: tr("adminform.cycle.opened_prefilled", code=chosen, count=count))
    if cycles:
        newest = cycles[-1].code
        st.markdown(f"**{tr('adminform.cycle.prefill_heading', cycle=newest)}**")
        names = organisation_names()
        rows = []
        for org in store().organisations():
            start = store().prefill_for(org["org_id"], newest)
            rows.append(
                {
                    _h("adminform.col.name"): names.get(org["org_id"], org["org_id"]),
                    _h("adminform.cycle.prefill_from"): (
                        t(
                            "adminform.cycle.prefill_version",
                            lang(),
                            cycle=start.cycle,
                            version=start.version,
                            status=SUBMISSION_STATUSES.label(start.status, lang()),
                        )
                        if start
                        else _h("adminform.cycle.prefill_none")
                    ),
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True)


# -- members ---------------------------------------------------------------------------------


def _members_tab(actor: str) -> None:
    orgs = store().organisations()
    names = organisation_names()
    st.dataframe(
        pd.DataFrame(
            {
                _h("adminform.col.org_id"): [o["org_id"] for o in orgs],
                _h("adminform.col.name"): [names.get(o["org_id"], o["name"]) for o in orgs],
                _h("adminform.col.org_type"): [
                    ORGANISATION_TYPES.label(o["org_type"], lang()) if o["org_type"] in ORGANISATION_TYPES else ""
                    for o in orgs
                ],
            }
        ),
        hide_index=True,
    )
    with st.form("register_org"):
        org_id = st.text_input(tr("admin.org_id"))
        name = st.text_input(tr("admin.org_name"))
        org_type = st.selectbox(
            tr("admin.org_type"),
            ORGANISATION_TYPES.codes,
            format_func=lambda c: ORGANISATION_TYPES.label(c, lang()),
        )
        if st.form_submit_button(tr("admin.register")):
            _act(
                lambda: store().register_organisation(org_id.strip().lower(), name.strip(), org_type, actor),
                lambda _: tr("admin.registered", org=name),
            )


# -- versions --------------------------------------------------------------------------------


def _reference(sub: Submission, cycle: str) -> Submission | None:
    """What a pending version is compared with: the validated version of its cycle, else the
    last validated version before (what a new cycle's template started from)."""
    here = next((s for s in store().submissions(cycle, sub.org_id) if s.status == "validated"), None)
    return here or store().latest_validated(sub.org_id, up_to=cycle)


def version_summary_frame(sub: Submission, reference: Submission | None, language: Lang) -> pd.DataFrame:
    """Counts of a version's rows per section and what changed since ``reference``."""
    changes = version_changes(sub.content, reference.content if reference else None)
    return pd.DataFrame(
        {
            t("adminform.summary.sections", language): [t(f"adminform.section.{k}", language) for k in SECTION_KEYS],
            t("adminform.summary.rows", language): [changes[k].rows for k in SECTION_KEYS],
            t("adminform.summary.added", language): [len(changes[k].added) for k in SECTION_KEYS],
            t("adminform.summary.removed", language): [len(changes[k].removed) for k in SECTION_KEYS],
            t("adminform.summary.changed", language): [len(changes[k].changed) for k in SECTION_KEYS],
        }
    )


def _summary(sub: Submission, cycle: str) -> None:
    reference = _reference(sub, cycle)
    st.markdown(f"**{tr('adminform.summary_heading', version=sub.version)}**")
    st.dataframe(version_summary_frame(sub, reference, lang()), hide_index=True)
    if reference is None:
        st.caption(tr("adminform.summary.first"))
        return
    st.caption(tr("adminform.summary.against", version=reference.version, cycle=reference.cycle))
    before, after = reference.content.organisation.name, sub.content.organisation.name
    if before != after:
        st.info(tr("adminform.summary.renamed", before=before, after=after))
    changes = version_changes(sub.content, reference.content)
    details = [
        {
            _h("adminform.summary.sections"): _h(f"adminform.section.{section}"),
            _h("adminform.summary.change"): _h(f"adminform.summary.{kind}"),
            _h("adminform.summary.row"): " · ".join(str(part) for part in key if part != ""),
        }
        for section, found in changes.items()
        for kind in ("added", "removed", "changed")
        for key in getattr(found, kind)
    ]
    if details:
        with st.expander(tr("adminform.summary.details")):
            st.dataframe(pd.DataFrame(details), hide_index=True, width="stretch")


def _submissions_tab(actor: str) -> None:
    cycle = cycle_picker("admin_cycle")
    if not cycle:
        return
    names = organisation_names()
    subs = store().submissions(cycle)
    st.dataframe(
        pd.DataFrame(
            {
                _h("store.col.org"): [names.get(s.org_id, s.org_id) for s in subs],
                _h("col.version"): [s.version for s in subs],
                _h("home.col.status"): [SUBMISSION_STATUSES.label(s.status, lang()) for s in subs],
                _h("store.col.last"): [shown_time(s.created_at) for s in subs],
                _h("admin.author"): [s.author for s in subs],
                _h("adminform.col.validated_at"): [shown_time(s.validated_at) for s in subs],
                _h("adminform.col.validated_by"): [s.validated_by or "" for s in subs],
                _h("adminform.col.source"): [s.source_name for s in subs],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(tr("adminform.time_note"))
    st.subheader(tr("adminform.pending_heading"))
    pending = store().pending(cycle)
    if not pending:
        st.caption(tr("adminform.pending_none"))
        return
    choice = st.selectbox(
        tr("admin.to_validate"),
        pending,
        format_func=lambda s: t(
            "adminform.pending_choice",
            lang(),
            org=names.get(s.org_id, s.org_id),
            version=s.version,
            when=shown_time(s.created_at),
        ),
        key="admin_pending",
    )
    _summary(choice, cycle)
    if st.button(tr("admin.validate"), type="primary", key="admin_validate"):
        _act(
            lambda: validate_version(store(), choice.org_id, cycle, choice.version, actor),
            lambda _: tr(
                "store.validated", org=names.get(choice.org_id, choice.org_id), cycle=cycle, version=choice.version
            ),
        )


# -- accounts --------------------------------------------------------------------------------


def _accounts_tab(actor: str) -> None:
    users = store().users()
    st.dataframe(
        pd.DataFrame(
            {
                _h("adminform.col.username"): [u["username"] for u in users],
                _h("adminform.col.role"): [_h(f"users.role.{u['role']}") for u in users],
                _h("store.col.org"): [u["org_id"] or "" for u in users],
                _h("adminform.col.account_state"): [
                    _h("adminform.account.disabled" if u["disabled"] else "adminform.account.active") for u in users
                ],
                _h("adminform.col.created_at"): [_when(u["created_at"]) for u in users],
            }
        ),
        hide_index=True,
    )
    with st.form("create_user", clear_on_submit=True):
        username = st.text_input(tr("ui.username"))
        password = st.text_input(tr("ui.password"), type="password")
        # The least powerful role first: a slip of the mouse must not make a coordinator.
        role = st.selectbox(
            tr("admin.role"), ROLES, index=ROLES.index("member"), format_func=lambda r: tr(f"users.role.{r}")
        )
        orgs = ["", *[o["org_id"] for o in store().organisations()]]
        org = st.selectbox(tr("admin.org_id"), orgs, format_func=lambda o: o or t("adminform.account.no_org", lang()))
        if st.form_submit_button(tr("admin.create_account")):
            _act(
                lambda: store().create_user(username, password, role, actor, org_id=org or None),
                lambda _: tr("users.created", username=username, role=tr(f"users.role.{role}")),
            )
    if not users:
        return
    st.subheader(tr("adminform.account.manage"))
    by_name = {str(u["username"]): u for u in users}
    chosen = st.selectbox(tr("adminform.account.choose"), list(by_name), key="admin_account")
    account = by_name[chosen]
    with st.form("reset_password", clear_on_submit=True):
        typed = st.text_input(tr("adminform.account.new_password"), type="password")
        if st.form_submit_button(tr("adminform.account.reset")):
            try:
                new = store().reset_password(chosen, actor, typed or None)
            except UserError as error:
                st.error(error_text(error))
            else:
                _flash("success", tr("adminform.account.reset_done", username=chosen), secret=new)
                st.rerun()
    if account["disabled"]:
        if st.button(tr("adminform.account.enable"), key="admin_enable"):
            _act(
                lambda: store().set_disabled(chosen, False, actor),
                lambda _: tr("adminform.account.enabled_done", username=chosen),
            )
    elif st.button(tr("adminform.account.disable"), key="admin_disable"):
        _act(
            lambda: store().set_disabled(chosen, True, actor),
            lambda _: tr("adminform.account.disabled_done", username=chosen),
        )


# -- audit -----------------------------------------------------------------------------------


def _label(prefix: str, code: object) -> str:
    """The reader's label of an audit code (the code itself if the catalogue has none)."""
    key = f"{prefix}.{code}"
    return _h(key) if key in MESSAGES else str(code)


def _when(value: object) -> str:
    """A time the store gives (a UTC ``datetime``, or none) as the committee reads it."""
    if value is not None and not isinstance(value, datetime):
        raise TypeError(f"the store gives times as datetime, not '{type(value).__name__}'")
    return shown_time(value)


def _audit_frame(entries: list[dict[str, object]]) -> pd.DataFrame:
    """The audit entries for the screen, newest first: time, actor, action, entity, detail."""
    columns: dict[str, list[str]] = {
        _h("adminform.col.at"): [_when(a["at"]) for a in entries],
        _h("adminform.col.actor"): [str(a["actor"]) for a in entries],
        _h("adminform.col.action"): [_label("adminform.action", a["action"]) for a in entries],
        _h("adminform.col.entity"): [f"{_label('adminform.entity', a['entity'])} {a['entity_id']}" for a in entries],
        _h("adminform.col.detail"): [
            json.dumps(a["detail"], ensure_ascii=False, default=str) if a["detail"] else "" for a in entries
        ],
    }
    return pd.DataFrame(columns)


def _audit_tab() -> None:
    st.dataframe(_audit_frame(store().audit(300)), hide_index=True, width="stretch")
    st.caption(tr("adminform.time_note"))


def render() -> None:
    current = require("coordinator")
    actor = str(current["username"]) if current else "?"
    if not store().is_enabled(actor):  # disabled since signing in
        st.warning(plain(t("adminform.sign_in.disabled", lang())))
        st.stop()
    st.title(tr("nav.admin"))
    _show_flash()
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
        _cycles_tab(actor)
    with members:
        _members_tab(actor)
    with submissions:
        _submissions_tab(actor)
    with accounts:
        _accounts_tab(actor)
    with audit:
        _audit_tab()


render()
