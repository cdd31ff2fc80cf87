"""The member's path from a workbook to a stored version: read, check, store.

Checking happens completely before the store is touched, so a workbook with any problem
changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from cartography.errors import UserError
from cartography.geocoding import Gazetteer
from cartography.io.store import Store
from cartography.io.template import fill_template, read_template, write_template
from cartography.model import Submission, SubmissionContent
from cartography.paths import project_root
from cartography.rules import demo_author
from cartography.validation import Problem, validate_workbook


@dataclass(frozen=True)
class CheckResult:
    content: SubmissionContent | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.content is not None and not self.problems


def check_workbook(source: Path | bytes, gazetteer: Gazetteer) -> CheckResult:
    """Read and validate a filled template; never raises on a member's mistake."""
    raw = read_template(source)
    if raw.problems and not raw.rows and not raw.organisation:
        return CheckResult(None, raw.problems)
    content, problems = validate_workbook(raw, gazetteer)
    return CheckResult(content, problems)


class InvalidWorkbook(UserError):
    """A workbook that failed validation; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("validation.summary_errors", count=len(problems))


def submit_workbook(
    store: Store, source: Path | bytes, cycle: str, author: str, gazetteer: Gazetteer, source_name: str = ""
) -> Submission:
    """Validate then store as a new version; raise :class:`InvalidWorkbook` and store nothing otherwise."""
    result = check_workbook(source, gazetteer)
    if not result.ok:
        raise InvalidWorkbook(result.problems)
    assert result.content is not None
    name = source_name or (source.name if isinstance(source, Path) else "")
    return store.submit(result.content, cycle, author, name)


# -- what a version changes ----------------------------------------------------------------

#: The sections of a submission and how a row is recognised from one version to the next:
#: sites and services by the member's own code; client counts by where, who and which
#: category; needs by category and area (a repeated key is told apart by its order).
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "sites": ("site_code",),
    "services": ("service_code",),
    "clients": ("csduid", "profile", "category"),
    "needs": ("category", "area"),
}


@dataclass(frozen=True)
class SectionChanges:
    """One section of a version compared with another: row count and keys added, removed, changed."""

    rows: int
    added: tuple[tuple[object, ...], ...]
    removed: tuple[tuple[object, ...], ...]
    changed: tuple[tuple[object, ...], ...]


def _keyed(rows: tuple[object, ...], key: tuple[str, ...]) -> dict[tuple[object, ...], dict[str, object]]:
    out: dict[tuple[object, ...], dict[str, object]] = {}
    for row in rows:
        fields = row.model_dump(mode="json")  # type: ignore[attr-defined]
        base = tuple(fields[k] for k in key)
        seen = sum(1 for existing in out if existing[: len(base)] == base)
        out[base + ((seen,) if seen else ())] = fields
    return out


def version_changes(new: SubmissionContent, old: SubmissionContent | None) -> dict[str, SectionChanges]:
    """What ``new`` adds, removes and changes compared with ``old``, section by section.

    The coordinator reads it before validating a version: a version that silently lost
    half its sites should be noticed before it replaces the accepted one. With no ``old``
    (nothing validated yet) every row counts as added.
    """
    out = {}
    for section, key in SECTION_KEYS.items():
        after = _keyed(getattr(new, section), key)
        before = _keyed(getattr(old, section), key) if old is not None else {}
        out[section] = SectionChanges(
            rows=len(after),
            added=tuple(k for k in after if k not in before),
            removed=tuple(k for k in before if k not in after),
            changed=tuple(k for k in after if k in before and after[k] != before[k]),
        )
    return out


# -- demonstration data --------------------------------------------------------------------

DEMO_SOURCE = Path("data") / "demo" / "demo.toml"


def demo_answers(source: Path | None = None) -> dict[str, object]:
    """The readable demo source file (``data/demo/demo.toml``)."""
    path = source or project_root() / DEMO_SOURCE
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _demo_accounts(answers: dict[str, object]) -> list[tuple[str, str, str, str | None]]:
    """Demo accounts (documented in README; for the demo data only): username, password, role, org."""
    accounts = [
        (str(a["username"]), str(a["password"]), str(a["role"]), a.get("org_id"))
        for a in answers.get("account", [])  # type: ignore[union-attr]
    ]
    accounts += [
        (str(o["org_id"]), f"demo-{o['org_id']}", "member", str(o["org_id"]))
        for o in answers["organisation"]  # type: ignore[union-attr]
    ]
    return accounts


def claim_demo_store(store: Store, answers: dict[str, object]) -> None:
    """Make ``store`` the demonstration store, or refuse (``guard.demo.refused``) if it may hold real data.

    Demo accounts have published passwords: they may exist only in a store that holds
    nothing but the demonstration (an empty store becomes one; a store flagged as demo stays
    one as long as everything in it comes from the demo).
    """
    store.claim_for_demo(
        str(answers["coordinator"]),
        demo_orgs={str(o["org_id"]) for o in answers["organisation"]},  # type: ignore[union-attr]
        demo_users={username for username, _, _, _ in _demo_accounts(answers)},
    )


def demo_cycles(answers: dict[str, object]) -> list[tuple[str, list[dict[str, object]]]]:
    """Every demo cycle, oldest first, with each organisation's answers for it.

    The first cycle's answers are ``organisation``; each ``[[next_cycle]]`` lists only what
    changed (``add_sites``, ``add_services``, ``close_services``, ``update_services``, and
    ``needs`` / ``clients`` in full), applied to the cycle before: exactly what a member does
    with a template pre-filled from its last validated version.
    """
    current = [dict(org) for org in answers["organisation"]]  # type: ignore[union-attr]
    out = [(str(answers["cycle"]), current)]
    for step in answers.get("next_cycle", []):  # type: ignore[union-attr]
        changes = {str(c["org_id"]): c for c in step.get("change", [])}
        current = [_changed_answers(org, changes.get(str(org["org_id"]))) for org in current]
        out.append((str(step["cycle"]), current))
    return out


def _changed_answers(org: dict[str, object], change: dict[str, object] | None) -> dict[str, object]:
    """A copy of one organisation's answers with a demo cycle's ``change`` applied."""
    if change is None:
        return dict(org)
    out = dict(org)
    closed = set(change.get("close_services", []))  # type: ignore[arg-type]
    updates = {str(u["service_code"]): u for u in change.get("update_services", [])}  # type: ignore[union-attr]
    services = [
        {**service, **updates.get(str(service["service_code"]), {})}
        for service in org.get("services", [])  # type: ignore[union-attr]
        if service["service_code"] not in closed
    ]
    out["services"] = services + list(change.get("add_services", []))  # type: ignore[arg-type]
    out["sites"] = list(org.get("sites", [])) + list(change.get("add_sites", []))  # type: ignore[arg-type]
    for key in ("needs", "clients"):
        if key in change:
            out[key] = list(change[key])  # type: ignore[arg-type]
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
