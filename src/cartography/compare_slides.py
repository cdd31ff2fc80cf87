"""The table deck's "Depuis le dernier cycle" slide: what changed since the previous cycle.

Presentation layer: reads a :class:`cartography.comparison.Comparison` (published values
only) and writes one slide on a :class:`cartography.reports.Deck`. Never imports streamlit.
"""

from __future__ import annotations

import pandas as pd

from cartography.comparison import Comparison
from cartography.gaps import ALL
from cartography.i18n import Lang, t
from cartography.reports import MARGIN, NAVY, TOP, Deck, W
from cartography.vocabulary import SERVICE_CATEGORIES, SERVICE_LANGUAGES, SERVICE_MODES

#: Lines of each column that fit on the slide; the rest is counted ("… and 3 more").
MAX_LINES = 7
#: Area names listed per line of the slide.
NAMES_SHOWN = 4


def _category(code: str, lang: Lang) -> str:
    if code == ALL:
        return t("compile.all_categories", lang)
    return SERVICE_CATEGORIES.label(code, lang) if code in SERVICE_CATEGORIES else code


def service_lines(comparison: Comparison, lang: Lang = "fr") -> list[str]:
    """One sentence per service opened, closed or changed, opened first."""
    services = comparison.services_changed
    if services.empty:
        return [t("compare.slide.none", lang)]
    order = {"added": 0, "closed": 1, "changed": 2}
    ordered = services.assign(_o=services["change"].map(order)).sort_values(["_o", "org_name", "service_name"])
    lines = []
    for row in ordered.itertuples():
        place = str(row.municipality) or t("compare.slide.no_site", lang)
        fields = {"service": row.service_name, "org": row.org_name, "place": place}
        if row.change == "changed":
            what = []
            if row.language_changed:
                what.append(
                    f"{SERVICE_LANGUAGES.label(row.language_before, lang)} → "
                    f"{SERVICE_LANGUAGES.label(row.language_after, lang)}"
                )
            if row.mode_changed:
                what.append(
                    f"{SERVICE_MODES.label(row.mode_before, lang)} → {SERVICE_MODES.label(row.mode_after, lang)}"
                )
            fields["what"] = "; ".join(what)
        lines.append(t(f"compare.slide.{row.change}", lang, **fields))
    return _capped(lines, lang)


def _capped(lines: list[str], lang: Lang) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[: MAX_LINES - 1], t("compare.slide.more", lang, count=len(lines) - (MAX_LINES - 1))]


def area_lines(comparison: Comparison, lang: Lang = "fr", level: str = "csd") -> tuple[str, list[str]]:
    """The count of class changes at ``level`` and one line per (change, category).

    Categories only (not the "all categories" row, which repeats them), worsened first
    since that is what the table will want to discuss, each with the areas concerned.
    """
    frame = comparison.changes.get(level)
    if frame is None or frame.empty:
        return "", []
    counts = frame["class_change"].value_counts()
    summary = t(
        "compare.slide.counts",
        lang,
        improved=int(counts.get("improved", 0)),
        unchanged=int(counts.get("unchanged", 0)),
        worsened=int(counts.get("worsened", 0)),
        flagged=int(counts.get("not_comparable", 0)),
    )
    moved = frame[frame["class_change"].isin(["worsened", "improved"]) & (frame["category"] != ALL)]
    # areas where a service opened or closed first: they explain the change
    moved = moved.assign(_moved=moved["services_in_change"].abs().fillna(0).astype(int)).sort_values(
        ["_moved", "name"], ascending=[False, True]
    )
    groups = moved.groupby(["class_change", "category"])["name"].agg(list).reset_index()
    groups["_n"] = groups["name"].map(len)
    groups = groups.assign(_o=(groups["class_change"] == "improved").astype(int)).sort_values(["_o", "_n"])
    groups = groups.sort_values(["_o", "_n"], ascending=[True, False])
    lines = []
    for row in groups.itertuples():
        names = [str(n) for n in row.name]
        shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
        lines.append(
            t(
                "compare.slide.group",
                lang,
                category=_category(row.category, lang),
                change=t(f"compare.class.{row.class_change}", lang).lower(),
                count=len(names),
                names=shown,
            )
        )
    return summary, _capped(lines, lang)


def since_last_cycle_slide(deck: Deck, comparison: Comparison) -> None:
    """Add the "Depuis le dernier cycle" slide: services opened / closed / changed, class changes."""
    lang = deck.lang
    slide = deck.slide(
        t("compare.slide_title", lang),
        t("compare.slide_subtitle", lang, before=comparison.from_cycle, after=comparison.to_cycle),
    )
    half = (W - 3 * MARGIN) // 2
    deck.text(slide, t("compare.slide.services", lang), MARGIN, TOP, half, 400_000, size=18, bold=True, colour=NAVY)
    deck.bullets(slide, service_lines(comparison, lang), MARGIN, TOP + 450_000, half, 3_900_000, size=13)
    right = 2 * MARGIN + half
    deck.text(slide, t("compare.slide.areas", lang), right, TOP, half, 400_000, size=18, bold=True, colour=NAVY)
    summary, lines = area_lines(comparison, lang)
    deck.text(slide, summary, right, TOP + 450_000, half, 600_000, size=13, bold=True)
    deck.bullets(slide, lines, right, TOP + 1_100_000, half, 3_300_000, size=12)
    deck.text(slide, t("compare.slide.note", lang), MARGIN, TOP + 4_500_000, W - 2 * MARGIN, 400_000, size=11)


def changed_services_table(comparison: Comparison, lang: Lang = "fr") -> pd.DataFrame:
    """Services opened, closed or changed as a small labelled table (for the app and exports)."""
    services = comparison.services_changed
    columns = ["change", "org", "service", "category", "site", "municipality", "language", "mode"]
    headers = {c: t(f"compare.col.{c}", lang) for c in columns if c != "category"}
    headers["category"] = t("compare.col.category", lang)
    if services.empty:
        return pd.DataFrame(columns=[headers[c] for c in columns])

    def arrow(before: object, after: object, vocab) -> str:  # type: ignore[no-untyped-def]
        labels = [vocab.label(v, lang) if isinstance(v, str) and v in vocab else "" for v in (before, after)]
        if labels[0] and labels[1] and labels[0] != labels[1]:
            return f"{labels[0]} → {labels[1]}"
        return labels[1] or labels[0]

    out = pd.DataFrame(
        {
            "change": services["change"].map(lambda c: t(f"compare.change.{c}", lang)),
            "org": services["org_name"],
            "service": services["service_name"],
            "category": services["category"].map(lambda c: _category(c, lang)),
            "site": services["site_name"],
            "municipality": services["municipality"],
            "language": [
                arrow(b, a, SERVICE_LANGUAGES)
                for b, a in zip(services["language_before"], services["language_after"], strict=True)
            ],
            "mode": [
                arrow(b, a, SERVICE_MODES) for b, a in zip(services["mode_before"], services["mode_after"], strict=True)
            ],
        }
    )
    return out.rename(columns=headers)


__all__ = ["area_lines", "changed_services_table", "service_lines", "since_last_cycle_slide"]
