"""The member's path from answers to a validated version: check, submit, validate, choose.

Each workflow is written once here and called by both the command line and the app.
Checking happens completely before the store is touched, so answers with any problem
change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from cartography.answers import Answers, answers_from_form
from cartography.errors import UserError
from cartography.io.store import Store
from cartography.io.template import read_answers
from cartography.model import Submission, SubmissionContent
from cartography.services.workspace import require_cycle
from cartography.validation import Problem, validate_records

if TYPE_CHECKING:  # the gazetteer's module loads geopandas: store-only commands need not
    from cartography.geocoding import Gazetteer


@dataclass(frozen=True)
class CheckResult:
    content: SubmissionContent | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.content is not None and not self.problems


def check_workbook(source: Path | bytes, gazetteer: Gazetteer) -> CheckResult:
    """Read and validate a filled template; never raises on a member's mistake."""
    return check_answers(read_answers(source), gazetteer)


def check_answers(answers: Answers | Mapping[str, object], gazetteer: Gazetteer) -> CheckResult:
    """Validate a member's answers; never raises on a member's mistake.

    ``answers`` are records (a workbook's, from :func:`~cartography.io.template.read_answers`),
    or the online form's answers as it holds them (organisation fields by key, each
    section's table rows in order), checked as records located by table, row and field
    (:func:`~cartography.answers.answers_from_form`): no workbook is written to check them.
    """
    records = answers if isinstance(answers, Answers) else answers_from_form(answers)
    if records.problems and records.empty:  # a file refused whole: nothing else to say
        return CheckResult(None, list(records.problems))
    content, problems = validate_records(records, gazetteer)
    return CheckResult(content, problems)


class InvalidWorkbook(UserError):
    """Answers (a workbook, or the online form's) that failed validation; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("validation.summary_errors", count=len(problems))


def submit_workbook(
    store: Store, source: Path | bytes, cycle: str, author: str, gazetteer: Gazetteer, source_name: str = ""
) -> Submission:
    """Validate then store as a new version; raise :class:`InvalidWorkbook` and store nothing otherwise."""
    name = source_name or (source.name if isinstance(source, Path) else "")
    return submit_answers(store, read_answers(source), cycle, author, gazetteer, name)


def submit_answers(
    store: Store,
    answers: Answers | Mapping[str, object],
    cycle: str,
    author: str,
    gazetteer: Gazetteer,
    source_name: str = "formulaire",
) -> Submission:
    """Validate answers (see :func:`check_answers`) then store them as a new version; raise
    :class:`InvalidWorkbook` and store nothing otherwise."""
    result = check_answers(answers, gazetteer)
    if not result.ok or result.content is None:
        raise InvalidWorkbook(result.problems)
    return store.submit(result.content, cycle, author, source_name)


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


def _keyed(rows: Sequence[BaseModel], key: tuple[str, ...]) -> dict[tuple[object, ...], dict[str, object]]:
    out: dict[tuple[object, ...], dict[str, object]] = {}
    for row in rows:
        fields = row.model_dump(mode="json")
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


# -- the coordinator's and the member's choices ---------------------------------------------


def validate_version(store: Store, org_id: str, cycle: str, version: int, actor: str) -> Submission:
    """Accept one version as the member's answers for ``cycle`` (the one compiled).

    A version validated before goes back to submitted; a replaced version is refused
    (``store.error.superseded``) so the coordinator never accepts answers the member
    has already corrected.
    """
    return store.validate(org_id, cycle, version, actor)


def member_version(store: Store, cycle: str, org_id: str) -> Submission:
    """The version a member's own deck of ``cycle`` shows: its newest version of that cycle.

    Its own work, validated or not (the member sees exactly what it sent); the one rule
    both the command line and the app's Rapports page follow. Raises
    ``report.error.no_submission`` when the member has sent nothing for the cycle.
    """
    mine = store.submissions(cycle, org_id)
    if not mine:
        raise UserError("report.error.no_submission", org=org_id, cycle=cycle)
    return mine[-1]


def participation(store: Store, cycle: str) -> list[dict[str, object]]:
    """Who has sent what for ``cycle``: per member, versions sent and the validated one.

    Refuses a cycle that was never opened (``store.error.no_cycle``) rather than listing
    every member as "not submitted" for a cycle nobody could answer.
    """
    require_cycle(store, cycle)
    return store.status(cycle)


def template_start(store: Store, org_id: str, cycle: str) -> Submission | None:
    """The version a member's template for ``cycle`` is pre-filled from (``None``: blank).

    Its newest version in ``cycle`` when it has one (it goes on with its own work), else its
    last validated version of ``cycle`` or an earlier one (a new cycle starts from what the
    coordinator accepted last time).
    """
    if not cycle:  # no cycle named: the last validated answers, whatever the cycle
        return store.latest_validated(org_id)
    return store.prefill_for(org_id, cycle)


__all__ = [
    "SECTION_KEYS",
    "CheckResult",
    "InvalidWorkbook",
    "SectionChanges",
    "check_answers",
    "check_workbook",
    "member_version",
    "participation",
    "submit_answers",
    "submit_workbook",
    "template_start",
    "validate_version",
    "version_changes",
]
