"""Street reports: filing (duplicates joined), following, and agents moving them along."""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.commune import Commune
from bot.db import utcnow
from bot.outbox import queue
from bot.photos import CleanPhoto, photo_key
from bot.report_records import (
    REFERENCE_UNIQUE,
    PhotoRow,
    ReportChangeRow,
    ReportRow,
    SubscriberRow,
    find_duplicate,
    new_reference,
    subscriber_for,
)
from bot.report_values import (
    MAX_COMMENT,
    MAX_DESCRIPTION,
    NOTIFIED,
    OPEN,
    STATES,
    Draft,
    Filed,
    Report,
    ReportChange,
    Reporter,
    ReportError,
    ReportNotFound,
    Status,
    check_reporter,
    checked_draft,
    normalise_reference,
    report_of,
    status_of,
)
from bot.territory import Territory

__all__ = [
    "OPEN",
    "Draft",
    "Filed",
    "Notices",
    "Report",
    "ReportChange",
    "ReportError",
    "ReportNotFound",
    "ReportStore",
    "Reporter",
    "Status",
    "commune_notices",
    "normalise_reference",
]

Notices = Callable[[Report, Status], dict[str, Any]]


class ReportStore:
    """Reports in the application database; every write is one transaction, serialised."""

    def __init__(
        self,
        engine: Engine,
        territory: Callable[[], Territory],
        *,
        clock: Callable[[], datetime] = utcnow,
        notices: Notices | None = None,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._territory = territory
        self._clock = clock
        self._notices = notices

    # -- photos --------------------------------------------------------------------------

    def save_photo(self, photo: CleanPhoto, owner: str | None) -> str:
        """Keep a cleaned photo sent by the conversation `owner`; its random public id.
        The same image sent twice by one conversation is kept once."""
        digest = photo_key(photo)
        with self._sessions() as session, session.begin():
            same = session.scalars(
                select(PhotoRow).where(PhotoRow.sha256 == digest, PhotoRow.owner == owner)
            ).all()
            for row in same:
                if row.data == photo.data and row.public_id:
                    return row.public_id
            row = PhotoRow(
                public_id=secrets.token_hex(16),
                owner=owner,
                data=photo.data,
                mime=photo.mime,
                width=photo.width,
                height=photo.height,
                sha256=digest,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return str(row.public_id)

    def photo(self, key: str) -> CleanPhoto:
        """A stored photo by its public id (or, for links made before them, its SHA-256);
        ReportNotFound if there is none."""
        column = PhotoRow.sha256 if len(key) == 64 else PhotoRow.public_id
        with self._sessions() as session:
            row = session.scalars(select(PhotoRow).where(column == key)).first()
            if row is None:
                raise ReportNotFound(f"no photo {key}")
            return CleanPhoto(row.data, row.mime, row.width, row.height)

    def photo_owner(self, public_id: str) -> str | None:
        """The conversation that sent a photo; None for an unknown one (or one nobody owns)."""
        with self._sessions() as session:
            return session.scalar(select(PhotoRow.owner).where(PhotoRow.public_id == public_id))

    # -- reading -------------------------------------------------------------------------

    def get(self, reference: str) -> Report:
        """One report, whatever the case of its reference."""
        with self._sessions() as session:
            return report_of(self._find(session, reference))

    def for_owner(self, conversation_id: str) -> list[Report]:
        """The reports a conversation filed or joined, newest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ReportRow)
                .join(SubscriberRow, SubscriberRow.report_id == ReportRow.id)
                .where(SubscriberRow.conversation_id == conversation_id)
                .options(selectinload(ReportRow.changes))
                .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
            ).all()
            return [report_of(row) for row in rows]

    def search(
        self,
        *,
        reference: str | Iterable[str] | None = None,
        category: str | Iterable[str] | None = None,
        status: Iterable[Status] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 1000,
    ) -> list[Report]:
        """Reports matching every filter given, newest first; `[start, end)` on filing time."""
        query = select(ReportRow)
        if reference is not None:
            wanted = [reference] if isinstance(reference, str) else list(reference)
            query = query.where(ReportRow.reference.in_([normalise_reference(r) for r in wanted]))
        if category is not None:
            kinds = [category] if isinstance(category, str) else list(category)
            query = query.where(ReportRow.category.in_(kinds))
        if status is not None:
            query = query.where(ReportRow.status.in_([Status(s).value for s in status]))
        if start is not None:
            query = query.where(ReportRow.created_at >= start)
        if end is not None:
            query = query.where(ReportRow.created_at < end)
        query = query.order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
        with self._sessions() as session:
            rows = session.scalars(
                query.limit(max(0, limit)).options(selectinload(ReportRow.changes))
            ).all()
            return [report_of(row) for row in rows]

    # -- writing -------------------------------------------------------------------------

    def file(self, draft: Draft, reporter: Reporter, *, by: str) -> Filed:
        """File a report, or join the reporter to the open report of the same problem."""
        territory = self._territory()
        checked = checked_draft(draft, territory)
        check_reporter(reporter)
        street_points = {s.nom: (s.lat, s.lon) for s in territory.rues}
        located = checked.lat is not None and checked.lon is not None
        point = (
            (checked.lat, checked.lon)
            if checked.lat is not None and checked.lon is not None
            else street_points.get(checked.street or "")
        )
        with self._writing(lock=f"reports:{checked.category}") as session:
            now = self._now()
            photo = _attachable(session, checked.photo, reporter)
            same = find_duplicate(
                session, territory, checked.category, checked.street, point, located, now
            )
            if same is not None:
                joined = subscriber_for(same, reporter, now)
                if joined is not None:
                    same.subscribers.append(joined)
                    session.flush()
                return Filed(report_of(same), True)
            row = ReportRow(
                reference="",
                category=checked.category,
                description=checked.description,
                street=checked.street,
                address=checked.address,
                lat=checked.lat,
                lon=checked.lon,
                status=Status.RECEIVED.value,
                photo_id=photo,
                created_at=now,
                updated_at=now,
            )
            row.changes.append(ReportChangeRow(status=row.status, by=by, at=now, comment=None))
            first = subscriber_for(row, reporter, now)
            if first is not None:
                row.subscribers.append(first)
            _insert(session, row)
            return Filed(report_of(row), False)

    def change(
        self, reference: str, status: Status | str, *, by: str, comment: str | None = None
    ) -> Report:
        """An agent moves a report along; residents following it are told of what matters."""
        new = status_of(status)
        note = (comment or "").strip() or None
        if new is Status.REJECTED and note is None:
            raise ReportError(
                "reason_required", "Indiquez la raison du rejet : elle sera transmise à l’habitant."
            )
        if note is not None and len(note) > MAX_COMMENT:
            raise ReportError("comment_too_long", f"Commentaire trop long ({MAX_COMMENT} au plus).")
        with self._writing() as session:
            row = self._find(session, reference, lock=True)
            if row.status == new.value:
                raise ReportError(
                    "unchanged", f"Le signalement {row.reference} est déjà « {STATES[new]} »."
                )
            return self._move(session, row, new, by, note)

    def publish(self, reference: str, text: str | None) -> Report:
        """An agent approves the text Open311 shows for a report (empty: the neutral text
        made from its category and place again)."""
        approved = (text or "").strip() or None
        if approved is not None and len(approved) > MAX_DESCRIPTION:
            raise ReportError(
                "description_too_long", f"Le texte est trop long ({MAX_DESCRIPTION} au plus)."
            )
        with self._writing() as session:
            row = self._find(session, reference, lock=True)
            row.public_description = approved
            session.flush()
            return report_of(row)

    def reopen(self, reference: str, *, by: str, conversation_id: str) -> Report:
        """A resident says a fixed problem is back: the report is received again."""
        with self._writing() as session:
            row = self._find(session, reference, lock=True)
            if not any(s.conversation_id == conversation_id for s in row.subscribers):
                raise ReportError(
                    "not_subscriber",
                    "Seule une personne qui a fait ce signalement peut le rouvrir.",
                )
            if row.status != Status.RESOLVED.value:
                raise ReportError(
                    "not_resolved", f"Le signalement {row.reference} n’est pas marqué comme réglé."
                )
            return self._move(session, row, Status.RECEIVED, by, "rouvert : le problème persiste")

    # -- inside a transaction ------------------------------------------------------------

    def _move(
        self, session: Session, row: ReportRow, status: Status, by: str, note: str | None
    ) -> Report:
        now = self._now()
        row.status = status.value
        row.updated_at = now
        row.changes.append(ReportChangeRow(status=status.value, by=by, at=now, comment=note))
        session.flush()
        report = report_of(row)
        kind = NOTIFIED.get(status)
        if kind is not None:
            payload = {
                "reference": report.reference,
                "category": report.category,
                "street": report.street,
                "status": status.value,
                "text": self._default_text(report, status),
            }
            if self._notices is not None:
                payload.update(self._notices(report, status))
            for who in row.subscribers:
                queue(
                    session,
                    kind,
                    dict(payload),
                    conversation_id=who.conversation_id,
                    channel=who.channel,
                    phone=who.phone,
                    email=who.email,
                    reference=report.reference,
                )
        return report

    def _default_text(self, report: Report, status: Status) -> str:
        category = self._territory().categories.get(report.category)
        what = category.nom if category is not None else report.category
        if status is Status.ACKNOWLEDGED:
            return (
                f"Votre signalement {report.reference} ({what}) est pris en compte par la mairie."
            )
        if status is Status.RESOLVED:
            return f"Bonne nouvelle : le problème signalé ({report.reference}, {what}) est réglé."
        reason = report.changes[-1].comment or "sans précision"
        return f"Votre signalement {report.reference} ({what}) n’a pas pu être retenu : {reason}."

    @contextmanager
    def _writing(self, lock: str | None = None) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            dialect = session.get_bind().dialect.name
            if dialect == "sqlite":
                # Take the write lock before reading, so two filings cannot both miss each other.
                session.execute(text("BEGIN IMMEDIATE"))
            elif dialect == "postgresql" and lock is not None:
                key = zlib.crc32(lock.encode())
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield session

    def _find(self, session: Session, reference: str, *, lock: bool = False) -> ReportRow:
        query = select(ReportRow).where(ReportRow.reference == normalise_reference(reference))
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).first()
        if row is None:
            raise ReportNotFound(reference)
        return row

    def _now(self) -> datetime:
        now = self._clock()
        if now.utcoffset() is None:
            raise ValueError("the clock must give timezone-aware instants")
        return now.astimezone(UTC)


def _attachable(session: Session, public_id: str | None, reporter: Reporter) -> int | None:
    """The row id of a photo the reporter's conversation sent; ReportError for any other (a
    guessed id, another conversation's photo), before anything is written."""
    if public_id is None:
        return None
    row = session.scalars(select(PhotoRow).where(PhotoRow.public_id == public_id)).first()
    if row is None or row.owner is None or row.owner != reporter.conversation_id:
        raise ReportError(
            "photo_not_yours",
            "Je ne peux pas joindre cette photo : elle n’a pas été envoyée dans cette "
            "conversation. Envoyez-la à nouveau, ou continuez sans photo.",
        )
    return row.id


def _insert(session: Session, row: ReportRow) -> None:
    """Add a new report under a fresh reference, retried if another writer took it meanwhile."""
    for _ in range(10):
        row.reference = new_reference(session)
        try:
            # A savepoint: a reference taken meanwhile costs a retry, not the transaction.
            with session.begin_nested():
                session.add(row)
        except IntegrityError as error:
            if REFERENCE_UNIQUE in str(error) or "reports.reference" in str(error):
                continue
            raise
        return
    raise ReportError("busy", "Le service est très sollicité : réessayez dans un instant.")


def commune_notices(commune: Callable[[], Commune]) -> Notices:
    """Notice texts rendered from the commune file's signalement_* messages, with their parts.

    The parts (objet, lieu, fait, raison) are what the notification templates
    (communes/notifications/) say; "text" is the commune file's own sentence.
    """

    def notices(report: Report, status: Status) -> dict[str, Any]:
        current = commune()
        category = current.data.signalements.categories.get(report.category)
        objet = category.objet if category is not None else "le problème signalé"
        fait = category.fait if category is not None else "réglé"
        # A report located only by its position has no street: say so rather than leave a gap.
        lieu = report.street or report.address or "à l’endroit indiqué"
        parts: dict[str, Any] = {"objet": objet, "lieu": lieu, "fait": fait}
        if status is Status.ACKNOWLEDGED:
            body = current.message("signalement_pris_en_compte", objet=objet, lieu=lieu)
        elif status is Status.RESOLVED:
            body = current.message("signalement_repare", objet=objet, lieu=lieu, fait=fait)
        else:
            raison = parts["raison"] = report.changes[-1].comment or ""
            body = current.message("signalement_rejete", objet=objet, lieu=lieu, raison=raison)
        return {**parts, "text": body}

    return notices
