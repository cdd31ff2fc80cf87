"""What every workflow works in: the store (answers, accounts, cycles) and the geography.

The app and the command line open both here, never through ``cartography.io`` directly,
so where data lives (SQLite by default, PostgreSQL when ``CARTO_DATABASE_URL`` says so;
``CARTO_GEO_SOURCE`` or ``../shared/geo``) is decided in one place. The geography stack
(geopandas, GDAL) is imported only when geography is asked for, so store commands such as
``cartography cycle validate`` start quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cartography.errors import UserError
from cartography.io.store import LOCAL_TIMEZONE, ROLES, Store, default_url, demo_url, local_time, loggable

if TYPE_CHECKING:
    from cartography.geocoding import Gazetteer
    from cartography.io.geo_source import Geography as Geography  # the type, for callers' hints


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``CARTO_DATABASE_URL``, else the embedded SQLite file)."""
    return Store(url) if url else Store()


def require_cycle(store: Store, cycle: str) -> None:
    """Refuse a cycle the coordinator never opened (``store.error.no_cycle``), before any work."""
    if cycle not in {c.code for c in store.cycles()}:
        raise UserError("store.error.no_cycle", code=cycle)


def load_geography(source: Path | None = None) -> Geography:
    """The geography in use: the official build if one was made, else the shared copy."""
    from cartography.io.geo_source import load_geography as load

    return load(source)


def build_geography(
    origin: str, cache: Path | None = None, checksums: dict[str, str] | None = None
) -> dict[str, int]:
    """Build the official geography from Statistics Canada files (a folder or a URL) into the cache."""
    from cartography.io.geo_source import build_official

    return build_official(origin, cache, checksums)


def gazetteer() -> Gazetteer:
    """The gazetteer of the geography in use (places, municipalities, postal areas)."""
    return load_geography().gazetteer()


__all__ = [
    "LOCAL_TIMEZONE",
    "ROLES",
    "Store",
    "build_geography",
    "default_url",
    "demo_url",
    "gazetteer",
    "load_geography",
    "local_time",
    "loggable",
    "open_store",
    "require_cycle",
]
