"""A deterministic synthetic country: offices, GPs, texts, tools, logins and 24 months of history.

Everything is drawn from one `random.Random(seed)` walked in a fixed order (lists and catalogue
order only, never sets), the registry's phone numbers from a second one seeded from the same
seed, so one seed gives one database. Rows go in with bulk inserts, a chunk
of offices at a time, so the build is linear in the number of offices. The audit history
explains every row: its version is 1 + its events, and its last event holds its current value.
Name parts and text snippets are in `data/sample_words.json`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from helsetilbud.audit import GP_SERVICES, INFO_TEXT, TOOL_ASSIGNMENT, dumps
from helsetilbud.catalog import CATALOG, DATA_DIR, PATIENT_SERVICES, InfoArea
from helsetilbud.model import (
    AuditEvent,
    Delegation,
    Gp,
    InfoText,
    Office,
    ToolAssignment,
    ToolService,
    TriageTool,
    User,
)
from helsetilbud.text_hints.numbers import digits_of
from helsetilbud.text_hints.patterns import phones

__all__ = ["SampleSummary", "build_sample"]

WORDS: dict[str, Any] = json.loads((DATA_DIR / "sample_words.json").read_text(encoding="utf-8"))
TEXTS: dict[str, Any] = WORDS["texts"]
SHARES: dict[str, Any] = WORDS["shares"]
CHUNK = 1000  # offices drawn and inserted at a time; the country does not depend on it
ALL_ON = {slug: True for slug in PATIENT_SERVICES}
ADMINS = (("analytiker", "Analytiker NHN"), ("forvalter", "Forvalter NHN"))
# The registry's phone numbers come from a second generator (seeded from the seed), so that
# adding them left every other drawn value as it was. Most offices have one; where the office's
# texts give a number, the registry mostly has that one (else the texts give an older number,
# as real texts do).
REGISTRY_PHONE_SHARE = 0.95
TEXT_GIVES_REGISTRY_PHONE = 0.8
EVENT_KEYS = ("at", "actor", "role", "office_id", "entity", "key", "before", "after")
Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class SampleSummary:
    """What `build_sample` inserted."""

    offices: int
    gps: int
    users: int
    events: int


class _Clock:
    """Turns a fraction of the 24 months before `today` into a working-hours moment (UTC)."""

    def __init__(self, today: date) -> None:
        self.end = datetime(today.year, today.month, today.day, tzinfo=UTC)
        first = today.replace(day=28) if (today.month, today.day) == (2, 29) else today
        self.start = datetime(first.year - 2, first.month, first.day, tzinfo=UTC)
        self.days = (self.end - self.start).days

    def day(self, f: float) -> datetime:
        day = self.start + timedelta(days=min(int(f * self.days), self.days - 1))
        if day.weekday() >= 5:  # to the Friday before, or the Monday after at the very start
            back = day - timedelta(days=day.weekday() - 4)
            day = back if back >= self.start else day + timedelta(days=7 - day.weekday())
        return day

    def at(self, rng: random.Random, f: float) -> datetime:
        return self.day(f) + timedelta(seconds=21_600 + int(rng.random() * 32_400))


@dataclass
class _Place:
    name: str
    postal_code: str
    postal_place: str


@dataclass
class _OfficeCtx:
    index: int  # in its chunk, until the office row has its id
    name: str
    gps: list[str]
    staff: str | None = None
    staff_from: float = 2.0
    staff_until: float = 2.0

    def actor(self, rng: random.Random, f: float) -> tuple[str, str]:
        if self.staff and self.staff_from < f < self.staff_until and rng.random() < 0.5:
            return self.staff, "kontorstab"
        return self.gps[int(rng.random() * len(self.gps))], "fastlege"


class _Builder:
    """The pre-drawn identifiers and places, and the rows of the chunk being built."""

    def __init__(
        self, session: Session, rng: random.Random, offices: int, today: date, seed: int
    ) -> None:
        self.session, self.rng, self.clock = session, rng, _Clock(today)
        self.phone_rng = random.Random(f"registerets telefonnumre {seed}")
        self.allowed = _allowed_tools(session)
        fylker = list(CATALOG.fylker)
        weights = [WORDS["fylker"][f]["weight"] for f in fylker]
        head = rng.sample(fylker, len(fylker)) if offices >= len(fylker) else []
        self.fylker = head + rng.choices(fylker, weights, k=offices - len(head))
        self.places = {f: self._places(f, self.fylker.count(f)) for f in fylker}
        self.gp_counts = rng.choices(range(1, 9), SHARES["gps_per_office"], k=offices)
        self.her_ids = rng.sample(range(100_000, 10_000_000), offices)
        self.org_numbers = _org_numbers(rng, offices)
        self.hprs = iter(rng.sample(range(1_000_000, 100_000_000), sum(self.gp_counts)))
        self.forced: dict[tuple[int, str], str] = {}  # every tool at some office
        for j, tool in enumerate(sorted({t for ts in self.allowed.values() for t in ts})):
            service = next(s for s, ts in self.allowed.items() if tool in ts)
            index = j % max(offices, 1)
            while (index, service) in self.forced and index + 1 < offices:
                index += 1
            self.forced[(index, service)] = tool
        self.counts = {"gps": 0, "users": 0, "events": 0}
        self.rows: Rows = {}

    def _places(self, fylke: str, count: int) -> list[_Place]:
        spec, rng = WORDS["fylker"][fylke], self.rng
        suffixes = WORDS["suffixes"][spec["group"]]
        wanted = min(max(4, count // 3), 300)
        found: dict[str, _Place] = {}
        for _ in range(wanted * 3):
            if len(found) >= wanted:
                break
            name = rng.choice(WORDS["stems"]) + rng.choice(suffixes)
            lo, hi = rng.choice(spec["codes"])
            code = f"{rng.randint(lo, hi):04d}"
            found.setdefault(name, _Place(name, code, spec.get("city") or name.upper()))
        return list(found.values())

    def person(self) -> str:
        rng = self.rng
        first = rng.choice(WORDS["first_names"])
        if rng.random() < 0.15:
            first += " " + rng.choice(WORDS["middle_names"])
        last = rng.choice(WORDS["last_names"])
        if rng.random() < 0.08:
            last = rng.choice(WORDS["last_names"]) + " " + last
        return f"{first} {last}"

    def office_row(self, i: int) -> dict[str, Any]:
        rng = self.rng
        place = rng.choice(self.places[self.fylker[i]])
        if rng.random() < 0.25:
            street = place.name + rng.choice(WORDS["street_suffixes"])
        else:
            street = rng.choice(WORDS["streets"])
        letter = rng.choice("ABC") if rng.random() < 0.1 else ""
        name = rng.choice(WORDS["office_names"]).format(
            place=place.name,
            dir=rng.choice(WORDS["directions"]),
            stem=rng.choice(WORDS["name_stems"]),
            street=street,
        )
        return {
            "her_id": str(self.her_ids[i]),
            "name": name,
            "address": f"{street} {rng.randint(1, 120)}{letter}",
            "postal_code": place.postal_code,
            "postal_place": place.postal_place,
            "fylke": self.fylker[i],
            "org_number": self.org_numbers[i],
        }

    def text(self, kind: str, area: InfoArea, office: _OfficeCtx, f: float = 0.0) -> str:
        """A text of `kind` for `area`, within its limit; `closed` names a period after `f`."""
        rng, slug = self.rng, area.slug
        if kind == "short":
            text = rng.choice(TEXTS["short"][slug])
            if rng.random() < 0.4:
                text += " " + rng.choice(TEXTS["general"])
        elif kind == "long":
            parts: list[str] = []
            for sentence in rng.sample(TEXTS["short"][slug] + TEXTS["general"], 12):
                if sentence not in parts and len(" ".join([*parts, sentence])) <= area.limit:
                    parts.append(sentence)
            text = " ".join(parts)
        elif kind == "korona":
            text = rng.choice(TEXTS["korona"][slug])
        elif kind == "contact":
            digits = [rng.randint(2, 7) * 10 + rng.randint(0, 9)]
            phone = " ".join(str(d) for d in digits + [rng.randint(10, 99) for _ in range(3)])
            web = "www." + _web_slug(office.name) + ".no"
            text = rng.choice(TEXTS["contact"]).format(phone=phone, web=web)
        elif kind == "standard":
            text = area.standard_text or rng.choice(TEXTS["short"][slug])
        elif kind == "closed":
            start = self.clock.day(f) + timedelta(days=rng.randint(5, 30))
            end = start + timedelta(days=rng.randint(2, 20))
            summer = start.month in (6, 7, 8)
            templates = [t for t in TEXTS["closed"] if summer or not t.startswith("Sommer")]
            text = rng.choice(templates).format(
                start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")
            )
        else:
            text = ""
        return _fit(text, area.limit)

    def history(
        self,
        row: dict[str, Any],
        field: str,
        initial: Any,
        steps: list[tuple[float, Any]],
        office: _OfficeCtx,
        entity_key: tuple[str, str],
        actor: tuple[str, str] | None = None,
    ) -> None:
        """Apply `steps` (fraction of the period, value) to `row`: one event per real change."""
        current, last_at, last_by, version = initial, None, None, 1
        for f, value in sorted(steps, key=lambda step: step[0]) if steps else ():
            if value == current:
                continue
            at = self.clock.at(self.rng, f)
            if last_at is not None and at <= last_at:
                at = last_at + timedelta(seconds=60 + int(self.rng.random() * 5400))
            login, role = actor or office.actor(self.rng, f)
            values = (at, login, role, office.index, *entity_key, dumps(current), dumps(value))
            self.rows["events"].append(dict(zip(EVENT_KEYS, values, strict=True)))
            current, last_at, last_by, version = value, at, login, version + 1
        row.update(
            {field: current, "version": version, "updated_at": last_at, "updated_by": last_by}
        )

    def adoption(self) -> float:
        """When a tool was taken into use: some early adopters, then ever more offices."""
        rng = self.rng
        return rng.uniform(0.0, 0.12) if rng.random() < 0.2 else rng.random() ** 0.6

    def build_chunk(self, start: int, stop: int) -> None:
        """Draw offices start..stop with everything they hold, then insert them in bulk."""
        rng, session = self.rng, self.session
        kinds = ("gps", "users", "staff", "grants", "texts", "tools", "events")
        self.rows = rows = {k: [] for k in kinds}
        office_rows: list[dict[str, Any]] = []
        for i in range(start, stop):
            office_rows.append(self.office_row(i))
            office = _OfficeCtx(i - start, office_rows[-1]["name"], [])
            self.gps(i, office)
            if rng.random() < SHARES["staff_offices"]:
                self.staff(office, office_rows[-1]["her_id"])
            maturity = rng.uniform(0.5, 1.5)
            for area in CATALOG.info_areas:
                self.info_text(area, office)
            own_texts = rows["texts"][-len(CATALOG.info_areas) :]
            office_rows[-1]["phone"] = self.registry_phone([t["text"] for t in own_texts])
            for service in CATALOG.triage_slugs:
                self.assignment(i, service, maturity, office)
        ids = _insert(session, Office, office_rows, returning=True)
        for key in ("gps", "grants", "texts", "tools", "events"):
            for row in rows[key]:
                row["office_id"] = ids[row["office_id"]]
        rows["events"].sort(key=lambda e: e["at"])
        _insert(session, Gp, rows["gps"])
        _insert(session, User, rows["users"])
        staff_ids = _insert(session, User, rows["staff"], returning=True)
        for grant, user_id in zip(rows["grants"], staff_ids, strict=True):
            grant["user_id"] = user_id
        for model, key in ((Delegation, "grants"), (InfoText, "texts"), (ToolAssignment, "tools")):
            _insert(session, model, rows[key])
        _insert(session, AuditEvent, rows["events"])
        self.counts["gps"] += len(rows["gps"])
        self.counts["users"] += len(rows["users"]) + len(rows["staff"])
        self.counts["events"] += len(rows["events"])

    def registry_phone(self, texts: list[str]) -> str | None:
        """The office's phone number in the registry ("22 12 34 56"), or None (none known)."""
        rng = self.phone_rng
        if rng.random() >= REGISTRY_PHONE_SHARE:
            return None
        given = [number for text in texts for number, _, _ in phones(text or "")]
        if given and rng.random() < TEXT_GIVES_REGISTRY_PHONE:
            digits = digits_of(given[0])
        else:
            digits = f"{rng.randint(2, 7)}{rng.randint(0, 9_999_999):07d}"
        return " ".join(digits[k : k + 2] for k in range(0, 8, 2))

    def gps(self, i: int, office: _OfficeCtx) -> None:
        rng, off = self.rng, SHARES["service_off"]
        for _ in range(self.gp_counts[i]):
            hpr, name = str(next(self.hprs)), self.person()
            office.gps.append(hpr)
            final = {s: rng.random() >= off.get(s, 0.05) for s in PATIENT_SERVICES}
            if rng.random() < SHARES["all_services_off"]:
                final = {s: False for s in PATIENT_SERVICES}
            steps: list[tuple[float, Any]] = []
            if final != ALL_ON:
                if rng.random() < 0.2:
                    between = dict(final)
                    flip = rng.choice(PATIENT_SERVICES)
                    between[flip] = not between[flip]
                    steps.append((rng.uniform(0.0, 0.5), between))
                steps.append((rng.uniform(0.5 if steps else 0.0, 1.0), final))
            elif rng.random() < 0.06:
                off_once = dict(ALL_ON)
                off_once[rng.choice(PATIENT_SERVICES)] = False
                f = rng.uniform(0.0, 0.9)
                steps = [(f, off_once), (rng.uniform(f, 1.0), final)]
            row: dict[str, Any] = {"hpr": hpr, "name": name, "office_id": office.index}
            key = (GP_SERVICES, hpr)
            self.history(row, "services", ALL_ON, steps, office, key, (hpr, "fastlege"))
            row.update(row.pop("services"))
            self.rows["gps"].append(row)
            user = {"login": hpr, "display_name": name, "role": "fastlege", "hpr": hpr}
            self.rows["users"].append({**user, "active": True})

    def staff(self, office: _OfficeCtx, her_id: str) -> None:
        rng, clock = self.rng, self.clock
        login = f"stab-{her_id}"
        user = {"login": login, "display_name": self.person(), "role": "kontorstab", "hpr": None}
        self.rows["staff"].append({**user, "active": True})
        f_from, f_until = rng.uniform(0.02, 0.85), 2.0
        grant: dict[str, Any] = dict.fromkeys(("ends_at", "revoked_at", "revoked_by"))
        grant.update(office_id=office.index, granted_by=rng.choice(office.gps))
        grant["granted_at"] = clock.at(rng, f_from)
        kind = rng.choices(("open", "until", "revoked"), (55, 32, 13))[0]
        if kind == "until":
            grant["ends_at"] = clock.end + timedelta(days=rng.randint(14, 400))
        elif kind == "revoked":
            f_until = rng.uniform(f_from + 0.05, 0.99)
            grant["revoked_at"] = clock.at(rng, f_until)
            grant["revoked_by"] = rng.choice(office.gps)
        self.rows["grants"].append(grant)
        office.staff, office.staff_from, office.staff_until = login, f_from + 0.01, f_until - 0.01

    def info_text(self, area: InfoArea, office: _OfficeCtx) -> None:
        rng, kinds = self.rng, SHARES["text_kinds"]
        kind = rng.choices(list(kinds), list(kinds.values()))[0]
        steps: list[tuple[float, Any]] = []
        if kind != "empty":
            # korona texts are stale (over a year old); a closure must be over by today
            ceiling = {"korona": 0.45, "closed": 0.88}.get(kind, 1.0)
            f_last = rng.uniform(0.0, ceiling)
            final = self.text(kind, area, office, f_last)
            for _ in range(rng.choices((0, 1, 2), (70, 22, 8))[0]):
                earlier = rng.choice(("short", "korona", "contact", "long"))
                steps.append((rng.uniform(0.0, f_last), self.text(earlier, area, office)))
            steps.append((f_last, final))
        elif rng.random() < 0.10:
            f = rng.uniform(0.0, 0.8)
            earlier = self.text(rng.choice(("short", "korona")), area, office)
            steps = [(f, earlier), (rng.uniform(f, 1.0), "")]
        row = {"office_id": office.index, "area": area.slug}
        self.history(row, "text", "", steps, office, (INFO_TEXT, area.slug))
        self.rows["texts"].append(row)

    def assignment(self, i: int, service: str, maturity: float, office: _OfficeCtx) -> None:
        rng, options = self.rng, self.allowed[service]
        korona = service in SHARES["korona_services"]
        final = self.forced.get((i, service))
        if final is None:
            u, total, shares = rng.random(), 0.0, SHARES["adoption"].get(service, {})
            for tool in options:
                total += min(shares.get(tool, SHARES["other_tool"]) * maturity, 0.9)
                if u < total:
                    final = tool
                    break
        steps: list[tuple[float, Any]] = []
        if final is not None:
            f = rng.uniform(0.0, 0.35) if korona else self.adoption()
            others = [t for t in options if t != final]
            if others and rng.random() < 0.15:
                steps.append((rng.uniform(0.0, f), rng.choice(others)))
            steps.append((f, final))
        elif options and rng.random() < (0.35 if korona else 0.06):
            f = rng.uniform(0.0, 0.35) if korona else 0.9 * self.adoption()
            steps = [(f, rng.choice(options)), (rng.uniform(f, 1.0), None)]
        row = {"office_id": office.index, "service": service}
        self.history(row, "tool_id", None, steps, office, (TOOL_ASSIGNMENT, service))
        self.rows["tools"].append(row)


def _insert(
    session: Session, model: type[Any], rows: list[dict[str, Any]], returning: bool = False
) -> list[int]:
    """Insert `rows` in one executemany; with `returning`, their new ids in the same order."""
    if not rows:
        return []
    table = model.__table__
    if not returning:
        session.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _allowed_tools(session: Session) -> dict[str, list[str]]:
    """Published tool ids per triage service, sorted here (never by the database's collation)."""
    query = select(ToolService.tool_id, ToolService.service).join(TriageTool)
    pairs = sorted(map(tuple, session.execute(query.where(TriageTool.status == "published"))))
    if not pairs:
        raise RuntimeError("Verktøykatalogen er tom: last inn verktøyene før eksempeldataene.")
    return {s: [t for t, service in pairs if service == s] for s in CATALOG.triage_slugs}


def org_check_digit(first8: str) -> int | None:
    """The mod-11 check digit of an organisasjonsnummer, or None when no valid one exists."""
    total = sum(int(d) * w for d, w in zip(first8, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    digit = (11 - total % 11) % 11
    return None if digit == 10 else digit


def _org_numbers(rng: random.Random, count: int) -> list[str]:
    found: list[str] = []
    for base in rng.sample(range(80_000_000, 100_000_000), count + count // 5 + 50):
        digit = org_check_digit(str(base))
        if digit is not None:
            found.append(f"{base}{digit}")
            if len(found) == count:
                break
    return found


def _web_slug(name: str) -> str:
    plain = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in plain if c.isascii() and c.isalnum())[:30]


def _fit(text: str, limit: int) -> str:
    """`text` cut at a sentence (or, failing that, a word) so that it is within `limit`."""
    while len(text) > limit and ". " in text:
        text = text[: text.rindex(". ") + 1]
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0]
    return text


def build_sample(
    session: Session, *, seed: int = 7, offices: int = 1800, today: date = date(2026, 11, 26)
) -> SampleSummary:
    """Insert the synthetic country into a migrated database whose tool catalogue is loaded.

    The database must have no offices yet. The caller commits.
    """
    if session.scalar(select(func.count()).select_from(Office)):
        raise RuntimeError(
            "Databasen har allerede legekontorer; eksempeldata legges bare i en tom."
        )
    rng = random.Random(seed)
    builder = _Builder(session, rng, offices, today, seed)
    users = 0
    for login, display_name in ADMINS:
        if session.scalar(select(User.id).where(User.login == login)) is None:
            row = {"login": login, "display_name": display_name, "role": login, "hpr": None}
            _insert(session, User, [{**row, "active": True}])
            users += 1
    for start in range(0, offices, CHUNK):
        builder.build_chunk(start, min(start + CHUNK, offices))
    counts = builder.counts
    return SampleSummary(offices, counts["gps"], users + counts["users"], counts["events"])
