"""French typography: no-break spaces before : ; ! ? and inside « », everywhere French is shown."""

from __future__ import annotations

import re
import string

import pytest

from cartography.i18n import MESSAGES, both, t
from cartography.typography import NBSP, NNBSP, french, problems


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Région : London", f"Région{NBSP}: London"),
        ("Note: voir", f"Note{NBSP}: voir"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("Attention!", f"Attention{NNBSP}!"),
        ("a ; b", f"a{NNBSP}; b"),
        ("« oui »", f"«{NBSP}oui{NBSP}»"),
        ("«oui»", f"«{NBSP}oui{NBSP}»"),
        ("Fin :", f"Fin{NBSP}:"),
        ("séparées par « ; »", f"séparées par «{NBSP};{NBSP}»"),
        # Left alone: times, addresses, codes, str.format fields, query strings.
        ("à 12:30", "à 12:30"),
        ("http://exemple.ca/a?b=1", "http://exemple.ca/a?b=1"),
        ("EPSG:2958", "EPSG:2958"),
        ("{x:.1f} km", "{x:.1f} km"),
        ("{n:,} lieux", "{n:,} lieux"),
        ("{v!r}", "{v!r}"),
        ("http://{address}:{port}", "http://{address}:{port}"),
    ],
)
def test_french_known_answers(typed: str, expected: str) -> None:
    assert french(typed) == expected
    assert french(expected) == expected  # idempotent
    assert problems(expected) == []


def test_problems_names_what_is_wrong() -> None:
    assert problems("Région : London") and problems("« oui »") and problems("Quoi?")
    assert problems("à 12:30, voir http://a.ca") == []


def _fields(template: str) -> dict[str, object]:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name: "x" for name in names}


def test_every_french_catalogue_text_is_typographically_right_after_lookup() -> None:
    """Over the whole merged catalogue (topics included): t() in French never shows a breakable
    space before : ; ! ? or inside « »."""
    wrong = {}
    for key, (fr, _en) in MESSAGES.items():
        template = t(key, "fr")  # no fields: the template itself, typography applied
        shown = template.format(**_fields(fr)) if _fields(fr) else template
        found = problems(template) + problems(shown)
        if found:
            wrong[key] = found
    assert not wrong, wrong
    assert len(MESSAGES) > 300  # the topics are merged in


def test_lookup_does_not_break_urls_times_or_fields() -> None:
    for key, (fr, _en) in MESSAGES.items():
        shown = t(key, "fr")
        for pattern in (r"https?://\S*", r"\d{1,2}:\d{2}", r"\{[^}]*\}", r"EPSG:\d+"):
            assert re.findall(pattern, shown) == re.findall(pattern, fr), key
    assert "http://{address}:{port}" in t("uisafety.serve.listening", "fr")


def test_english_untouched_and_member_text_never_rewritten() -> None:
    assert t("report.region_title", "en", region="Oxford") == "Region: Oxford"
    assert t("report.region_title", "fr", region="Oxford") == f"Région{NBSP}: Oxford"
    # A field's value is what the member typed: not rewritten even when French-looking.
    assert t("report.region_title", "fr", region="A : B ?") == f"Région{NBSP}: A : B ?"
    assert both("report.region_title", region="Elgin").startswith(f"Région{NBSP}: Elgin\n  [EN] Region: Elgin")
