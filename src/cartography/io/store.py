"""The submission store: SQLAlchemy 2, migrated by Alembic, SQLite or PostgreSQL.

Rules (DESIGN.md section 4.2): a submission is stored whole or not at all; a new upload is
a new version and nothing is ever overwritten or deleted; the coordinator validates one
version per organisation and cycle; every change is written to the audit log in the same
transaction as the change itself.

Concurrency: every read is a plain (deferred) transaction, which on SQLite in WAL mode never
blocks a writer nor waits for one; every write starts with ``BEGIN IMMEDIATE`` so writers
queue for the one write lock instead of failing half-way. A writer waits a bounded time for
the lock, and a transaction that meets a busy store (or a PostgreSQL serialisation failure)
is retried with backoff; only when the store stays busy past :attr:`Store.busy_seconds` does
the user get a clear message (``guard.error.busy``), never a crash.

Identity: each store knows whether it is a demonstration store (``store_meta.kind``) and
keeps the random secret that seeds the rounding of published counts; the secret never leaves
the store, only a salt derived from it does.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import logging
import os
import random
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    cast,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker
from sqlalchemy.sql import ColumnElement, FromClause

from cartography.errors import UserError
from cartography.model import (
    ClientCount,
    Cycle,
    Need,
    Organisation,
    Service,
    Site,
    Submission,
    SubmissionContent,
)
from cartography.paths import data_dir, demo_store_path
from cartography.rules import is_demo_author

if TYPE_CHECKING:
    import sqlite3

    from argon2 import PasswordHasher

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
#: Account roles: the coordinator sees and does everything; a member sees and edits its own
#: organisation's submissions; a planner (the Franco-Info table, LIP staff) sees compiled,
#: privacy-protected results.
ROLES = ("coordinator", "member", "planner")


#: The committee's time zone: times are stored in UTC and shown in it.
LOCAL_TIMEZONE = "America/Toronto"


def _now() -> datetime:
    return datetime.now(UTC)


def local_time(value: datetime | None, empty: str = "") -> str:
    """``value`` (stored in UTC) as the committee reads it: Toronto time, ``2026-11-23 11:04``.

    Daylight saving is applied by ``zoneinfo``; ``None`` gives ``empty``.
    """
    from zoneinfo import ZoneInfo

    if value is None:
        return empty
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(LOCAL_TIMEZONE)).strftime("%Y-%m-%d %H:%M")


class Base(DeclarativeBase):
    pass


class OrganisationRow(Base):
    __tablename__ = "organisations"
    org_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class CycleRow(Base):
    __tablename__ = "cycles"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    opened_by: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class SubmissionRow(Base):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("org_id", "cycle", "version", name="uq_submission_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.org_id"), index=True)
    cycle: Mapped[str] = mapped_column(ForeignKey("cycles.code"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    validated_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    source_name: Mapped[str] = mapped_column(String(255), default="")
    organisation: Mapped[dict] = mapped_column(JSON)
    sites: Mapped[list[SiteRow]] = relationship(order_by="SiteRow.id", lazy="selectin")
    services: Mapped[list[ServiceRow]] = relationship(order_by="ServiceRow.id", lazy="selectin")
    clients: Mapped[list[ClientRow]] = relationship(order_by="ClientRow.id", lazy="selectin")
    needs: Mapped[list[NeedRow]] = relationship(order_by="NeedRow.id", lazy="selectin")


class SiteRow(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    site_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(7), default="")
    csduid: Mapped[str] = mapped_column(String(7))
    region: Mapped[str] = mapped_column(String(20))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(20))


class ServiceRow(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    site_code: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(30))
    mode: Mapped[str] = mapped_column(String(20))
    areas_served: Mapped[list] = mapped_column(JSON)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # HSDS service status (0004)


class ClientRow(Base):
    __tablename__ = "client_counts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    csduid: Mapped[str] = mapped_column(String(7))
    profile: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40), default="")


class NeedRow(Base):
    __tablename__ = "needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(20))
    clients: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    detail: Mapped[dict] = mapped_column(JSON)


class UserRow(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.org_id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class MetaRow(Base):
    """Facts about the store itself (its kind, its rounding secret); see migration 0002."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ThrottleRow(Base):
    """Failed sign-ins of one user name (known or not) within the current window."""

    __tablename__ = "sign_in_throttle"
    name_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    shown_name: Mapped[str] = mapped_column(String(80))


_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)
_log = logging.getLogger(__name__)

#: How long one SQLite statement waits for the write lock before reporting "busy".
BUSY_TIMEOUT_SECONDS = 5.0
#: How long a transaction (or opening the store) keeps retrying a busy store in total.
BUSY_RETRY_SECONDS = 45.0
#: Sign-in throttling: this many failures within the window lock the name for LOCK_FOR.
LOCK_AFTER = 5
LOCK_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
#: Audit actions that change no data (excluded from :meth:`Store.revision`).
_SIGN_IN_ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "sign_in_locked",
    "sign_in_disabled",
    "lock_account",
    "unlock_account",
)
#: Length of a password drawn by :meth:`Store.reset_password` (URL-safe characters).
RESET_PASSWORD_BYTES = 12
#: Submission statuses: a version waiting for the coordinator is ``submitted``; the one the
#: coordinator accepted is ``validated``; a version replaced by a newer one (or by the
#: validation of a newer one) is ``superseded`` and can no longer be validated.
PENDING = "submitted"
SUPERSEDED = "superseded"
#: PostgreSQL states worth retrying: serialisation failure, deadlock, lock not available,
#: too many connections, server starting up.
_PG_TRANSIENT = {"40001", "40P01", "55P03", "53300", "57P03"}


def default_url() -> str:
    """The store to use: ``CARTO_DATABASE_URL``; else the demo store if ``CARTO_DEMO`` is set;
    else one SQLite file under ``data/store/`` (the real, working store).
    """
    url = os.environ.get("CARTO_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CARTO_DEMO", "").strip().lower() not in ("", "0", "false", "no"):
        return demo_url()
    folder = data_dir() / "store"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'cartographie.sqlite'}"


def demo_url() -> str:
    """The demonstration store: its own SQLite file (``data/demo/store.sqlite``), never the real one."""
    path = demo_store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def loggable(text: object, limit: int = 80) -> str:
    """``text`` made safe for the audit log: no control or format characters, bounded length.

    A user name is typed by anyone at the sign-in box; newlines, escape sequences or
    bidirectional overrides in it could forge or hide lines of the log when it is read.
    Each such character becomes ``?`` so the entry still shows something was there.
    """
    cleaned = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch for ch in str(text)
    )
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below rule
        cursor = dbapi_connection.cursor()
        # The wait comes first so that switching a new file to WAL waits for the lock too.
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Readers take a snapshot and no lock (WAL); writers take the write lock up front so
        # a transaction never has to upgrade its lock half-way (which fails at once in WAL).
        write = connection.get_execution_options().get("carto_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
        _sqlite_pragmas(engine)
        return engine
    connect_args = {"connect_timeout": 10} if "psycopg" in url or url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _transient(error: DBAPIError) -> bool:
    """Whether ``error`` means "busy, try again" rather than a real fault."""
    if error.connection_invalidated:
        return True
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if state:
        return state in _PG_TRANSIENT or state.startswith("08")
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter (so queued writers do not retry in lockstep)."""
    return min(1.0, 0.02 * 2**attempt) * random.uniform(0.5, 1.5)


_MIGRATION_LOCK = threading.Lock()
#: A fixed key for PostgreSQL's advisory lock: two processes opening a new database at once
#: take turns creating the schema instead of both trying.
_PG_MIGRATION_LOCK_KEY = 7_251_001


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision.

    The current revision is read first without any lock, so opening an up-to-date store
    (every time, in every process) never waits for writers. Only an upgrade takes the write
    lock. Alembic's command API keeps module-level state, so two stores opened at once in one
    process (two app sessions) take turns.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with _MIGRATION_LOCK, engine.execution_options(carto_write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK_KEY})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _content_counts(content: SubmissionContent) -> dict[str, int]:
    """How many of each kind of answer a version holds (for its audit entry)."""
    return {
        "sites": len(content.sites),
        "services": len(content.services),
        "clients": len(content.clients),
        "needs": len(content.needs),
    }


def _require_open_cycle(session: Session, cycle: str) -> None:
    """Refuse a submission to a cycle that does not exist or is no longer open."""
    cycle_row = session.get(CycleRow, cycle)
    if cycle_row is None:
        raise UserError("store.error.no_cycle", code=cycle)
    if cycle_row.status != "open":
        raise UserError("store.error.cycle_closed", code=cycle)


@overload
def _as_utc(value: datetime) -> datetime: ...
@overload
def _as_utc(value: datetime | None) -> datetime | None: ...
def _as_utc(value: datetime | None) -> datetime | None:
    """``value`` with UTC attached when the database handed it back naive (SQLite does)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


#: Kinds of answer read generically (:func:`_answers`), with their tables; each table has a
#: column for each field of the domain model, by the same name.
_ANSWER_TABLES: tuple[tuple[str, type[Base], type[BaseModel]], ...] = (
    ("sites", SiteRow, Site),
    ("clients", ClientRow, ClientCount),
    ("needs", NeedRow, Need),
)
#: The kinds of answer in :class:`SubmissionContent`'s order (services are read apart).
_ANSWER_KINDS = ("sites", "services", "clients", "needs")
_ORGANISATION_FIELDS = frozenset(Organisation.model_fields)
_ORGANISATION_REQUIRED = frozenset(name for name, field in Organisation.model_fields.items() if field.is_required())
_object_setattr = object.__setattr__
#: The fields set in every object :func:`_trusted` builds: all of them, as in the objects
#: validation builds when every field is given (the store gives every field). One set per model, shared by its
#: objects as ``model_construct(_fields_set=...)`` shares the set it is given: the models are
#: frozen, so pydantic never adds to it (``model_copy`` copies it first).
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {
    model: set(model.model_fields) for model in (Site, Service, ClientCount, Need, SubmissionContent, Submission)
}


def _trusted(model: type[_M], values: dict[str, Any]) -> _M:
    """A ``model`` holding ``values`` as they are, without validating them again.

    Only for answers read back from the store: they were validated when written, and
    :func:`_versions` hands over exactly what validation gives (tuples, ``str``,
    ``float``, aware datetimes) for every field, so the object equals a validated one. This
    is what :meth:`pydantic.BaseModel.model_construct` does, without its per-field search for
    aliases and defaults (none apply: tests/test_store_read.py checks it), which at province
    scale (40,000 objects) cost about as much as reading the rows.
    """
    built = model.__new__(model)
    _object_setattr(built, "__dict__", values)
    _object_setattr(built, "__pydantic_fields_set__", _ALL_FIELDS[model])
    _object_setattr(built, "__pydantic_extra__", None)
    _object_setattr(built, "__pydantic_private__", None)
    return built


def _areas_decoder() -> Callable[[str], tuple[str, ...]]:
    """Decode ``areas_served`` as stored (JSON text) into the tuple validation gives.

    Members serve few distinct sets of areas, so each distinct text is decoded once and its
    (immutable) tuple shared; ``"[]"`` (no areas given) needs no decoding at all.
    """
    seen: dict[str, tuple[str, ...]] = {"[]": ()}

    def decode(text: str) -> tuple[str, ...]:
        found = seen.get(text)
        if found is None:
            found = seen[text] = tuple(json.loads(text))
        return found

    return decode


def _stored_organisation(text: str) -> Organisation:
    """The organisation's answers (JSON text) as an :class:`Organisation`.

    Answers stored before a field was asked lack it and take its default, as validation
    gives; answers lacking a required field or naming an unknown one are validated, so they
    fail exactly as before.
    """
    values = json.loads(text)
    if not (_ORGANISATION_REQUIRED <= values.keys() <= _ORGANISATION_FIELDS):
        return Organisation(**values)
    return Organisation.model_construct(**values)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many lasting, acyclic objects are built.

    Reading a province's answers allocates some 150,000 objects (rows, dicts, models) that
    all survive and form no reference cycle; the collector would scan the young ones every
    700 allocations and the whole heap now and then, finding nothing, for about a third of
    the reading time. It runs again at the end (only if it was running: a caller that paused
    it keeps it paused; if two threads read at once, it resumes when the first is done).
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _answer_rows(session: Session, table: FromClause, columns: list[Any], chosen: Select[tuple[int]]) -> Sequence[Any]:
    """``columns`` (then the submission) of the ``chosen`` submissions' rows of ``table``, by
    submission in the order written: the order of the ``submission_id`` index, no sort."""
    query = select(*columns, table.c.submission_id).where(table.c.submission_id.in_(chosen))
    return session.execute(query.order_by(table.c.submission_id, table.c.id)).all()


def _answers(
    session: Session, chosen: Select[tuple[int]], mapped: type[Base], model: type[BaseModel]
) -> dict[int, list[BaseModel]]:
    """One kind of answer (sites, client counts, needs) of the ``chosen`` submissions, by
    submission, in the order written: the model's columns, by its field names."""
    table = mapped.__table__
    names = tuple(model.model_fields)
    grouped: dict[int, list[BaseModel]] = {}
    # The submission comes last: zip stops at the last field name and leaves it out.
    for row in _answer_rows(session, table, [table.c[name] for name in names], chosen):
        grouped.setdefault(row[-1], []).append(_trusted(model, dict(zip(names, row, strict=False))))
    return grouped


def _services(session: Session, chosen: Select[tuple[int]]) -> dict[int, list[Service]]:
    """The services of the ``chosen`` submissions, by submission, in the order written.

    The answers most numerous at province scale (25,000), so spelt out field by field:
    ``areas_served`` read as JSON text and decoded once per distinct value
    (:func:`_areas_decoder`), a service stored with no status active (stores from before statuses were asked).
    """
    c = ServiceRow.__table__.c
    columns = [c.service_code, c.name, c.category, c.site_code, c.language, c.mode, cast(c.areas_served, Text)]
    columns += [c.capacity, c.description, c.status]
    decode = _areas_decoder()
    grouped: dict[int, list[Service]] = {}
    for row in _answer_rows(session, ServiceRow.__table__, columns, chosen):
        code, name, category, site, language, mode, areas, capacity, description, status, submission_id = row
        values = {
            "service_code": code,
            "name": name,
            "category": category,
            "site_code": site,
            "language": language,
            "mode": mode,
            "areas_served": decode(areas),
            "capacity": capacity,
            "description": description,
            "status": status or "active",
        }
        grouped.setdefault(submission_id, []).append(_trusted(Service, values))
    return grouped


def _stored_submission(row: Sequence[Any], answers: dict[str, dict[int, list[Any]]]) -> Submission:
    """One stored version from its ``submissions`` row (the columns :func:`_versions`
    selects) and its answers by kind, in the models' field order, times in UTC."""
    submission_id, org_id, cycle, version, status, author, created_at, validated_at, validated_by, source, org = row
    content: dict[str, Any] = {"organisation": _stored_organisation(org)}
    content |= {kind: tuple(answers[kind].get(submission_id, ())) for kind in _ANSWER_KINDS}
    values = {
        "submission_id": submission_id,
        "org_id": org_id,
        "cycle": cycle,
        "version": version,
        "status": status,
        "author": author,
        "created_at": _as_utc(created_at),
        "validated_at": _as_utc(validated_at),
        "validated_by": validated_by,
        "source_name": source,
        "content": _trusted(SubmissionContent, content),
    }
    return _trusted(Submission, values)


def _versions(session: Session, chosen: ColumnElement[bool], *order: ColumnElement[Any]) -> list[Submission]:
    """The stored versions ``chosen`` (a condition on the ``submissions`` table), in ``order``:
    one plain query per table, no ORM object. Every read of versions goes through here.

    A province-scale compile (1,000 submissions, 40,000 answers) spent most of its reading
    time in SQLAlchemy's ORM and JSON processing and in pydantic checking again what was
    checked when written. So only the models' columns are read, JSON columns as text
    (decoded here), and the objects are built without validation (:func:`_trusted`, with
    the collector paused); they equal what validating the same answers gives
    (tests/test_store_read.py).
    """
    head = SubmissionRow.__table__
    ids = select(head.c.id).where(chosen)
    names = ("id", "org_id", "cycle", "version", "status", "author", "created_at", "validated_at", "validated_by")
    query = select(*(head.c[name] for name in names), head.c.source_name, cast(head.c.organisation, Text))
    with _collector_paused():
        answers: dict[str, dict[int, list[Any]]] = {"services": _services(session, ids)}
        answers |= {kind: _answers(session, ids, mapped, model) for kind, mapped, model in _ANSWER_TABLES}
        rows = session.execute(query.where(chosen).order_by(*order)).all()
        return [_stored_submission(row, answers) for row in rows]


def _rounding_secret(session: Session) -> str:
    """The store's secret for random rounding (migration 0002 writes it)."""
    row = session.get(MetaRow, "rounding_secret")
    if row is None:  # only a store its migrations never ran on lacks it
        raise RuntimeError("this store has no rounding secret: its migrations have not run")
    return row.value


_DUMMY_HASH: str | None = None
_DUMMY_LOCK = threading.Lock()


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _dummy_hash() -> str:
    """A hash of a random password made with the same Argon2 parameters as real accounts.

    Checking a password for a user name that does not exist against it costs the same time
    as checking a real account, so the time of a failed sign-in does not tell which names
    exist.
    """
    global _DUMMY_HASH
    with _DUMMY_LOCK:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = _hasher().hash(os.urandom(24).hex())
        return _DUMMY_HASH


def _normalise_username(username: object) -> str:
    return str(username or "").strip().lower()


def _name_key(name: str) -> str:
    """The throttle key of a user name: a digest, so any name typed fits the column."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _checked_actor(actor: str) -> str:
    """``actor`` as stored beside a change (author, validated_by, opened_by: 120 characters).

    Refused with a message rather than cut: a name is an identity, and a longer one would
    fail on PostgreSQL half-way through the change.
    """
    actor = str(actor)
    if not actor or len(actor) > 120 or loggable(actor, 120) != actor:
        raise UserError("guard.error.actor", limit=120)
    return actor


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


@dataclass(frozen=True)
class _SignInAttempt:
    """One sign-in attempt as the write transaction records it: the normalised name, its
    throttle key and printable form, and what the password check (done before) found."""

    name: str
    key: str
    shown: str
    ok: bool
    disabled: bool
    new_hash: str | None


def _sign_in_account(session: Session, name: str) -> tuple[str | None, dict[str, str | None] | None, bool]:
    """The stored hash, the account and whether it is disabled (``None, None, False`` for a
    name that is not an account, or cannot be one)."""
    row = session.get(UserRow, name) if 0 < len(name) <= 80 else None
    if row is None:
        return None, None, False
    account = {"username": row.username, "role": row.role, "org_id": row.org_id}
    return row.password_hash, account, bool(row.disabled)


def _check_password(stored_hash: str | None, password: str, known: bool) -> tuple[bool, str | None]:
    """Whether ``password`` matches (an unknown name is checked against the dummy hash, so it
    takes the same time, and never matches); and, when it matches a hash made with older
    Argon2 parameters, the new hash to store."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    try:
        ok = hasher.verify(stored_hash or _dummy_hash(), password) and known
    except (VerificationError, InvalidHashError):
        ok = False
    new_hash = hasher.hash(password) if ok and stored_hash and hasher.check_needs_rehash(stored_hash) else None
    return ok, new_hash


def _forget_old_throttles(session: Session, key: str, now: datetime) -> None:
    """Forget names whose window and lock are long over (an attacker's guesses pile up)."""
    old = now - LOCK_WINDOW - LOCK_FOR
    session.execute(
        delete(ThrottleRow).where(
            ThrottleRow.window_start < old,
            or_(ThrottleRow.locked_until.is_(None), ThrottleRow.locked_until < now),
            ThrottleRow.name_key != key,
        ),
        execution_options={"synchronize_session": False},
    )


class Store:
    """All reads and writes of submissions, cycles, organisations, users and the audit log."""

    #: Total time a transaction keeps retrying a busy store before telling the user.
    busy_seconds: float = BUSY_RETRY_SECONDS

    def __init__(self, url: str | None = None, *, migrate_schema: bool = True) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(carto_write=True), expire_on_commit=False)
        self._salt: str | None = None
        if migrate_schema:
            self._retry(lambda: migrate(self.engine))

    # -- transactions --------------------------------------------------------------------
    def _retry(self, action: Callable[[], _T], *, on_conflict: bool = False) -> _T:
        """Run ``action``, retrying while the store is busy (and on a version conflict if asked).

        Gives up after :attr:`busy_seconds` with a clear message instead of a traceback.
        """
        deadline = time.monotonic() + self.busy_seconds
        attempt = 0
        while True:
            try:
                return action()
            except IntegrityError:
                if not on_conflict or time.monotonic() > deadline:
                    raise
            except DBAPIError as error:
                if not _transient(error):
                    raise
                if time.monotonic() > deadline:
                    _log.warning("store busy for %.0f s, giving up: %s", self.busy_seconds, error.orig)
                    raise UserError("guard.error.busy", seconds=int(self.busy_seconds)) from None
            time.sleep(_backoff(attempt))
            attempt += 1

    def _read(self, work: Callable[[Session], _T]) -> _T:
        """``work`` in one read transaction (no lock taken on SQLite), retried while busy."""

        def run() -> _T:
            with self._reader() as session, session.begin():
                return work(session)

        return self._retry(run)

    def _write(self, work: Callable[[Session], _T], *, on_conflict: bool = False) -> _T:
        """``work`` in one write transaction: committed whole or rolled back whole, retried while busy."""

        def run() -> _T:
            with self._writer() as session, session.begin():
                return work(session)

        return self._retry(run, on_conflict=on_conflict)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed whole at the end, rolled back whole on any error (no retry)."""
        maker = self._writer if write else self._reader
        with maker() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _audit(session: Session, actor: str, action: str, entity: str, entity_id: str, **detail: object) -> None:
        session.add(
            AuditRow(
                actor=loggable(actor, 120),
                action=action,
                entity=entity,
                entity_id=loggable(entity_id, 80),
                detail={k: loggable(v, 300) if isinstance(v, str) else v for k, v in detail.items()},
            )
        )

    # -- identity: demo or real, rounding secret ----------------------------------------
    def kind(self) -> str:
        """``"demo"`` for a demonstration store, ``"real"`` otherwise."""
        return self._read(lambda s: row.value if (row := s.get(MetaRow, "kind")) else "real")

    def is_demo(self) -> bool:
        """Whether this store is a demonstration store (fictitious data and published accounts)."""
        return self.kind() == "demo"

    def claim_for_demo(self, actor: str, demo_orgs: set[str], demo_users: set[str]) -> None:
        """Make this store the demonstration store, or refuse if it may hold real data.

        A store flagged "demo" is accepted when everything in it belongs to the demo
        (organisations, accounts and version authors); an unflagged store only when it is
        empty. Anything else raises ``guard.demo.refused`` and changes nothing, so demo
        accounts (whose passwords are published) never enter a store with real data.
        """

        def work(session: Session) -> None:
            meta = session.get(MetaRow, "kind")
            orgs = set(session.scalars(select(OrganisationRow.org_id)))
            users = set(session.scalars(select(UserRow.username)))
            authors = set(session.scalars(select(SubmissionRow.author).distinct()))
            cycles = session.scalar(select(func.count()).select_from(CycleRow)) or 0
            if meta is not None and meta.value == "demo":
                foreign = (
                    (orgs - demo_orgs)
                    | (users - demo_users)
                    | {a for a in authors if not is_demo_author(a) and a not in demo_users}
                )
                if foreign:
                    raise UserError("guard.demo.refused_foreign", names=", ".join(sorted(foreign)[:5]))
                return
            if orgs or users or authors or cycles:
                raise UserError("guard.demo.refused")
            if meta is None:
                session.add(MetaRow(key="kind", value="demo"))
            else:
                meta.value = "demo"
            self._audit(session, actor, "claim_demo", "store", "demo")

        self._write(work)

    def rounding_salt(self) -> str:
        """The salt that seeds the rounding of published counts (64 hex characters).

        Derived with HMAC from the store's secret (32 random bytes drawn once, when the store
        was created), so it is the same every time for this store and unknown outside it.
        The secret itself is never returned, exported or written into compiled outputs.
        """
        if self._salt is None:
            secret = self._read(_rounding_secret)
            self._salt = hmac.new(bytes.fromhex(secret), b"cartography/rounding/v1", hashlib.sha256).hexdigest()
        return self._salt

    # -- cycles -------------------------------------------------------------------------
    def open_cycle(self, code: str, actor: str, starts_on: date | None = None, ends_on: date | None = None) -> Cycle:
        """Open a reporting cycle, optionally with the period it covers.

        Nothing is copied: each member's template for the new cycle is pre-filled from its
        last validated version (:meth:`prefill_for`), read when the template or the form is
        opened. Which version pre-fills each member is written to the audit log with the
        opening, so the coordinator can tell later what members started from.
        """
        try:
            cycle = Cycle(code=code, starts_on=starts_on, ends_on=ends_on)
        except ValueError:
            raise UserError("store.error.cycle_format", code=code) from None
        if starts_on and ends_on and ends_on < starts_on:
            raise UserError("adminform.error.cycle_dates", starts=starts_on.isoformat(), ends=ends_on.isoformat())
        actor = _checked_actor(actor)

        def work(session: Session) -> None:
            if session.get(CycleRow, code) is not None:
                raise UserError("store.error.cycle_exists", code=code)
            session.add(CycleRow(code=code, status="open", opened_by=actor, starts_on=starts_on, ends_on=ends_on))
            validated = session.scalars(
                select(SubmissionRow).where(SubmissionRow.status == "validated", SubmissionRow.cycle < code)
            ).all()
            sources: dict[str, tuple[str, int]] = {}
            for row in validated:
                if row.org_id not in sources or (row.cycle, row.version) > sources[row.org_id]:
                    sources[row.org_id] = (row.cycle, row.version)
            self._audit(
                session,
                actor,
                "open_cycle",
                "cycle",
                code,
                starts_on=starts_on.isoformat() if starts_on else None,
                ends_on=ends_on.isoformat() if ends_on else None,
                prefilled_from={org: list(source) for org, source in sorted(sources.items())},
            )

        self._write(work, on_conflict=True)
        return cycle

    def cycles(self) -> list[Cycle]:
        def work(session: Session) -> list[Cycle]:
            rows = session.scalars(select(CycleRow).order_by(CycleRow.code)).all()
            return [
                Cycle(
                    code=r.code,
                    status=r.status,
                    opened_at=_as_utc(r.opened_at),
                    starts_on=r.starts_on,
                    ends_on=r.ends_on,
                )
                for r in rows
            ]

        return self._read(work)

    # -- organisations ------------------------------------------------------------------
    def register_organisation(self, org_id: str, name: str, org_type: str, actor: str) -> None:
        """Add a member the coordinator expects to submit (idempotent on the same name)."""
        actor = _checked_actor(actor)

        def work(session: Session) -> None:
            if session.get(OrganisationRow, org_id) is None:
                session.add(OrganisationRow(org_id=org_id, name=name, org_type=org_type))
                self._audit(session, actor, "register_organisation", "organisation", org_id, name=name)

        self._write(work, on_conflict=True)

    def organisations(self) -> list[dict[str, str]]:
        def work(session: Session) -> list[dict[str, str]]:
            rows = session.scalars(select(OrganisationRow).order_by(OrganisationRow.name)).all()
            return [{"org_id": r.org_id, "name": r.name, "org_type": r.org_type} for r in rows]

        return self._read(work)

    # -- submissions --------------------------------------------------------------------
    def submit(
        self,
        content: SubmissionContent,
        cycle: str,
        author: str,
        source_name: str = "",
        *,
        status: str = "submitted",
    ) -> Submission:
        """Store ``content`` as the next version for its organisation and cycle.

        Two uploads at the same moment both land, as consecutive versions: the unique
        (organisation, cycle, version) constraint makes the second retry with the next
        number instead of overwriting the first. Everything below happens in that one write
        transaction (the steps are helpers taking its session).
        """
        org = content.organisation
        author = _checked_actor(author)
        # The uploaded file's name is a label, not an identity: keep it printable and within its
        # column (255) so a long or odd name can never fail half-way on PostgreSQL.
        source_name = loggable(str(source_name), 255)

        def work(session: Session) -> int:
            _require_open_cycle(session, cycle)
            self._register_if_new(session, org, author)
            # A new name in an upload takes effect only when the coordinator validates that
            # version (see ``validate``): a member cannot rename itself on every screen.
            session.flush()
            latest = self._retire_previous(session, content, cycle, author)
            row = SubmissionRow(
                org_id=org.org_id,
                cycle=cycle,
                version=(latest or 0) + 1,
                status=status,
                author=author,
                source_name=source_name,
                organisation=org.model_dump(mode="json"),
            )
            session.add(row)
            session.flush()
            self._write_children(session, row.id, content)
            self._audit(
                session,
                author,
                "submit",
                "submission",
                str(row.id),
                org_id=org.org_id,
                cycle=cycle,
                version=row.version,
                source=source_name,
                counts=_content_counts(content),
            )
            return row.id

        return self.get(self._write(work, on_conflict=True))

    def _register_if_new(self, session: Session, org: Organisation, author: str) -> None:
        """An organisation submitting for the first time is registered (and audited) as it is."""
        if session.get(OrganisationRow, org.org_id) is None:
            session.add(OrganisationRow(org_id=org.org_id, name=org.name, org_type=org.org_type))
            self._audit(session, author, "register_organisation", "organisation", org.org_id, name=org.name)

    def _retire_previous(self, session: Session, content: SubmissionContent, cycle: str, author: str) -> int | None:
        """The newest version number of the organisation in ``cycle`` (``None`` for none yet),
        after refusing the same answers again and marking the pending versions superseded."""
        org_id = content.organisation.org_id
        latest = session.scalar(
            select(func.max(SubmissionRow.version)).where(SubmissionRow.org_id == org_id, SubmissionRow.cycle == cycle)
        )
        if not latest:
            return latest
        head = SubmissionRow.__table__.c
        newest = (head.org_id == org_id) & (head.cycle == cycle) & (head.version == latest)
        previous = _versions(session, newest)
        # Same answers as the newest version: a second click or the same file again.
        # A new version would only bury the real ones in identical copies.
        if previous and previous[0].content == content:
            raise UserError("adminform.error.unchanged", version=latest, cycle=cycle)
        for older in session.scalars(
            select(SubmissionRow).where(
                SubmissionRow.org_id == org_id,
                SubmissionRow.cycle == cycle,
                SubmissionRow.status == PENDING,
            )
        ):
            older.status = SUPERSEDED
            self._audit(session, author, "supersede", "submission", str(older.id), version=older.version)
        return latest

    @staticmethod
    def _write_children(session: Session, submission_id: int, content: SubmissionContent) -> None:
        session.add_all(SiteRow(submission_id=submission_id, **s.model_dump()) for s in content.sites)
        session.add_all(
            ServiceRow(submission_id=submission_id, **{**s.model_dump(), "areas_served": list(s.areas_served)})
            for s in content.services
        )
        session.add_all(ClientRow(submission_id=submission_id, **c.model_dump()) for c in content.clients)
        session.add_all(NeedRow(submission_id=submission_id, **n.model_dump()) for n in content.needs)

    def get(self, submission_id: int) -> Submission:
        def work(session: Session) -> Submission:
            found = _versions(session, SubmissionRow.__table__.c.id == submission_id)
            if not found:
                raise UserError("store.error.no_submission", id=submission_id)
            return found[0]

        return self._read(work)

    def submissions(self, cycle: str | None = None, org_id: str | None = None) -> list[Submission]:
        head = SubmissionRow.__table__.c
        chosen: ColumnElement[bool] = true()
        if cycle:
            chosen = chosen & (head.cycle == cycle)
        if org_id:
            chosen = chosen & (head.org_id == org_id)
        return self._read(lambda session: _versions(session, chosen, head.org_id, head.cycle, head.version))

    def validated(self, cycle: str) -> list[Submission]:
        """The one validated version of each organisation for ``cycle`` (by organisation)."""
        head = SubmissionRow.__table__.c
        chosen = (head.cycle == cycle) & (head.status == "validated")
        return self._read(lambda session: _versions(session, chosen, head.org_id, head.version))

    def latest_validated(self, org_id: str, up_to: str | None = None) -> Submission | None:
        """The organisation's most recent validated answers, whatever the cycle (or up to
        cycle ``up_to`` included)."""
        done = [
            s
            for s in self.submissions(org_id=org_id)
            if s.status == "validated" and (up_to is None or s.cycle <= up_to)
        ]
        return max(done, key=lambda s: (s.cycle, s.version)) if done else None

    def prefill_for(self, org_id: str, cycle: str) -> Submission | None:
        """The version a member's template for ``cycle`` starts from.

        The member's newest version in ``cycle`` when it has one (it goes on with its own
        work), else its last validated version of ``cycle`` or an earlier cycle (a new cycle
        starts from what the coordinator accepted last time), else ``None`` (blank).
        """
        mine = self.submissions(cycle, org_id)
        if mine:
            return mine[-1]
        return self.latest_validated(org_id, up_to=cycle)

    def pending(self, cycle: str | None = None) -> list[Submission]:
        """Versions waiting for the coordinator (``submitted``), oldest first."""
        waiting = [s for s in self.submissions(cycle) if s.status == PENDING]
        return sorted(waiting, key=lambda s: s.created_at)

    def validate(self, org_id: str, cycle: str, version: int, actor: str) -> Submission:
        """Mark one version validated; a version validated before goes back to submitted."""
        actor = _checked_actor(actor)

        def work(session: Session) -> int:
            rows = session.scalars(
                select(SubmissionRow).where(SubmissionRow.org_id == org_id, SubmissionRow.cycle == cycle)
            ).all()
            target = next((r for r in rows if r.version == version), None)
            if target is None:
                raise UserError("store.error.no_version", org=org_id, cycle=cycle, version=version)
            if target.status == SUPERSEDED:
                newest = max(r.version for r in rows)
                raise UserError("adminform.error.superseded", org=org_id, version=version, newest=newest)
            if target.status == "validated":
                return target.id  # already the accepted one: nothing changes
            for row in rows:
                if row.status in ("validated", PENDING) and row is not target:
                    # Only the newest version can be pending, so whatever else was validated
                    # or waiting is now older than what the coordinator accepted.
                    row.status = SUPERSEDED
                    self._audit(session, actor, "unvalidate", "submission", str(row.id), version=row.version)
            target.status = "validated"
            org_row = session.get(OrganisationRow, org_id)
            answers = target.organisation or {}
            new_name, new_type = answers.get("name"), answers.get("org_type")
            if org_row is not None and new_name and (org_row.name, org_row.org_type) != (new_name, new_type):
                self._audit(
                    session,
                    actor,
                    "rename_organisation",
                    "organisation",
                    org_id,
                    before=org_row.name,
                    after=new_name,
                )
                org_row.name, org_row.org_type = new_name, new_type or org_row.org_type
            target.validated_at = _now()
            target.validated_by = actor
            self._audit(
                session,
                actor,
                "validate",
                "submission",
                str(target.id),
                org_id=org_id,
                cycle=cycle,
                version=version,
            )
            return target.id

        return self.get(self._write(work))

    def status(self, cycle: str) -> list[dict[str, object]]:
        """Per known organisation: versions submitted and the validated one (taux d'utilisation)."""
        subs = self.submissions(cycle)
        out: list[dict[str, object]] = []
        for org in self.organisations():
            mine = [s for s in subs if s.org_id == org["org_id"]]
            validated = next((s.version for s in mine if s.status == "validated"), None)
            out.append(
                {
                    **org,
                    "versions": len(mine),
                    "latest_version": max((s.version for s in mine), default=None),
                    "validated_version": validated,
                    "last_submitted_at": max((s.created_at for s in mine), default=None),
                }
            )
        return out

    def audit(self, limit: int = 200) -> list[dict[str, object]]:
        def work(session: Session) -> list[dict[str, object]]:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)).all()
            return [
                {
                    "at": _as_utc(r.at),
                    "actor": r.actor,
                    "action": r.action,
                    "entity": r.entity,
                    "entity_id": r.entity_id,
                    "detail": r.detail,
                }
                for r in rows
            ]

        return self._read(work)

    def revision(self) -> int:
        """A number that changes whenever data change (the newest audit entry that is not about sign-in)."""
        query = select(func.max(AuditRow.id)).where(AuditRow.action.not_in(_SIGN_IN_ACTIONS))
        return self._read(lambda session: int(session.scalar(query) or 0))

    # -- accounts ---------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str, actor: str, org_id: str | None = None) -> None:
        """Create an account; the password is hashed with Argon2 and never stored."""
        username = _normalise_username(username)
        if role not in ROLES:
            raise UserError("users.error.role", role=role, roles=", ".join(ROLES))
        if len(password) < 8:
            raise UserError("users.error.password")
        if role == "member" and not org_id:
            raise UserError("users.error.org_required")
        if not username or len(username) > 80 or loggable(username) != username:
            raise UserError("guard.users.bad_name")
        password_hash = _hasher().hash(password)

        def work(session: Session) -> None:
            if session.get(UserRow, username) is not None:
                raise UserError("users.error.exists", username=username)
            if org_id and session.get(OrganisationRow, org_id) is None:
                raise UserError("users.error.no_org", org=org_id)
            session.add(
                UserRow(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    org_id=org_id if role == "member" else None,
                )
            )
            self._audit(session, actor, "create_user", "user", username, role=role, org_id=org_id)

        self._write(work, on_conflict=True)

    def authenticate(self, username: str, password: str) -> dict[str, str | None] | None:
        """The account if the password matches, else ``None``; every attempt is logged.

        After :data:`LOCK_AFTER` failures for one user name within :data:`LOCK_WINDOW`, the
        name is locked for :data:`LOCK_FOR`: attempts raise ``guard.sign_in.locked`` (with
        the minutes left) even with the right password, until the lock ends or the
        coordinator unlocks it. Unknown names are checked against a dummy hash and throttled
        the same way, so neither the time taken nor the answers tell which names exist.
        The Argon2 check runs outside any transaction, so sign-ins never hold up writers:
        one read transaction fetches the account, then one write transaction records the
        attempt (:meth:`_record_sign_in`).
        """
        name = _normalise_username(username)
        password = password if isinstance(password, str) else ""
        stored_hash, account, disabled = self._read(lambda session: _sign_in_account(session, name))
        ok, new_hash = _check_password(stored_hash, password, account is not None)
        attempt = _SignInAttempt(name, _name_key(name), loggable(name) or "?", ok, disabled, new_hash)
        outcome, minutes = self._write(lambda session: self._record_sign_in(session, attempt), on_conflict=True)
        if outcome == "locked":
            raise UserError("guard.sign_in.locked", minutes=minutes)
        if outcome == "disabled":
            raise UserError("adminform.sign_in.disabled")
        return account if outcome == "ok" else None

    def _record_sign_in(self, session: Session, attempt: _SignInAttempt) -> tuple[str, int]:
        """Record one sign-in attempt in the write transaction; return the outcome (``locked``,
        ``disabled``, ``ok`` or ``failed``) and, when locked, the minutes left."""
        now = _now()
        shown = attempt.shown
        throttle = session.get(ThrottleRow, attempt.key, with_for_update=True)
        locked_until = _as_utc(throttle.locked_until) if throttle is not None else None
        if locked_until is not None and now < locked_until:
            self._audit(session, shown, "sign_in_locked", "user", shown)
            return "locked", _minutes_left(locked_until, now)
        if attempt.ok and attempt.disabled:
            # Said only to whoever knows the password: others get the usual failure.
            self._audit(session, shown, "sign_in_disabled", "user", shown)
            return "disabled", 0
        if attempt.ok:
            if throttle is not None:
                session.delete(throttle)
            if attempt.new_hash:
                user_row = session.get(UserRow, attempt.name)
                if user_row is not None:
                    user_row.password_hash = attempt.new_hash
            self._audit(session, shown, "sign_in", "user", shown)
            return "ok", 0
        self._count_failure(session, attempt, throttle, locked_until, now)
        _forget_old_throttles(session, attempt.key, now)
        return "failed", 0

    def _count_failure(
        self,
        session: Session,
        attempt: _SignInAttempt,
        throttle: ThrottleRow | None,
        locked_until: datetime | None,
        now: datetime,
    ) -> None:
        """One more failure for the name: a new window when the last one is over (or was
        locked), a lock when the window holds :data:`LOCK_AFTER` failures."""
        shown = attempt.shown
        stale = throttle is None or locked_until is not None or now - _as_utc(throttle.window_start) > LOCK_WINDOW
        if throttle is None:
            throttle = ThrottleRow(name_key=attempt.key, failures=0, window_start=now, shown_name=shown)
            session.add(throttle)
        if stale:
            throttle.failures, throttle.window_start, throttle.locked_until = 0, now, None
        throttle.failures += 1
        self._audit(session, shown, "sign_in_failed", "user", shown, failures=throttle.failures)
        if throttle.failures >= LOCK_AFTER:
            throttle.locked_until = now + LOCK_FOR
            self._audit(session, shown, "lock_account", "user", shown, minutes=int(LOCK_FOR.total_seconds() // 60))

    def locked_accounts(self) -> list[dict[str, object]]:
        """User names locked now (for the administration page): name, until, failures."""
        now = _now()

        def work(session: Session) -> list[dict[str, object]]:
            rows = session.scalars(select(ThrottleRow).where(ThrottleRow.locked_until.is_not(None))).all()
            return [
                {"username": r.shown_name, "locked_until": _as_utc(r.locked_until), "failures": r.failures}
                for r in rows
                if r.locked_until is not None and _as_utc(r.locked_until) > now
            ]

        return self._read(work)

    def unlock_user(self, username: str, actor: str) -> bool:
        """Lift a sign-in lock (the coordinator's action); ``True`` if there was one.

        Raises ``guard.unlock.no_account`` for a name that is not an account.
        """
        name = _normalise_username(username)

        def work(session: Session) -> bool:
            if session.get(UserRow, name) is None:
                raise UserError("guard.unlock.no_account", username=loggable(name))
            throttle = session.get(ThrottleRow, _name_key(name))
            if throttle is None:
                return False
            was_locked = throttle.locked_until is not None and _as_utc(throttle.locked_until) > _now()
            session.delete(throttle)
            self._audit(session, actor, "unlock_account", "user", name, was_locked=was_locked)
            return was_locked

        return self._write(work)

    def users(self) -> list[dict[str, object]]:
        """Every account: name, role, organisation, whether disabled, when created (UTC)."""

        def work(session: Session) -> list[dict[str, object]]:
            rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [
                {
                    "username": r.username,
                    "role": r.role,
                    "org_id": r.org_id,
                    "disabled": bool(r.disabled),
                    "created_at": _as_utc(r.created_at),
                }
                for r in rows
            ]

        return self._read(work)

    def reset_password(self, username: str, actor: str, new_password: str | None = None) -> str:
        """Give an account a new password (the coordinator's action) and return it, once.

        With no ``new_password`` a random one is drawn (16 URL-safe characters). Only the
        Argon2 hash is stored; the audit log records who reset whose password, never the
        password. A sign-in lock on the name is lifted too: a reset is how a locked-out
        member gets back in.
        """
        name = _normalise_username(username)
        password = new_password if new_password is not None else secrets.token_urlsafe(RESET_PASSWORD_BYTES)
        if len(password) < 8:
            raise UserError("users.error.password")
        password_hash = _hasher().hash(password)

        def work(session: Session) -> None:
            row = session.get(UserRow, name)
            if row is None:
                raise UserError("guard.unlock.no_account", username=loggable(name))
            row.password_hash = password_hash
            throttle = session.get(ThrottleRow, _name_key(name))
            if throttle is not None:
                session.delete(throttle)
            self._audit(session, actor, "reset_password", "user", name, generated=new_password is None)

        self._write(work)
        return password

    def set_disabled(self, username: str, disabled: bool, actor: str) -> None:
        """Disable (cannot sign in) or enable an account; audit-logged.

        The last enabled coordinator cannot be disabled: nobody could then validate, open
        cycles or enable accounts again (``adminform.error.last_coordinator``).
        """
        name = _normalise_username(username)

        def work(session: Session) -> None:
            row = session.get(UserRow, name, with_for_update=True)
            if row is None:
                raise UserError("guard.unlock.no_account", username=loggable(name))
            if bool(row.disabled) == disabled:
                return
            if disabled and row.role == "coordinator":
                others = session.scalar(
                    select(func.count())
                    .select_from(UserRow)
                    .where(UserRow.role == "coordinator", UserRow.disabled.is_(False), UserRow.username != name)
                )
                if not others:
                    raise UserError("adminform.error.last_coordinator", username=name)
            row.disabled = disabled
            self._audit(session, actor, "disable_user" if disabled else "enable_user", "user", name)

        self._write(work)

    def is_enabled(self, username: str) -> bool:
        """Whether ``username`` is an account that may act now (exists and is not disabled)."""
        name = _normalise_username(username)
        return self._read(lambda s: (row := s.get(UserRow, name)) is not None and not row.disabled)

    def counts(self) -> dict[str, int]:
        """Row counts of every table (tests use it to prove a failure changed nothing)."""
        tables = (
            OrganisationRow,
            CycleRow,
            SubmissionRow,
            SiteRow,
            ServiceRow,
            ClientRow,
            NeedRow,
            AuditRow,
            UserRow,
            MetaRow,
            ThrottleRow,
        )
        return self._read(
            lambda session: {
                table.__tablename__: int(session.scalar(select(func.count()).select_from(table)) or 0)
                for table in tables
            }
        )


__all__ = ["Base", "Store", "default_url", "demo_url", "local_time", "loggable", "migrate"]
