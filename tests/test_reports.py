"""PowerPoint decks read back with python-pptx (demo data, invented), and a stress test."""

from __future__ import annotations

import ast
import dataclasses
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import ImageFont
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

import cartography.reports as reports
from cartography.cli import main
from cartography.compilation import member_listing
from cartography.gaps import ALL
from cartography.reports import integer_steps, member_deck, region_map_figure, table_deck
from cartography.typography import problems

NBSP = "\u00a0"


def _texts(slide) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


def _plain(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


def _title(slide) -> str:  # type: ignore[no-untyped-def]
    return _texts(slide)[1]  # [0] is the title bar rectangle's (empty) text


@pytest.fixture(scope="module")
def deck(compiled_demo, demo_store, geography, tmp_path_factory):  # type: ignore[no-untyped-def]
    target = tmp_path_factory.mktemp("deck") / "table.pptx"
    table_deck(compiled_demo, demo_store.status("2019-2020"), geography).save(target)
    return Presentation(str(target))


def test_order_and_count(deck, compiled_demo) -> None:
    titles = [_plain(_title(s)) for s in deck.slides]
    members = len(compiled_demo.members)
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


def test_chart_of_counts_has_whole_number_steps(deck) -> None:
    chart = next(shape.chart for shape in deck.slides[7].shapes if shape.has_chart)
    axis = chart.value_axis
    assert axis.major_unit is not None and axis.major_unit == int(axis.major_unit) >= 1
    assert axis.minimum_scale == 0 and axis.tick_labels.number_format == "0"
    assert integer_steps(3) == 1 and integer_steps(0) == 1 and integer_steps(120) == 20


def test_regions_name_their_gaps_in_words(deck) -> None:
    for slide in list(deck.slides)[3:7]:
        text = " ".join(_texts(slide))
        assert "Principales lacunes" in text
        assert len(re.findall(r"•", text)) >= 1


def test_suppressed_counts_absent_from_the_table_deck(deck, demo_store) -> None:
    member_slides = list(deck.slides)[8:-2]
    for slide in member_slides:
        text = " ".join(_texts(slide))
        match = re.search(r"servis \(arrondi\)\s: ([\d\u202f]+|moins de 5)", text)
        assert match, text
        if match.group(1) != "moins de 5":
            assert int(match.group(1).replace("\u202f", "")) % 5 == 0
    # The exact per-member totals that are not multiples of 5 never appear.
    exact = {sum(c.count for c in s.content.clients) for s in demo_store.validated("2019-2020")}
    everything = _plain(" ".join(" ".join(_texts(s)) for s in member_slides))
    for value in exact:
        if value % 5:
            assert f"(arrondi) : {value}" not in everything


def test_french_deck_is_tagged_french_and_typeset(deck) -> None:
    default = deck.part._element.find(qn("p:defaultTextStyle"))
    assert {e.get("lang") for e in default.iter(qn("a:defRPr"))} == {"fr-CA"}
    master = deck.slide_masters[0]._element
    assert {e.get("lang") for e in master.iter(qn("a:defRPr"))} == {"fr-CA"}
    template = Presentation(str(reports.package_data(reports.TEMPLATE)))  # French by default, even unused
    assert {e.get("lang") for e in template.part._element.iter(qn("a:defRPr"))} == {"fr-CA"}
    langs = {r.get("lang") for s in deck.slides for r in s._element.iter(qn("a:rPr"))}
    assert langs == {"fr-CA"}
    for slide in deck.slides:
        title = _title(slide)
        assert problems(title) == [], title


def test_member_deck_has_exact_counts(demo_store, geography, tmp_path: Path) -> None:
    submission = demo_store.submissions("2019-2020", "ccfl")[-1]
    target = tmp_path / "ccfl.pptx"
    member_deck(submission, geography).save(target)
    prs = Presentation(str(target))
    titles = [_title(s) for s in prs.slides]
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
    assert "Region: Oxford" in [_title(s) for s in prs.slides]
    langs = {r.get("lang") for s in prs.slides for r in s._element.iter(qn("a:rPr"))}
    assert langs == {"en-CA"}
    assert main(["report", "--cycle", "2019-2020", "--org", "personne", "-o", str(tmp_path / "x.pptx")]) == 1


# -- figures ---------------------------------------------------------------------------------


def test_reports_draws_without_pyplot() -> None:
    tree = ast.parse(Path(reports.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("pyplot" in name for name in imported)


def test_region_maps_are_thread_safe_and_keep_labels_off_the_areas(compiled_demo) -> None:
    gaps = compiled_demo.layers["gaps_csd"]
    with ThreadPoolExecutor(4) as pool:
        pngs = list(pool.map(lambda _: reports.region_map_png(gaps, "middlesex", "fr"), range(4)))
    assert len(set(pngs)) == 1  # no shared pyplot state: four threads draw the same picture
    fig = region_map_figure(gaps, "middlesex", "fr")
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    mine = gaps[(gaps["category"] == ALL) & (gaps["region"] == "middlesex")].to_crs(4326)
    minx, miny, maxx, maxy = mine.total_bounds
    (x0, _), (x1, _) = ax.transData.transform([(minx, miny), (maxx, maxy)])
    labels = list(ax.texts)
    assert sorted(label.get_text() for label in labels) == sorted(mine["name"])
    for label in labels:
        box = Text.get_window_extent(label, renderer)  # the words, not the leader line
        assert box.x1 <= x0 + 1 or box.x0 >= x1 - 1, label.get_text()  # beside the areas, not on them
    legend = fig.legends[0].get_window_extent(renderer)
    assert legend.y1 <= ax.get_window_extent(renderer).y0 + 1  # below the map, outside the axes


# -- stress test -----------------------------------------------------------------------------

LONG_NAME = (
    "Association communautaire francophone régionale pour l'accueil, l'établissement et "
    "l'intégration des nouveaux arrivants."
)

LONGEST_COMMENT = " ".join(f"Mot{i} attente" for i in range(200))[:2000].rsplit(" ", 1)[0]


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(reports._font_file(bold), 100)


def _lines(text: str, size: float, width_pt: float, bold: bool) -> int:
    """Independent greedy word wrap (the test's own arithmetic, the deck's font file)."""
    font = _font(bold)
    count = 0
    for paragraph in text.split("\n"):
        line = ""
        count += 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) * size / 100 <= width_pt:
                line = candidate
            else:
                count += 1 if line else 0
                while font.getlength(word) * size / 100 > width_pt:
                    count += 1
                    cut = max(1, int(len(word) * width_pt / (font.getlength(word) * size / 100)))
                    word = word[cut:]
                line = word
    return count


def _needed_pt(frame, width_emu: int) -> float:  # type: ignore[no-untyped-def]
    total = 0.0
    for paragraph in frame.paragraphs:
        text = "".join(r.text for r in paragraph.runs)
        if not paragraph.runs:
            continue
        size = paragraph.runs[0].font.size.pt
        bold = bool(paragraph.runs[0].font.bold)
        total += _lines(text, size, width_emu / 12_700, bold) * size * 1.2
        if paragraph.space_after is not None:
            total += paragraph.space_after.pt
    return total


def _check_fits(prs) -> int:  # type: ignore[no-untyped-def]
    """Every shape inside the slide; every text inside its box or table cell. Returns the count checked."""
    checked = 0
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number}, {shape.name}"
            height = shape.height
            if shape.has_table:
                height = sum(row.height for row in shape.table.rows)
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= prs.slide_width, where
            assert shape.top + height <= prs.slide_height, where
            if shape.has_text_frame and shape.text_frame.text:
                frame = shape.text_frame
                room = (shape.height - frame.margin_top - frame.margin_bottom) / 12_700
                needed = _needed_pt(frame, shape.width - frame.margin_left - frame.margin_right)
                assert needed <= room + 6, f"{where}: {needed:.0f} pt of text in {room:.0f} pt: {frame.text[:80]}"
                checked += 1
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        width = table.columns[c].width - cell.margin_left - cell.margin_right
                        room = (row.height - cell.margin_top - cell.margin_bottom) / 12_700
                        needed = _needed_pt(cell.text_frame, width)
                        assert needed <= room + 1, f"{where} row {r} col {c}: {needed:.0f} > {room:.0f}"
                        checked += 1
    return checked


@pytest.fixture(scope="module")
def stressed(demo_store, geography):  # type: ignore[no-untyped-def]
    """A member with 15 services, 9 sites, 15 needs, a 120-character name and long comments."""
    base = demo_store.submissions("2019-2020", "ccfl")[-1]
    content = base.content
    assert len(LONG_NAME) == 120
    from cartography.vocabulary import SERVICE_CATEGORIES

    site0 = content.sites[0]
    sites = tuple(
        site0.model_copy(
            update={"site_code": f"S{i}", "name": f"Point de service communautaire numéro {i} du centre-ville"}
        )
        for i in range(1, 10)
    )
    service0 = content.services[0]
    categories = SERVICE_CATEGORIES.codes
    services = tuple(
        service0.model_copy(
            update={
                "service_code": f"SV{i}",
                "name": f"Accompagnement personnalisé en français, volet {i}",
                "category": categories[i % len(categories)],
                "site_code": f"S{1 + i % 9}",
            }
        )
        for i in range(15)
    )
    need0 = content.needs[0]
    comment = (
        "Les familles nouvellement arrivées signalent l'absence de service de garde en français à proximité "
        "et des délais d'attente de plus de six mois ; plusieurs parents refusent un emploi faute de solution "
        "(commentaire {i}, fin du texte)."
    )
    needs = tuple(need0.model_copy(update={"comment": comment.format(i=i), "clients": 1000 + i}) for i in range(14))
    needs += (need0.model_copy(update={"comment": LONGEST_COMMENT, "clients": 1014}),)  # the longest allowed
    organisation = content.organisation.model_copy(update={"name": LONG_NAME})
    new = content.model_copy(
        update={"organisation": organisation, "sites": sites, "services": services, "needs": needs}
    )
    return base.model_copy(update={"content": new})


def test_stress_member_deck_nothing_cut_nothing_overflows(stressed, geography, tmp_path: Path) -> None:
    target = Path(os.environ.get("CARTO_DECK_OUT") or tmp_path) / "stress-member.pptx"  # for check_deck_pdf.sh
    member_deck(stressed, geography).save(target)
    prs = Presentation(str(target))
    assert _check_fits(prs) > 100
    titles = [_plain(_title(s)) for s in prs.slides]
    assert titles[0] == LONG_NAME  # the whole name, shrunk to fit, never cut
    assert any(title.endswith("(suite)") for title in titles)  # the needs continue
    everything = " ".join(" ".join(_texts(s)) for s in prs.slides)
    for need in stressed.content.needs[:-1]:
        assert need.comment in everything  # comments whole, never cut at 60 characters
    # The 2,000-character comment, too tall for one slide, is carried over: every word, in order.
    tables = [shape.table for slide in prs.slides for shape in slide.shapes if shape.has_table]
    cells = [row.cells[5].text for table in tables if len(table.columns) == 6 for row in table.rows]
    parts = [c.removeprefix("(suite) ") for c in cells if c.startswith(("Mot0 ", "(suite) "))]
    assert len(parts) >= 2 and " ".join(parts) == LONGEST_COMMENT
    for service in stressed.content.services:
        assert service.name in everything
    for site in stressed.content.sites:
        assert site.name in everything
    assert "1\u202f014" in everything  # counts through cartography.numbers


def test_stress_table_deck_nothing_cut_nothing_overflows(
    compiled_demo, demo_store, geography, stressed, tmp_path: Path
) -> None:
    others = [m for m in compiled_demo.members if m.org_id != stressed.org_id]
    compiled = dataclasses.replace(compiled_demo, members=(*others, member_listing(stressed, 1_015)))
    status = list(demo_store.status("2019-2020"))
    status += [{"name": f"{LONG_NAME} ({i})", "versions": 0, "validated_version": None} for i in range(30)]
    target = Path(os.environ.get("CARTO_DECK_OUT") or tmp_path) / "stress-table.pptx"  # for check_deck_pdf.sh
    table_deck(compiled, status, geography).save(target)
    prs = Presentation(str(target))
    assert _check_fits(prs) > 100
    titles = [_plain(_title(s)) for s in prs.slides]
    assert LONG_NAME in titles
    participation = [t for t in titles if t.startswith("Participation")]
    assert len(participation) >= 2 and participation[1].endswith("(suite)")
    everything = " ".join(" ".join(_texts(s)) for s in prs.slides)
    assert all(f"{LONG_NAME} ({i})" in everything for i in range(30))  # every organisation listed
    assert "Suite à la diapositive suivante" in _plain(everything)  # and the deck says so


def test_a_continued_table_counts_table_rows_not_split_pieces() -> None:
    """Three rows, the second far too tall for one slide: it is split, and the notes count
    table rows (a split row once), so they read 1 to 2 of 3, then 2 of 3, never "4 rows"."""
    deck = reports.Deck("fr", demo=False, footer="Test")
    long_text = " ".join(f"Mot{i}" for i in range(1_500))
    deck.table(
        deck.slide("Tableau"),
        ["Nom", "Commentaire"],
        [["A", "court"], ["B", long_text], ["C", "court"]],
        500_000,
        1_400_000,
        11_000_000,
    )
    texts = [" ".join(_texts(slide)) for slide in deck.prs.slides]
    notes = [re.search(r"Suite à la diapositive suivante \(([^)]*)\)", _plain(text)) for text in texts]
    said = [note.group(1) for note in notes if note]
    assert said[0] == "ici les lignes 1 à 2 sur 3"
    assert all(s in ("ici la ligne 2 sur 3", "ici les lignes 2 à 3 sur 3") for s in said[1:]), said
    assert len(said) == len(texts) - 1  # every slide but the last says the table goes on
    cells = [
        c
        for slide in deck.prs.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for c in [row.cells[1].text]
    ]
    carried = [c.removeprefix("(suite) ") for c in cells if c.startswith(("Mot0 ", "(suite) "))]
    assert " ".join(carried) == long_text
