"""The files users take away, and the files they bring: one entry for the app and the CLI.

Templates (blank or pre-filled by the one rule of :func:`template_start`), compiled layers
in every format with filters, the HSDS package, changes between cycles, plans, and census
characteristics. The writers themselves live in ``cartography.io``; this module decides
what goes into them.
"""

from __future__ import annotations

import io
from pathlib import Path

from cartography.cycle_comparison import compare_compiled
from cartography.errors import UserError
from cartography.io.census import (
    CHARACTERISTICS,
    TerminalProgress,
    demand_file,
    import_census_profile,
    level_label,
    load_demand,
)
from cartography.io.compare import changes_bytes, write_changes
from cartography.io.exports import FORMATS, export_bytes, export_name, make_filters, output_format, write_filtered
from cartography.io.geo_source import Geography
from cartography.io.hsds import write_hsds
from cartography.io.plan import plan_bytes, write_plan
from cartography.io.store import Store
from cartography.io.template import answers_to_workbook, content_to_answers, write_template
from cartography.services.compile import compile_cycle
from cartography.services.submissions import template_start
from cartography.services.workspace import require_cycle
from cartography.site_plan import (
    MAX_NEW_SITES,
    Plan,
    compiled_demand,
    compiled_radius_km,
    plan_cycle,
    plan_summary,
    radius_text,
    recommended_lines,
    site_label,
)


def template_bytes(store: Store | None, geo: Geography, cycle: str, org_id: str | None = None) -> bytes:
    """The template for ``cycle`` as workbook bytes: blank, or pre-filled for ``org_id``.

    Pre-filled from :func:`~cartography.services.submissions.template_start` (the member's
    newest version of the cycle, else its last validated one); blank when there is none
    (a blank template needs no store).
    """
    gaz = geo.gazetteer()
    buffer = io.BytesIO()
    start = template_start(store, org_id, cycle) if org_id and store is not None else None
    write_template(
        buffer,
        gaz.municipality_names,
        cycle=cycle,
        content=start.content if start else None,
        prefilled_from=(start.cycle, start.version) if start else None,
        communities=[label for label, _ in gaz.community_choices()],
    )
    return buffer.getvalue()


def write_member_template(store: Store | None, geo: Geography, target: Path, cycle: str, org_id: str | None) -> Path:
    """Write the template for ``cycle`` to ``target``; pre-filled for ``org_id`` or refused.

    A pre-fill asked for a member with nothing to start from is an error
    (``cli.error.no_validated``), not a blank template the user would take for theirs. A
    blank template (no ``org_id``) needs no ``store``.
    """
    if org_id and (store is None or template_start(store, org_id, cycle) is None):
        raise UserError("cli.error.no_validated", org=org_id)
    data = template_bytes(store, geo, cycle, org_id)
    Path(target).write_bytes(data)
    return Path(target)


def export_hsds(
    store: Store, geo: Geography, cycle: str, target: Path, *, include_contacts: bool = True
) -> dict[str, int]:
    """Export ``cycle`` as an HSDS 3.0 package (directory data, protected compiled extras).

    Returns the number of organisations, locations and services written, for the message.
    """
    require_cycle(store, cycle)
    subs = store.validated(cycle)
    if not subs:
        raise UserError("hsds.error.nothing_validated", cycle=cycle)
    compiled = compile_cycle(store, geo, cycle)
    names = dict(zip(geo.municipalities["CSDUID"].astype(str), geo.municipalities["CSDNAME"].astype(str), strict=True))
    write_hsds(subs, names, target, cycle, compiled=compiled, include_contacts=include_contacts, demo=compiled.demo)
    return {
        "orgs": len(subs),
        "locations": sum(len(s.content.sites) for s in subs),
        "services": sum(len(s.content.services) for s in subs),
    }


def hsds_zip(store: Store, geo: Geography, cycle: str, *, include_contacts: bool = True) -> bytes:
    """The HSDS 3.0 package of ``cycle`` as one ``.zip``, in memory, for the app's download.

    Written by :func:`export_hsds` itself (the same checks, the same published data as
    ``export hsds``) into a temporary folder that is removed at once: nothing stays on disk.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="carto-hsds-zip-") as folder:
        target = Path(folder) / f"hsds-{cycle}.zip"
        export_hsds(store, geo, cycle, target, include_contacts=include_contacts)
        return target.read_bytes()


__all__ = [
    "CHARACTERISTICS",
    "FORMATS",
    "MAX_NEW_SITES",
    "Plan",
    "TerminalProgress",
    "answers_to_workbook",
    "changes_bytes",
    "compare_compiled",
    "compiled_demand",
    "compiled_radius_km",
    "content_to_answers",
    "demand_file",
    "export_bytes",
    "export_hsds",
    "export_name",
    "hsds_zip",
    "import_census_profile",
    "level_label",
    "load_demand",
    "make_filters",
    "output_format",
    "plan_bytes",
    "plan_cycle",
    "plan_summary",
    "radius_text",
    "recommended_lines",
    "site_label",
    "template_bytes",
    "write_changes",
    "write_filtered",
    "write_member_template",
    "write_plan",
]
