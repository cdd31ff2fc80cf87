"""The presentation template: a real workbook written, filled by code, read back and checked.

Bad workbooks are built here from the blank template by changing one thing each; each must
give its located error and leave the store unchanged."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cartography.cli import main
from cartography.io.template import fill_template, write_template
from cartography.services.submissions import InvalidWorkbook, check_workbook, submit_workbook
from cartography.template_spec import FIRST_DATA_ROW


def _filled(tmp_path: Path, gazetteer, answers: dict, name: str = "gabarit.xlsx") -> Path:
    path = tmp_path / name
    write_template(path, gazetteer.municipality_names, cycle="2019-2020")
    fill_template(path, answers)
    return path


def test_blank_template_layout(tmp_path: Path, gazetteer) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(path, gazetteer.municipality_names, cycle="2019-2020")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Organisme", "Lieux", "Services", "Clients", "Besoins", "Listes"]
    services = wb["Services"]
    assert services["C1"].value == "Nom du service *"  # required columns marked
    assert services["A3"].value == "EXEMPLE"
    assert services.freeze_panes == "B4"
    formulas = {dv.formula1 for dv in services.data_validations.dataValidation}
    assert any("Listes" in f for f in formulas)
    lieux_lists = " ".join(dv.formula1 for dv in wb["Lieux"].data_validations.dataValidation)
    assert "Listes" in lieux_lists  # municipalities drop-down
    municipalities = [c.value for c in wb["Listes"]["A"][1:] if c.value]
    assert len(municipalities) == 28 and "St. Thomas" in municipalities


def test_round_trip(tmp_path: Path, gazetteer, demo_org: dict, store) -> None:
    path = _filled(tmp_path, gazetteer, demo_org)
    result = check_workbook(path, gazetteer)
    assert result.ok, result.problems
    content = result.content
    assert content.organisation.org_id == "ccfl"
    assert {s.csduid for s in content.sites} == {"3539036", "3534021"}
    virtual = next(s for s in content.services if s.mode == "virtual")
    assert set(virtual.areas_served) == {"3539036", "middlesex", "elgin", "oxford"}
    store.open_cycle("2019-2020", "coord")
    stored = submit_workbook(store, path, "2019-2020", "membre", gazetteer)
    assert stored.version == 1 and stored.status == "submitted"
    assert store.get(stored.submission_id).content == content
    # Pre-filled template of validated answers reads back to the same content.
    store.validate("ccfl", "2019-2020", 1, "coord")
    again = tmp_path / "prefilled.xlsx"
    write_template(
        again,
        gazetteer.municipality_names,
        content=store.latest_validated("ccfl").content,
        prefilled_from=("2019-2020", 1),
    )
    assert check_workbook(again, gazetteer).content == content


def _set(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


R = FIRST_DATA_ROW  # first data row


def _mutate_answers(change):  # type: ignore[no-untyped-def]
    def apply(answers: dict) -> dict:
        changed = copy.deepcopy(answers)
        change(changed)
        return changed

    return apply


# (id, change to the answers or to the saved file, expected sheet, row, column, words in the message)
BAD = [
    (
        "unknown municipality",
        _mutate_answers(lambda a: a["sites"][0].update(municipality="Londn")),
        "Lieux",
        R,
        "Municipalité",
        "London",
    ),
    (
        "malformed postal code",
        _mutate_answers(lambda a: a["sites"][0].update(postal_code="N6A-1A")),
        "Lieux",
        R,
        "Code postal",
        "A1A 1A1",
    ),
    (
        "postal code outside region",
        _mutate_answers(lambda a: a["sites"][0].update(postal_code="K1A 0B1")),
        "Lieux",
        R,
        "Code postal",
        "région",
    ),
    (
        "postal code in another town",
        _mutate_answers(lambda a: a["sites"][1].update(postal_code="N6A 1A1")),
        "Lieux",
        R + 1,
        "Code postal",
        "London",
    ),
    (
        "coordinates outside region",
        _mutate_answers(lambda a: a["sites"][0].update(latitude=45.5, longitude=-73.6)),
        "Lieux",
        R,
        "Latitude",
        "hors de la région",
    ),
    (
        "latitude without longitude",
        _mutate_answers(lambda a: a["sites"][0].update(latitude=42.98)),
        "Lieux",
        R,
        "Longitude",
        "latitude et la longitude",
    ),
    (
        "duplicate site code",
        _mutate_answers(lambda a: a["sites"][1].update(site_code="S1")),
        "Lieux",
        R + 1,
        "Code du lieu",
        "déjà utilisé",
    ),
    (
        "duplicate site",
        _mutate_answers(lambda a: a["sites"].append(dict(a["sites"][0], site_code="S9"))),
        "Lieux",
        R + 2,
        "Nom du lieu",
        "répète",
    ),
    (
        "service refers to missing site",
        _mutate_answers(lambda a: a["services"][0].update(site_code="ZZ")),
        "Services",
        R,
        "Code du lieu",
        "n'existe pas",
    ),
    (
        "in-person service without site",
        _mutate_answers(lambda a: a["services"][0].update(site_code=None)),
        "Services",
        R,
        "Code du lieu",
        "lieu",
    ),
    (
        "category not in list",
        _mutate_answers(lambda a: a["services"][1].update(category="Logment")),
        "Services",
        R + 1,
        "Catégorie",
        "Logement",
    ),
    (
        "bad language",
        _mutate_answers(lambda a: a["services"][2].update(language="Espagnol")),
        "Services",
        R + 2,
        "Langue de service",
        "liste",
    ),
    (
        "negative count",
        _mutate_answers(lambda a: a["clients"][0].update(count=-3)),
        "Clients",
        R,
        "Nombre de clients",
        "négatif",
    ),
    (
        "fractional count",
        _mutate_answers(lambda a: a["clients"][1].update(count=2.5)),
        "Clients",
        R + 1,
        "Nombre de clients",
        "entier",
    ),
    (
        "text count",
        _mutate_answers(lambda a: a["clients"][2].update(count="beaucoup")),
        "Clients",
        R + 2,
        "Nombre de clients",
        "entier",
    ),
    (
        "duplicate client row",
        _mutate_answers(lambda a: a["clients"].append(dict(a["clients"][0]))),
        "Clients",
        R + 7,
        "Municipalité de résidence",
        "répète",
    ),
    (
        "need in unknown area",
        _mutate_answers(lambda a: a["needs"][0].update(area="Nulle-Part")),
        "Besoins",
        R,
        "Municipalité ou région",
        "inconnue",
    ),
    (
        # Toronto is a known place outside the region: say so, not "unknown".
        "need outside the region",
        _mutate_answers(lambda a: a["needs"][0].update(area="Toronto")),
        "Besoins",
        R,
        "Municipalité ou région",
        "hors de la région",
    ),
    (
        # Springfield is in Malahide and in Adelaide-Metcalfe (places.csv): list both.
        "need in an ambiguous place",
        _mutate_answers(lambda a: a["needs"][0].update(area="Springfield")),
        "Besoins",
        R,
        "Municipalité ou région",
        "Malahide",
    ),
    (
        "need missing severity",
        _mutate_answers(lambda a: a["needs"][1].update(severity=None)),
        "Besoins",
        R + 1,
        "Gravité",
        "obligatoire",
    ),
    (
        "bad email",
        _mutate_answers(lambda a: a.update(email="pas-un-courriel")),
        "Organisme",
        6,
        "Courriel",
        "courriel",
    ),
    (
        "bad organisation code",
        _mutate_answers(lambda a: a.update(org_id="C C F L!")),
        "Organisme",
        2,
        "Code de l'organisme",
        "code",
    ),
    (
        "unknown municipality in areas served",
        _mutate_answers(lambda a: a["services"][4].update(areas_served="London; Nulle-Part")),
        "Services",
        R + 4,
        "Municipalités desservies",
        "inconnue",
    ),
]


@pytest.mark.parametrize(("label", "change", "sheet", "row", "column", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_workbooks_are_located_and_change_nothing(
    tmp_path: Path, gazetteer, demo_org, store, label, change, sheet, row, column, words
) -> None:
    store.open_cycle("2019-2020", "coord")
    before = store.counts()
    path = _filled(tmp_path, gazetteer, change(demo_org))
    with pytest.raises(InvalidWorkbook) as info:
        submit_workbook(store, path, "2019-2020", "membre", gazetteer)
    located = [p for p in info.value.problems if (p.sheet, p.row, p.column) == (sheet, row, column)]
    assert located, [(p.sheet, p.row, p.column, p.message_fr) for p in info.value.problems]
    text = " ".join(p.message_fr + " " + p.suggestion_fr for p in located)
    assert words.lower() in text.lower(), text
    assert all(p.message_en for p in located)
    assert store.counts() == before


FILE_PROBLEMS = [
    ("not a workbook", lambda p: p.write_bytes(b"nom,ville\nA,London\n"), "classeur Excel"),
    ("empty file", lambda p: p.write_bytes(b""), "vide"),
    (
        "password-protected",
        lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512),
        "mot de passe",
    ),
    ("too large", lambda p: p.write_bytes(b"PK" + b"\0" * (6 * 1024 * 1024)), "limite"),
]


@pytest.mark.parametrize(("label", "make", "words"), FILE_PROBLEMS, ids=[f[0] for f in FILE_PROBLEMS])
def test_unreadable_files_get_a_clear_message(tmp_path: Path, gazetteer, label, make, words, capsys) -> None:
    path = tmp_path / "fichier.xlsx"
    make(path)
    result = check_workbook(path, gazetteer)
    assert not result.ok
    assert words in result.problems[0].message_fr
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and words in err


def test_missing_sheet_and_moved_column(tmp_path: Path, gazetteer, demo_org) -> None:
    path = _filled(tmp_path, gazetteer, demo_org)
    wb = load_workbook(path)
    del wb["Besoins"]
    wb.save(path)
    problems = check_workbook(path, gazetteer).problems
    assert [(p.sheet, p.message_fr[:11]) for p in problems] == [("Besoins", "La feuille ")]
    path = _filled(tmp_path, gazetteer, demo_org, "moved.xlsx")
    wb = load_workbook(path)
    wb["Clients"].move_range("C1:C20", cols=2)
    wb.save(path)
    problems = check_workbook(path, gazetteer).problems
    assert any(p.sheet == "Clients" and p.row == 1 and "déplacez" in p.message_fr for p in problems)


def test_example_row_is_never_read_and_formulas_are_text(tmp_path: Path, gazetteer, demo_org) -> None:
    answers = copy.deepcopy(demo_org)
    answers["needs"][0]["comment"] = '=HYPERLINK("http://x")'
    path = _filled(tmp_path, gazetteer, answers)
    wb = load_workbook(path)
    cell = wb["Besoins"][f"G{R}"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")  # a text cell, never a formula
    with zipfile.ZipFile(path) as archive:
        assert all(b"<f>" not in archive.read(n) for n in archive.namelist() if "worksheets" in n)
    content = check_workbook(path, gazetteer).content
    assert content is not None
    assert len(content.sites) == 2  # the EXEMPLE row (S1, London) is not a third site
    assert content.needs[0].comment == '=HYPERLINK("http://x")'  # stored as typed


def test_validate_json(tmp_path: Path, gazetteer, demo_org, capsys) -> None:
    import json

    path = _filled(tmp_path, gazetteer, demo_org)
    assert main(["validate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
    bad = copy.deepcopy(demo_org)
    bad["clients"][0]["count"] = -1
    path = _filled(tmp_path, gazetteer, bad, "bad.xlsx")
    assert main(["validate", str(path), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["problems"][0]["sheet"] == "Clients"
    assert set(document["problems"][0]) >= {"sheet", "row", "column", "value", "message_fr", "message_en"}


def test_bytes_upload_path(tmp_path: Path, gazetteer, demo_org) -> None:
    path = _filled(tmp_path, gazetteer, demo_org)
    assert check_workbook(path.read_bytes(), gazetteer).ok
    buffer = io.BytesIO()
    write_template(buffer, gazetteer.municipality_names)
    assert not check_workbook(buffer.getvalue(), gazetteer).ok


def test_only_the_untouched_example_row_is_ignored(tmp_path: Path, gazetteer, demo_org) -> None:
    """Item 12: a data row whose first cell starts with "exemple" is read; so is the example
    row once the member typed over it; the untouched example row alone is ignored."""
    path = _filled(tmp_path, gazetteer, demo_org)
    wb = load_workbook(path)
    wb["Clients"][f"A{R + 1}"] = "exemple de ligne"  # a member's note in the N° column
    lieux = wb["Lieux"]
    for ref, value in {"B3": "S3", "C3": "Centre de Woodstock", "D3": None, "E3": "Woodstock", "F3": None}.items():
        lieux[ref] = value  # A3 still says EXEMPLE, but the row now holds a real site
    wb.save(path)
    content = check_workbook(path, gazetteer).content
    assert content is not None
    assert len(content.clients) == len(demo_org["clients"])
    assert [s.site_code for s in content.sites] == ["S3", "S1", "S2"]


def test_help_row_typed_over_is_read(tmp_path: Path, gazetteer, demo_org) -> None:
    path = _filled(tmp_path, gazetteer, demo_org)
    _set(path, "Clients", "D2", "douze")  # row 2 no longer holds the template's help text
    problems = check_workbook(path, gazetteer).problems
    assert {(p.sheet, p.row, p.column) for p in problems} == {
        ("Clients", 2, "Nombre de clients"),  # what was typed, read and refused
        ("Clients", 2, "Municipalité de résidence"),  # required in a data row
        ("Clients", 2, "Profil"),
    }  # the help texts left in place are not read as values


def test_text_is_stored_exactly_as_typed(tmp_path: Path, gazetteer, demo_org, store) -> None:
    """Item 13: + - = @ at the start of a text are kept as typed through the form, the store
    and the pre-filled template; text cells are written as text, never formulas."""
    from cartography.io.template import answers_to_workbook, content_to_answers

    answers = copy.deepcopy(demo_org)
    answers["phone"] = "+1 519 555 0100"
    answers["sites"][0]["address"] = "-3, rue Principale"
    answers["services"][0]["description"] = "=SUM(A1:A9)"
    answers["needs"][0]["comment"] = "@coordination"
    content = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer).content
    assert content is not None
    assert content.organisation.phone == "+1 519 555 0100"
    assert content.sites[0].address == "-3, rue Principale"
    assert content.services[0].description == "=SUM(A1:A9)"
    assert content.needs[0].comment == "@coordination"
    store.open_cycle("2019-2020", "coord")
    stored = store.submit(content, "2019-2020", "membre", "formulaire")
    assert store.get(stored.submission_id).content.organisation.phone == "+1 519 555 0100"
    prefilled = tmp_path / "prefilled.xlsx"
    write_template(prefilled, gazetteer.municipality_names, content=content, prefilled_from=("2019-2020", 1))
    wb = load_workbook(prefilled)
    phone = wb["Organisme"]["B7"]
    assert (phone.value, phone.data_type) == ("+1 519 555 0100", "s")
    description = wb["Services"][f"J{R}"]
    assert (description.value, description.data_type) == ("=SUM(A1:A9)", "s")
    assert check_workbook(prefilled, gazetteer).content == content
    again = answers_to_workbook(content_to_answers(content, gazetteer.municipality_names), gazetteer.municipality_names)
    assert check_workbook(again, gazetteer).content == content


def test_old_prefilled_apostrophe_is_read_as_typed(tmp_path: Path, gazetteer, demo_org) -> None:
    """Templates pre-filled before the fix hold "'+1 519…": the apostrophe is not the member's."""
    path = _filled(tmp_path, gazetteer, demo_org)
    _set(path, "Organisme", "B7", "'+1 519 555 0100")
    content = check_workbook(path, gazetteer).content
    assert content is not None and content.organisation.phone == "+1 519 555 0100"


def test_exports_neutralise_formulas_in_one_place(compiled_demo, tmp_path: Path) -> None:
    """CSV and Excel exports, and only they, prefix ' to text a spreadsheet would run."""
    import dataclasses

    from cartography.io.exports import write_layers
    from cartography.io.formula_safety import neutralise_formula

    assert neutralise_formula("+1 519 555 0100") == "'+1 519 555 0100"
    assert neutralise_formula("Centre") == "Centre" and neutralise_formula(-3) == -3
    points = compiled_demo.layers["service_points"].copy()
    points["note"] = '=HYPERLINK("http://x")'
    hostile = dataclasses.replace(compiled_demo, layers={"sites": points})
    (written,) = write_layers(hostile, tmp_path / "sites.csv", "csv", layer="sites")
    text = written.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    write_layers(hostile, tmp_path / "out.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["sites"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in values and all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_template_lists_offer_communities_that_validate(tmp_path: Path, gazetteer, demo_org) -> None:
    # Komoka is a CGNDB community of Middlesex Centre (CSD 3539033 in places.csv).
    communities = [label for label, _ in gazetteer.community_choices()]
    path = tmp_path / "communities.xlsx"
    write_template(path, gazetteer.municipality_names, cycle="2019-2020", communities=communities)
    listed = {c.value for c in load_workbook(path)["Listes"]["A"]}
    assert "Komoka (Middlesex Centre)" in listed and "London" in listed
    answers = copy.deepcopy(demo_org)
    site = answers["sites"][0]
    site.update(municipality="Komoka (Middlesex Centre)", postal_code=None, latitude=None, longitude=None)
    fill_template(path, answers)
    result = check_workbook(path, gazetteer)
    assert result.ok, result.problems
    assert result.content.sites[0].csduid == "3539033"


# -- layout in the tools members have (Excel, LibreOffice): help, printing, cell rules --------


@pytest.fixture(scope="module")
def blank_book():  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    write_template(buffer, {"3539036": "London", "3534021": "St. Thomas"}, cycle="2019-2020")
    buffer.seek(0)
    return load_workbook(buffer)


def test_help_is_french_first_with_english_beside(blank_book) -> None:
    from cartography.template_spec import DATA_SHEETS, HELP_ROW, ORGANISATION
    from cartography.typography import french as french_typography
    from cartography.typography import problems

    for sheet in DATA_SHEETS:
        ws = blank_book[sheet.title]
        for index, col in enumerate(sheet.columns, start=1):
            text = ws.cell(row=HELP_ROW, column=index).value
            french, english = text.split("\n[EN] ")
            assert col.help_fr and french == french_typography(col.help_fr) and english == col.help_en
            assert problems(french) == []
    org = blank_book[ORGANISATION.title]
    assert org.cell(row=2, column=3).value.startswith("Code court donné par la coordination")
    assert "État\u00a0: comblé" in blank_book["Besoins"].cell(row=HELP_ROW, column=6).value  # typography


def test_every_sheet_prints_landscape_one_page_wide(blank_book) -> None:
    for ws in blank_book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, ws.title
    assert blank_book["Besoins"].print_title_rows.replace("$", "") == "1:2"  # headers and help on every page


def test_wrapped_text_rows_are_tall_enough(blank_book) -> None:
    """Neither Excel nor LibreOffice grows a row to its wrapped text: the heights are set."""
    from openpyxl.utils import get_column_letter

    for ws in blank_book.worksheets[:-1]:  # the Lists sheet holds one short value per cell
        for row in ws.iter_rows(min_row=1, max_row=3):
            for cell in row:
                if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                    continue
                width = ws.column_dimensions[get_column_letter(cell.column)].width
                size = cell.font.sz or 11
                per_line = width * 11 / size  # characters per line, generous
                lines = sum(max(1, -(-len(p) // int(per_line))) for p in cell.value.split("\n"))
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= lines * size * 1.2, (ws.title, cell.coordinate, height)


def test_cell_rules_show_their_message(blank_book) -> None:
    whole = [dv for ws in blank_book.worksheets for dv in ws.data_validations.dataValidation if dv.type == "whole"]
    lists = [dv for ws in blank_book.worksheets for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(whole) == 3 and len(lists) > 10  # capacity, client count, clients concerned
    for dv in whole + lists:
        assert dv.showErrorMessage and dv.error and dv.errorTitle
        assert len(dv.errorTitle) <= 32 and len(dv.error) <= 255  # Excel's limits
        assert "« »" not in dv.error and "«\u00a0\u00a0»" not in dv.error and "''" not in dv.error
    for dv in whole:
        assert dv.showInputMessage and "nombre entier" in dv.prompt and "whole number" in dv.error
    assert any("« Catégorie »" in dv.error.replace("\u00a0", " ") for dv in lists)
