"""A GeoPackage's ``metadata`` table: one row per key, values that are not text as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd


def metadata_table(metadata: Mapping[str, object]) -> pd.DataFrame:
    """``metadata`` as a ``key``/``value`` table a planner reads in QGIS's attribute table
    (accents kept, dates and other objects written as text)."""
    return pd.DataFrame(
        [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}
            for k, v in metadata.items()
        ],
        columns=["key", "value"],
    )
