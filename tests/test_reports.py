"""PowerPoint decks read back with python-pptx (demo data, invented)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from cartography.cli import main
from cartography.reports import member_deck, table_deck


def _texts(slide) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


@pytest.fixture(scope="module")
def deck(compiled_demo, demo_store, geography, tmp_path_factory):  # type: ignore[no-untyped-def]
    target = tmp_path_factory.mktemp("deck") / "table.pptx"
    table_deck(compiled_demo, demo_store.status("2019-2020"), geography).save(target)
    return Presentation(str(target))


def test_order_and_count(deck, compiled_demo) -> None:
    titles = [_texts(s)[1] for s in deck.slides]  # [0] is the title bar rectangle's (empty) text
    members = len(compiled_demo.submissions)
    assert len(deck.slides) == 3 + 4 + 1 + members + 2
    assert titles[0].startswith("Cartographie des besoins")
    assert titles[1] == "Contexte et méthode"
    assert titles[2].startswith("Participation")
    assert titles[3:7] == ["Région : London", "Région : Middlesex", "Région : Elgin", "Région : Oxford"]
    assert titles[7] == "Besoins signalés par catégorie"
    assert titles[-2:] == ["Limites des données", "Sources et attribution"]
    assert deck.slide_width == Emu(12_192_000) and deck.slide_height == Emu(6_858_000)  # 16:9


def test_pictures_chart_labels_and_no_placeholders(deck) -> None:
    for index in range(3, 7):
        assert any(shape.shape_type == 13 for shape in deck.slides[index].shapes)  # a picture (the map)
    assert any(shape.has_chart for shape in deck.slides[7].shapes)
    for slide in deck.slides:
        text = " ".join(_texts(slide))
        assert "DONNÉES FICTIVES DE DÉMONSTRATION" in text  # demo label on every slide
        assert "Click to add" not in text and "Cliquez pour ajouter" not in text
        assert all(not shape.is_placeholder for shape in slide.shapes)
        assert "Statistique Canada" in text


def test_regions_name_their_gaps_in_words(deck) -> None:
    for slide in list(deck.slides)[3:7]:
        text = " ".join(_texts(slide))
        assert "Principales lacunes" in text
        assert len(re.findall(r"•", text)) >= 1


def test_suppressed_counts_absent_from_the_table_deck(deck, compiled_demo) -> None:
    member_slides = list(deck.slides)[8:-2]
    for slide in member_slides:
        text = " ".join(_texts(slide))
        match = re.search(r"servis \(arrondi\) : ([\d\u202f]+|moins de 5)", text)
        assert match, text
        if match.group(1) != "moins de 5":
            assert int(match.group(1).replace("\u202f", "")) % 5 == 0
    # The exact per-member totals that are not multiples of 5 never appear.
    exact = {sum(c.count for c in s.content.clients) for s in compiled_demo.submissions}
    everything = " ".join(" ".join(_texts(s)) for s in member_slides)
    for value in exact:
        if value % 5:
            assert f"(arrondi) : {value}" not in everything


def test_member_deck_has_exact_counts(demo_store, geography, tmp_path: Path) -> None:
    submission = demo_store.submissions("2019-2020", "ccfl")[-1]
    target = tmp_path / "ccfl.pptx"
    member_deck(submission, geography).save(target)
    prs = Presentation(str(target))
    titles = [_texts(s)[1] for s in prs.slides]
    assert titles[1:5] == [
        "Nos services",
        "Nos lieux de service",
        "Nos clients par région et par profil",
        "Besoins de nos clients",
    ]
    clients = " ".join(_texts(prs.slides[3]))
    assert "Total" in clients and "2" in clients.split()  # Central Elgin's 2 workers, exact
    assert any(shape.shape_type == 13 for shape in prs.slides[2].shapes)


def test_cli_report_and_english(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "deck-en.pptx"
    assert main(["report", "--cycle", "2019-2020", "-o", str(target), "--lang", "en"]) == 0
    prs = Presentation(str(target))
    assert "Region: Oxford" in [_texts(s)[1] for s in prs.slides]
    assert main(["report", "--cycle", "2019-2020", "--org", "personne", "-o", str(tmp_path / "x.pptx")]) == 1
