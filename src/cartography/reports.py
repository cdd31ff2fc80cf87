"""PowerPoint decks (python-pptx): the table's deck of a compiled cycle, and a member's own
presentation of its latest submission. Presentation layer: never imports streamlit.

Maps on slides are drawn with matplotlib's object API (``Figure`` + ``FigureCanvasAgg``, no
pyplot state), so decks can be built from Streamlit's threads at once and need no internet.
The table deck applies the privacy rules (client counts are published counts); a member's own
deck shows that member's exact answers.

Nothing is dropped or cut without saying so: every text box is sized with the deck font's
real metrics (:class:`TextFit`) and shrinks to fit; bullet lists and tables that still do not
fit continue on a following slide titled « (suite) » with a note saying so. Runs and the
presentation default are tagged with the deck's language (``fr-CA`` or ``en-CA``) so spelling
checkers and screen readers read French as French.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import MaxNLocator
from PIL import ImageFont
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt
from shapely.geometry.base import BaseGeometry

from cartography.compilation import MemberListing, demand_method
from cartography.gaps import ALL
from cartography.geography import CRS_DISPLAY, as_geo_frame
from cartography.i18n import Lang, t
from cartography.model import Submission
from cartography.numbers import as_int, format_integer, format_number
from cartography.paths import package_data
from cartography.rules import is_demo_author
from cartography.vocabulary import (
    CLIENT_PROFILES,
    GAP_CLASSES,
    NEED_STATUSES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from pptx.chart.chart import Chart
    from pptx.presentation import Presentation as PresentationFile
    from pptx.shapes.autoshape import Shape
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.slide import Slide
    from pptx.table import _Cell
    from pptx.text.text import TextFrame, _Run

    from cartography.compilation import Compiled
    from cartography.io.geo_source import Geography

TEMPLATE = "deck-template.pptx"
NAVY = RGBColor(0x1F, 0x4E, 0x79)
RED = RGBColor(0xB0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
BLACK = RGBColor(0, 0, 0)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
FONT = "Arial"
W, H = 12_192_000, 6_858_000
MARGIN = 457_200  # 0.5 in
BAR = 1_000_000  # title bar height
TOP = 1_350_000  # first line of a slide's content, below the demo label
BOTTOM = H - 560_000  # last line of content, above the footer
NOTE_H = 330_000  # room under a table for the note that says it continues
EMU_PER_PT = 12_700
#: Inner margins of text boxes and table cells (python-pptx / PowerPoint defaults).
INSET_X, INSET_Y = 91_440, 45_720
LINE = 1.2  # line height as a multiple of the font size (PowerPoint single spacing)
LANG_TAG = {"fr": "fr-CA", "en": "en-CA"}


# -- measuring text ------------------------------------------------------------------------


def _font_file(bold: bool) -> str:
    """Liberation Sans (Arial's metrics, LibreOffice's substitute) when installed, else
    matplotlib's own DejaVu Sans, which is wider: the estimate then errs on the safe side."""
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    for folder in ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans", "/Library/Fonts"):
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    dejavu = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / dejavu)


@lru_cache(maxsize=4)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(bold), 100)  # measured at 100 pt, scaled linearly


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points at ``size`` points in the deck font."""
    return float(_font(bold).getlength(text)) * size / 100


def wrap_lines(text: str, size: float, width_emu: int, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width_emu`` wide (greedy word wrap, as
    PowerPoint does; a word longer than the line breaks between characters)."""
    room = width_emu / EMU_PER_PT
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        current = 0.0
        space = text_width_pt(" ", size, bold)
        for word in paragraph.split(" "):
            length = text_width_pt(word, size, bold)
            if current and current + space + length <= room:
                current += space + length
                continue
            if current:
                lines += 1
            while length > room:  # a very long word (an address, a URL) breaks anywhere
                lines += 1
                length -= room
            current = length
    return lines


def text_height_emu(
    paragraphs: Sequence[str], size: float, width_emu: int, bold: bool = False, gap_pt: float = 0
) -> int:
    """Height of ``paragraphs`` set at ``size`` in a box ``width_emu`` wide (insets excluded)."""
    lines = sum(wrap_lines(p, size, width_emu, bold) for p in paragraphs)
    return int((lines * size * LINE + gap_pt * len(paragraphs)) * EMU_PER_PT)


def fit_size(
    paragraphs: Sequence[str], w: int, h: int, size: float, *, bold: bool = False, smallest: float = 8, gap: float = 0
) -> float | None:
    """The largest size from ``size`` down to ``smallest`` (half-points) at which the text fits a
    ``w`` x ``h`` box with its insets; ``None`` when it does not fit even at ``smallest``."""
    inner_w, inner_h = w - 2 * INSET_X, int(0.96 * (h - 2 * INSET_Y))  # 4 % for renderers' rounding
    current = float(size)
    while current >= smallest:
        spacing = gap * current / size
        if text_height_emu(paragraphs, current, inner_w, bold, spacing) <= inner_h:
            return current
        current -= 0.5
    return None


# -- the deck ------------------------------------------------------------------------------


@dataclass
class _Title:
    title: str
    subtitle: str


class Deck:
    """A 16:9 deck on the project's template with its title bars, footers and labels.

    Slide builders call :meth:`slide`, then :meth:`text`, :meth:`bullets`, :meth:`table` and
    :meth:`picture`; the last three continue on a new slide titled « (suite) » when what they
    are given does not fit, so a builder never has to cut a list itself.
    """

    def __init__(self, lang: Lang, demo: bool, footer: str) -> None:
        self.prs = Presentation(str(package_data(TEMPLATE)))
        self.lang = lang
        self.demo = demo
        self.footer = footer
        self.blank = next(layout for layout in self.prs.slide_layouts if layout.name == "Blank")
        self._titles: dict[int, _Title] = {}
        _tag_presentation(self.prs, LANG_TAG[lang])

    def tr(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)

    def slide(self, title: str, subtitle: str = "") -> Slide:
        """A new slide with its title bar (the title shrinks to fit two lines), footer,
        number and, for demonstration data, the label saying so."""
        slide = self.prs.slides.add_slide(self.blank)
        self._titles[slide.slide_id] = _Title(title, subtitle)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, BAR)
        bar.fill.solid()
        bar.fill.fore_color.rgb = NAVY
        bar.line.fill.background()
        title_h = 600_000 if subtitle else 820_000
        self.text(slide, title, MARGIN, 80_000, W - 2 * MARGIN, title_h, size=28, bold=True, colour=WHITE, smallest=12)
        if subtitle:
            self.text(
                slide, subtitle, MARGIN, 680_000, W - 2 * MARGIN, 300_000, size=14, colour=RGBColor(0xDD, 0xE6, 0xF0)
            )
        self.text(slide, self.footer, MARGIN, H - 520_000, W - 3 * MARGIN, 440_000, size=9, colour=GREY, smallest=6)
        number = str(len(self.prs.slides))
        self.text(
            slide,
            number,
            W - MARGIN - 600_000,
            H - 400_000,
            600_000,
            300_000,
            size=10,
            colour=GREY,
            align=PP_ALIGN.RIGHT,
        )
        if self.demo:
            label = self.tr("demo.label").upper()
            self.text(
                slide,
                label,
                W - MARGIN - 6_000_000,
                1_010_000,
                6_000_000,
                320_000,
                size=12,
                bold=True,
                colour=RED,
                align=PP_ALIGN.RIGHT,
            )
        return slide

    def continuation(self, slide: Slide) -> Slide:
        """A new slide continuing ``slide``: same title with « (suite) », same subtitle."""
        first = self._titles[slide.slide_id]
        base = first.title
        suffix = self.tr("deck.continued", title="")
        if base.endswith(suffix):
            base = base[: -len(suffix)]
        return self.slide(self.tr("deck.continued", title=base), first.subtitle)

    def text(
        self,
        slide: Slide,
        text: str,
        x: int,
        y: int,
        w: int,
        h: int,
        *,
        size: float = 16,
        bold: bool = False,
        colour: RGBColor = BLACK,
        align: PP_ALIGN | None = None,
        smallest: float = 8,
    ) -> Shape:
        """A text box; the font shrinks (down to ``smallest``) until the text fits the box."""
        fitted = fit_size([text], w, h, size, bold=bold, smallest=smallest) or smallest
        box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
        frame = _frame(box)
        run = frame.paragraphs[0].add_run()
        run.text = text
        self._style(run, fitted, bold, colour)
        if align is not None:
            frame.paragraphs[0].alignment = align
        return box

    def bullets(
        self,
        slide: Slide,
        items: Sequence[str],
        x: int,
        y: int,
        w: int,
        h: int,
        size: float = 18,
        *,
        smallest: float | None = None,
    ) -> None:
        """A bulleted list that shrinks to fit; what still does not fit continues on a new
        slide (full width), with a last line on this one saying how many follow."""
        floor = smallest if smallest is not None else max(11.0, size * 0.6)
        texts = [f"• {item}" for item in items]
        fitted = fit_size(texts, w, h, size, smallest=floor, gap=8)
        rest: list[str] = []
        if fitted is None:
            fitted = floor
            shown = len(texts)
            while shown > 1:
                shown -= 1
                more = self.tr("deck.more_items", count=len(texts) - shown)
                if fit_size([*texts[:shown], more], w, h, floor, smallest=floor, gap=8) is not None:
                    break
            rest = list(items[shown:])
            texts = [*texts[:shown], self.tr("deck.more_items", count=len(rest))]
        frame = _frame(slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h)))
        for index, item in enumerate(texts):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self._style(paragraph.add_run(), fitted, False, GREY if rest and index == len(texts) - 1 else BLACK)
            paragraph.runs[0].text = item
            paragraph.space_after = Pt(8 * fitted / size)
        if rest:
            following = self.continuation(slide)
            self.bullets(following, rest, MARGIN, TOP, W - 2 * MARGIN, BOTTOM - TOP, size, smallest=floor)

    def table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        x: int,
        y: int,
        w: int,
        size: float = 12,
        widths: Sequence[float] | None = None,
    ) -> None:
        """A table whose rows are measured; rows that do not fit above the footer go to a
        following « (suite) » slide (header repeated), and the last fitting row says so. A row
        too tall for any slide (a 2,000-character comment) is split between slides, its later
        parts marked « (suite) »."""
        shares = list(widths) if widths else [1 / len(header)] * len(header)
        columns = [int(w * share) for share in shares]
        limit = BOTTOM - max(y, TOP) - self._row_height([str(v) for v in header], columns, size, True) - NOTE_H
        pieces = [
            (number, piece)
            for number, row in enumerate(rows, start=1)
            for piece in self._split_row(["" if v is None else str(v) for v in row], columns, size, limit)
        ]
        self._table_pieces(slide, header, pieces, len(rows), (x, y, w), size, columns)

    def _table_pieces(
        self,
        slide: Slide,
        header: Sequence[str],
        pieces: Sequence[tuple[int, list[str]]],
        total: int,
        box: tuple[int, int, int],
        size: float,
        columns: Sequence[int],
    ) -> None:
        """Lay out ``pieces`` (each the table row number it comes from, and its cells) from
        ``box``'s top down; what does not fit goes on following slides. The note counts table
        rows, not pieces, so a row split across slides is counted once."""
        x, y, w = box
        head_h = self._row_height([str(v) for v in header], columns, size, bold=True)
        heights = [self._row_height(cells, columns, size) for _, cells in pieces]
        room = BOTTOM - y - head_h
        count, used = 0, 0
        while count < len(heights) and used + heights[count] <= room:
            used += heights[count]
            count += 1
        if count < len(heights):  # leave room for the note that says the table continues
            while count > 1 and used + NOTE_H > room:
                count -= 1
                used -= heights[count]
            count = max(count, 1)
        shape = slide.shapes.add_table(
            count + 1, len(header), Emu(x), Emu(y), Emu(w), Emu(head_h + sum(heights[:count]))
        )
        table = shape.table
        for index, width in enumerate(columns):
            table.columns[index].width = Emu(width)
        table.rows[0].height = Emu(head_h)
        for col, value in enumerate(header):
            self._cell(table.cell(0, col), str(value), size, True)
        for r, (_, cells) in enumerate(pieces[:count], start=1):
            table.rows[r].height = Emu(heights[r - 1])
            for col, value in enumerate(cells):
                self._cell(table.cell(r, col), value, size, False)
        if count < len(pieces):
            first, last = pieces[0][0], pieces[count - 1][0]
            note = (
                self.tr("deck.continued_note", first=first, last=last, total=total)
                if last > first
                else self.tr("deck.continued_note_one", row=first, total=total)
            )
            self.text(slide, note, x, y + head_h + used + 40_000, w, NOTE_H - 40_000, size=11, colour=GREY)
            following = self.continuation(slide)
            self._table_pieces(following, header, pieces[count:], total, (x, TOP, w), size, columns)

    def _split_row(self, row: list[str], columns: Sequence[int], size: float, limit: int) -> list[list[str]]:
        """``row`` as it is when it fits ``limit``; else as several rows, each cell's words
        carried over in order, the carried parts starting with « (suite) »."""
        if self._row_height(row, columns, size) <= limit:
            return [row]
        inner = limit - 2 * INSET_Y - 20_000
        cells: list[list[str]] = []
        for text, width in zip(row, columns, strict=True):
            chunks, current = [], ""
            for word in text.split(" "):
                candidate = f"{current} {word}" if current else word
                if current and text_height_emu([candidate], size, width - 2 * INSET_X) > inner * 0.9:
                    chunks.append(current)
                    current = word
                else:
                    current = candidate
            cells.append([*chunks, current])
        marker = self.tr("deck.cell_continued")
        return [
            [(c[i] if i == 0 else f"{marker} {c[i]}") if i < len(c) else "" for c in cells]
            for i in range(max(len(c) for c in cells))
        ]

    @staticmethod
    def _row_height(cells: Sequence[str], columns: Sequence[int], size: float, bold: bool = False) -> int:
        inner = [text_height_emu([c], size, width - 2 * INSET_X, bold) for c, width in zip(cells, columns, strict=True)]
        return max(inner) + 2 * INSET_Y + 20_000

    def _cell(self, cell: _Cell, text: str, size: float, bold: bool) -> None:
        cell.text = ""
        frame = cell.text_frame
        frame.word_wrap = True
        cell.margin_left = cell.margin_right = Emu(INSET_X)
        cell.margin_top = cell.margin_bottom = Emu(INSET_Y)
        for index, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            self._style(run, size, bold, WHITE if bold else BLACK)

    def _style(self, run: _Run, size: float, bold: bool, colour: RGBColor) -> None:
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = colour
        run.font._rPr.set("lang", LANG_TAG[self.lang])

    @staticmethod
    def picture(slide: Slide, png: bytes, x: int, y: int, h: int, max_w: int = 6_000_000) -> None:
        """A picture ``h`` high, narrowed (keeping its proportions) to ``max_w`` and to the
        space above the footer."""
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(x), Emu(y), height=Emu(min(h, BOTTOM - y)))
        if picture.width > max_w:  # keep clear of the text beside it
            picture.height = Emu(int(picture.height * max_w / picture.width))
            picture.width = Emu(max_w)

    def save(self, target: str | Path | IO[bytes]) -> None:
        self.prs.save(str(target) if isinstance(target, Path) else target)  # pptx's stub takes no Path


def _frame(box: Shape) -> TextFrame:
    """A text box's frame: wraps words, fixed insets (the ones :func:`fit_size` measures),
    and « shrink text on overflow » as a safety net for a viewer whose font is wider."""
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Emu(INSET_X)
    frame.margin_top = frame.margin_bottom = Emu(INSET_Y)
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    return frame


def _tag_presentation(prs: PresentationFile, tag: str) -> None:
    """Make ``tag`` the language of the presentation's default text style, of its masters and
    layouts (text typed later into the deck is French too) and of its properties."""
    parts = [prs.part._element]
    for master in prs.slide_masters:
        parts.append(master._element)
        parts.extend(layout._element for layout in master.slide_layouts)
    for root in parts:
        for name in ("a:defRPr", "a:rPr", "a:endParaRPr"):
            for element in root.iter(qn(name)):
                element.set("lang", tag)
    prs.core_properties.language = tag


def _chart_lang(chart: Chart, tag: str) -> None:
    space = chart._chartSpace
    lang = space.find(qn("c:lang"))
    if lang is None:
        lang = space.makeelement(qn("c:lang"), {})
        space.insert(0, lang)
    lang.set("val", tag)


# -- figures (matplotlib object API: no pyplot, safe in threads) -----------------------------


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def _polygon_path(geometry: BaseGeometry) -> MplPath | None:
    """One matplotlib path for a (multi)polygon, holes included."""
    parts = getattr(geometry, "geoms", [geometry])
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in parts:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            code = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            code[0], code[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(code)
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _draw_areas(ax: Axes, frame: gpd.GeoDataFrame, colours: Sequence[str] | str, edge: str, width: float) -> None:
    fills = [colours] * len(frame) if isinstance(colours, str) else list(colours)
    for geometry, fill in zip(frame.geometry, fills, strict=True):
        path = _polygon_path(geometry)
        if path is not None:
            ax.add_patch(PathPatch(path, facecolor=fill, edgecolor=edge, linewidth=width))


def _callouts(ax: Axes, labels: list[tuple[str, float, float]], bounds: tuple[float, float, float, float]) -> None:
    """Names set beside the map, left and right of it, each with a thin leader line to its
    area: labels never cover the colours they explain."""
    minx, miny, maxx, maxy = bounds
    middle = (minx + maxx) / 2
    for side, chosen in (
        ("left", [lab for lab in labels if lab[1] < middle]),
        ("right", [lab for lab in labels if lab[1] >= middle]),
    ):
        chosen.sort(key=lambda lab: -lab[2])
        step = (maxy - miny) / max(len(chosen), 1)
        x_text = minx - 0.04 * (maxx - minx) if side == "left" else maxx + 0.04 * (maxx - minx)
        for index, (name, x, y) in enumerate(chosen):
            y_text = maxy - step * (index + 0.5)
            ax.annotate(
                name,
                (x, y),
                xytext=(x_text, y_text),
                ha="right" if side == "left" else "left",
                va="center",
                fontsize=7,
                color="#111111",
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.5, "shrinkA": 1, "shrinkB": 0},
            )
            ax.plot([x], [y], marker="o", markersize=1.8, color="#333333")


def region_map_png(gaps_csd: gpd.GeoDataFrame, region: str, lang: Lang, points: pd.DataFrame | None = None) -> bytes:
    """PNG of :func:`region_map_figure`."""
    return _png(region_map_figure(gaps_csd, region, lang, points))


def region_map_figure(
    gaps_csd: gpd.GeoDataFrame, region: str, lang: Lang, points: pd.DataFrame | None = None
) -> Figure:
    """Static map of one region's municipalities coloured by gap class (all categories).

    Names sit beside the map with leader lines and the legend sits below it, outside the
    axes, so neither hides an area's colour.
    """
    rows = gaps_csd[gaps_csd["category"] == ALL].to_crs(CRS_DISPLAY)
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.add_subplot()
    _draw_areas(ax, rows[rows["region"] != region], "#eeeeee", "#bbbbbb", 0.4)
    mine = rows[rows["region"] == region]
    colours = [str(GAP_CLASSES.get(c).attrs["colour"]) for c in mine["gap_class"]]
    _draw_areas(ax, mine, colours, "#333333", 0.7)
    handles: list[Patch | Line2D] = [
        Patch(color=str(term.attrs["colour"]), label=term.label(lang)) for term in GAP_CLASSES
    ]
    if points is not None and len(points):
        ax.scatter(points["longitude"], points["latitude"], s=14, c="#0b3d91", marker="o", zorder=5)
        handles.append(Line2D([], [], marker="o", linestyle="", color="#0b3d91", label=t("deck.points_legend", lang)))
    minx, miny, maxx, maxy = mine.total_bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    labels = [
        (str(r["name"]), r.geometry.representative_point().x, r.geometry.representative_point().y)
        for _, r in mine.iterrows()
    ]
    _callouts(ax, labels, (minx, miny, maxx, maxy))
    ax.set_axis_off()
    fig.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.04),
        ncol=2,
        fontsize=7,
        frameon=False,
        title=t("deck.legend_title", lang),
        title_fontsize=7.5,
    )
    return fig


def sites_map_png(municipalities: gpd.GeoDataFrame, sites: pd.DataFrame, lang: Lang = "fr") -> bytes:
    """Static map of the region with a member's sites, numbered like the list beside it
    (names stay in the list, off the map)."""
    frame = municipalities.to_crs(CRS_DISPLAY)
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.add_subplot()
    _draw_areas(ax, frame, "#f3f3f3", "#999999", 0.5)
    _draw_areas(ax, frame.dissolve("region"), "none", "#1f4e79", 1.2)
    minx, miny, maxx, maxy = frame.total_bounds
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    placed = sites.dropna(subset=["latitude", "longitude"]) if len(sites) else sites
    if len(placed):
        ax.scatter(placed["longitude"], placed["latitude"], s=40, c="#c00000", edgecolors="white", zorder=5)
        for number, (_, row) in enumerate(placed.iterrows(), start=1):
            ax.annotate(
                str(number),
                (row["longitude"], row["latitude"]),
                fontsize=7,
                xytext=(4, 3),
                textcoords="offset points",
                fontweight="bold",
            )
    ax.set_axis_off()
    marker = Line2D([], [], marker="o", linestyle="", color="#c00000", label=t("deck.sites_legend", lang))
    fig.legend(handles=[marker], loc="upper center", bbox_to_anchor=(0.5, 0.04), fontsize=7, frameon=False)
    return _png(fig)


def integer_steps(largest: float) -> float:
    """A whole-number axis step for counts up to ``largest`` (``MaxNLocator(integer=True)``)."""
    ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, max(float(largest), 1.0))
    return float(max(1, round(ticks[1] - ticks[0])))


# -- the table's deck ----------------------------------------------------------------------


def _region_gaps_in_words(layers: dict[str, pd.DataFrame], region: str, lang: Lang) -> list[str]:
    """Three to five main gaps of a region, in plain words."""
    regional = layers["gaps_region"]
    rows = regional[
        (regional["area_id"] == region) & (regional["category"] != ALL) & (regional["gap_class"] != "covered")
    ].sort_values("gap_index", ascending=False)
    words = []
    for _, row in rows.head(4).iterrows():
        fields = {
            "category": SERVICE_CATEGORIES.label(row["category"], lang),
            "gap": GAP_CLASSES.label(row["gap_class"], lang).lower(),
            "needs": format_integer(int(row["needs_unmet"] or 0), lang),
        }
        if pd.isna(row["nearest_km"]):
            words.append(t("report.gap_line_none", lang, **fields))
        else:
            words.append(t("report.gap_line", lang, km=format_number(float(row["nearest_km"]), lang, 0), **fields))
    csd = layers["gaps_csd"]
    without = csd[(csd["region"] == region) & (csd["category"] == ALL) & csd["gap_class"].isin(["no_service", "far"])][
        "name"
    ].tolist()
    if without:
        words.append(t("report.far_towns", lang, names=", ".join(sorted(without))))
    if not words:
        words.append(t("report.no_gap", lang))
    return words[:5]


def _footer(lang: Lang) -> str:
    return f"{t('geo.attribution.statcan', lang)} {t('geo.attribution.geonames', lang)}"


def _title_slide(deck: Deck, compiled: Compiled) -> None:
    tr = deck.tr
    slide = deck.slide(tr("report.title"), tr("report.subtitle", cycle=compiled.cycle))
    deck.text(
        slide, tr("report.committee"), MARGIN, 2_300_000, W - 2 * MARGIN, 800_000, size=24, bold=True, colour=NAVY
    )
    prepared = tr("report.prepared", day=date.today().isoformat())
    deck.text(slide, prepared, MARGIN, 3_200_000, W - 2 * MARGIN, 500_000, size=16, colour=GREY)


def _method_slide(deck: Deck, compiled: Compiled) -> None:
    slide = deck.slide(deck.tr("report.method_title"))
    method = [deck.tr(f"report.method.{i}") for i in range(1, 6)] + [demand_method(compiled, deck.lang)]
    deck.bullets(slide, method, MARGIN, TOP, W - 2 * MARGIN, BOTTOM - TOP)


def _participation_slide(deck: Deck, cycle: str, status: list[dict]) -> None:
    tr = deck.tr
    slide = deck.slide(tr("report.participation_title", cycle=cycle))
    done = sum(1 for r in status if r["versions"])
    validated = sum(1 for r in status if r["validated_version"])
    line = tr("store.participation", done=done, total=len(status), validated=validated)
    deck.text(slide, line, MARGIN, TOP - 50_000, W - 2 * MARGIN, 450_000, size=18, bold=True, colour=NAVY)

    def state(r: dict) -> str:
        if r["validated_version"]:
            return tr("report.status.validated")
        return tr("report.status.submitted") if r["versions"] else tr("report.status.missing")

    rows = [[r["name"], state(r)] for r in status]
    header = [tr("store.col.org"), tr("home.col.status")]
    deck.table(slide, header, rows, MARGIN, TOP + 450_000, W - 2 * MARGIN, size=11, widths=(0.72, 0.28))


def _region_slides(deck: Deck, layers: dict[str, pd.DataFrame]) -> None:
    tr, lang = deck.tr, deck.lang
    points = as_geo_frame(layers["service_points"]).to_crs(CRS_DISPLAY)
    for region in REGIONS.codes:
        slide = deck.slide(tr("report.region_title", region=REGIONS.label(region, lang)), tr("report.region_subtitle"))
        french = points[(points["region"] == region) & points["french"] & (points["mode"] == "in_person")]
        deck.picture(
            slide,
            region_map_png(as_geo_frame(layers["gaps_csd"]), region, lang, french),
            MARGIN,
            TOP - 50_000,
            BOTTOM - TOP + 50_000,
        )
        deck.text(slide, tr("report.main_gaps"), 6_700_000, TOP, 5_000_000, 450_000, size=18, bold=True, colour=NAVY)
        gaps = _region_gaps_in_words(layers, region, lang)
        deck.bullets(slide, gaps, 6_700_000, TOP + 450_000, 5_000_000, BOTTOM - TOP - 450_000, size=15)


def _needs_chart_slide(deck: Deck, layers: dict[str, pd.DataFrame]) -> None:
    """Needs reported by category: a stacked bar chart with whole-number steps."""
    tr, lang = deck.tr, deck.lang
    slide = deck.slide(tr("report.needs_title"), tr("map.needs_note"))
    needs = layers["needs_by_area"]
    by_category = needs.groupby("category")[["needs_unmet", "needs_partly_met"]].sum().astype("int64")
    by_category = by_category.loc[by_category.sum(axis=1).sort_values().index]
    chart_data = CategoryChartData(number_format="0")
    chart_data.categories = [SERVICE_CATEGORIES.label(c, lang) for c in by_category.index]
    chart_data.add_series(NEED_STATUSES.label("unmet", lang), [int(v) for v in by_category["needs_unmet"]])
    chart_data.add_series(NEED_STATUSES.label("partly_met", lang), [int(v) for v in by_category["needs_partly_met"]])
    # python-pptx annotates add_chart as taking a ChartData and returning the Chart; it takes
    # any chart data (its documented CategoryChartData here) and returns the frame holding it
    frame = cast(
        "GraphicFrame",
        slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_STACKED,
            Emu(MARGIN),
            Emu(TOP),
            Emu(W - 2 * MARGIN),
            Emu(BOTTOM - TOP),
            chart_data,  # type: ignore[arg-type]
        ),
    )
    chart = frame.chart
    _chart_lang(chart, LANG_TAG[lang])
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.name, chart.font.size = FONT, Pt(11)
    value_axis = chart.value_axis
    value_axis.minimum_scale = 0
    value_axis.major_unit = integer_steps(by_category.sum(axis=1).max() if len(by_category) else 1)
    value_axis.tick_labels.number_format, value_axis.tick_labels.number_format_is_linked = "0", False
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = tr("deck.axis_count")


def table_deck(
    compiled: Compiled,
    status: list[dict],
    geo: Geography,
    lang: Lang = "fr",
    previous: Compiled | None = None,
    plan_categories: Sequence[str] = (),
) -> Deck:
    """The Franco-Info table's deck for a compiled cycle (privacy-protected).

    ``previous``: the previous cycle compiled, if any, for the "Depuis le dernier cycle" slide.
    ``plan_categories``: service categories that get an « Où ajouter un service ? » slide
    (cartography.plan_slides: three new sites each, the method's radius).

    One line per part, in the order of the slides; a new part is one more builder call here.
    """
    layers = compiled.layers
    deck = Deck(lang, compiled.demo, _footer(lang))
    _title_slide(deck, compiled)
    _method_slide(deck, compiled)
    _participation_slide(deck, compiled.cycle, status)
    _region_slides(deck, layers)
    _needs_chart_slide(deck, layers)
    if previous is not None:
        _since_last_cycle_slide(deck, previous, compiled, geo)
    if plan_categories:
        from cartography.plan_slides import add_plan_slides  # imports this module: import here

        add_plan_slides(deck, compiled, geo, plan_categories)
    for member in compiled.members:  # sorted by name; published data only
        _member_summary_slide(deck, member, geo)
    _limits_slide(deck)
    _sources_slide(deck, compiled.cycle)
    return deck


def _since_last_cycle_slide(deck: Deck, previous: Compiled, compiled: Compiled, geo: Geography) -> None:
    """What changed since ``previous`` (cartography.compare_slides; published values only)."""
    from cartography.compare_slides import since_last_cycle_slide
    from cartography.cycle_comparison import compare_compiled

    since_last_cycle_slide(deck, compare_compiled(previous, compiled, geo, ("csd",)))


def _limits_slide(deck: Deck) -> None:
    slide = deck.slide(deck.tr("report.limits_title"))
    deck.bullets(slide, [deck.tr(f"report.limits.{i}") for i in range(1, 6)], MARGIN, TOP, W - 2 * MARGIN, BOTTOM - TOP)


def _sources_slide(deck: Deck, cycle: str | None) -> None:
    lang = deck.lang
    slide = deck.slide(deck.tr("report.sources_title"))
    lines = [t("geo.attribution.statcan", lang), t("geo.attribution.geonames", lang)]
    if cycle is not None:
        lines.append(deck.tr("report.sources.members", cycle=cycle))
    lines.append(deck.tr("report.sources.tool"))
    deck.bullets(slide, lines, MARGIN, TOP, W - 2 * MARGIN, BOTTOM - TOP, size=16)


def _names(geo: Geography) -> dict[str, str]:
    return dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))


def _member_summary_slide(deck: Deck, content: MemberListing, geo: Geography) -> None:
    """One member's slide from its published directory entry: its client total is the sum of
    its protected cells (``None`` when suppressed), never a rounded true total."""
    tr, lang = deck.tr, deck.lang
    published = content.clients_published
    names = _names(geo)
    slide = deck.slide(content.organisation.name, tr("report.member_subtitle", version=content.version))
    categories = pd.Series([s.category for s in content.services], dtype=object).value_counts()
    services = [f"{SERVICE_CATEGORIES.label(str(c), lang)} ({format_integer(n, lang)})" for c, n in categories.items()]
    column = 5_500_000
    right = W - MARGIN - column
    heading = tr("report.services_heading", count=format_integer(len(content.services), lang))
    deck.text(slide, heading, MARGIN, TOP, column, 420_000, size=16, bold=True, colour=NAVY)
    deck.bullets(slide, services or ["—"], MARGIN, TOP + 420_000, column, BOTTOM - TOP - 420_000, size=13, smallest=10)
    sites = [f"{s.name} — {names.get(s.csduid, s.csduid)}" for s in content.sites]
    heading = tr("report.sites_heading", count=format_integer(len(content.sites), lang))
    deck.text(slide, heading, right, TOP, column, 420_000, size=16, bold=True, colour=NAVY)
    deck.bullets(slide, sites or ["—"], right, TOP + 420_000, column, 2_600_000, size=13, smallest=10)
    clients = tr("report.clients_suppressed") if published is None else format_integer(int(published), lang)
    needs, unmet = content.needs_reported, content.needs_not_met
    facts = [
        tr("report.clients_line", clients=clients),
        tr("report.needs_line", needs=format_integer(needs, lang), unmet=format_integer(unmet, lang)),
    ]
    deck.bullets(slide, facts, right, TOP + 3_100_000, column, BOTTOM - TOP - 3_100_000, size=14, smallest=10)


# -- a member's own deck -------------------------------------------------------------------


def _member_table_slide(
    deck: Deck,
    title: str,
    subtitle: str,
    header: list[str],
    rows: list[list[object]],
    widths: Sequence[float],
    size: float = 11,
) -> None:
    slide = deck.slide(title, subtitle)
    deck.table(slide, header, rows or [["—"] * len(header)], MARGIN, TOP, W - 2 * MARGIN, size=size, widths=widths)


def _services_rows(submission: Submission, lang: Lang) -> list[list[object]]:
    return [
        [
            s.name,
            SERVICE_CATEGORIES.label(s.category, lang),
            SERVICE_LANGUAGES.label(s.language, lang),
            SERVICE_MODES.label(s.mode, lang),
            s.site_code or "—",
        ]
        for s in submission.content.services
    ]


def _sites_slide(deck: Deck, submission: Submission, geo: Geography) -> None:
    lang = deck.lang
    names = _names(geo)
    content = submission.content
    slide = deck.slide(deck.tr("report.sites_title"))
    sites = pd.DataFrame(
        [{"name": s.name, "latitude": s.latitude, "longitude": s.longitude} for s in content.sites],
        columns=["name", "latitude", "longitude"],
    )
    deck.picture(slide, sites_map_png(geo.municipalities, sites, lang), MARGIN, TOP - 50_000, BOTTOM - TOP + 50_000)
    lines = [
        f"{number}. {s.name} — {names.get(s.csduid, s.csduid)} ({t('geocode.precision.' + s.precision, lang)})"
        for number, s in enumerate(content.sites, start=1)
    ]
    deck.bullets(slide, lines or ["—"], 6_700_000, TOP, W - MARGIN - 6_700_000, BOTTOM - TOP, size=14, smallest=10)


def _clients_rows(submission: Submission, geo: Geography, lang: Lang) -> tuple[list[str], list[list[object]]] | None:
    regions = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["region"], strict=True))
    clients = pd.DataFrame(
        [
            {"region": regions.get(c.csduid, ""), "profile": c.profile, "count": c.count}
            for c in submission.content.clients
        ],
        columns=["region", "profile", "count"],
    )
    if clients.empty:
        return None
    pivot = clients.pivot_table(index="profile", columns="region", values="count", aggfunc="sum", fill_value=0)
    present = [r for r in REGIONS.codes if r in pivot.columns]
    total = t("cli.label.total", lang)
    rows: list[list[object]] = [
        [
            CLIENT_PROFILES.label(p, lang),
            *[format_integer(as_int(pivot.at[p, r]), lang) for r in present],
            format_integer(int(pivot.loc[p, present].sum()), lang),
        ]
        for p in pivot.index
    ]
    rows.append(
        [
            total,
            *[format_integer(int(pivot[r].sum()), lang) for r in present],
            format_integer(int(clients["count"].sum()), lang),
        ]
    )
    header = [t("explorer.profile", lang), *[REGIONS.label(r, lang) for r in present], total]
    return header, rows


def _needs_rows(submission: Submission, geo: Geography, lang: Lang) -> list[list[object]]:
    names = _names(geo)
    return [
        [
            SERVICE_CATEGORIES.label(n.category, lang),
            REGIONS.label(n.area, lang) if n.area in REGIONS else names.get(n.area, n.area),
            format_integer(n.clients, lang),
            SEVERITIES.label(n.severity, lang),
            NEED_STATUSES.label(n.status, lang),
            n.comment or "",
        ]
        for n in submission.content.needs
    ]


def member_deck(submission: Submission, geo: Geography, lang: Lang = "fr") -> Deck:
    """A member's own presentation to the committee from one submission (exact counts)."""
    content = submission.content
    demo = is_demo_author(submission.author)
    deck = Deck(lang, demo, _footer(lang))
    tr = deck.tr
    subtitle = tr("report.member_deck_subtitle", cycle=submission.cycle, version=submission.version)
    slide = deck.slide(content.organisation.name, subtitle)
    deck.text(slide, tr("report.member_deck_intro"), MARGIN, 2_300_000, W - 2 * MARGIN, 1_200_000, size=20, colour=NAVY)
    services_header = [
        tr("report.col.service"),
        tr("map.control.category"),
        tr("report.col.language"),
        tr("report.col.mode"),
        tr("report.col.site"),
    ]
    rows = _services_rows(submission, lang)
    _member_table_slide(deck, tr("report.services_title"), "", services_header, rows, (0.26, 0.30, 0.18, 0.16, 0.10))
    _sites_slide(deck, submission, geo)
    clients = _clients_rows(submission, geo, lang)
    if clients is None:
        slide = deck.slide(tr("report.clients_title"), tr("report.clients_exact"))
        deck.text(slide, tr("report.no_clients"), MARGIN, TOP, W - 2 * MARGIN, 500_000, size=16)
    else:
        header, rows = clients
        first = 0.34
        widths = [first] + [(1 - first) / (len(header) - 1)] * (len(header) - 1)
        _member_table_slide(deck, tr("report.clients_title"), tr("report.clients_exact"), header, rows, widths, size=12)
    needs_header = [
        tr("map.control.category"),
        tr("map.field.name"),
        tr("report.col.clients"),
        tr("report.col.severity"),
        tr("home.col.status"),
        tr("report.col.comment"),
    ]
    needs_widths = (0.22, 0.14, 0.09, 0.1, 0.13, 0.32)
    _member_table_slide(
        deck,
        tr("report.needs_member_title"),
        tr("map.needs_note"),
        needs_header,
        _needs_rows(submission, geo, lang),
        needs_widths,
    )
    _sources_slide(deck, None)
    return deck
