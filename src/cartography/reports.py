"""PowerPoint decks (python-pptx): the table's deck of a compiled cycle, and a member's own
presentation of its latest submission. Presentation layer: never imports streamlit.

Maps on slides are drawn with matplotlib from the compiled data, so building a deck needs
no internet. The table deck applies the privacy rules (client counts are published counts);
a member's own deck shows that member's exact answers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from cartography.gaps import ALL
from cartography.geography import CRS_DISPLAY
from cartography.i18n import Lang, t
from cartography.io.compile import demand_method
from cartography.model import Submission
from cartography.paths import package_data
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

TEMPLATE = "deck-template.pptx"
NAVY = RGBColor(0x1F, 0x4E, 0x79)
RED = RGBColor(0xB0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
BLACK = RGBColor(0, 0, 0)
FONT = "Arial"
W, H = 12_192_000, 6_858_000
MARGIN = 457_200  # 0.5 in
TOP = 1_250_000


class Deck:
    """A 16:9 deck on the project's template with its title bars, footers and labels."""

    def __init__(self, lang: Lang, demo: bool, footer: str) -> None:
        self.prs = Presentation(str(package_data(TEMPLATE)))
        self.lang = lang
        self.demo = demo
        self.footer = footer
        self.blank = next(layout for layout in self.prs.slide_layouts if layout.name == "Blank")

    def tr(self, key: str, **fields: object) -> str:
        return t(key, self.lang, **fields)

    def slide(self, title: str, subtitle: str = ""):  # type: ignore[no-untyped-def]
        slide = self.prs.slides.add_slide(self.blank)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, 1_000_000)
        bar.fill.solid()
        bar.fill.fore_color.rgb = NAVY
        bar.line.fill.background()
        self.text(
            slide,
            title,
            MARGIN,
            170_000,
            W - 2 * MARGIN,
            560_000,
            size=28 if len(title) <= 55 else 20,
            bold=True,
            colour=RGBColor(0xFF, 0xFF, 0xFF),
        )
        if subtitle:
            self.text(
                slide, subtitle, MARGIN, 640_000, W - 2 * MARGIN, 320_000, size=14, colour=RGBColor(0xDD, 0xE6, 0xF0)
            )
        number = len(self.prs.slides)
        self.text(slide, self.footer, MARGIN, H - 400_000, W - 3 * MARGIN, 300_000, size=9, colour=GREY)
        self.text(
            slide,
            str(number),
            W - MARGIN - 600_000,
            H - 400_000,
            600_000,
            300_000,
            size=10,
            colour=GREY,
            align=PP_ALIGN.RIGHT,
        )
        if self.demo:
            self.text(
                slide,
                self.tr("demo.label").upper(),
                W - MARGIN - 4_200_000,
                1_030_000,
                4_200_000,
                300_000,
                size=12,
                bold=True,
                colour=RED,
                align=PP_ALIGN.RIGHT,
            )
        return slide

    @staticmethod
    def text(
        slide,
        text: str,
        x: int,
        y: int,
        w: int,
        h: int,
        *,
        size: int = 16,
        bold: bool = False,  # type: ignore[no-untyped-def]
        colour: RGBColor = BLACK,
        align: PP_ALIGN | None = None,
    ):
        box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = colour
        if align is not None:
            frame.paragraphs[0].alignment = align
        return box

    @staticmethod
    def bullets(slide, items: Sequence[str], x: int, y: int, w: int, h: int, size: int = 18) -> None:  # type: ignore[no-untyped-def]
        frame = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h)).text_frame
        frame.word_wrap = True
        for index, item in enumerate(items):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = f"• {item}"
            run.font.size, run.font.name = Pt(size), FONT
            paragraph.space_after = Pt(8)

    @staticmethod
    def table(
        slide,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        x: int,
        y: int,
        w: int,  # type: ignore[no-untyped-def]
        size: int = 12,
        widths: Sequence[float] | None = None,
    ) -> None:
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), Emu(x), Emu(y), Emu(w), Emu(330_000 * (len(rows) + 1))
        )
        table = shape.table
        if widths:
            for index, share in enumerate(widths):
                table.columns[index].width = Emu(int(w * share))
        for col, value in enumerate(header):
            cell = table.cell(0, col)
            cell.text = str(value)
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(size)
            cell.text_frame.paragraphs[0].runs[0].font.bold = True
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                cell = table.cell(r, col)
                cell.text = "" if value is None else str(value)
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)

    @staticmethod
    def picture(slide, png: bytes, x: int, y: int, h: int, max_w: int = 6_000_000) -> None:  # type: ignore[no-untyped-def]
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(x), Emu(y), height=Emu(h))
        if picture.width > max_w:  # keep clear of the text beside it
            picture.height = Emu(int(picture.height * max_w / picture.width))
            picture.width = Emu(max_w)

    def save(self, target) -> None:  # type: ignore[no-untyped-def]
        self.prs.save(target)


def _fmt(value: float, digits: int = 1, lang: Lang = "fr") -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def region_map_png(gaps_csd: gpd.GeoDataFrame, region: str, lang: Lang, points: pd.DataFrame | None = None) -> bytes:
    """Static map of one region's municipalities coloured by gap class (all categories)."""
    rows = gaps_csd[gaps_csd["category"] == ALL].to_crs(CRS_DISPLAY)
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    rows[rows["region"] != region].plot(ax=ax, color="#eeeeee", edgecolor="#bbbbbb", linewidth=0.4)
    mine = rows[rows["region"] == region]
    colours = mine["gap_class"].map(lambda c: str(GAP_CLASSES.get(c).attrs["colour"]))
    mine.plot(ax=ax, color=colours, edgecolor="#333333", linewidth=0.7)
    for _, row in mine.iterrows():
        centre = row.geometry.representative_point()
        ax.annotate(row["name"], (centre.x, centre.y), fontsize=6.5, ha="center", color="#111111")
    if points is not None and len(points):
        ax.scatter(points["longitude"], points["latitude"], s=14, c="#0b3d91", marker="o", zorder=5)
    minx, miny, maxx, maxy = mine.total_bounds
    pad = 0.08 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_axis_off()
    handles = [Patch(color=str(term.attrs["colour"]), label=term.label(lang)) for term in GAP_CLASSES]
    ax.legend(handles=handles, loc="lower left", fontsize=6.5, frameon=True)
    return _png(fig)


def sites_map_png(municipalities: gpd.GeoDataFrame, sites: pd.DataFrame) -> bytes:
    """Static map of the region with a member's sites."""
    frame = municipalities.to_crs(CRS_DISPLAY)
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    frame.plot(ax=ax, color="#f3f3f3", edgecolor="#999999", linewidth=0.5)
    frame.dissolve("region").boundary.plot(ax=ax, color="#1f4e79", linewidth=1.2)
    ax.scatter(sites["longitude"], sites["latitude"], s=40, c="#c00000", edgecolors="white", zorder=5)
    for _, row in sites.iterrows():
        ax.annotate(
            str(row["name"])[:40],
            (row["longitude"], row["latitude"]),
            fontsize=6.5,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.set_axis_off()
    return _png(fig)


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
            "needs": int(row["needs_unmet"] or 0),
        }
        if pd.isna(row["nearest_km"]):
            words.append(t("report.gap_line_none", lang, **fields))
        else:
            words.append(t("report.gap_line", lang, km=_fmt(row["nearest_km"], 0, lang), **fields))
    csd = layers["gaps_csd"]
    without = csd[(csd["region"] == region) & (csd["category"] == ALL) & csd["gap_class"].isin(["no_service", "far"])][
        "name"
    ].tolist()
    if without:
        words.append(t("report.far_towns", lang, names=", ".join(sorted(without))))
    if not words:
        words.append(t("report.no_gap", lang))
    return words[:5]


def table_deck(compiled, status: list[dict], geo, lang: Lang = "fr") -> Deck:  # type: ignore[no-untyped-def]
    """The Franco-Info table's deck for a compiled cycle (privacy-protected)."""
    layers = compiled.layers
    cycle = compiled.cycle
    deck = Deck(lang, compiled.demo, f"{t('geo.attribution.statcan', lang)} {t('geo.attribution.geonames', lang)}")
    tr = deck.tr
    # 1. Title
    slide = deck.slide(tr("report.title"), tr("report.subtitle", cycle=cycle))
    deck.text(
        slide, tr("report.committee"), MARGIN, 2_300_000, W - 2 * MARGIN, 800_000, size=24, bold=True, colour=NAVY
    )
    deck.text(
        slide,
        tr("report.prepared", day=date.today().isoformat()),
        MARGIN,
        3_200_000,
        W - 2 * MARGIN,
        500_000,
        size=16,
        colour=GREY,
    )
    # 2. Context and method
    slide = deck.slide(tr("report.method_title"))
    method = [tr(f"report.method.{i}") for i in range(1, 6)] + [demand_method(compiled, lang)]  # demand source
    deck.bullets(slide, method, MARGIN, TOP, W - 2 * MARGIN, 4_800_000)
    # 3. Participation
    slide = deck.slide(tr("report.participation_title", cycle=cycle))
    done = sum(1 for r in status if r["versions"])
    deck.text(
        slide,
        tr(
            "store.participation",
            done=done,
            total=len(status),
            validated=sum(1 for r in status if r["validated_version"]),
        ),
        MARGIN,
        TOP - 100_000,
        W - 2 * MARGIN,
        400_000,
        size=18,
        bold=True,
        colour=NAVY,
    )
    rows = [
        [
            r["name"],
            tr("report.status.validated")
            if r["validated_version"]
            else (tr("report.status.submitted") if r["versions"] else tr("report.status.missing")),
        ]
        for r in status
    ]
    deck.table(
        slide,
        [tr("store.col.org"), tr("home.col.status")],
        rows[:14],
        MARGIN,
        TOP + 400_000,
        W - 2 * MARGIN,
        size=11,
        widths=(0.72, 0.28),
    )
    # 4. One slide per region
    points = layers["service_points"].to_crs(CRS_DISPLAY)
    for region in REGIONS.codes:
        slide = deck.slide(tr("report.region_title", region=REGIONS.label(region, lang)), tr("report.region_subtitle"))
        french = points[(points["region"] == region) & points["french"] & (points["mode"] == "in_person")]
        deck.picture(slide, region_map_png(layers["gaps_csd"], region, lang, french), MARGIN, TOP - 100_000, 4_900_000)
        deck.text(slide, tr("report.main_gaps"), 6_700_000, TOP, 5_000_000, 400_000, size=18, bold=True, colour=NAVY)
        deck.bullets(
            slide, _region_gaps_in_words(layers, region, lang), 6_700_000, TOP + 450_000, 5_000_000, 4_000_000, size=15
        )
    # 5. Needs by category
    slide = deck.slide(tr("report.needs_title"), tr("map.needs_note"))
    needs = layers["needs_by_area"]
    by_category = needs.groupby("category")[["needs_unmet", "needs_partly_met"]].sum()
    by_category = by_category.loc[by_category.sum(axis=1).sort_values().index]
    chart_data = CategoryChartData()
    chart_data.categories = [SERVICE_CATEGORIES.label(c, lang)[:45] for c in by_category.index]
    chart_data.add_series(NEED_STATUSES.label("unmet", lang), [int(v) for v in by_category["needs_unmet"]])
    chart_data.add_series(NEED_STATUSES.label("partly_met", lang), [int(v) for v in by_category["needs_partly_met"]])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED, Emu(MARGIN), Emu(TOP), Emu(W - 2 * MARGIN), Emu(4_900_000), chart_data
    ).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.category_axis.tick_labels.font.size = Pt(11)
    chart.value_axis.tick_labels.font.size = Pt(11)
    # 6. One slide per member (published counts only)
    for submission in sorted(compiled.submissions, key=lambda s: s.content.organisation.name):
        _member_summary_slide(deck, submission, compiled.member_totals.get(submission.org_id), geo)
    # 7. Limits
    slide = deck.slide(tr("report.limits_title"))
    deck.bullets(slide, [tr(f"report.limits.{i}") for i in range(1, 6)], MARGIN, TOP, W - 2 * MARGIN, 4_800_000)
    # 8. Sources
    slide = deck.slide(tr("report.sources_title"))
    deck.bullets(
        slide,
        [
            t("geo.attribution.statcan", lang),
            t("geo.attribution.geonames", lang),
            tr("report.sources.members", cycle=cycle),
            tr("report.sources.tool"),
        ],
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        4_800_000,
        size=16,
    )
    return deck


def _member_summary_slide(deck: Deck, submission: Submission, published: int | None, geo) -> None:  # type: ignore[no-untyped-def]
    """One member's slide; ``published`` is its published client total (sum of its protected
    cells, from :attr:`Compiled.member_totals`; ``None`` when suppressed), never a rounded
    true total."""
    tr, lang = deck.tr, deck.lang
    content = submission.content
    names = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))
    slide = deck.slide(content.organisation.name, tr("report.member_subtitle", version=submission.version))
    categories = pd.Series([s.category for s in content.services]).value_counts()
    services = [f"{SERVICE_CATEGORIES.label(c, lang)} ({n})" for c, n in categories.items()]
    deck.text(
        slide,
        tr("report.services_heading", count=len(content.services)),
        MARGIN,
        TOP,
        5_400_000,
        400_000,
        size=16,
        bold=True,
        colour=NAVY,
    )
    deck.bullets(slide, services[:8] or ["—"], MARGIN, TOP + 400_000, 5_400_000, 3_000_000, size=13)
    sites = [f"{s.name} — {names.get(s.csduid, s.csduid)}" for s in content.sites]
    deck.text(
        slide,
        tr("report.sites_heading", count=len(content.sites)),
        6_300_000,
        TOP,
        5_400_000,
        400_000,
        size=16,
        bold=True,
        colour=NAVY,
    )
    deck.bullets(slide, sites[:6] or ["—"], 6_300_000, TOP + 400_000, 5_400_000, 1_800_000, size=13)
    clients = tr("report.clients_suppressed") if published is None else _fmt(int(published), 0, lang)
    unmet = sum(1 for n in content.needs if n.status != "met")
    deck.bullets(
        slide,
        [tr("report.clients_line", clients=clients), tr("report.needs_line", needs=len(content.needs), unmet=unmet)],
        6_300_000,
        TOP + 2_400_000,
        5_400_000,
        1_200_000,
        size=14,
    )


def member_deck(submission: Submission, geo, lang: Lang = "fr") -> Deck:  # type: ignore[no-untyped-def]
    """A member's own presentation to the committee from one submission (exact counts)."""
    content = submission.content
    org = content.organisation
    demo = submission.author.startswith("demo:")
    deck = Deck(lang, demo, f"{t('geo.attribution.statcan', lang)} {t('geo.attribution.geonames', lang)}")
    tr = deck.tr
    names = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))
    regions = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["region"], strict=True))
    slide = deck.slide(org.name, tr("report.member_deck_subtitle", cycle=submission.cycle, version=submission.version))
    deck.text(slide, tr("report.member_deck_intro"), MARGIN, 2_300_000, W - 2 * MARGIN, 1_200_000, size=20, colour=NAVY)
    # Services
    slide = deck.slide(tr("report.services_title"))
    rows = [
        [
            s.name,
            SERVICE_CATEGORIES.label(s.category, lang),
            SERVICE_LANGUAGES.label(s.language, lang),
            SERVICE_MODES.label(s.mode, lang),
            s.site_code or "—",
        ]
        for s in content.services
    ]
    deck.table(
        slide,
        [
            tr("report.col.service"),
            tr("map.control.category"),
            tr("report.col.language"),
            tr("report.col.mode"),
            tr("report.col.site"),
        ],
        rows[:12],
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        size=11,
        widths=(0.26, 0.30, 0.18, 0.16, 0.10),
    )
    # Sites on a map
    slide = deck.slide(tr("report.sites_title"))
    sites = pd.DataFrame([{"name": s.name, "latitude": s.latitude, "longitude": s.longitude} for s in content.sites])
    deck.picture(slide, sites_map_png(geo.municipalities, sites), MARGIN, TOP - 100_000, 4_900_000)
    deck.bullets(
        slide,
        [
            f"{s.name} — {names.get(s.csduid, s.csduid)} ({t('geocode.precision.' + s.precision, lang)})"
            for s in content.sites
        ][:8],
        6_700_000,
        TOP,
        5_000_000,
        4_500_000,
        size=14,
    )
    # Clients by region and profile (the member's exact counts)
    slide = deck.slide(tr("report.clients_title"), tr("report.clients_exact"))
    clients = pd.DataFrame(
        [{"region": regions.get(c.csduid, ""), "profile": c.profile, "count": c.count} for c in content.clients],
        columns=["region", "profile", "count"],
    )
    if clients.empty:
        deck.text(slide, tr("report.no_clients"), MARGIN, TOP, W - 2 * MARGIN, 500_000, size=16)
    else:
        pivot = clients.pivot_table(index="profile", columns="region", values="count", aggfunc="sum", fill_value=0)
        regions_present = [r for r in REGIONS.codes if r in pivot.columns]
        rows = [
            [
                CLIENT_PROFILES.label(p, lang),
                *[int(pivot.at[p, r]) for r in regions_present],
                int(pivot.loc[p, regions_present].sum()),
            ]
            for p in pivot.index
        ]
        rows.append(
            [tr("cli.label.total"), *[int(pivot[r].sum()) for r in regions_present], int(clients["count"].sum())]
        )
        deck.table(
            slide,
            [tr("explorer.profile"), *[REGIONS.label(r, lang) for r in regions_present], tr("cli.label.total")],
            rows,
            MARGIN,
            TOP,
            W - 2 * MARGIN,
            size=12,
        )
    # Needs
    slide = deck.slide(tr("report.needs_member_title"), tr("map.needs_note"))
    rows = [
        [
            SERVICE_CATEGORIES.label(n.category, lang),
            REGIONS.label(n.area, lang) if n.area in REGIONS else names.get(n.area, n.area),
            n.clients,
            SEVERITIES.label(n.severity, lang),
            NEED_STATUSES.label(n.status, lang),
            n.comment[:60],
        ]
        for n in content.needs
    ]
    deck.table(
        slide,
        [
            tr("map.control.category"),
            tr("map.field.name"),
            tr("report.col.clients"),
            tr("report.col.severity"),
            tr("home.col.status"),
            tr("report.col.comment"),
        ],
        rows[:12] or [["—"] * 6],
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        size=11,
        widths=(0.26, 0.15, 0.08, 0.1, 0.13, 0.28),
    )
    slide = deck.slide(tr("report.sources_title"))
    deck.bullets(
        slide,
        [t("geo.attribution.statcan", lang), t("geo.attribution.geonames", lang), tr("report.sources.tool")],
        MARGIN,
        TOP,
        W - 2 * MARGIN,
        4_000_000,
        size=16,
    )
    return deck
