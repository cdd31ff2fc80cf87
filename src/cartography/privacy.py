"""Small-count protection for everything published outside a member's own view.

Statistics Canada's and IRCC's practice (DESIGN.md section 6): counts from 1 to 4 are
suppressed and every other count is randomly rounded to a multiple of 5. Rounding is
unbiased (a count of 7 becomes 5 with probability 3/5 and 10 with 2/5).

The random draw of a cell is keyed by a secret kept in the store (``Store.rounding_salt``),
never by public facts such as the cycle code: with a public seed anyone could replay the
draw and narrow a published 10 to the true values that round to 10 *with that draw* (about
5 candidates instead of 9). With the secret the draw is still deterministic within a store,
so publishing twice reveals nothing new, but unpredictable from outside it.

Totals are the sums of the published cells, never rounded true totals, so no suppressed
value can be recovered by subtraction; a total made only of suppressed (and zero) cells is
itself suppressed, never shown as 0.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

BASE = 5
SUPPRESS_BELOW = 5
#: The shortest salt accepted: 32 random bytes in hex. A short, guessable salt (a cycle code)
#: would let anyone replay the rounding, so it is refused outright.
MIN_SALT_CHARS = 64


def _uniforms(keys: pd.Series, salt: str) -> np.ndarray:
    """A reproducible uniform number in [0, 1) per cell key, unpredictable without ``salt``."""
    secret = salt.encode()
    out = np.empty(len(keys))
    for index, key in enumerate(keys.astype(str)):
        digest = hmac.new(secret, key.encode(), hashlib.sha256).digest()
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
        The store's rounding salt (``Store.rounding_salt()``, derived from the store's
        secret): at least 64 characters, so the draw cannot be replayed from public facts.

    Returns
    -------
    pandas.Series
        Nullable ``Int64``: ``<NA>`` for a suppressed cell, else a multiple of 5 (0 stays 0).
    """
    if not isinstance(salt, str) or len(salt) < MIN_SALT_CHARS:
        raise ValueError("the rounding salt must be the store's secret-derived salt (64+ characters)")
    values = pd.to_numeric(counts, errors="raise").astype("float64").to_numpy()
    if np.any(values < 0):
        raise ValueError("counts must be non-negative")
    lower = np.floor(values / BASE) * BASE
    remainder = values - lower
    up = _uniforms(keys.reset_index(drop=True), salt) < remainder / BASE
    rounded = lower + np.where(up, BASE, 0)
    rounded = np.where((values > 0) & (values < SUPPRESS_BELOW), np.nan, rounded)
    return pd.Series(rounded, index=counts.index, dtype="Float64").round().astype("Int64")


def published_total(protected: pd.Series) -> int | None:
    """The total to publish beside protected cells: the sum of the published cells.

    Suppressed cells add nothing. When nothing published is above zero but some cell is
    suppressed, the true total is somewhere from 1 upwards and the total is suppressed too
    (``None``): publishing 0 would be false, and publishing anything else would reveal the
    suppressed cells.
    """
    values = protected.astype("Int64")
    total = int(values.sum(skipna=True)) if len(values) else 0
    if total == 0 and bool(pd.isna(values).any()):
        return None
    return total
