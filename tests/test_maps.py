"""Gap maps: offline, light, escaped, filtered (demo data, invented)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from cartography.cli import main
from cartography.maps import gap_map, map_html


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


def test_member_text_is_escaped(compiled_demo) -> None:
    layers = copy.deepcopy(compiled_demo.layers)
    evil = "<img src=x onerror=alert(1)>"
    layers["service_points"]["org_name"] = evil
    layers["service_points"]["service_name"] = "<script>alert(2)</script>"
    layers["needs_by_area"]["comments"] = evil
    document = map_html(gap_map(layers, level="csd"))
    assert "<img src=x" not in document and "<script>alert(2)" not in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document


def test_english_map(compiled_demo) -> None:
    document = map_html(gap_map(compiled_demo.layers, level="region", lang="en", demo=True))
    assert "No French service within reach" in document and "FICTITIOUS DEMONSTRATION DATA" in document


@pytest.mark.parametrize("indicator", ["gap_index", "access_e2sfca_per_10k", "nearest_km", "needs_unmet"])
def test_numeric_indicators_have_class_breaks(compiled_demo, indicator: str) -> None:
    document = map_html(gap_map(compiled_demo.layers, level="csd", indicator=indicator))
    assert "carto-legend" in document and " – " in document


def test_cli_map(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "carte.html"
    assert main(["map", "--cycle", "2019-2020", "--level", "ct", "--category", "health", "-o", str(target)]) == 0
    assert target.stat().st_size > 100_000
    assert main(["map", "--cycle", "2019-2020", "--category", "nope", "-o", str(target)]) == 1
