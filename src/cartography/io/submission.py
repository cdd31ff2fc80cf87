"""The member's path from a workbook to a stored version: read, check, store.

Checking happens completely before the store is touched, so a workbook with any problem
changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from cartography.geocoding import Gazetteer
from cartography.i18n import UserError
from cartography.io.store import Store
from cartography.io.template import fill_template, read_template, write_template
from cartography.model import Submission, SubmissionContent
from cartography.paths import project_root
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


def load_demo(store: Store, gazetteer: Gazetteer, workdir: Path, source: Path | None = None) -> list[Submission]:
    """Fill one template per demo organisation, submit it through validation and validate it.

    Goes through exactly the member's path (workbook -> validation -> store) so the demo
    exercises what members use. Refuses, before writing anything, a store that is not (or
    cannot become) a demonstration store.
    """
    answers = demo_answers(source)
    claim_demo_store(store, answers)
    cycle = str(answers["cycle"])
    coordinator = str(answers["coordinator"])
    if cycle not in {c.code for c in store.cycles()}:
        store.open_cycle(cycle, coordinator)
    workdir.mkdir(parents=True, exist_ok=True)
    stored = []
    for org in answers["organisation"]:  # type: ignore[union-attr]
        path = workdir / f"gabarit-{org['org_id']}.xlsx"
        write_template(path, gazetteer.municipality_names, cycle=cycle)
        fill_template(path, org)
        submission = submit_workbook(store, path, cycle, f"demo:{org['org_id']}", gazetteer)
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
