"""The demonstration: invented members, two cycles, and accounts with published passwords.

The demo goes through exactly the member's path (workbook -> validation -> store ->
validation by the coordinator), so it exercises what members use. Demo accounts may only
ever exist in a store that holds nothing but the demonstration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from cartography.errors import UserError
from cartography.geocoding import Gazetteer
from cartography.io.store import Store
from cartography.io.template import fill_template, write_template
from cartography.model import Submission
from cartography.paths import project_root
from cartography.rules import demo_author
from cartography.services.submissions import submit_workbook

DEMO_SOURCE = Path("data") / "demo" / "demo.toml"


def demo_answers(source: Path | None = None) -> dict[str, object]:
    """The readable demo source file (``data/demo/demo.toml``)."""
    path = source or project_root() / DEMO_SOURCE
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _tables(parent: dict[str, object], key: str) -> list[dict[str, object]]:
    """The array of tables under ``key`` (``[[key]]`` in the TOML file), empty when absent.

    TOML gives untyped values; this checks the shape once so the rest reads typed rows.
    """
    value = parent.get(key, [])
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise TypeError(f"demo source: {key} must be an array of tables")
    return [dict(row) for row in value]


def _strings(parent: dict[str, object], key: str) -> list[str]:
    """The list of strings under ``key``, empty when absent (see :func:`_tables`)."""
    value = parent.get(key, [])
    if not isinstance(value, list):
        raise TypeError(f"demo source: {key} must be a list")
    return [str(item) for item in value]


def _demo_accounts(answers: dict[str, object]) -> list[tuple[str, str, str, str | None]]:
    """Demo accounts (documented in README; for the demo data only): username, password, role, org."""
    accounts = [
        (str(a["username"]), str(a["password"]), str(a["role"]), _optional_text(a.get("org_id")))
        for a in _tables(answers, "account")
    ]
    accounts += [
        (str(o["org_id"]), f"demo-{o['org_id']}", "member", str(o["org_id"])) for o in _tables(answers, "organisation")
    ]
    return accounts


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def claim_demo_store(store: Store, answers: dict[str, object]) -> None:
    """Make ``store`` the demonstration store, or refuse (``guard.demo.refused``) if it may hold real data.

    Demo accounts have published passwords: they may exist only in a store that holds
    nothing but the demonstration (an empty store becomes one; a store flagged as demo stays
    one as long as everything in it comes from the demo).
    """
    store.claim_for_demo(
        str(answers["coordinator"]),
        demo_orgs={str(o["org_id"]) for o in _tables(answers, "organisation")},
        demo_users={username for username, _, _, _ in _demo_accounts(answers)},
    )


def demo_cycles(answers: dict[str, object]) -> list[tuple[str, list[dict[str, object]]]]:
    """Every demo cycle, oldest first, with each organisation's answers for it.

    The first cycle's answers are ``organisation``; each ``[[next_cycle]]`` lists only what
    changed (``add_sites``, ``add_services``, ``close_services``, ``update_services``, and
    ``needs`` / ``clients`` in full), applied to the cycle before: exactly what a member does
    with a template pre-filled from its last validated version.
    """
    current = _tables(answers, "organisation")
    out = [(str(answers["cycle"]), current)]
    for step in _tables(answers, "next_cycle"):
        changes = {str(c["org_id"]): c for c in _tables(step, "change")}
        current = [_changed_answers(org, changes.get(str(org["org_id"]))) for org in current]
        out.append((str(step["cycle"]), current))
    return out


def _changed_answers(org: dict[str, object], change: dict[str, object] | None) -> dict[str, object]:
    """A copy of one organisation's answers with a demo cycle's ``change`` applied."""
    if change is None:
        return dict(org)
    out = dict(org)
    closed = set(_strings(change, "close_services"))
    updates = {str(u["service_code"]): u for u in _tables(change, "update_services")}
    services = [
        {**service, **updates.get(str(service["service_code"]), {})}
        for service in _tables(org, "services")
        if service["service_code"] not in closed
    ]
    out["services"] = services + _tables(change, "add_services")
    out["sites"] = _tables(org, "sites") + _tables(change, "add_sites")
    for key in ("needs", "clients"):
        if key in change:
            out[key] = _tables(change, key)
    return out


def load_demo(
    store: Store, gazetteer: Gazetteer, workdir: Path, source: Path | None = None, only_missing: bool = False
) -> list[Submission]:
    """Fill one template per demo organisation and cycle, submit it through validation and validate it.

    Goes through exactly the member's path (workbook -> validation -> store) so the demo
    exercises what members use. Every demo cycle is loaded, oldest first (the newest is the
    one the app opens on); with ``only_missing``, a cycle that already has validated
    submissions is left as it is. Refuses, before writing anything, a store that is not (or
    cannot become) a demonstration store.
    """
    answers = demo_answers(source)
    claim_demo_store(store, answers)
    coordinator = str(answers["coordinator"])
    workdir.mkdir(parents=True, exist_ok=True)
    stored = []
    for cycle, organisations in demo_cycles(answers):
        if cycle not in {c.code for c in store.cycles()}:
            store.open_cycle(cycle, coordinator)
        elif only_missing and store.validated(cycle):
            continue
        for org in organisations:
            path = workdir / f"gabarit-{org['org_id']}-{cycle}.xlsx"
            write_template(path, gazetteer.municipality_names, cycle=cycle)
            fill_template(path, org)
            try:
                submission = submit_workbook(store, path, cycle, demo_author(str(org["org_id"])), gazetteer)
            except UserError as error:  # loaded before: the demo is already there, keep it
                if error.key != "adminform.error.unchanged":
                    raise
                submission = store.submissions(cycle, str(org["org_id"]))[-1]
                if submission.status == "validated":
                    stored.append(submission)
                    continue
            stored.append(store.validate(submission.org_id, cycle, submission.version, coordinator))
    create_demo_accounts(store, answers)
    return stored


def create_demo_accounts(store: Store, answers: dict[str, object]) -> list[tuple[str, str, str]]:
    """Demo accounts (documented in README; for the demo data only): username, password, role.

    Only into a demonstration store (checked again here, whoever calls).
    """
    claim_demo_store(store, answers)
    accounts = _demo_accounts(answers)
    existing = {u["username"] for u in store.users()}
    for username, password, role, org_id in accounts:
        if username not in existing:
            store.create_user(username, password, role, str(answers["coordinator"]), org_id=org_id)
    return [(u, p, r) for u, p, r, _ in accounts]


@dataclass(frozen=True)
class DemoResult:
    """What ``ensure_demo`` did: the cycles loaded now (empty when all were there already)."""

    cycles: tuple[str, ...]
    loaded: tuple[str, ...]
    organisations: int


def ensure_demo(store: Store, gazetteer: Gazetteer, workdir: Path, *, if_empty: bool = False) -> DemoResult:
    """Load the demonstration into ``store``; with ``if_empty``, only what is missing.

    A store that holds real data is refused before anything is written (demo accounts
    have published passwords). ``if_empty`` leaves a complete demo store as it is and
    completes one loaded before a cycle was added, without new versions.
    """
    answers = demo_answers()
    cycles = tuple(code for code, _ in demo_cycles(answers))
    if if_empty and store.is_demo() and all(store.validated(c) for c in cycles):
        return DemoResult(cycles, (), 0)
    claim_demo_store(store, answers)
    stored = load_demo(store, gazetteer, workdir, only_missing=if_empty)
    loaded = tuple(sorted({s.cycle for s in stored}))
    return DemoResult(cycles, loaded, len({s.org_id for s in stored}))


__all__ = [
    "DemoResult",
    "claim_demo_store",
    "create_demo_accounts",
    "demo_answers",
    "demo_cycles",
    "ensure_demo",
    "load_demo",
]
