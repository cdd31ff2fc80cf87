"""What every workflow works in: the store (answers, accounts, cycles) and the geography.

The app and the command line open both here, never through ``cartography.io`` directly,
so where data lives (SQLite by default, PostgreSQL when ``CARTO_DATABASE_URL`` says so;
``CARTO_GEO_SOURCE`` or ``../shared/geo``) is decided in one place.
"""

from __future__ import annotations

from pathlib import Path

from cartography.geocoding import Gazetteer
from cartography.io.geo_source import Geography, build_official
from cartography.io.geo_source import load_geography as _load_geography
from cartography.io.store import LOCAL_TIMEZONE, ROLES, Store, default_url, demo_url, local_time, loggable


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``CARTO_DATABASE_URL``, else the embedded SQLite file)."""
    return Store(url) if url else Store()


def load_geography(source: Path | None = None) -> Geography:
    """The geography in use: the official build if one was made, else the shared copy."""
    return _load_geography(source)


def gazetteer() -> Gazetteer:
    """The gazetteer of the geography in use (places, municipalities, postal areas)."""
    return load_geography().gazetteer()


__all__ = [
    "LOCAL_TIMEZONE",
    "ROLES",
    "Geography",
    "Store",
    "build_official",
    "default_url",
    "demo_url",
    "gazetteer",
    "load_geography",
    "local_time",
    "loggable",
    "open_store",
]
