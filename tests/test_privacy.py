"""Small-count protection: suppression, unbiased random rounding to base 5, totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cartography.privacy import protect_counts, published_total


def _protect(values, salt="2019-2020"):  # type: ignore[no-untyped-def]
    s = pd.Series(values)
    return protect_counts(s, pd.Series([f"cell{i}" for i in range(len(s))]), salt)


def test_one_to_four_suppressed_zero_kept_multiples_of_five() -> None:
    out = _protect([0, 1, 2, 3, 4, 5, 10, 142])
    assert out.iloc[0] == 0
    assert out.iloc[1:5].isna().all()
    assert list(out.iloc[5:7]) == [5, 10]
    assert out.iloc[7] in (140, 145)
    assert (out.dropna() % 5 == 0).all()


def test_deterministic_per_cycle_and_unbiased() -> None:
    values = [7] * 4000
    a, b = _protect(values), _protect(values)
    assert a.equals(b)
    assert set(a.unique()) == {5, 10}
    assert abs(a.astype(float).mean() - 7) < 0.15  # unbiased: E = 5*0.6 + 10*0.4 = 7
    assert not _protect(values, "2020-2021").equals(a)


def test_suppressed_value_cannot_be_recovered_from_the_total() -> None:
    # The same table with the suppressed cell at 1 or at 4 publishes identical numbers.
    low = _protect([1, 23, 56])
    high = _protect([4, 23, 56])
    assert low.equals(high)
    assert published_total(low) == published_total(high) == int(low.iloc[1] + low.iloc[2])


def test_negative_counts_refused() -> None:
    with pytest.raises(ValueError):
        _protect([-1, 3])


def test_rounding_moves_at_most_four() -> None:
    values = np.arange(5, 500)
    out = _protect(values).astype(float).to_numpy()
    assert np.all(np.abs(out - values) <= 4)
