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


def _postgres_url() -> str | None:
    return os.environ.get("CARTO_TEST_POSTGRES_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: SQLite always; PostgreSQL when CI started one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    url = _postgres_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (CARTO_TEST_POSTGRES_URL)")
        pytest.skip("PostgreSQL not available (set CARTO_TEST_POSTGRES_URL)")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"carto_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield url.rsplit("/", 1)[0] + "/" + name
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(store_url: str):
    from cartography.io.store import Store

    opened = Store(store_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def demo_org() -> dict:
    """The first demo organisation's answers (data/demo/demo.toml, invented data)."""
    from cartography.services.demo import demo_answers

    return demo_answers()["organisation"][0]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, geography):
    """A SQLite store loaded with both demo cycles, 2019-2020 and 2020-2021 (invented data), shared read-only."""
    from cartography.io.store import Store
    from cartography.services.demo import load_demo

    folder = tmp_path_factory.mktemp("demo-store")
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    load_demo(store, geography.gazetteer(), folder / "workbooks")
    return store


@pytest.fixture(scope="session")
def compiled_demo(demo_store, geography):
    from cartography.services.compile import compile_cycle

    return compile_cycle(demo_store, geography, "2019-2020")


@pytest.fixture
def demo_store_copy(demo_store, tmp_path: Path):
    """A private copy of the demo store, for tests that write to it."""
    import sqlite3

    from cartography.io.store import Store

    source = sqlite3.connect(demo_store.url.removeprefix("sqlite:///"))
    target = tmp_path / "demo-copy.sqlite"
    destination = sqlite3.connect(target)
    source.backup(destination)  # a consistent copy, WAL included
    source.close()
    destination.close()
    copy = Store(f"sqlite:///{target}")
    yield copy
    copy.dispose()
