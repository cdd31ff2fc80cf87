"""The submission store: SQLAlchemy 2, migrated by Alembic, SQLite or PostgreSQL.

Rules (DESIGN.md section 4.2): a submission is stored whole or not at all; a new upload is
a new version and nothing is ever overwritten or deleted; the coordinator validates one
version per organisation and cycle; every change is written to the audit log in the same
transaction as the change itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from cartography.i18n import UserError
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
from cartography.paths import data_dir

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
#: Account roles: the coordinator sees and does everything; a member sees and edits its own
#: organisation's submissions; a planner (the Franco-Info table, LIP staff) sees compiled,
#: privacy-protected results.
ROLES = ("coordinator", "member", "planner")


def _now() -> datetime:
    return datetime.now(UTC)


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


def default_url() -> str:
    """``CARTO_DATABASE_URL``, else one SQLite file under ``data/store/``."""
    import os

    url = os.environ.get("CARTO_DATABASE_URL")
    if url:
        return url
    folder = data_dir() / "store"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'cartographie.sqlite'}"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below rule
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # Writers queue up instead of failing half-way: the whole submission is one
        # immediate transaction.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


_MIGRATION_LOCK = threading.Lock()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision.

    Alembic's command API keeps module-level state, so two stores opened at once in one
    process (two app sessions) take turns.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _MIGRATION_LOCK, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _content(row: SubmissionRow) -> SubmissionContent:
    return SubmissionContent(
        organisation=Organisation(**row.organisation),
        sites=tuple(
            Site(
                site_code=s.site_code,
                name=s.name,
                address=s.address,
                postal_code=s.postal_code,
                csduid=s.csduid,
                region=s.region,
                latitude=s.latitude,
                longitude=s.longitude,
                precision=s.precision,
            )
            for s in row.sites
        ),
        services=tuple(
            Service(
                service_code=s.service_code,
                name=s.name,
                category=s.category,
                site_code=s.site_code,
                language=s.language,
                mode=s.mode,
                areas_served=tuple(s.areas_served),
                capacity=s.capacity,
                description=s.description,
            )
            for s in row.services
        ),
        clients=tuple(
            ClientCount(csduid=c.csduid, profile=c.profile, count=c.count, category=c.category) for c in row.clients
        ),
        needs=tuple(
            Need(
                category=n.category,
                area=n.area,
                clients=n.clients,
                severity=n.severity,
                status=n.status,
                comment=n.comment,
            )
            for n in row.needs
        ),
    )


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _submission(row: SubmissionRow) -> Submission:
    return Submission(
        submission_id=row.id,
        org_id=row.org_id,
        cycle=row.cycle,
        version=row.version,
        status=row.status,
        author=row.author,
        created_at=_as_utc(row.created_at),
        validated_at=_as_utc(row.validated_at),
        validated_by=row.validated_by,
        source_name=row.source_name,
        content=_content(row),
    )


class Store:
    """All reads and writes of submissions, cycles, organisations, users and the audit log."""

    def __init__(self, url: str | None = None, *, migrate_schema: bool = True) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed whole at the end, rolled back whole on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _audit(session: Session, actor: str, action: str, entity: str, entity_id: str, **detail: object) -> None:
        session.add(AuditRow(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail))

    # -- cycles -------------------------------------------------------------------------
    def open_cycle(self, code: str, actor: str) -> Cycle:
        try:
            cycle = Cycle(code=code)
        except ValueError:
            raise UserError("store.error.cycle_format", code=code) from None
        with self.session() as session:
            if session.get(CycleRow, code) is not None:
                raise UserError("store.error.cycle_exists", code=code)
            session.add(CycleRow(code=code, status="open", opened_by=actor))
            self._audit(session, actor, "open_cycle", "cycle", code)
        return cycle

    def cycles(self) -> list[Cycle]:
        with self.session() as session:
            rows = session.scalars(select(CycleRow).order_by(CycleRow.code)).all()
            return [Cycle(code=r.code, status=r.status, opened_at=_as_utc(r.opened_at)) for r in rows]

    # -- organisations ------------------------------------------------------------------
    def register_organisation(self, org_id: str, name: str, org_type: str, actor: str) -> None:
        """Add a member the coordinator expects to submit (idempotent on the same name)."""
        with self.session() as session:
            existing = session.get(OrganisationRow, org_id)
            if existing is None:
                session.add(OrganisationRow(org_id=org_id, name=name, org_type=org_type))
                self._audit(session, actor, "register_organisation", "organisation", org_id, name=name)

    def organisations(self) -> list[dict[str, str]]:
        with self.session() as session:
            rows = session.scalars(select(OrganisationRow).order_by(OrganisationRow.name)).all()
            return [{"org_id": r.org_id, "name": r.name, "org_type": r.org_type} for r in rows]

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
        number instead of overwriting the first.
        """
        org = content.organisation
        for attempt in range(8):
            try:
                with self.session() as session:
                    cycle_row = session.get(CycleRow, cycle)
                    if cycle_row is None:
                        raise UserError("store.error.no_cycle", code=cycle)
                    if cycle_row.status != "open":
                        raise UserError("store.error.cycle_closed", code=cycle)
                    org_row = session.get(OrganisationRow, org.org_id)
                    if org_row is None:
                        session.add(OrganisationRow(org_id=org.org_id, name=org.name, org_type=org.org_type))
                        self._audit(
                            session,
                            author,
                            "register_organisation",
                            "organisation",
                            org.org_id,
                            name=org.name,
                        )
                    elif (org_row.name, org_row.org_type) != (org.name, org.org_type):
                        self._audit(
                            session,
                            author,
                            "rename_organisation",
                            "organisation",
                            org.org_id,
                            before=org_row.name,
                            after=org.name,
                        )
                        org_row.name, org_row.org_type = org.name, org.org_type
                    session.flush()
                    latest = session.scalar(
                        select(func.max(SubmissionRow.version)).where(
                            SubmissionRow.org_id == org.org_id, SubmissionRow.cycle == cycle
                        )
                    )
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
                        counts={
                            "sites": len(content.sites),
                            "services": len(content.services),
                            "clients": len(content.clients),
                            "needs": len(content.needs),
                        },
                    )
                    submission_id = row.id
                return self.get(submission_id)
            except (IntegrityError, OperationalError):
                if attempt == 7:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

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
        with self.session() as session:
            row = session.get(SubmissionRow, submission_id)
            if row is None:
                raise UserError("store.error.no_submission", id=submission_id)
            return _submission(row)

    def submissions(self, cycle: str | None = None, org_id: str | None = None) -> list[Submission]:
        query = select(SubmissionRow).order_by(SubmissionRow.org_id, SubmissionRow.cycle, SubmissionRow.version)
        if cycle:
            query = query.where(SubmissionRow.cycle == cycle)
        if org_id:
            query = query.where(SubmissionRow.org_id == org_id)
        with self.session() as session:
            return [_submission(r) for r in session.scalars(query).all()]

    def validated(self, cycle: str) -> list[Submission]:
        """The one validated version of each organisation for ``cycle``."""
        return [s for s in self.submissions(cycle) if s.status == "validated"]

    def latest_validated(self, org_id: str) -> Submission | None:
        """The organisation's most recent validated answers, whatever the cycle."""
        done = [s for s in self.submissions(org_id=org_id) if s.status == "validated"]
        return max(done, key=lambda s: (s.cycle, s.version)) if done else None

    def validate(self, org_id: str, cycle: str, version: int, actor: str) -> Submission:
        """Mark one version validated; a version validated before goes back to submitted."""
        with self.session() as session:
            rows = session.scalars(
                select(SubmissionRow).where(SubmissionRow.org_id == org_id, SubmissionRow.cycle == cycle)
            ).all()
            target = next((r for r in rows if r.version == version), None)
            if target is None:
                raise UserError("store.error.no_version", org=org_id, cycle=cycle, version=version)
            for row in rows:
                if row.status == "validated" and row is not target:
                    row.status = "submitted"
                    self._audit(session, actor, "unvalidate", "submission", str(row.id), version=row.version)
            target.status = "validated"
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
            target_id = target.id
        return self.get(target_id)

    def status(self, cycle: str) -> list[dict[str, object]]:
        """Per known organisation: versions submitted and the validated one (taux d'utilisation)."""
        subs = self.submissions(cycle)
        out = []
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
        with self.session() as session:
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

    def revision(self) -> int:
        """A number that changes whenever data change (the newest audit entry that is not a sign-in)."""
        with self.session() as session:
            query = select(func.max(AuditRow.id)).where(AuditRow.action.not_in(("sign_in", "sign_in_failed")))
            return int(session.scalar(query) or 0)

    # -- accounts ---------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str, actor: str, org_id: str | None = None) -> None:
        """Create an account; the password is hashed with Argon2 and never stored."""
        from argon2 import PasswordHasher

        username = username.strip().lower()
        if role not in ROLES:
            raise UserError("users.error.role", role=role, roles=", ".join(ROLES))
        if len(password) < 8:
            raise UserError("users.error.password")
        if role == "member" and not org_id:
            raise UserError("users.error.org_required")
        with self.session() as session:
            if session.get(UserRow, username) is not None:
                raise UserError("users.error.exists", username=username)
            if org_id and session.get(OrganisationRow, org_id) is None:
                raise UserError("users.error.no_org", org=org_id)
            session.add(
                UserRow(
                    username=username,
                    password_hash=PasswordHasher().hash(password),
                    role=role,
                    org_id=org_id if role == "member" else None,
                )
            )
            self._audit(session, actor, "create_user", "user", username, role=role, org_id=org_id)

    def authenticate(self, username: str, password: str) -> dict[str, str | None] | None:
        """The account if the password matches, else ``None`` (and the attempt is logged)."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        username = (username or "").strip().lower()
        hasher = PasswordHasher()
        with self.session() as session:
            row = session.get(UserRow, username)
            ok = False
            if row is not None:
                try:
                    ok = hasher.verify(row.password_hash, password or "")
                except (VerificationError, InvalidHashError):
                    ok = False
                if ok and hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = hasher.hash(password)
            self._audit(session, username or "?", "sign_in" if ok else "sign_in_failed", "user", username or "?")
            if not ok or row is None:
                return None
            return {"username": row.username, "role": row.role, "org_id": row.org_id}

    def users(self) -> list[dict[str, str | None]]:
        with self.session() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [{"username": r.username, "role": r.role, "org_id": r.org_id} for r in rows]

    def counts(self) -> dict[str, int]:
        """Row counts of every table (tests use it to prove a failure changed nothing)."""
        with self.session() as session:
            return {
                table.__tablename__: int(session.scalar(select(func.count()).select_from(table)) or 0)
                for table in (
                    OrganisationRow,
                    CycleRow,
                    SubmissionRow,
                    SiteRow,
                    ServiceRow,
                    ClientRow,
                    NeedRow,
                    AuditRow,
                    UserRow,
                )
            }


__all__ = ["Base", "Store", "default_url", "migrate"]
