"""Colours of the maps, chosen so that people with a colour-vision deficiency read them too.

About one man in twelve sees red and green alike. Every pair of gap-class colours (and the
neutral "no data" grey beside them) stays at least :data:`MIN_DELTA_E` apart in CIELAB under
normal vision and under Machado et al. (2009) simulations of protanopia, deuteranopia and
tritanopia at full severity (``tests/test_palette.py`` measures it). The worst class also
carries a hatch pattern, so it reads even in grey print. Pure data: nothing here draws.
"""

from __future__ import annotations

from typing import TypedDict


class Border(TypedDict):
    """A boundary's Leaflet style: line colour and width in pixels."""

    color: str
    weight: float


#: The smallest CIELAB distance (ΔE*ab, 1976) allowed between two classes, in every vision.
MIN_DELTA_E = 15.0

#: Gap classes, worst first: dark purple (hatched), red, salmon, pale yellow, blue.
GAP_CLASS_COLOURS: dict[str, str] = {
    "no_service": "#3f007d",
    "far": "#b2182b",
    "low_capacity": "#f4a582",
    "unmet_need": "#fee08b",
    "covered": "#4393c3",
}
#: Areas without a value (no data, no in-person service to measure from, nothing reported):
#: a grey that is never a data colour, distinct from every class and every ramp step.
NEUTRAL = "#b0b0b0"
#: Numeric classes, smallest gap first (light) to largest gap (dark); ΔE >= 15 between steps
#: and from :data:`NEUTRAL` in every simulated vision.
SEQUENTIAL = ["#fff7bc", "#fec44f", "#d95f0e", "#8c2d04", "#3f007d"]
#: The hatch drawn over areas with no French service within reach (white lines on the fill).
HATCH_COLOUR = "#ffffff"
#: Boundaries: counties (regions) heavier than municipalities.
COUNTY_BORDER: Border = {"color": "#111111", "weight": 3.0}
AREA_BORDER: Border = {"color": "#444444", "weight": 0.8}

#: Service-point colours by category (16 categories cannot all be told apart in every vision:
#: the tooltip and legend name each one). The first eight are Okabe and Ito's set.
CATEGORY_COLOURS = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#1f78b4",
    "#b2df8a",
    "#6a3d9a",
    "#b15928",
    "#fb9a99",
    "#cab2d6",
    "#8dd3c7",
    "#80b1d3",
]
#: A service point whose service is not offered in French: white fill, dark outline.
NOT_FRENCH_FILL = "#ffffff"
#: Reported-needs circles.
NEEDS_STROKE = "#7a0177"
NEEDS_FILL = "#f768a1"


def sequential(k: int, good_high: bool = False) -> list[str]:
    """``k`` ramp colours (1 to 5) from the lightest (smallest gap) to the darkest.

    Parameters
    ----------
    k
        Number of classes.
    good_high
        For indicators where a larger value means a smaller gap (accessibility, services
        serving), the ramp is reversed so that dark always means "larger gap".
    """
    if not 1 <= k <= len(SEQUENTIAL):
        raise ValueError(f"k must be between 1 and {len(SEQUENTIAL)}")
    # Spread the steps over the whole ramp so three classes are light, middle, dark.
    picks = [round(i * (len(SEQUENTIAL) - 1) / (k - 1)) for i in range(k)] if k > 1 else [2]
    colours = [SEQUENTIAL[i] for i in picks]
    return colours[::-1] if good_high else colours


def hex_to_rgb1(colour: str) -> tuple[float, float, float]:
    """``"#rrggbb"`` as sRGB components in [0, 1] (for colour-difference checks)."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(colour)
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


__all__ = [
    "AREA_BORDER",
    "CATEGORY_COLOURS",
    "COUNTY_BORDER",
    "GAP_CLASS_COLOURS",
    "HATCH_COLOUR",
    "MIN_DELTA_E",
    "NEEDS_FILL",
    "NEEDS_STROKE",
    "NEUTRAL",
    "NOT_FRENCH_FILL",
    "SEQUENTIAL",
    "hex_to_rgb1",
    "sequential",
]
