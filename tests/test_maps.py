"""Gap maps: offline, light, escaped, filtered (demo data, invented)."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from cartography.cli import main
from cartography.escaping import html_text, js_string
from cartography.gaps import ALL
from cartography.maps import (
    INDICATORS,
    area_details,
    classify,
    gap_map,
    integer_breaks,
    localise_assets,
    map_html,
    map_legend,
    map_title,
    method_section,
    short_name,
)
from cartography.palette import GAP_CLASS_COLOURS, NEUTRAL, sequential
from cartography.vocabulary import GAP_CLASSES

#: Member text that would run as script if it reached any HTML, JavaScript string or template
#: literal unescaped (folium writes tooltip and popup HTML inside backtick strings), or as
#: Python if it reached Jinja (branca parses each element's rendered script again as a template).
HOSTILE = [
    "${alert(1)}",
    "`+alert(1)+`",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "a\u2028b\u2029c${alert(1)}",
    "\\`+alert(1)+\\`",  # a backslash before a backtick: folium's own escaping skips it
    "\\\\`+alert(1)//",
    "'-alert(1)-'",
    "{{'alert'}} \\u0024{alert(1)}",
    "{{ 7*7 }}",
    "{{ cycler.__init__.__globals__.os.getpid() }}",
    "{% if 1 %}x{% endif %}{# #}",
]


@pytest.fixture(scope="module")
def html_csd(compiled_demo, geography) -> str:
    return map_html(gap_map(compiled_demo.layers, level="csd", demo=True, attribution=geography.attribution()))


def test_standalone_html_works_offline(html_csd: str) -> None:
    # Every script and style is inlined: no link to any CDN or other host.
    assert not re.search(r'<script[^>]+src="https?://', html_csd)
    assert not re.search(r'<link[^>]+href="https?://', html_csd)
    assert "L.markerClusterGroup" in html_csd and "leaflet" in html_csd.lower()


def test_labels_attribution_and_legend(html_csd: str) -> None:
    assert "DONNÉES FICTIVES DE DÉMONSTRATION" in html_csd
    assert "Statistique Canada" in html_csd and "GeoNames" in html_csd
    assert "Aucun service en français à portée" in html_csd
    assert "pas une mesure de prévalence" in html_csd


@pytest.mark.parametrize(("level", "limit_mb"), [("csd", 1.5), ("ct", 4.0), ("region", 1.5)])
def test_size_targets(compiled_demo, geography, level: str, limit_mb: float) -> None:
    document = map_html(gap_map(compiled_demo.layers, level=level, attribution=geography.attribution()))
    assert len(document.encode()) < limit_mb * 1e6


def test_filter_by_county_reduces_features(compiled_demo) -> None:
    everything = gap_map(compiled_demo.layers, level="csd")
    elgin = gap_map(compiled_demo.layers, level="csd", regions=["elgin"])
    count = lambda m: map_html(m).count('"area_id"')  # noqa: E731
    assert count(elgin) == 8 < count(everything) == 28


def test_english_map(compiled_demo) -> None:
    document = map_html(gap_map(compiled_demo.layers, level="region", lang="en", demo=True))
    assert "No French service within reach" in document and "FICTITIOUS DEMONSTRATION DATA" in document


@pytest.mark.parametrize("indicator", ["gap_index", "access_e2sfca_per_10k", "nearest_km"])
def test_numeric_indicators_have_class_breaks(compiled_demo, indicator: str) -> None:
    document = map_html(gap_map(compiled_demo.layers, level="csd", indicator=indicator))
    assert "carto-legend" in document and " – " in document


def test_count_indicator_has_whole_number_classes(compiled_demo) -> None:
    legend = map_legend(compiled_demo.layers, level="csd", indicator="needs_unmet")
    words = [entry.label for entry in legend.areas]
    # Whole numbers only (no "1,5"), and "no need reported" as its own neutral entry.
    assert all(re.fullmatch(r"\d+(–\d+)?|0 \(.*\)|Aucun besoin déclaré", w) for w in words), words
    assert words[-1] == "Aucun besoin déclaré" and legend.areas[-1].colour == NEUTRAL


def test_cli_map(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "carte.html"
    assert main(["map", "--cycle", "2019-2020", "--level", "ct", "--category", "health", "-o", str(target)]) == 0
    assert target.stat().st_size > 100_000
    assert main(["map", "--cycle", "2019-2020", "--category", "nope", "-o", str(target)]) == 1


def _hostile_layers(layers: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every member-typed field of every map layer set to the hostile texts, in turn."""
    out = copy.deepcopy(layers)

    def cycle(frame: pd.DataFrame, column: str, shift: int) -> None:
        frame[column] = [HOSTILE[(i + shift) % len(HOSTILE)] for i in range(len(frame))]

    cycle(out["service_points"], "org_name", 0)
    cycle(out["service_points"], "service_name", 1)
    cycle(out["service_points"], "site_name", 2)
    cycle(out["service_areas"], "service_name", 3)
    cycle(out["needs_by_area"], "comments", 4)
    return out


def _shown(markup: str) -> str:
    """The text a browser shows for some HTML (tags dropped, references decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _bound_texts(document: str) -> list[str]:
    """What each tooltip and popup bound as data (a JSON string literal) shows."""
    literals = re.findall(r'\.bind(?:Tooltip|Popup)\(("(?:[^"\\]|\\.)*")', document)
    return [_shown(json.loads(literal)) for literal in literals]


def _geojson_properties(document: str) -> list[dict[str, object]]:
    """The properties of every feature of every GeoJSON layer written in the map."""
    decoder = json.JSONDecoder()
    properties = []
    for match in re.finditer(r"_add\(", document):
        try:
            data, _ = decoder.raw_decode(document, match.end())
        except ValueError:  # a function of the inlined libraries, not a layer
            continue
        if isinstance(data, dict):
            properties += [feature["properties"] for feature in data.get("features", [])]
    return properties


def _geojson_texts(document: str) -> list[str]:
    """What the GeoJSON tooltips show: every string property of every feature, decoded."""
    return [_shown(v) for props in _geojson_properties(document) for v in props.values() if isinstance(v, str)]


@pytest.fixture(scope="module")
def hostile(compiled_demo) -> tuple[str, str]:
    """(the folium script alone, the whole standalone document) of a map of hostile text."""
    layers = _hostile_layers(compiled_demo.layers)
    script = localise_assets(gap_map(layers, level="csd")).get_root().render()
    return script, map_html(gap_map(layers, level="csd"))


def test_escaping_known_answers() -> None:
    assert html_text("${a}`\\") == "&#36;&#123;a&#125;&#96;&#92;"
    assert html_text('<b a="1">&\'') == "&lt;b a=&quot;1&quot;&gt;&amp;&#x27;"
    assert html_text("a\u2028b") == "a&#8232;b"
    assert html_text("{{ 7*7 }}") == "&#123;&#123; 7*7 &#125;&#125;"
    assert html_text(None) == html_text(float("nan")) == html_text(pd.NA) == ""
    expected = '"\\u003c/script\\u003e\\u0060\\u0024\\u007bx\\u007d\\u0027\\u00e9\\u2028"'
    assert js_string("</script>`${x}'é\u2028") == expected
    for text in HOSTILE:
        assert json.loads(js_string(text)) == text  # data, exactly as typed
        assert html.unescape(html_text(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_has_no_executable_form(hostile: tuple[str, str], text: str) -> None:
    _, document = hostile
    # Neither the text itself nor any of its active characters reach the page raw.
    assert text not in document
    assert "alert(1)</script>" not in document and "<img src=x" not in document
    assert "\u2028" not in document and "\u2029" not in document
    # Shown exactly as typed, in the tooltips and popups and in the GeoJSON tooltips.
    shown = _bound_texts(document) + _geojson_texts(document)
    assert any(text in value for value in shown)


def test_member_text_never_enters_template_literal_or_markup(hostile: tuple[str, str], compiled_demo) -> None:
    script, document = hostile
    # folium's Tooltip/Popup write HTML into backtick strings: never used for member text.
    assert not re.search(r"bind(?:Tooltip|Popup)\(\s*`", script)
    assert "$(`" not in script
    benign = map_html(gap_map(compiled_demo.layers, level="csd"))
    for tag in ("<script", "<img", "<iframe", "<svg"):
        assert document.count(tag) == benign.count(tag)
    # Every tooltip and popup of the map is bound as data: 25 points and 18 needs, two each.
    points, needs = len(compiled_demo.layers["service_points"]), len(compiled_demo.layers["needs_by_area"])
    assert len(_bound_texts(document)) == 2 * (points + needs)


def test_suppressed_clients_read_at_most_4_never_0(compiled_demo) -> None:
    layers = copy.deepcopy(compiled_demo.layers)
    clients = layers["clients_by_area"]
    totals = clients[clients["profile"] == ALL]
    suppressed, shown = totals["csd"].iloc[0], totals["csd"].iloc[1]
    clients.loc[(clients["profile"] == ALL) & (clients["csd"] == suppressed), "clients_published"] = pd.NA
    clients.loc[(clients["profile"] == ALL) & (clients["csd"] == shown), "clients_published"] = 15
    layers["needs_by_area"]["clients_published"] = pd.array([pd.NA] * len(layers["needs_by_area"]), dtype="Int64")
    document = map_html(gap_map(layers, level="csd", category=ALL))
    features = {props.get("area_id"): props for props in _geojson_properties(document)}
    assert features[suppressed]["_clients"] == "≤ 4"
    assert features[shown]["_clients"] == "15"
    unreported = next(a for a in features if a and a not in set(clients["csd"]))
    assert features[unreported]["_clients"] == "0"  # no client reported there: a true 0
    popups = [text for text in _bound_texts(document) if "Clients concernés (publiés) :" in text]
    assert len(popups) == len(layers["needs_by_area"]) and all("Clients concernés (publiés) : ≤ 4" in p for p in popups)
    assert "≤ 4 : de 1 à 4 clients, nombre supprimé" in document.replace("\xa0", " ")  # the legend explains it


# -- classes, title, legend: known answers ------------------------------------------------------


def test_integer_breaks_known_answers() -> None:
    # Few distinct values: one class each (a value that does not occur gets no class).
    assert integer_breaks([0, 1, 1, 3]) == [(0, 0), (1, 1), (3, 3)]
    assert integer_breaks([2, 2, 2]) == [(2, 2)]
    # Many: zero alone, then natural groups {1, 2}, {10..12}, {30, 31}, {100}, each class
    # starting one above the previous one's top (no 1.5 – 3 overlaps).
    assert integer_breaks([0, 1, 1, 2, 2, 10, 11, 12, 30, 31, 100]) == [(0, 0), (1, 2), (3, 12), (13, 31), (32, 100)]
    assert integer_breaks([]) == []


def test_classify_needs_tells_no_need_from_all_met() -> None:
    frame = pd.DataFrame(
        {
            "needs_reported": pd.array([0, 2, 3, 4, pd.NA], dtype="Int64"),
            "needs_unmet": pd.array([0, 0, 1, 1, pd.NA], dtype="Int64"),
        }
    )
    classes = classify(frame, "needs_unmet", "fr")
    assert list(classes.labels) == [
        "Aucun besoin déclaré",
        "0 (besoins déclarés, tous comblés)",
        "1",
        "1",
        "Aucun besoin déclaré",
    ]
    light, dark = sequential(2)
    assert list(classes.colours) == [NEUTRAL, light, dark, dark, NEUTRAL]
    assert [(e.label, e.kind) for e in classes.entries] == [
        ("0 (besoins déclarés, tous comblés)", "area"),
        ("1", "area"),
        ("Aucun besoin déclaré", "neutral"),
    ]


def test_classify_nothing_measured_is_one_neutral_entry_and_a_note() -> None:
    frame = pd.DataFrame({"gap_index": [0.0, 0.0, 0.0], "services_serving": [0, 0, 0]})
    for indicator in ("gap_index", "services_serving"):
        classes = classify(frame, indicator, "en")
        assert set(classes.colours) == {NEUTRAL}
        assert len(classes.entries) == 1 and classes.entries[0].kind == "neutral"
        assert classes.notes and "no classes" in classes.notes[0]
    # Needs not compiled at this level (census tracts): one neutral entry saying so.
    tracts = pd.DataFrame({"needs_reported": pd.array([pd.NA] * 2, dtype="Int64"), "needs_unmet": [pd.NA] * 2})
    classes = classify(tracts, "needs_unmet", "fr")
    assert [e.label for e in classes.entries] == [
        "Besoins non compilés à ce niveau (municipalités et régions seulement)"
    ]


def test_classify_no_in_person_service_is_neutral_and_numbers_french() -> None:
    frame = pd.DataFrame({"nearest_km": [1.25, 3.5, float("nan"), 12.0, 40.0]})
    classes = classify(frame, "nearest_km", "fr")
    assert classes.colours[2] == NEUTRAL and classes.labels[2] == "Aucun service en personne"
    assert NEUTRAL not in set(classes.colours.drop(2))
    assert classes.entries[-1].label == "Aucun service en personne" and classes.entries[-1].kind == "neutral"
    assert classes.entries[0].label.startswith("1,2")  # French decimal comma (1.25 shown to 0.1)
    assert classify(frame, "nearest_km", "en").entries[0].label.startswith("1.2")


def test_classify_gap_classes_use_the_safe_palette() -> None:
    frame = pd.DataFrame({"gap_class": ["covered", "no_service", "far"]})
    classes = classify(frame, "gap_class", "fr")
    assert list(classes.colours) == [GAP_CLASS_COLOURS[c] for c in frame["gap_class"]]
    assert classes.entries[0].kind == "hatch" and classes.entries[0].label == "Aucun service en français à portée"


def test_title_says_indicator_category_counties_cycle() -> None:
    assert (
        map_title("gap_class", "all", ["oxford", "elgin"], "2019-2020", "fr")
        == "Classe de lacune — toutes catégories — Elgin, Oxford — 2019-2020"
    )
    assert map_title("nearest_km", "health", None, "2020-2021", "en") == (
        "Distance to nearest service (km) — Health and well-being — London, Middlesex, Elgin, Oxford — 2020-2021"
    )
    assert short_name("Oneida 41") == "Oneida"
    assert short_name("Chippewas of the Thames First Nation 42") == "Chippewas of the Thames"
    assert short_name("St. Thomas") == "St. Thomas"


def _labels(document: str, css: str = "carto-label") -> list[str]:
    """The place names drawn on a map (each a DivIcon whose HTML folium writes as JSON)."""
    icons = re.findall(r'L\.divIcon\(\{\s*"html": ("(?:[^"\\]|\\.)*")', document)
    return [m.group(1) for h in icons if (m := re.search(rf'class="{css}[^"]*"[^>]*>([^<]+)<', json.loads(h)))]


def test_standalone_document_names_language_title_scale_and_places(compiled_demo, geography) -> None:
    document = map_html(
        gap_map(compiled_demo.layers, level="csd", regions=["elgin", "oxford"], cycle="2019-2020", lang="fr")
    )
    assert '<html lang="fr">' in document
    assert "<title>Classe de lacune — toutes catégories — Elgin, Oxford — 2019-2020</title>" in document
    assert "imperial: false" in document and "metric: true" in document
    labels = _labels(document)
    assert {"St. Thomas", "Woodstock", "Aylmer", "Tillsonburg"} <= set(labels)
    assert "London" not in labels  # filtered out with its county
    assert js_string("Plein écran") in document and "carto-hatch" in document
    english = map_html(gap_map(compiled_demo.layers, level="region", lang="en"))
    assert '<html lang="en">' in english
    assert {"London", "Middlesex", "Elgin", "Oxford"} <= set(_labels(english, "carto-label region"))


def test_legend_lists_everything_drawn(compiled_demo) -> None:
    legend = map_legend(compiled_demo.layers, level="csd", lang="fr")
    kinds = {entry.kind for entry in legend.points}
    assert {"point", "cluster"} <= kinds
    assert [e.kind for e in legend.needs] == ["circle"] * 4
    assert [e.kind for e in legend.lines] == ["county", "border"]
    assert [e.label for e in legend.areas] == [term.label("fr") for term in GAP_CLASSES]


def test_tooltips_write_numbers_for_their_language(compiled_demo) -> None:
    french = _geojson_properties(map_html(gap_map(compiled_demo.layers, level="csd", lang="fr")))
    english = _geojson_properties(map_html(gap_map(compiled_demo.layers, level="csd", lang="en")))
    london_fr = next(p for p in french if p.get("area_id") == "3539036")
    london_en = next(p for p in english if p.get("area_id") == "3539036")
    assert london_fr["_pop"] == "422\u202f324" and london_en["_pop"] == "422,324"
    assert "," in london_fr["_index"] and "." in london_en["_index"]


def test_area_details_known_answers() -> None:
    row = pd.Series(
        {
            "level": "csd",
            "gap_class": "far",
            "gap_index": 0.5432,
            "access_e2sfca_per_10k": 1.25,
            "access_2sfca_per_10k": 2.0,
            "nearest_km": float("nan"),
            "services_in": 0,
            "services_itinerant": 1,
            "services_virtual": 2,
            "needs_reported": 3,
            "needs_unmet": 0,
            "demand": 7583.0,
            "demand_key": "pop_2021",
        }
    )
    pairs = dict(area_details(row, "fr", clients=pd.NA))
    assert pairs["Classe"] == "Service éloigné"
    assert pairs["Indice de lacune"] == "0,54"
    assert pairs["Service en personne le plus proche (km)"] == "Aucun service en personne"
    assert pairs["Besoins non comblés"].replace("\xa0", " ") == "0 sur 3 déclaré(s) : tous comblés"
    assert "7\u202f583" in pairs.values()
    assert pairs["Clients servis, tous profils (publiés)"] == "≤ 4"
    english = dict(area_details(row, "en", clients=15))
    assert english["Gap index"] == "0.54" and "7,583" in english.values()


def test_method_section_known_answer() -> None:
    document = 'x\n\n<a id="classes-de-lacune"></a>\n**Classe** un\ndeux.\n\n<a id="indice-composite"></a>\nautre\n'
    assert method_section(document, "gap_class", "fr") == "**Classe** un\ndeux."
    assert method_section(document, "gap_class", "en") is None
    real = (Path(__file__).resolve().parents[1] / "docs" / "methodologie.md").read_text(encoding="utf-8")
    for indicator in INDICATORS:
        for lang in ("fr", "en"):
            assert method_section(real, indicator, lang), (indicator, lang)


def test_natural_breaks_are_the_same_every_time_and_checkable_by_hand() -> None:
    # Fisher-Jenks on 1 2 3 | 10 11 12 | 50: the three groups are plain to see.
    import numpy as np

    from cartography.maps import jenks_bins

    assert jenks_bins(np.array([1, 2, 3, 10, 11, 12, 50.0]), 3).tolist() == [3.0, 12.0, 50.0]
    values = np.random.default_rng(7).gamma(2.0, size=3_000)
    first, again = jenks_bins(values, 5), jenks_bins(values, 5)
    assert first.tolist() == again.tolist() and first[-1] == values.max()


def test_a_map_with_no_area_left_says_so_in_words(compiled_demo) -> None:
    # Tracts exist only in the cities that have them: a town without any leaves nothing to draw.
    from cartography.errors import UserError
    from cartography.maps import gap_map

    with pytest.raises(UserError) as refused:
        gap_map(compiled_demo.layers, level="ct", municipalities=["3532004"], lang="fr")
    assert refused.value.key == "map.error.no_areas"
    assert "municipalité" in refused.value.message("fr") and "municipality" in refused.value.message("en")
