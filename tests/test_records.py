"""Validation on plain records (issue 12): each section's validator on a few hand-made records,
problems located as the online form shows them, and the same content whether answers come
from a workbook or from the form.

Every expected value here can be checked by reading the records: codes, rows and messages.
"""

from __future__ import annotations

import copy

import pytest

from cartography.answers import Answers, Record, answers_from_form
from cartography.io.template import answers_to_workbook, content_to_answers, read_answers
from cartography.services.submissions import check_answers, check_workbook
from cartography.template_spec import CLIENTS, MAX_ROWS, SITES
from cartography.validation import (
    Checker,
    check_clients,
    check_needs,
    check_organisation,
    check_services,
    check_sites,
    validate_records,
)

ORG = {
    "org_id": "CCFL",
    "name": "Carrefour communautaire",
    "org_type": "community",
    "contact_name": "Personne fictive",
    "email": "demo@example.org",
}
SITE = {"site_code": "S1", "name": "Bureau", "municipality": "London", "postal_code": "N6A 1A1"}
SERVICE = {
    "service_code": "A1",
    "name": "Accueil",
    "category": "needs_assessment",
    "site_code": "S1",
    "language": "fr_active",
    "mode": "in_person",
}


def _plain(text: str) -> str:
    """French typography's non-breaking spaces read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _where(check: Checker) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.sheet, p.row, p.column, p.message_en) for p in check.problems]


# -- one validator per section ----------------------------------------------------------------


def test_organisation_fields_cleaned_and_code_checked(gazetteer) -> None:
    check = Checker(gazetteer)
    values = check_organisation(Record(ORG, field_rows={"org_id": 2}), check)
    assert check.problems == []
    assert values["org_id"] == "ccfl" and values["org_type"] == "community" and values["phone"] == ""
    check = Checker(gazetteer)
    check_organisation(Record({**ORG, "org_id": "c c", "email": "pas un courriel"}, field_rows={"org_id": 2}), check)
    assert [(p.row, p.column) for p in check.problems] == [(None, "Courriel"), (2, "Code de l'organisme")]


def test_sites_placed_and_codes_declared_even_when_a_row_fails(gazetteer) -> None:
    check = Checker(gazetteer)
    records = [
        Record(SITE, 4),
        Record({**SITE, "name": "Autre bureau"}, 5),  # same code as row 4
        Record({"site_code": "S3", "name": "Sans municipalité"}, 6),  # S3 declared, row refused
    ]
    sites, codes = check_sites(records, check)
    assert [s.site_code for s in sites] == ["S1", "S1"]  # both placed; the repeated code alone is refused
    assert codes == {"S1": 4, "S3": 6}
    assert [(row, column) for _, row, column, _ in _where(check)] == [(5, "Code du lieu"), (6, "Municipalité")]
    assert "already used on row 4" in check.problems[0].message_en
    assert sites[0].csduid == "3539036" and sites[0].precision  # London, placed by its postal code


def test_sites_refuse_a_lone_coordinate_and_a_repeated_place(gazetteer) -> None:
    check = Checker(gazetteer)
    records = [
        Record({**SITE, "latitude": "42.98"}, 4),
        Record({**SITE, "site_code": "S2"}, 5),
        Record({**SITE, "site_code": "S3", "name": "bureau"}, 6),  # the same place as row 5
    ]
    sites, _ = check_sites(records, check)
    assert [s.site_code for s in sites] == ["S2"]
    assert [(row, column) for _, row, column, _ in _where(check)] == [(4, "Longitude"), (6, "Nom du lieu")]
    assert "row 5" in check.problems[1].message_en


def test_services_checked_against_the_declared_sites(gazetteer) -> None:
    check = Checker(gazetteer)
    records = [
        Record(SERVICE, 4),
        Record({**SERVICE, "service_code": "A2", "site_code": "S9"}, 5),
        Record({**SERVICE, "service_code": "A3", "site_code": None}, 6),  # in person, no site
        Record({**SERVICE, "service_code": "A4", "site_code": None, "mode": "virtual", "areas_served": "Elgin"}, 7),
        Record({**SERVICE, "service_code": "A1"}, 8),
    ]
    services = check_services(records, check, {"S1": 4})
    assert [s.service_code for s in services] == ["A1", "A4"]
    assert services[0].status == "active" and services[1].areas_served == ("elgin",)
    assert [(row, column) for _, row, column, _ in _where(check)] == [
        (5, "Code du lieu"),
        (6, "Code du lieu"),
        (8, "Code du service"),
    ]
    assert "'S9' does not exist in the 'Lieux' sheet. Known codes: S1." in check.problems[0].message_en


def test_clients_one_row_per_municipality_profile_and_category(gazetteer) -> None:
    check = Checker(gazetteer)
    row = {"municipality": "London", "profile": "permanent_resident", "count": "12"}
    records = [Record(row, 4), Record({**row, "count": 3}, 5), Record({**row, "category": "employment"}, 6)]
    clients = check_clients(records, check)
    assert [(c.csduid, c.count, c.category) for c in clients] == [("3539036", 12, ""), ("3539036", 12, "employment")]
    assert _where(check) == [
        (
            "Clients",
            5,
            "Municipalité de résidence",
            "This row repeats row 4 (same municipalité, profil, catégorie). Add the numbers up on one row.",
        )
    ]


def test_needs_take_a_region_or_a_municipality(gazetteer) -> None:
    check = Checker(gazetteer)
    need = {"category": "housing", "area": "Elgin", "clients": "4", "severity": "high", "status": "unmet"}
    records = [Record(need, 4), Record({**need, "area": "St. Thomas"}, 5), Record({**need, "clients": -1}, 6)]
    needs = check_needs(records, check)
    assert [(n.area, n.clients) for n in needs] == [("elgin", 4), ("3534021", 4)]
    assert [(row, column) for _, row, column, _ in _where(check)] == [(6, "Clients concernés")]


def test_no_site_at_all_is_one_problem(gazetteer) -> None:
    content, problems = validate_records(Answers(Record(ORG), {"sites": ()}), gazetteer)
    assert content is None
    assert [(p.sheet, p.row, p.message_en) for p in problems] == [
        ("Lieux", None, "No site: enter at least one service site.")
    ]


# -- the online form: records located as the member sees them ---------------------------------


def _form(**sections: object) -> dict[str, object]:
    return {**ORG, "sites": [SITE], "services": [SERVICE], **sections}


def test_form_rows_are_numbered_as_the_table_shows_them(gazetteer) -> None:
    blank = dict.fromkeys(SITE)
    form = _form(sites=[SITE, blank, {**SITE, "site_code": "S2", "name": "Annexe", "municipality": None}])
    answers = answers_from_form(form)
    assert answers.source == "form"
    assert [r.row for r in answers.records(SITES)] == [1, 3]  # the empty second row is left out
    result = check_answers(form, gazetteer)
    assert not result.ok
    (missing,) = result.problems
    assert (missing.sheet, missing.row, missing.column) == ("Lieux", 3, "Municipalité")
    assert _plain(missing.message_fr) == "Valeur obligatoire manquante : remplissez le champ « Municipalité »."
    assert missing.message_en == "Required value missing: fill in the field 'Municipalité'."


def test_form_problems_speak_of_tables_and_fields(gazetteer) -> None:
    form = _form(services=[SERVICE, {**SERVICE, "service_code": "A2", "site_code": "S9"}])
    form["name"] = ""
    problems = check_answers(form, gazetteer).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Organisme", None, "Nom de l'organisme"),  # a field of the form: no row
        ("Services", 2, "Code du lieu"),
    ]
    assert "the field 'Nom de l'organisme'" in problems[0].message_en
    assert "the 'Lieux' table. Known codes: S1." in problems[1].message_en
    assert "tableau « Lieux »" in _plain(problems[1].message_fr)


def test_form_control_characters_and_huge_numbers_are_located(gazetteer, demo_org) -> None:
    answers = copy.deepcopy(demo_org)
    answers["contact_name"] = "Jean\x01Dupont"
    answers["clients"][0]["count"] = 10**30
    problems = check_answers(answers, gazetteer).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Organisme", None, "Personne-ressource"),
        ("Clients", 1, "Nombre de clients"),
    ]
    assert "position 5" in problems[0].message_en and "plausible maximum" in problems[1].message_en


def test_form_rows_beyond_the_limit_are_refused_in_words() -> None:
    rows = [{"municipality": "London", "profile": "permanent_resident", "count": i} for i in range(MAX_ROWS + 5)]
    answers = answers_from_form({**ORG, "clients": rows})
    assert len(answers.records(CLIENTS)) == MAX_ROWS + 1
    (too_many,) = answers.problems
    assert (too_many.sheet, too_many.row) == ("Clients", MAX_ROWS + 1)
    assert too_many.message_en == f"Too many rows in the table (>{MAX_ROWS}; at most {MAX_ROWS})."


# -- one content, whichever way the answers came ----------------------------------------------


def _as_typed_in_the_form(answers: dict) -> dict:
    """What the form's tables hold: every cell as text (a number is typed, "12"), blanks None."""
    out: dict = {}
    for key, value in answers.items():
        if isinstance(value, list):
            out[key] = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in value]
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("typed", [False, True], ids=["values", "text"])
def test_workbook_and_form_give_the_same_content(gazetteer, demo_org, typed: bool) -> None:
    answers = _as_typed_in_the_form(demo_org) if typed else copy.deepcopy(demo_org)
    from_workbook = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer)
    from_form = check_answers(answers, gazetteer)
    assert from_workbook.ok and from_form.ok, from_form.problems
    assert from_form.content == from_workbook.content
    assert len(from_form.content.services) == 7 and len(from_form.content.clients) == 7
    # The form's pre-fill (labels and names, as a member reads them) checks back to the same content.
    again = check_answers(content_to_answers(from_form.content, gazetteer.municipality_names), gazetteer)
    assert again.content == from_form.content


def test_workbook_and_form_locate_the_same_mistake_in_their_own_terms(gazetteer, demo_org) -> None:
    answers = copy.deepcopy(demo_org)
    answers["clients"][1]["count"] = "douze"
    (in_workbook,) = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer).problems
    (in_form,) = check_answers(answers, gazetteer).problems
    assert (in_workbook.sheet, in_workbook.row, in_workbook.column) == ("Clients", 5, "Nombre de clients")
    assert (in_form.sheet, in_form.row, in_form.column) == ("Clients", 2, "Nombre de clients")
    assert (
        in_form.message_en
        == in_workbook.message_en
        == "'douze' is not a whole number. Enter a whole number (0, 1, 2…)."
    )


def test_read_answers_gives_records_located_by_sheet_row(gazetteer, demo_org) -> None:
    answers = read_answers(answers_to_workbook(demo_org, gazetteer.municipality_names))
    assert answers.source == "workbook" and not answers.problems
    assert answers.organisation.row_of("org_id") == 2 and answers.organisation.row_of("email") == 6
    assert [r.row for r in answers.records(SITES)] == [4, 5]
    assert answers.records(SITES)[1].get("municipality") == "St. Thomas"


# -- the online form in the app ---------------------------------------------------------------


def test_the_app_form_locates_problems_by_section_row_and_field(demo_store_copy, monkeypatch) -> None:
    """The member's form, checked without any workbook: the report's columns say section and
    field, and an organisation field has no row."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.session_state["user"] = {"username": "ccfl", "role": "member", "org_id": "ccfl"}
    at.session_state["lang"] = "fr"
    at.session_state["cycle"] = "2019-2020"
    at.run()
    at.switch_page("src/cartography/ui/pages/template.py")
    at.run()
    at.text_input(key="form-org-contact_name").input("")
    at.button(key="check-form").click()
    at.run()
    assert not at.exception, at.exception
    (report,) = [t.value for t in at.table]
    assert report.index.name == "Section" and list(report.columns[:2]) == ["Ligne", "Champ"]
    assert report.index.tolist() == ["Organisme"]
    first = {k: _plain(str(v)).replace("\\", "") for k, v in report.iloc[0].items()}  # cells are escaped Markdown
    assert first["Ligne"] == "" and first["Champ"] == "Personne-ressource"
    assert "remplissez le champ « Personne-ressource »" in first["Problème"]
    assert not any(b.key == "submit-form" for b in at.button)
