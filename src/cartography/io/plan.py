"""Write a site recommendation (:mod:`cartography.site_plan`) as ``plan.gpkg``, or as bytes for a download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyogrio

from cartography.io.atomic import written_aside
from cartography.io.metadata import metadata_table
from cartography.site_plan import LAYERS, Plan


def write_plan(plan: Plan, target: Path) -> Path:
    """Write the plan's layers and metadata table as one GeoPackage (written aside, then renamed)."""
    target = Path(target)
    with written_aside(target) as partial:
        for name in LAYERS:
            # An empty layer still says it holds points (QGIS shows it as a point layer).
            pyogrio.write_dataframe(plan.layers[name], partial, layer=name, driver="GPKG", geometry_type="Point")
        pyogrio.write_dataframe(metadata_table(plan.metadata), partial, layer="metadata", driver="GPKG")
    return target


def plan_bytes(plan: Plan) -> tuple[bytes, str]:
    """The plan's GeoPackage as bytes and a file name, for a download button."""
    name = f"plan-{plan.cycle}-{plan.category}-{plan.solution.requested}.gpkg"
    with tempfile.TemporaryDirectory(prefix="carto-plan-") as tmp:
        path = write_plan(plan, Path(tmp) / name)
        return path.read_bytes(), name


__all__ = ["plan_bytes", "write_plan"]
