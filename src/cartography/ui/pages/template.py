"""Template: download, upload with the validation report, submit; and the same as an online form.

The online form never drops a row: the table editor is told no column is required (it would
otherwise keep a new row that lacks a required drop-down in the browser and never send it),
so every row typed reaches the validator, which reports a missing value with its section, row
and column like any other. Both the download and the form start from the member's newest
version of the cycle, else from its last validated version (a new cycle starts from what the
coordinator accepted last time). After a successful submission the button stays disabled
until the content changes; the store refuses an unchanged re-submission anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from cartography.errors import UserError
from cartography.model import Submission, SubmissionContent
from cartography.services.files import content_to_answers
from cartography.services.submissions import CheckResult, check_answers, check_workbook, submit_answers, template_start
from cartography.template_spec import CLIENTS, DATA_SHEETS, MAX_BYTES, ORGANISATION, Sheet
from cartography.ui.state import (
    cycle_picker,
    error_text,
    gazetteer,
    keep_file,
    kept_file,
    lang,
    plain,
    shown_time,
    store,
    template_bytes,
    tr,
    user,
)
from cartography.validation import Problem, summary
from cartography.vocabulary import CLIENT_PROFILES, REGIONS, SUBMISSION_STATUSES


def _problems_table(problems: list[Problem], *, form: bool = False) -> pd.DataFrame:
    """The located problems for ``st.table``, which renders Markdown: every cell is escaped
    (values, and messages quoting them, are the member's text). The form's problems are
    located by section, row of its table (1 for the first) and field; a workbook's by sheet,
    row and column."""
    english = lang() == "en"
    where, column = (
        ("records.col.section", "records.col.field") if form else ("validation.col.sheet", "validation.col.column")
    )
    return pd.DataFrame(
        {
            tr(where): [plain(p.sheet or "—") for p in problems],
            tr("validation.col.row"): [str(p.row) if p.row else "" for p in problems],
            tr(column): [plain(p.column or "") for p in problems],
            tr("validation.col.value"): [plain(p.value) for p in problems],
            tr("validation.col.message"): [plain(p.message_en if english else p.message_fr) for p in problems],
            tr("validation.col.suggestion"): [plain(p.suggestion_en if english else p.suggestion_fr) for p in problems],
        }
    )


def _can_submit(org_id: str) -> bool:
    current = user()
    if current is None:
        return False
    return current["role"] == "coordinator" or (current["role"] == "member" and current["org_id"] == org_id)


def content_digest(content: SubmissionContent, cycle: str) -> str:
    """A fingerprint of what would be stored: the same answers for the same cycle, the same digest."""
    return hashlib.sha256(f"{cycle}|{content.model_dump_json()}".encode()).hexdigest()


def _submit(
    content: SubmissionContent,
    cycle: str,
    author: str,
    source_name: str,
    key: str,
    answers: dict[str, object] | None = None,
) -> None:
    """Store ``content`` (button callback: runs before the page is drawn again, so the button
    is drawn disabled at once and the outcome is shown where the button is). The form's
    ``answers`` go through :func:`submit_answers`, checked again as they are stored."""
    try:
        if answers is None:
            stored = store().submit(content, cycle, author, source_name)
        else:
            stored = submit_answers(store(), answers, cycle, author, gazetteer(), source_name)
    except UserError as error:
        st.session_state[f"outcome-{key}"] = ("error", error_text(error))
        return
    st.session_state[f"submitted-{key}"] = content_digest(content, cycle)
    st.session_state[f"outcome-{key}"] = (
        "success",
        tr("store.submitted", org=content.organisation.name, cycle=cycle, version=stored.version)
        + " "
        + tr("adminform.form.submitted_done"),
    )


def _check_and_offer_submit(
    result: CheckResult, cycle: str | None, source_name: str, key: str, answers: dict[str, object] | None = None
) -> None:
    """Show what checking an uploaded workbook (or the form's ``answers``) found, and offer to store it."""
    if not result.ok:
        st.error(tr("validation.summary_errors", count=len(result.problems)))
        table = _problems_table(result.problems, form=answers is not None)
        st.table(table.set_index(table.columns[0]))
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
    if not cycle:
        return
    done = st.session_state.get(f"submitted-{key}") == content_digest(content, cycle)
    st.button(
        tr("template.submit", cycle=cycle),
        key=f"submit-{key}",
        type="primary",
        disabled=done,
        on_click=_submit,
        args=(content, cycle, str(current["username"]), source_name, key, answers),
    )
    outcome = st.session_state.pop(f"outcome-{key}", None)
    if outcome is not None:
        (st.success if outcome[0] == "success" else st.error)(outcome[1])


#: What an empty drop-down shows in the online form (a blank, read as no answer).
NO_CHOICE = "—"
_DROP_DOWNS = ("vocab", "municipality", "area")


def _editor_config(sheet: Sheet) -> dict[str, ColumnConfig]:
    # Municipalities and their communities ("Komoka (Middlesex Centre)"): each label geocodes.
    names = [label for label, _ in gazetteer().community_choices()]
    config: dict[str, ColumnConfig] = {}
    for col in sheet.columns:
        if col.key == "line":
            continue
        title = col.title
        # Never ``required=True``: the editor would hold back a new row missing that value
        # (a site without its municipality) and the form would lose it without a word. The
        # validator reports the missing value, located, like every other problem.
        # New rows start empty, never with a null the editor prints as "None": text cells
        # with "", drop-downs with :data:`NO_CHOICE` (the editor prints "" in a drop-down as
        # "None" too), also their first option so a member can clear one. Numbers are typed
        # as text ("43,5" is accepted): the validator reads them as it reads a workbook cell.
        if col.kind == "vocab" and col.vocabulary is not None:
            config[col.key] = st.column_config.SelectboxColumn(
                title,
                options=[NO_CHOICE, *col.vocabulary.labels("fr")],
                required=False,
                default=NO_CHOICE,
                help=col.help_en,
            )
        elif col.kind == "municipality":
            config[col.key] = st.column_config.SelectboxColumn(
                title, options=[NO_CHOICE, *names], required=False, default=NO_CHOICE, help=col.help_en
            )
        elif col.kind == "area":
            options = [NO_CHOICE, *names, *[r.fr for r in REGIONS if r.code != "london"]]
            config[col.key] = st.column_config.SelectboxColumn(
                title, options=options, required=False, default=NO_CHOICE, help=col.help_en
            )
        else:
            config[col.key] = st.column_config.TextColumn(title, default="", help=col.help_en)
    return config


def _blank(value: object) -> bool:
    """Whether a cell holds nothing (None, NaN, empty, spaces, or the empty drop-down choice)."""
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and (not value.strip() or value == NO_CHOICE)


def _cell_text(value: object) -> str:
    """A cell as the member reads it: blank for nothing, ``12`` not ``12.0``."""
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def editor_frame(sheet: Sheet, rows: list[dict[str, object]]) -> pd.DataFrame:
    """The table a section starts with in the form: every cell text, blanks empty (a drop-down
    left empty shows :data:`NO_CHOICE`), never "None" or "nan"."""
    columns = [c for c in sheet.columns if c.key != "line"]
    data = {}
    for col in columns:
        texts = [_cell_text(row.get(col.key)) for row in rows]
        if col.kind in _DROP_DOWNS:
            texts = [text or NO_CHOICE for text in texts]
        data[col.key] = texts
    return pd.DataFrame(data, columns=[c.key for c in columns], dtype=object)


def edited_rows(records: Sequence[Mapping[Hashable, object]]) -> list[dict[str, object]]:
    """The form's rows as answers, in the table's order: blanks become ``None``.

    Every row is kept, an empty one too, so each keeps the number the member sees in the
    table (the checker leaves empty rows out); any row with a value is checked, however
    incomplete, so the validator can say what it lacks.
    """
    return [{str(k): (None if _blank(v) else v) for k, v in record.items()} for record in records]


def start_of(org_id: str, cycle: str | None) -> Submission | None:
    """The version the form and the pre-filled template start from for ``cycle``."""
    return template_start(store(), org_id, cycle or "")


def _online_form(cycle: str | None) -> None:
    current = user()
    start: dict[str, object] = {}
    origin = "blank"
    if current and current.get("org_id"):
        previous = start_of(str(current["org_id"]), cycle)
        if previous is not None:
            start = content_to_answers(previous.content, gazetteer().municipality_names)
            origin = f"{previous.cycle}-{previous.version}"
            st.caption(
                tr(
                    "adminform.form.started_from",
                    cycle=previous.cycle,
                    version=previous.version,
                    status=SUBMISSION_STATUSES.label(previous.status, lang()),
                )
            )
        else:
            start = {"org_id": current["org_id"]}
    # Another cycle or a newer version starts a fresh form instead of keeping edits made on
    # top of something else: the widgets' state is forgotten when the starting point changes.
    origin = f"{cycle or ''}/{origin}"
    if st.session_state.get("form_origin") != origin:
        for key in [k for k in st.session_state if str(k).startswith("form-")]:
            del st.session_state[key]
        st.session_state["form_origin"] = origin
    prefix = "form"
    answers: dict[str, object] = {}
    with st.expander(ORGANISATION.title, expanded=True):
        for col in ORGANISATION.columns:
            default = start.get(col.key) or ""
            if col.vocabulary is not None:
                labels = col.vocabulary.labels("fr")
                index = labels.index(col.vocabulary.label(str(default))) if default in col.vocabulary else 0
                answers[col.key] = st.selectbox(col.title, labels, index=index, key=f"{prefix}-org-{col.key}")
            else:
                answers[col.key] = st.text_input(
                    col.title, value=str(default), key=f"{prefix}-org-{col.key}", help=col.help_en
                )
    for sheet in DATA_SHEETS:
        given = start.get(sheet.key)
        rows = given if isinstance(given, list) else []
        st.markdown(f"**{sheet.title}** — {sheet.help_fr if lang() == 'fr' else sheet.help_en}")
        edited = st.data_editor(
            editor_frame(sheet, rows),
            column_config=_editor_config(sheet),
            num_rows="dynamic",
            hide_index=True,
            key=f"{prefix}-{sheet.key}",
            width="stretch",
        )
        answers[sheet.key] = edited_rows(edited.to_dict("records"))
    if st.button(tr("template.check_form"), key="check-form"):
        # The answers as checked, kept (as JSON) for the account that filled them in: the
        # result and the submit button stay while the page is drawn again.
        keep_file("form_answers", json.dumps(answers, default=str).encode(), "formulaire.json")
    checked = kept_file("form_answers")  # only the account that filled it in sees it
    if checked is not None:
        kept: dict[str, object] = json.loads(checked[0])
        _check_and_offer_submit(check_answers(kept, gazetteer()), cycle, "formulaire", "form", kept)


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
                tr("store.col.last"): [shown_time(s.created_at) for s in mine],
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
            file_name=f"gabarit-{current['org_id']}-{cycle or ''}.xlsx".replace("-.xlsx", ".xlsx"),
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
            _check_and_offer_submit(check_workbook(uploaded.getvalue(), gazetteer()), cycle, uploaded.name, "upload")
    with form_tab:
        _online_form(cycle)
    _my_submissions()


render()
