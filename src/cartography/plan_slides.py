"""Slides of the table's deck: « Où ajouter un service ? », one per requested category.

Each slide shows a static map (matplotlib, no internet) of the region with the demand points
by coverage, the category's existing French in-person services and the recommended sites by
rank, and beside it the answer in words: coverage before, what each site adds, and how to read
it. The computation is :func:`cartography.site_plan.plan_cycle`, the same as the command line's
and the app's, so the deck never says something the GeoPackage does not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from cartography.geography import CRS_DISPLAY
from cartography.i18n import Lang, t
from cartography.numbers import as_float
from cartography.reports import MARGIN, NAVY, TOP, Deck, W, _draw_areas, _png
from cartography.site_plan import Plan, plan_cycle, plan_summary, radius_text, recommended_lines
from cartography.vocabulary import SERVICE_CATEGORIES

if TYPE_CHECKING:
    import geopandas as gpd

    from cartography.compilation import Compiled
    from cartography.io.geo_source import Geography

DEFAULT_K = 3
COVERED, NEWLY, OUT_OF_REACH, EXISTING, RECOMMENDED = "#8c8c8c", "#1a9850", "#d95f02", "#1f4e79", "#b00000"


def plan_map_png(plan: Plan, municipalities: gpd.GeoDataFrame, lang: Lang) -> bytes:
    """Static map of a plan: municipalities, demand by coverage, existing and recommended sites."""
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(6.4, 5.0))  # object API, no pyplot state: safe from Streamlit's threads
    ax = fig.add_subplot()
    shown = municipalities.to_crs(CRS_DISPLAY)
    _draw_areas(ax, shown, "#f3f3f3", "#999999", 0.5)
    minx, miny, maxx, maxy = shown.total_bounds
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))  # as geopandas draws degrees
    points = plan.layers["demand_points"].to_crs(CRS_DISPLAY)
    demand = points["demand"].fillna(0.0)
    size = 6 + 80 * (demand / (float(demand.max()) or 1.0)) ** 0.5
    newly = points["covered_after"] & ~points["covered_before"]
    colour = [
        NEWLY if n else (COVERED if c else OUT_OF_REACH) for n, c in zip(newly, points["covered_after"], strict=True)
    ]
    ax.scatter(points.geometry.x, points.geometry.y, s=size, c=colour, alpha=0.75, linewidths=0)
    existing = plan.layers["existing_services"].to_crs(CRS_DISPLAY)
    if len(existing):
        ax.scatter(existing.geometry.x, existing.geometry.y, s=60, marker="s", c=EXISTING, edgecolors="white")
    recommended = plan.layers["recommended"].to_crs(CRS_DISPLAY)
    for _, row in recommended.iterrows():
        x, y = row.geometry.x, row.geometry.y
        ax.scatter([x], [y], s=220, c=RECOMMENDED, edgecolors="white", zorder=5)
        ax.annotate(
            str(int(row["rank"])),
            (x, y),
            ha="center",
            va="center",
            color="white",
            fontsize=8,
            fontweight="bold",
            zorder=6,
        )
    ax.set_axis_off()
    handles = [
        Line2D([], [], marker="o", linestyle="", color=RECOMMENDED, label=t("plan.legend.recommended", lang)),
        Line2D([], [], marker="s", linestyle="", color=EXISTING, label=t("plan.legend.existing", lang)),
        Line2D([], [], marker="o", linestyle="", color=NEWLY, label=t("plan.legend.newly", lang)),
        Line2D([], [], marker="o", linestyle="", color=OUT_OF_REACH, label=t("plan.legend.uncovered", lang)),
        Line2D([], [], marker="o", linestyle="", color=COVERED, label=t("plan.legend.covered", lang)),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=6.5, frameon=True)
    return _png(fig)


def plan_slide(deck: Deck, plan: Plan, municipalities: gpd.GeoDataFrame) -> None:
    """One slide: the plan's map on the left, its answer in words on the right."""
    lang = deck.lang
    slide = deck.slide(
        deck.tr("plan.slide_title", category=SERVICE_CATEGORIES.label(plan.category, lang)),
        deck.tr(
            "plan.slide_subtitle",
            k=plan.solution.requested,
            radius=radius_text(as_float(plan.metadata["radius_km"]), lang),
        ),
    )
    deck.picture(slide, plan_map_png(plan, municipalities, lang), MARGIN, TOP - 100_000, 4_900_000)
    right = 6_300_000
    lines = plan_summary(plan, lang)
    deck.text(slide, lines[0], right, TOP - 50_000, W - right - MARGIN, 900_000, size=13, bold=True, colour=NAVY)
    deck.bullets(
        slide, recommended_lines(plan, lang) + lines[1:], right, TOP + 950_000, W - right - MARGIN, 2_900_000, size=12
    )
    demand = str(plan.metadata["demand_label_fr" if lang == "fr" else "demand_label_en"])
    deck.text(
        slide,
        deck.tr("plan.slide_method")
        + " "
        + deck.tr("plan.note", crs=str(plan.metadata["distance_crs"]), demand=demand),
        right,
        TOP + 3_900_000,
        W - right - MARGIN,
        800_000,
        size=9,
    )


def add_plan_slides(
    deck: Deck, compiled: Compiled, geo: Geography, categories: Sequence[str], k: int = DEFAULT_K
) -> list[Plan]:
    """One « Où ajouter un service ? » slide per category, in the order given; the plans made."""
    plans = []
    for category in categories:
        plan = plan_cycle(compiled, geo, category, k)
        plan_slide(deck, plan, geo.municipalities)
        plans.append(plan)
    return plans


__all__ = ["add_plan_slides", "plan_map_png", "plan_slide"]
