"""Compile a cycle of the store for publication, and compare two published cycles.

The store gives the cycle's validated versions, its members and its rounding secret; the
pure :func:`cartography.compilation.compile_submissions` does the rest. What comes back
holds only published (protected) data and may be shared by every user of the app.
"""

from __future__ import annotations

import pandas as pd

from cartography.comparison import LEVELS, Comparison
from cartography.compilation import POP_2021, Compiled, compile_submissions
from cartography.cycle_comparison import compare_compiled
from cartography.errors import UserError
from cartography.gaps import GapParameters
from cartography.io.geo_source import Geography
from cartography.io.store import Store
from cartography.numbers import as_int
from cartography.services.workspace import require_cycle


def compile_cycle(
    store: Store,
    geo: Geography,
    cycle: str,
    params: GapParameters | None = None,
    demand: pd.Series | pd.DataFrame | None = None,
    demand_label: str = POP_2021,
) -> Compiled:
    """Compile the validated versions of ``cycle``; say which members are missing.

    Refuses an unknown cycle (``store.error.no_cycle``) and a cycle with nothing validated
    (``compile.error.nothing_validated``). ``demand`` and ``demand_label`` are as in
    :func:`~cartography.compilation.compile_submissions`.
    """
    require_cycle(store, cycle)
    return compile_submissions(
        store.validated(cycle),
        store.organisations(),
        geo,
        cycle,
        store.rounding_salt(),  # from the store's secret: never put into the outputs
        params,
        demand=demand,
        demand_label=demand_label,
    )


def previous_cycle(store: Store, cycle: str) -> str | None:
    """The latest cycle before ``cycle`` (in code order) with validated submissions, if any."""
    earlier = [c.code for c in store.cycles() if c.code < cycle]
    for code in reversed(earlier):
        if store.validated(code):
            return code
    return None


def compare_cycles(
    store: Store,
    geo: Geography,
    from_cycle: str,
    to_cycle: str,
    level: str | None = None,
    demand: pd.Series | pd.DataFrame | None = None,
    demand_label: str = POP_2021,
) -> Comparison:
    """Compile ``from_cycle`` and ``to_cycle`` and compare them (``level`` alone, or every level)."""
    if from_cycle == to_cycle:
        raise UserError("compare.error.same_cycle", cycle=from_cycle)
    if level is not None and level not in LEVELS:
        raise UserError("compare.error.level", level=level, levels=", ".join(LEVELS))
    before = compile_cycle(store, geo, from_cycle, demand=demand, demand_label=demand_label)
    after = compile_cycle(store, geo, to_cycle, demand=demand, demand_label=demand_label)
    return compare_compiled(before, after, geo, (level,) if level else LEVELS)


def service_counts(comparison: Comparison) -> dict[str, int]:
    """Services ``added``, ``closed`` and ``changed`` between the two cycles (0 when not counted).

    The counts travel in the comparison's metadata with everything else it says; the
    command line and the page both print them, so they are read (and typed) here once.
    """
    counts = comparison.metadata.get("counts")
    found = counts if isinstance(counts, dict) else {}
    return {key: as_int(found.get(key, 0)) for key in ("added", "closed", "changed")}


__all__ = ["compare_cycles", "compile_cycle", "previous_cycle", "service_counts"]
