"""Number formats by language: known answers written by hand."""

import math

import numpy as np
import pandas as pd

from cartography.numbers import MISSING, format_integer, format_number, format_percent

NN = "\u202f"


def test_french_uses_decimal_comma_and_narrow_space() -> None:
    assert format_number(0.54, "fr", 2) == "0,54"
    assert format_number(7583, "fr") == f"7{NN}583"
    assert format_number(1234567.891, "fr", 1) == f"1{NN}234{NN}567,9"


def test_english_uses_point_and_comma() -> None:
    assert format_number(0.54, "en", 2) == "0.54"
    assert format_number(7583, "en") == "7,583"
    assert format_number(np.int64(7583), "en") == "7,583"


def test_missing_values_show_a_dash() -> None:
    for value in (None, float("nan"), math.inf, pd.NA, np.float64("nan")):
        assert format_number(value, "fr") == MISSING


def test_integers_and_percent() -> None:
    assert format_integer(4.6, "fr") == "5"
    assert format_integer(12345.0, "en") == "12,345"
    assert format_percent(0.4237, "fr") == f"42{NN}%"
    assert format_percent(0.4237, "en", 1) == "42.4%"
    assert format_number(-0.01, "en", 1) == "0.0"
