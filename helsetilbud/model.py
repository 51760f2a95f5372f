"""The typed SQLAlchemy 2 model: offices, GPs, texts, tools, choices, users and the audit log.

Every editable record carries `version`; SQLAlchemy's version counter makes each UPDATE a
compare-and-set (`... WHERE version = :seen`), so two writers can never both win.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite has no time zones), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    her_id: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(4))
    postal_place: Mapped[str] = mapped_column(String(100))
    fylke: Mapped[str] = mapped_column(String(40), index=True)
    org_number: Mapped[str] = mapped_column(String(9))
    phone: Mapped[str | None] = mapped_column(String(20), default=None)  # registry, if known

    gps: Mapped[list[Gp]] = relationship(back_populates="office", order_by="Gp.hpr")
    info_texts: Mapped[list[InfoText]] = relationship(back_populates="office")
    assignments: Mapped[list[ToolAssignment]] = relationship(back_populates="office")

    @property
    def registry_text(self) -> str:
        """The fixed helsekontakt text: name and address from the registry."""
        return f"{self.name}\n{self.address}, {self.postal_code} {self.postal_place}"


class Gp(Base):
    __tablename__ = "gps"

    id: Mapped[int] = mapped_column(primary_key=True)
    hpr: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    timebestilling: Mapped[bool] = mapped_column(Boolean, default=True)
    reseptfornyelse: Mapped[bool] = mapped_column(Boolean, default=True)
    e_konsultasjon: Mapped[bool] = mapped_column(Boolean, default=True)
    kontakt_legekontoret: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))

    office: Mapped[Office] = relationship(back_populates="gps")
    closures: Mapped[list[ServiceClosure]] = relationship(
        back_populates="gp", order_by="ServiceClosure.id"
    )
    vikars: Mapped[list[Vikar]] = relationship(
        back_populates="gp", order_by="[Vikar.starts_on, Vikar.id]"
    )
    holiday_rule: Mapped[HolidayRule | None] = relationship(back_populates="gp")

    __mapper_args__ = {"version_id_col": version}

    def services(self) -> dict[str, bool]:
        from helsetilbud.catalog import PATIENT_SERVICES

        return {slug: bool(getattr(self, slug)) for slug in PATIENT_SERVICES}


class InfoText(Base):
    """The office's own text beside the fixed standard text, one per office and area."""

    __tablename__ = "info_texts"
    __table_args__ = (UniqueConstraint("office_id", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    area: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    # «Teksten stemmer fortsatt»: the text read and confirmed unchanged (issue 16).
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    confirmed_by: Mapped[str | None] = mapped_column(String(64), default=None)

    office: Mapped[Office] = relationship(back_populates="info_texts")

    __mapper_args__ = {"version_id_col": version}


class ScheduledText(Base):
    """A time-limited text shown instead of the permanent one inside [starts_at, ends_at)."""

    __tablename__ = "scheduled_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    area: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class ServiceClosure(Base):
    """A GP's service closed for a period, or on a weekly schedule (local Oslo time).

    Period: `starts_at`..`ends_at`. Weekly: `weekdays` ("0,1,2,3,4" = Monday to Friday) with
    `daily_from`..`daily_to` as "HH:MM"; a window past midnight (16:00..08:00) runs into the
    next day, and 00:00..00:00 is the whole day.
    """

    __tablename__ = "service_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    gp_id: Mapped[int] = mapped_column(ForeignKey("gps.id"), index=True)
    service: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    weekdays: Mapped[str | None] = mapped_column(String(20))
    daily_from: Mapped[str | None] = mapped_column(String(5))
    daily_to: Mapped[str | None] = mapped_column(String(5))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    gp: Mapped[Gp] = relationship(back_populates="closures")


class Vikar(Base):
    """A substitute doctor (HPR) registered for a GP's list for whole days, Oslo dates
    `starts_on`..`ends_on` inclusive (seed Q11). `kind` is one of `vikar_cases.KINDS`.
    Never changed in place: removing and adding again is the only edit."""

    __tablename__ = "vikars"

    id: Mapped[int] = mapped_column(primary_key=True)
    gp_id: Mapped[int] = mapped_column(ForeignKey("gps.id"), index=True)
    hpr: Mapped[str] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    gp: Mapped[Gp] = relationship(back_populates="vikars")


class HolidayRule(Base):
    """A GP's services closed on every Norwegian public holiday; `eves` adds julaften and
    nyttårsaften. `services` is a comma list of patient-service slugs ("" = none)."""

    __tablename__ = "holiday_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    gp_id: Mapped[int] = mapped_column(ForeignKey("gps.id"), unique=True)
    services: Mapped[str] = mapped_column(String(120), default="")
    eves: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))

    gp: Mapped[Gp] = relationship(back_populates="holiday_rule")

    __mapper_args__ = {"version_id_col": version}


class TriageTool(Base):
    """A triage tool: a FHIR R4 Questionnaire of kind kontrollsporsmal or sjekkpunkt."""

    __tablename__ = "triage_tools"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    standard: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    questionnaire: Mapped[str] = mapped_column(Text)
    questionnaire_version: Mapped[str] = mapped_column(String(40), default="1")
    status: Mapped[str] = mapped_column(String(20), default="published")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    services: Mapped[list[ToolService]] = relationship(
        back_populates="tool", cascade="all, delete-orphan", order_by="ToolService.service"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def service_slugs(self) -> tuple[str, ...]:
        return tuple(s.service for s in self.services)

    @property
    def label(self) -> str:
        """As the seed shows it: "Forny resept (Standard)"."""
        return f"{self.title} (Standard)" if self.standard else self.title


class ToolService(Base):
    __tablename__ = "tool_services"

    tool_id: Mapped[str] = mapped_column(ForeignKey("triage_tools.id"), primary_key=True)
    service: Mapped[str] = mapped_column(String(40), primary_key=True)

    tool: Mapped[TriageTool] = relationship(back_populates="services")


class ToolAssignment(Base):
    """The tool an office uses in front of one triage service, or none ("Ingen valgt")."""

    __tablename__ = "tool_assignments"
    __table_args__ = (UniqueConstraint("office_id", "service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service: Mapped[str] = mapped_column(String(40))
    tool_id: Mapped[str | None] = mapped_column(ForeignKey("triage_tools.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))

    office: Mapped[Office] = relationship(back_populates="assignments")
    tool: Mapped[TriageTool | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class User(Base):
    """A login: fastlege (by HPR-nummer), kontorstab, analytiker or forvalter."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    hpr: Mapped[str | None] = mapped_column(String(9))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Delegation(Base):
    """A right for office staff to edit one office, granted by a GP of that office (seed Q15)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()
    office: Mapped[Office] = relationship()


class AuditEvent(Base):
    """Append-only: who did what, when, at which office, with the value before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_office_at", "office_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    entity: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(80))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    # The operating-system user behind a command-line write (`--as` is `actor`); None elsewhere.
    os_user: Mapped[str | None] = mapped_column(String(64), default=None)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper: object, connection: object, target: AuditEvent) -> None:
    raise RuntimeError("audit_events is append-only")
