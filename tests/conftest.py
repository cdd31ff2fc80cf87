"""Shared fixtures. Real data come from ../shared/geo (or CARTO_GEO_SOURCE); every test that
writes does so under pytest's tmp_path, never in the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cartography.paths import geo_source_dir


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's caches and stores out of the checkout."""
    home = tmp_path_factory.mktemp("carto-home")
    monkeypatch.setenv("CARTO_GEO_CACHE", str(home / "geo"))
    monkeypatch.setenv("CARTO_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CARTO_GEO_SOURCE", str(geo_source_dir()))
    monkeypatch.delenv("CARTO_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def shared_geo() -> Path:
    path = geo_source_dir()
    if not (path / "region_boundaries.gpkg").exists():
        pytest.fail(f"shared geography not found at {path}; set CARTO_GEO_SOURCE")
    return path


@pytest.fixture(scope="session")
def geography(shared_geo: Path):
    from cartography.io.geo_source import load_geography

    return load_geography(shared_geo, cache=Path(os.devnull).parent / "nonexistent-carto-cache")


@pytest.fixture(scope="session")
def gazetteer(geography):
    return geography.gazetteer()
