"""Small-count protection for everything published outside a member's own view.

Statistics Canada's and IRCC's practice (DESIGN.md section 6): counts from 1 to 4 are
suppressed and every other count is randomly rounded to a multiple of 5. Rounding is
unbiased (a count of 7 becomes 5 with probability 3/5 and 10 with 2/5) and deterministic
for a given cycle and cell, so publishing twice reveals nothing new. Totals are the sums of
the published cells, never rounded true totals, so no suppressed value can be recovered by
subtraction.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

BASE = 5
SUPPRESS_BELOW = 5


def _uniforms(keys: pd.Series, salt: str) -> np.ndarray:
    """A reproducible uniform number in [0, 1) per cell key."""
    out = np.empty(len(keys))
    for index, key in enumerate(keys.astype(str)):
        digest = hashlib.sha256(f"{salt}|{key}".encode()).digest()
        out[index] = int.from_bytes(digest[:8], "big") / 2**64
    return out


def protect_counts(counts: pd.Series, keys: pd.Series, salt: str) -> pd.Series:
    """Suppress 1-4 (as missing) and randomly round the rest to base 5.

    Parameters
    ----------
    counts
        True non-negative counts.
    keys
        A stable identity per cell (e.g. "csd|profile"), so a cell always rounds the same way.
    salt
        The cycle code: a new cycle draws new roundings.
    """
    values = pd.to_numeric(counts, errors="raise").astype("float64").to_numpy()
    if np.any(values < 0):
        raise ValueError("counts must be non-negative")
    lower = np.floor(values / BASE) * BASE
    remainder = values - lower
    up = _uniforms(keys.reset_index(drop=True), salt) < remainder / BASE
    rounded = lower + np.where(up, BASE, 0)
    rounded = np.where((values > 0) & (values < SUPPRESS_BELOW), np.nan, rounded)
    return pd.Series(rounded, index=counts.index, dtype="Float64").round().astype("Int64")


def published_total(protected: pd.Series) -> int:
    """The total to publish beside protected cells: their own sum (suppressed count as 0)."""
    return int(protected.fillna(0).sum())
