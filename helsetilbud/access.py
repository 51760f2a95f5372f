"""Identities and roles: who may read and change what. Every write is authorised here.

- `fastlege`: edits texts and tool choices of the office where they hold a list, switches and
  closes their own services, delegates and revokes office staff at that office.
- `kontorstab`: edits texts and tool choices of the office(s) of an active delegation.
- `analytiker`: reads every office, writes nothing.
- `forvalter`: everything, including the tool catalogue.
- a vikar (seed Q11) logs in as `fastlege` with their own HPR number: during a registered
  period (Oslo days, `Vikar.starts_on`..`ends_on`) they edit that office's texts and tool
  choices and that list's switches and closures, as its GP may; before and after, nothing.

A refusal is `AccessDenied("<navn> (<login>, <rolle>) kan ikke <hva>: <hvorfor>.")`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helsetilbud.errors import AccessDenied, NotFound
from helsetilbud.model import Delegation, Gp, Office, User, Vikar, utcnow
from helsetilbud.oslo_time import OSLO

__all__ = [
    "ROLES",
    "Identity",
    "active_delegations",
    "editable_offices",
    "load_identity",
    "national_reader",
    "readable_offices",
    "require_catalog_admin",
    "require_current",
    "require_delegation_admin",
    "require_gp_services_edit",
    "require_office_edit",
    "require_office_read",
    "require_vikar_admin",
    "require_write",
    "vikar_lists",
]

FASTLEGE = "fastlege"
KONTORSTAB = "kontorstab"
ANALYTIKER = "analytiker"
FORVALTER = "forvalter"
ROLES = (FASTLEGE, KONTORSTAB, ANALYTIKER, FORVALTER)


@dataclass(frozen=True)
class Identity:
    """Who is acting: a login with its role; `hpr` is set for a fastlege."""

    login: str
    display_name: str
    role: str
    hpr: str | None = None

    def describe(self) -> str:
        return f"{self.display_name} ({self.login}, {self.role})"


def _find_user(session: Session, login: str) -> User | None:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:  # a GP may log in with the HPR number (HelseID's claim)
        user = session.scalar(
            select(User).where(User.role == FASTLEGE, User.hpr == login).order_by(User.id)
        )
    return user


def load_identity(session: Session, login: str) -> Identity:
    """The identity of an active user, by login or a GP's HPR number; NotFound when the login is
    unknown or deactivated."""
    user = _find_user(session, login)
    if user is None:
        raise NotFound(f"Fant ingen bruker med innloggingen «{login}».", field="login")
    if not user.active:
        raise NotFound(f"Brukeren «{login}» er deaktivert.", field="login")
    if user.role not in ROLES:
        raise NotFound(f"Brukeren «{login}» har en ukjent rolle «{user.role}».", field="login")
    return Identity(user.login, user.display_name, user.role, user.hpr)


def _deny(identity: Identity, what: str, why: str) -> AccessDenied:
    return AccessDenied(f"{identity.describe()} kan ikke {what}: {why}.", field=identity.login)


def _own_gp(session: Session, identity: Identity) -> Gp | None:
    if identity.role != FASTLEGE or not identity.hpr:
        return None
    return session.scalar(select(Gp).where(Gp.hpr == identity.hpr))


def active_delegations(session: Session, identity: Identity, now: datetime) -> list[Delegation]:
    """The identity's delegations that are neither revoked nor ended at `now`."""
    return list(
        session.scalars(
            select(Delegation)
            .join(User, Delegation.user_id == User.id)
            .where(
                User.login == identity.login,
                User.active.is_(True),
                Delegation.revoked_at.is_(None),
                or_(Delegation.ends_at.is_(None), Delegation.ends_at > now),
            )
            .order_by(Delegation.id)
        )
    )


def vikar_lists(session: Session, identity: Identity, now: datetime) -> list[Gp]:
    """The lists (GPs) the identity covers as a vikar on `now`'s Oslo day."""
    if identity.role != FASTLEGE or not identity.hpr:
        return []
    day = now.astimezone(OSLO).date()
    return list(
        session.scalars(
            select(Gp)
            .join(Vikar, Vikar.gp_id == Gp.id)
            .where(Vikar.hpr == identity.hpr, Vikar.starts_on <= day, Vikar.ends_on >= day)
            .order_by(Gp.hpr)
            .distinct()
        )
    )


def _edit_office_ids(session: Session, identity: Identity, now: datetime) -> set[int] | None:
    """Ids of offices the identity may edit; None means every office."""
    if identity.role == FORVALTER:
        return None
    if identity.role == FASTLEGE:
        gp = _own_gp(session, identity)
        own = {gp.office_id} if gp else set()
        return own | {g.office_id for g in vikar_lists(session, identity, now)}
    if identity.role == KONTORSTAB:
        return {d.office_id for d in active_delegations(session, identity, now)}
    return set()


def require_current(session: Session, identity: Identity, what: str) -> None:
    """Refuse when the user row no longer backs the identity: deactivated, deleted, or given
    another role or HPR number since the identity was loaded (e.g. when the page opened)."""
    user = session.scalar(select(User).where(User.login == identity.login))
    if user is None or not user.active:
        raise _deny(identity, what, "brukeren er deaktivert eller finnes ikke lenger")
    if user.role != identity.role or (user.hpr or None) != (identity.hpr or None):
        now_role = user.role
        raise _deny(identity, what, f"rollen er endret til «{now_role}»; last inn siden på nytt")


def require_write(identity: Identity, what: str, session: Session | None = None) -> None:
    """Refuse any write by a read-only role (analytiker); with `session`, also by a user whose
    row no longer backs the identity (`require_current`)."""
    if session is not None:
        require_current(session, identity, what)
    if identity.role == ANALYTIKER:
        raise _deny(identity, what, "analytikere har bare lesetilgang")
    if identity.role not in ROLES:
        raise _deny(identity, what, f"rollen «{identity.role}» finnes ikke")


def require_office_edit(
    session: Session, identity: Identity, office: Office, now: datetime | None = None
) -> None:
    """May the identity change the texts and tool choices of `office`?"""
    now = now or utcnow()
    what = f"endre tekster og verktøyvalg for {office.name} (HER-id {office.her_id})"
    require_write(identity, what, session)
    allowed = _edit_office_ids(session, identity, now)
    if allowed is None or office.id in allowed:
        return
    if identity.role == FASTLEGE:
        why = "fastlegen har ingen liste ved dette kontoret"
    else:
        why = (
            "ingen gyldig delegering til dette kontoret (den kan være trukket tilbake eller utløpt)"
        )
    raise _deny(identity, what, why)


def require_office_read(
    session: Session, identity: Identity, office: Office, now: datetime | None = None
) -> None:
    """May the identity see the state and history of `office`?"""
    now = now or utcnow()
    if identity.role in (ANALYTIKER, FORVALTER):
        return
    allowed = _edit_office_ids(session, identity, now)
    if allowed is None or office.id in allowed:
        return
    raise _deny(
        identity,
        f"se {office.name} (HER-id {office.her_id})",
        "bare kontorets egne fastleger og delegerte ansatte, analytikere og forvaltere har innsyn",
    )


def require_gp_services_edit(
    session: Session, identity: Identity, gp: Gp, now: datetime | None = None
) -> None:
    """May the identity switch or close the patient services of `gp`? That GP, a vikar for the
    list on `now`'s day, or forvalter."""
    what = f"endre tjenestene til fastlege {gp.name} (HPR {gp.hpr})"
    require_write(identity, what, session)
    if identity.role == FORVALTER:
        return
    if identity.role == FASTLEGE and identity.hpr == gp.hpr:
        return
    if identity.role == FASTLEGE and any(
        g.id == gp.id for g in vikar_lists(session, identity, now or utcnow())
    ):
        return
    if identity.role == FASTLEGE:
        why = (
            "en fastlege kan bare slå av og på sine egne tjenester, og en vikar bare "
            "for listen sin i vikarperioden"
        )
    else:
        why = "bare fastlegen selv kan slå av og på tjenestene sine"
    raise _deny(identity, what, why)


def require_delegation_admin(session: Session, identity: Identity, office: Office) -> None:
    """May the identity grant and revoke staff rights at `office`? A GP there, or forvalter."""
    what = f"gi eller trekke tilbake tilgang for ansatte ved {office.name} (HER-id {office.her_id})"
    require_write(identity, what, session)
    if identity.role == FORVALTER:
        return
    if identity.role == FASTLEGE:
        gp = _own_gp(session, identity)
        if gp is not None and gp.office_id == office.id:
            return
        raise _deny(identity, what, "fastlegen har ingen liste ved dette kontoret")
    raise _deny(identity, what, "bare kontorets fastleger kan delegere tilgang")


def require_vikar_admin(
    session: Session, identity: Identity, gp: Gp, now: datetime | None = None
) -> None:
    """May the identity register and remove vikars for `gp`'s list? The list's GP, office staff
    with an active delegation to its office, or forvalter."""
    what = f"registrere eller fjerne vikarer for listen til {gp.name} (HPR {gp.hpr})"
    require_write(identity, what, session)
    if identity.role == FORVALTER:
        return
    if identity.role == FASTLEGE and identity.hpr == gp.hpr:
        return
    if identity.role == KONTORSTAB and any(
        d.office_id == gp.office_id for d in active_delegations(session, identity, now or utcnow())
    ):
        return
    if identity.role == KONTORSTAB:
        why = "ingen gyldig delegering til kontoret (den kan være trukket tilbake eller utløpt)"
    else:
        why = "bare listens fastlege, kontorets ansatte med delegering og forvaltere kan det"
    raise _deny(identity, what, why)


def require_catalog_admin(session: Session, identity: Identity) -> None:
    """May the identity change the catalogue of triage tools? Only forvalter."""
    what = "endre katalogen over triageringsverktøy"
    require_write(identity, what, session)
    if identity.role != FORVALTER:
        raise _deny(identity, what, "bare forvaltere i NHN kan endre katalogen")


def editable_offices(
    session: Session, identity: Identity, now: datetime | None = None
) -> list[Office]:
    """The offices whose texts and tool choices the identity may change, by name."""
    if identity.role == ANALYTIKER:
        return []
    allowed = _edit_office_ids(session, identity, now or utcnow())
    query = select(Office).order_by(Office.name, Office.her_id)
    if allowed is not None:
        if not allowed:
            return []
        query = query.where(Office.id.in_(allowed))
    return list(session.scalars(query))


def readable_offices(
    session: Session, identity: Identity, now: datetime | None = None
) -> list[Office]:
    """The offices the identity may see, by name."""
    if identity.role in (ANALYTIKER, FORVALTER):
        return list(session.scalars(select(Office).order_by(Office.name, Office.her_id)))
    return editable_offices(session, identity, now)


def national_reader(identity: Identity | None) -> bool:
    """May the identity see figures across every office (the analytics notebooks)?"""
    return identity is not None and identity.role in (ANALYTIKER, FORVALTER)
