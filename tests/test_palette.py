"""Colour-blind-safe palettes: every pair of classes stays apart in every simulated vision.

Colour differences are CIELAB ΔE*ab (1976) after simulating protanopia, deuteranopia and
tritanopia at full severity with Machado, Oliveira and Fernandes (2009), as implemented by
``colorspacious`` (its ``sRGB1+CVD`` space, severity 100).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cartography.palette import GAP_CLASS_COLOURS, MIN_DELTA_E, NEUTRAL, SEQUENTIAL, hex_to_rgb1, sequential
from cartography.vocabulary import GAP_CLASSES

colorspacious = pytest.importorskip("colorspacious")
VISIONS = (None, "protanomaly", "deuteranomaly", "tritanomaly")


def lab(colours: list[str], vision: str | None) -> np.ndarray:
    """CIELAB coordinates of ``colours`` as seen with ``vision`` (None: normal)."""
    rgb = np.array([hex_to_rgb1(c) for c in colours])
    if vision is not None:
        space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        rgb = np.clip(colorspacious.cspace_convert(rgb, space, "sRGB1"), 0, 1)
    return colorspacious.cspace_convert(rgb, "sRGB1", "CIELab")


def smallest_difference(colours: list[str]) -> dict[str | None, float]:
    """The smallest ΔE between two of ``colours`` in each vision."""
    out = {}
    for vision in VISIONS:
        points = lab(colours, vision)
        out[vision] = min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(points, 2))
    return out


def test_known_answers_of_the_measure() -> None:
    # Black and white are 100 apart in L*; a colour is 0 from itself; the old palette's orange
    # "capacity low" and green "covered", 90 apart to most eyes, are 7 apart under protanopia
    # (which is why it failed).
    assert lab(["#000000"], None)[0][0] == pytest.approx(0, abs=1e-6)
    assert lab(["#ffffff"], None)[0][0] == pytest.approx(100, abs=0.01)
    old = smallest_difference(["#fc8d59", "#1a9850"])
    assert old[None] == pytest.approx(89.7, abs=0.1) and old["protanomaly"] == pytest.approx(7.4, abs=0.1)
    assert smallest_difference(["#123456", "#123456"])["tritanomaly"] == pytest.approx(0, abs=1e-9)


def test_gap_classes_distinguishable_in_every_vision() -> None:
    assert set(GAP_CLASS_COLOURS) == set(GAP_CLASSES.codes)
    colours = [*GAP_CLASS_COLOURS.values(), NEUTRAL]
    worst = smallest_difference(colours)
    assert all(value >= MIN_DELTA_E for value in worst.values()), worst


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("good_high", [False, True])
def test_numeric_ramps_distinguishable_in_every_vision(k: int, good_high: bool) -> None:
    colours = [*sequential(k, good_high), NEUTRAL]
    worst = smallest_difference(colours)
    assert all(value >= MIN_DELTA_E for value in worst.values()), (k, worst)


def test_ramp_runs_light_to_dark() -> None:
    lightness = lab(SEQUENTIAL, None)[:, 0]
    assert list(lightness) == sorted(lightness, reverse=True)
    assert sequential(3) == [SEQUENTIAL[0], SEQUENTIAL[2], SEQUENTIAL[4]]
    assert sequential(2, good_high=True) == [SEQUENTIAL[4], SEQUENTIAL[0]]
    with pytest.raises(ValueError):
        sequential(6)
