"""Where the project keeps and finds things on disk.

Every location can be moved with an environment variable so that tests, CI and a shared
deployment never write into the source tree by accident.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """Return the project's working folder.

    ``CARTO_HOME`` wins; else the checkout that holds this package (an editable install);
    else the current folder (an installed wheel run from anywhere).
    """
    env = os.environ.get("CARTO_HOME")
    if env:
        return Path(env).resolve()
    candidate = _PACKAGE_DIR.parents[1]
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def geo_source_dir() -> Path:
    """Folder of the shared, generalised geography (``CARTO_GEO_SOURCE`` or ``../shared/geo``)."""
    env = os.environ.get("CARTO_GEO_SOURCE")
    if env:
        return Path(env).resolve()
    return (project_root().parent / "shared" / "geo").resolve()


def geo_cache_dir() -> Path:
    """Folder where built geography is cached (``CARTO_GEO_CACHE`` or ``geo/``, ignored by git)."""
    env = os.environ.get("CARTO_GEO_CACHE")
    if env:
        return Path(env).resolve()
    return project_root() / "geo"


def data_dir() -> Path:
    """Folder of the project's own data (the embedded store, demo sources)."""
    env = os.environ.get("CARTO_DATA_DIR")
    if env:
        return Path(env).resolve()
    return project_root() / "data"


def package_data(name: str) -> Path:
    """Path of a data file shipped inside the package."""
    return _PACKAGE_DIR / "data" / name


def demo_store_path() -> Path:
    """The demonstration store's SQLite file (``data/demo/store.sqlite``).

    The demo has a store of its own so that its fictitious data and its published demo
    accounts never enter the real store (``data/store/`` or ``CARTO_DATABASE_URL``).
    """
    return data_dir() / "demo" / "store.sqlite"
