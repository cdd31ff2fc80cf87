"""Template: download, upload with the validation report, submit; and the same as an online form."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.i18n import UserError
from cartography.io.submission import check_workbook
from cartography.io.template import answers_to_workbook, content_to_answers
from cartography.template_spec import CLIENTS, DATA_SHEETS, MAX_BYTES, ORGANISATION, Sheet
from cartography.ui.state import (
    cycle_picker,
    error_text,
    gazetteer,
    keep_file,
    kept_file,
    lang,
    plain,
    store,
    template_bytes,
    tr,
    user,
)
from cartography.validation import Problem, summary
from cartography.vocabulary import CLIENT_PROFILES, REGIONS, SUBMISSION_STATUSES


def _problems_table(problems: list[Problem]) -> pd.DataFrame:
    """The located problems for ``st.table``, which renders Markdown: every cell is escaped
    (values, and messages quoting them, are the workbook's text)."""
    english = lang() == "en"
    return pd.DataFrame(
        {
            tr("validation.col.sheet"): [plain(p.sheet or "—") for p in problems],
            tr("validation.col.row"): [str(p.row) if p.row else "" for p in problems],
            tr("validation.col.column"): [plain(p.column or "") for p in problems],
            tr("validation.col.value"): [plain(p.value) for p in problems],
            tr("validation.col.message"): [plain(p.message_en if english else p.message_fr) for p in problems],
            tr("validation.col.suggestion"): [
                plain(p.suggestion_en if english else p.suggestion_fr) for p in problems
            ],
        }
    )


def _can_submit(org_id: str) -> bool:
    current = user()
    if current is None:
        return False
    return current["role"] == "coordinator" or (current["role"] == "member" and current["org_id"] == org_id)


def _check_and_offer_submit(data: bytes, cycle: str | None, source_name: str, key: str) -> None:
    """Validate a workbook (uploaded or built from the form) and offer to store it."""
    result = check_workbook(data, gazetteer())
    if not result.ok:
        st.error(tr("validation.summary_errors", count=len(result.problems)))
        st.table(_problems_table(result.problems).set_index(tr("validation.col.sheet")))
        return
    content = result.content
    assert content is not None
    st.success(plain(summary(content, lang())))
    current = user()
    if current is None:
        st.info(tr("template.sign_in_to_submit"))
        return
    if not _can_submit(content.organisation.org_id):
        st.error(tr("template.not_your_org", org=content.organisation.org_id))
        return
    if cycle and st.button(tr("template.submit", cycle=cycle), key=f"submit-{key}", type="primary"):
        try:
            stored = store().submit(content, cycle, str(current["username"]), source_name)
        except UserError as error:
            st.error(error_text(error))
            return
        st.success(tr("store.submitted", org=content.organisation.name, cycle=cycle, version=stored.version))


def _editor_config(sheet: Sheet) -> dict[str, object]:
    # Municipalities and their communities ("Komoka (Middlesex Centre)"): each label geocodes.
    names = [label for label, _ in gazetteer().community_choices()]
    config: dict[str, object] = {}
    for col in sheet.columns:
        if col.key == "line":
            continue
        title = col.title
        if col.kind == "vocab" and col.vocabulary is not None:
            config[col.key] = st.column_config.SelectboxColumn(
                title, options=col.vocabulary.labels("fr"), required=col.required, help=col.help_en
            )
        elif col.kind == "municipality":
            config[col.key] = st.column_config.SelectboxColumn(
                title, options=names, required=col.required, help=col.help_en
            )
        elif col.kind == "area":
            options = names + [r.fr for r in REGIONS if r.code != "london"]
            config[col.key] = st.column_config.SelectboxColumn(
                title, options=options, required=col.required, help=col.help_en
            )
        elif col.kind in ("int",):
            config[col.key] = st.column_config.NumberColumn(title, min_value=0, step=1, help=col.help_en)
        elif col.kind == "float":
            config[col.key] = st.column_config.NumberColumn(title, format="%.6f", help=col.help_en)
        else:
            config[col.key] = st.column_config.TextColumn(title, help=col.help_en)
    return config


def _online_form(cycle: str | None) -> None:
    current = user()
    start: dict[str, object] = {}
    if current and current.get("org_id"):
        previous = store().latest_validated(str(current["org_id"]))
        if previous is not None:
            start = content_to_answers(previous.content, gazetteer().municipality_names)
            st.caption(tr("template.prefilled", cycle=previous.cycle, version=previous.version))
        else:
            start = {"org_id": current["org_id"]}
    answers: dict[str, object] = {}
    with st.expander(ORGANISATION.title, expanded=True):
        for col in ORGANISATION.columns:
            default = start.get(col.key) or ""
            if col.vocabulary is not None:
                labels = col.vocabulary.labels("fr")
                index = labels.index(col.vocabulary.label(str(default))) if default in col.vocabulary else 0
                answers[col.key] = st.selectbox(col.title, labels, index=index, key=f"form-org-{col.key}")
            else:
                answers[col.key] = st.text_input(
                    col.title, value=str(default), key=f"form-org-{col.key}", help=col.help_en
                )
    for sheet in DATA_SHEETS:
        columns = [c.key for c in sheet.columns if c.key != "line"]
        rows = start.get(sheet.key) or []
        frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
        st.markdown(f"**{sheet.title}** — {sheet.help_fr if lang() == 'fr' else sheet.help_en}")
        edited = st.data_editor(
            frame,
            column_config=_editor_config(sheet),
            num_rows="dynamic",
            hide_index=True,
            key=f"form-{sheet.key}",
            width="stretch",
        )
        answers[sheet.key] = [
            {k: (None if pd.isna(v) else v) for k, v in record.items()}
            for record in edited.to_dict("records")
            if any(not pd.isna(v) and str(v).strip() for v in record.values())
        ]
    if st.button(tr("template.check_form"), key="check-form"):
        workbook = answers_to_workbook(answers, gazetteer().municipality_names, cycle or "")
        keep_file("form_workbook", workbook, "formulaire.xlsx")
    checked = kept_file("form_workbook")  # only the account that filled it in sees it
    if checked is not None:
        _check_and_offer_submit(checked[0], cycle, "formulaire", "form")


def _my_submissions() -> None:
    current = user()
    if not current or current["role"] != "member":
        return
    mine = store().submissions(org_id=str(current["org_id"]))
    st.subheader(tr("template.mine"))
    if not mine:
        st.caption(tr("template.none_yet"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("ui.cycle"): [s.cycle for s in mine],
                tr("col.version"): [s.version for s in mine],
                tr("home.col.status"): [SUBMISSION_STATUSES.label(s.status, lang()) for s in mine],
                tr("store.col.last"): [s.created_at.strftime("%Y-%m-%d %H:%M") for s in mine],
            }
        ),
        hide_index=True,
    )
    latest = mine[-1]
    names = gazetteer().municipality_names
    # The member's own view: exact counts, never rounded or suppressed.
    st.markdown(tr("template.own_clients", version=latest.version))
    st.dataframe(
        pd.DataFrame(
            {
                tr("cli.label.municipality"): [names.get(c.csduid, c.csduid) for c in latest.content.clients],
                CLIENTS.column("profile").title_fr: [
                    CLIENT_PROFILES.label(c.profile, lang()) for c in latest.content.clients
                ],
                CLIENTS.column("count").title_fr: [c.count for c in latest.content.clients],
            }
        ),
        hide_index=True,
    )


def render() -> None:
    st.title(tr("nav.template"))
    st.caption(tr("template.page_intro"))
    cycle = cycle_picker()
    current = user()
    left, right = st.columns(2)
    left.download_button(
        tr("template.download_blank"),
        data=template_bytes(cycle or ""),
        file_name="gabarit-presentation.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    if current and current.get("org_id"):
        right.download_button(
            tr("template.download_prefilled"),
            data=template_bytes(cycle or "", str(current["org_id"])),
            file_name=f"gabarit-{current['org_id']}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    if current is None:  # reading a workbook costs the server: only for signed-in accounts
        st.info(tr("uisafety.sign_in_to_check"))
        return
    upload_tab, form_tab = st.tabs([tr("template.tab_upload"), tr("template.tab_form")])
    with upload_tab:
        uploaded = st.file_uploader(
            tr("template.upload"), type=["xlsx"], key="upload", max_upload_size=MAX_BYTES // (1024 * 1024)
        )
        if uploaded is not None:
            _check_and_offer_submit(uploaded.getvalue(), cycle, uploaded.name, "upload")
    with form_tab:
        _online_form(cycle)
    _my_submissions()


render()
