"""Console pages for bookings, reports and the dashboard, over HTTP, signed in as an agent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from bot import accounts
from bot.commune import CommuneStore
from bot.dates import say_date
from bot.db import make_session_factory
from bot.models import Conversation, Message
from bot.outbox import Notification, booking_notices, queue
from bot.report_records import ReportRow
from bot.reports import ReportStore, Status, commune_notices
from bot.settings import load_settings
from calendar_store.spec import Booking, BookingRequest, Contact, Requester
from gateway.app import SecurityHeaders
from gateway.bookings import Desk
from gateway.console import auth, bookings, dashboard, reports
from gateway.console.base import ConsoleContext, environment
from gateway.console.sending import Sending
from tests.conftest import DEMO_COMMUNE
from tests.helpers.bookings import at, saturday, weekday
from tests.helpers.reports import draft, notifications, reporter

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def ctx(engine: Engine) -> ConsoleContext:
    commune = CommuneStore(DEMO_COMMUNE)
    return ConsoleContext(
        engine=engine,
        commune=commune,
        settings=load_settings({}),
        desk=Desk(engine, commune),
        reports=ReportStore(
            engine, lambda: commune.get().data.signalements, notices=commune_notices(commune.get)
        ),
        templates=environment(),
    )


@pytest.fixture
def anonymous(ctx: ConsoleContext) -> Iterator[TestClient]:
    app = Starlette(
        routes=[
            *auth.routes(ctx),
            *bookings.routes(ctx),
            *reports.routes(ctx),
            *dashboard.routes(ctx),
            *Sending(ctx).routes(),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def client(ctx: ConsoleContext, anonymous: TestClient) -> TestClient:
    """Signed in as agent « marie » through the real sign-in form."""
    with ctx.sessions.begin() as session:
        accounts.create_agent(session, "marie", "Marie Dupont", PASSWORD)
    form = anonymous.get("/console/connexion")
    token = _CSRF.search(form.text)
    assert token is not None
    signed = anonymous.post(
        "/console/connexion",
        data={"csrf": token.group(1), "login": "marie", "password": PASSWORD, "suite": "/console/"},
    )
    assert signed.status_code == 303
    return anonymous


def csrf(client: TestClient) -> str:
    found = _CSRF.search(client.get("/console/reservations").text)
    assert found is not None
    return found.group(1)


def book(ctx: ConsoleContext, resource: str, start: datetime, end: datetime, **who: Any) -> Booking:
    owner = who.pop("owner", "web:alice")
    contact = Contact(
        name=who.pop("name", "Camille Martin"),
        type=Requester.RESIDENT,
        phone="+33612345678",
        email=who.pop("email", None),
    )
    ask = BookingRequest(
        resource, start, end, contact, owner=owner, channel=owner.split(":")[0] if owner else None
    )
    return ctx.desk.store().book(ask, by=owner or "api", after=booking_notices(ctx.desk.tz))


def status_of(ctx: ConsoleContext, reference: str) -> str:
    return str(ctx.desk.store().get(reference).status)


def kinds(engine: Engine, reference: str) -> list[str]:
    return [n["kind"] for n in notifications(engine) if n["reference"] == reference]


def audited(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT agent_id, action, target FROM audit_log "
                "WHERE action LIKE 'booking.%' OR action LIKE 'report.%' ORDER BY id"
            )
        )
        return [tuple(r) for r in rows]


def hall(ctx: ConsoleContext, weeks: int = 4, **who: Any) -> Booking:
    day = saturday(weeks)
    return book(ctx, "salle-des-fetes", at(day), at(day + timedelta(days=1)), **who)


# -- sessions and CSRF ------------------------------------------------------------------------


PAGES = [
    "/console/reservations",
    "/console/reservations/calendrier",
    "/console/signalements",
    "/console/signalements/SIG-AAAA",
    "/console/tableau-de-bord",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_without_a_session(anonymous: TestClient, path: str) -> None:
    answer = anonymous.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/connexion?suite=")


def test_no_action_without_a_session(ctx: ConsoleContext, anonymous: TestClient) -> None:
    pending = hall(ctx)
    answer = anonymous.post(f"/console/reservations/{pending.reference}/approuver")
    assert answer.status_code == 303
    assert status_of(ctx, pending.reference) == "pending"


def test_every_post_without_csrf_is_refused(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    pending = hall(ctx)
    filed = ctx.reports.file(draft(), reporter(), by="web:alice").report
    for path, data in (
        (f"/console/reservations/{pending.reference}/approuver", {}),
        (f"/console/reservations/{pending.reference}/refuser", {"raison": "Complet"}),
        (f"/console/reservations/{pending.reference}/annuler", {}),
        (f"/console/signalements/{filed.reference}/etat", {"etat": "resolved"}),
        (f"/console/reservations/{pending.reference}/approuver", {"csrf": "faux" * 11}),
    ):
        answer = client.post(path, data=data)
        assert answer.status_code == 403, path
        assert "formulaire a expiré" in answer.text
    assert status_of(ctx, pending.reference) == "pending"
    assert ctx.reports.get(filed.reference).status is Status.RECEIVED
    assert audited(engine) == []


# -- bookings ---------------------------------------------------------------------------------


def test_pending_requests_are_listed_oldest_first_with_what_to_decide(
    ctx: ConsoleContext, client: TestClient
) -> None:
    first = hall(ctx, weeks=8, name="Paul Lenoir")
    second = hall(ctx, weeks=5, name="Zoé Garnier", email="zoe@example.org")
    page = client.get("/console/reservations")
    assert page.status_code == 200
    body = page.text
    assert body.index(first.reference) < body.index(second.reference)  # asked first
    assert "Zoé Garnier" in body and "zoe@example.org" in body and "+33612345678" in body
    assert "250\u00a0€" in body and "500\u00a0€" in body  # price and deposit
    assert say_date(saturday(5)) in body  # "samedi 5 décembre 2026"
    assert "habitant de la commune" in body


def test_approving_confirms_and_queues_the_resident_s_notice(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    pending = hall(ctx)
    answer = client.post(
        f"/console/reservations/{pending.reference}/approuver", data={"csrf": csrf(client)}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        f"/console/reservations?fait=approuvee&ref={pending.reference}"
    )
    assert status_of(ctx, pending.reference) == "confirmed"
    assert "booking_confirmed" in kinds(engine, pending.reference)
    assert audited(engine) == [(1, "booking.approve", pending.reference)]
    shown = client.get(answer.headers["location"]).text
    assert f"La réservation {pending.reference} est approuvée" in shown
    changes = ctx.desk.store().changes(pending.reference)
    assert changes[-1].by == "agent:marie"
    again = client.post(
        f"/console/reservations/{pending.reference}/approuver", data={"csrf": csrf(client)}
    )
    assert "deja_traitee" in again.headers["location"]
    assert "a déjà été traitée" in client.get(again.headers["location"]).text


def test_a_refusal_needs_a_reason_which_the_resident_receives(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    pending = hall(ctx)
    path = f"/console/reservations/{pending.reference}/refuser"
    empty = client.post(path, data={"csrf": csrf(client), "raison": "   "})
    assert empty.status_code == 400
    assert "Indiquez la raison du refus" in empty.text
    assert status_of(ctx, pending.reference) == "pending"
    assert "booking_rejected" not in kinds(engine, pending.reference)
    reason = "La salle est réservée pour les élections ce jour-là."
    answer = client.post(path, data={"csrf": csrf(client), "raison": reason})
    assert answer.status_code == 303
    assert status_of(ctx, pending.reference) == "rejected"
    rejected = [
        n
        for n in notifications(engine)
        if n["reference"] == pending.reference and n["kind"] == "booking_rejected"
    ]
    assert [n["payload"]["reason"] for n in rejected] == [reason]
    assert audited(engine) == [(1, "booking.reject", pending.reference)]


def test_an_agent_cancels_a_booking_made_in_a_conversation(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    day = weekday(2)
    confirmed = book(ctx, "salle-des-associations", at(day, 18), at(day, 20), owner="sms:+33611")
    assert status_of(ctx, confirmed.reference) == "confirmed"
    listed = client.get("/console/reservations").text
    assert confirmed.reference in listed and "Réservations confirmées à venir (1)" in listed
    answer = client.post(
        f"/console/reservations/{confirmed.reference}/annuler", data={"csrf": csrf(client)}
    )
    assert answer.headers["location"].endswith(f"fait=annulee&ref={confirmed.reference}")
    assert status_of(ctx, confirmed.reference) == "cancelled"
    assert "booking_cancelled" in kinds(engine, confirmed.reference)
    assert audited(engine) == [(1, "booking.cancel", confirmed.reference)]


def test_an_agent_cancels_a_booking_made_through_the_api_too(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    day = weekday(2)
    made = book(ctx, "salle-des-associations", at(day, 9), at(day, 10), owner=None)
    answer = client.post(
        f"/console/reservations/{made.reference}/annuler", data={"csrf": csrf(client)}
    )
    assert answer.headers["location"].endswith(f"fait=annulee&ref={made.reference}")
    assert status_of(ctx, made.reference) == "cancelled"
    assert audited(engine) == [(1, "booking.cancel", made.reference)]


def test_the_week_grid_shows_a_resource_s_bookings_day_by_day(
    ctx: ConsoleContext, client: TestClient
) -> None:
    pending = hall(ctx, name="Paul Lenoir")
    wednesday = weekday(2)  # same week as saturday(4)
    monday = weekday(0)
    page = client.get(
        "/console/reservations/calendrier",
        params={"ressource": "salle-des-fetes", "semaine": wednesday.isoformat()},
    )
    assert page.status_code == 200
    body = page.text
    assert pending.reference in body and "Paul Lenoir" in body
    assert "toute la journée" in body and "en attente de validation" in body
    assert f"semaine={(monday - timedelta(days=7)).isoformat()}" in body
    assert f"semaine={(monday + timedelta(days=7)).isoformat()}" in body
    later = client.get(
        "/console/reservations/calendrier",
        params={
            "ressource": "salle-des-fetes",
            "semaine": (monday + timedelta(days=7)).isoformat(),
        },
    )
    assert pending.reference not in later.text
    unknown = client.get("/console/reservations/calendrier", params={"ressource": "piscine"})
    assert unknown.status_code == 404
    assert "Cette ressource n’existe pas" in unknown.text


# -- reports ----------------------------------------------------------------------------------


def references(page: str) -> set[str]:
    return set(re.findall(r">(SIG-[A-Z0-9]{4})</a>", page))


def test_filters_narrow_the_report_list(ctx: ConsoleContext, client: TestClient) -> None:
    lilas = ctx.reports.file(draft(), reporter(), by="web:alice").report
    moulin = ctx.reports.file(
        draft(street="rue du Moulin", address=None), reporter("web:bob"), by="web:bob"
    ).report
    road = ctx.reports.file(
        draft(category="voirie", street="rue du Moulin", description="Un trou."),
        reporter("web:carl"),
        by="web:carl",
    ).report
    ctx.reports.change(road.reference, "resolved", by="agent:x")
    everything = client.get("/console/signalements")
    assert references(everything.text) == {lilas.reference, moulin.reference, road.reference}
    assert "éclairage public" in everything.text and "voirie et nids-de-poule" in everything.text
    assert "reçu" in everything.text and "résolu" in everything.text
    lights = client.get("/console/signalements", params={"categorie": "eclairage"})
    assert references(lights.text) == {lilas.reference, moulin.reference}
    street = client.get(
        "/console/signalements", params={"categorie": "eclairage", "rue": "rue du Moulin"}
    )
    assert references(street.text) == {moulin.reference}
    done = client.get("/console/signalements", params={"etat": "resolved"})
    assert references(done.text) == {road.reference}
    still = client.get("/console/signalements", params={"etat": "ouverts"})
    assert references(still.text) == {lilas.reference, moulin.reference}


def test_the_report_list_shows_fifty_a_page_newest_first(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with make_session_factory(engine).begin() as session:
        for n in range(55):
            at_ = start + timedelta(hours=n)
            session.add(
                ReportRow(
                    reference=f"SIG-{n:04d}",
                    category="voirie",
                    description="Un trou.",
                    street="rue des Lilas",
                    status="received",
                    created_at=at_,
                    updated_at=at_,
                )
            )
    first = client.get("/console/signalements", params={"categorie": "voirie"})
    found = re.findall(r">(SIG-\d{4})</a>", first.text)
    assert found == [f"SIG-{n:04d}" for n in range(54, 4, -1)]
    assert "55 signalements, page 1 sur 2" in first.text
    assert 'href="/console/signalements?categorie=voirie&amp;page=2"' in first.text
    second = client.get("/console/signalements", params={"categorie": "voirie", "page": "2"})
    assert re.findall(r">(SIG-\d{4})</a>", second.text) == [
        f"SIG-{n:04d}" for n in range(4, -1, -1)
    ]


def test_a_status_change_notifies_the_subscribers_and_is_audited(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    filed = ctx.reports.file(draft(), reporter(), by="web:alice").report
    path = f"/console/signalements/{filed.reference}"
    detail = client.get(path)
    assert detail.status_code == 200
    assert "Le lampadaire ne s&#39;allume plus." in detail.text
    assert "devant le 12 rue des Lilas" in detail.text
    no_reason = client.post(f"{path}/etat", data={"csrf": csrf(client), "etat": "rejected"})
    assert no_reason.status_code == 400
    assert "Indiquez la raison du rejet" in no_reason.text
    answer = client.post(
        f"{path}/etat",
        data={"csrf": csrf(client), "etat": "resolved", "commentaire": "Ampoule changée."},
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{path}?fait=etat"
    assert ctx.reports.get(filed.reference).status is Status.RESOLVED
    resolved = [n for n in notifications(engine) if n["kind"] == "report_resolved"]
    assert [(n["conversation_id"], n["reference"]) for n in resolved] == [
        ("web:alice", filed.reference)
    ]
    assert audited(engine) == [(1, "report.status", filed.reference)]
    shown = client.get(answer.headers["location"]).text
    assert "État changé\u00a0: «\u00a0résolu\u00a0»" in shown
    assert "Ampoule changée." in shown and "agent «\u00a0marie\u00a0»" in shown
    assert re.search(r"<dd>1</dd>", shown)  # one subscriber


def test_an_agent_approves_the_text_the_public_reads(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    said = "Jean Dupont, 06 12 34 56 78 : le lampadaire devant chez moi est éteint"
    filed = ctx.reports.file(draft(description=said), reporter(), by="web:alice").report
    path = f"/console/signalements/{filed.reference}"
    shown = client.get(path).text
    assert "Texte public (Open311)" in shown
    assert "Signalement «\u00a0éclairage public\u00a0», rue des Lilas." in shown
    published = client.post(
        f"{path}/texte-public",
        data={"csrf": csrf(client), "texte": "Lampadaire éteint devant le 12."},
    )
    assert published.status_code == 303
    assert published.headers["location"] == f"{path}?fait=texte"
    assert ctx.reports.get(filed.reference).public_description == "Lampadaire éteint devant le 12."
    assert ctx.reports.get(filed.reference).description == said  # kept for the agents
    assert audited(engine) == [(1, "report.public_text", filed.reference)]
    too_long = client.post(f"{path}/texte-public", data={"csrf": csrf(client), "texte": "x" * 2001})
    assert too_long.status_code == 400 and "trop long" in too_long.text
    assert ctx.reports.get(filed.reference).public_description == "Lampadaire éteint devant le 12."


def test_a_script_in_a_description_comes_out_escaped(
    ctx: ConsoleContext, client: TestClient
) -> None:
    filed = ctx.reports.file(
        draft(description="<script>alert('x')</script> lampadaire"), reporter(), by="web:alice"
    ).report
    page = client.get(f"/console/signalements/{filed.reference}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'


def test_an_unknown_report_is_a_french_404(client: TestClient) -> None:
    page = client.get("/console/signalements/SIG-ZZZZ")
    assert page.status_code == 404
    assert "Aucun signalement ne porte le numéro" in page.text


# -- dashboard --------------------------------------------------------------------------------


def test_the_dashboard_shows_this_fortnight_s_figures(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    now = datetime.now(UTC) - timedelta(minutes=5)
    with make_session_factory(engine).begin() as session:
        for name in ("web:a", "sms:b"):
            channel, _, external = name.partition(":")
            session.add(Conversation(id=name, channel=channel, external_id=external))
        session.flush()
        for conversation, author, words, topic in (
            ("web:a", "resident", "Horaires ?", None),
            ("web:a", "assistant", "De 8h30 à 12h.", "ask_hours"),
            ("sms:b", "resident", "<script>x</script> quel temps ?", None),
            ("sms:b", "assistant", "Je n’ai pas compris.", "reformuler"),
        ):
            session.add(
                Message(
                    conversation_id=conversation,
                    direction="in" if author == "resident" else "out",
                    author=author,
                    text=words,
                    payload={"topic": topic} if topic else None,
                    created_at=now,
                )
            )
    page = client.get("/console/tableau-de-bord")
    assert page.status_code == 200
    body = page.text
    assert "100\u00a0%" in body  # nobody was handed to an agent
    assert "2 conversations sur 2" in body
    assert "Horaires de la mairie" in body  # the commune's own title for ask_hours
    assert "Non compris" in body
    assert "&lt;script&gt;x&lt;/script&gt; quel temps ?" in body
    assert "<script>x" not in body
    assert "La salle des fêtes" in body
    assert "Aucun signalement résolu" in body


def test_notices_that_did_not_arrive_are_listed_and_may_be_sent_again(
    ctx: ConsoleContext, client: TestClient, engine: Engine
) -> None:
    def notice(status: str, reason: str) -> int:
        with ctx.sessions.begin() as session:
            row = queue(
                session,
                "report_resolved",
                {"reference": "SIG-AAAA"},
                conversation_id="telegram:42",
                channel="telegram",
                reference="SIG-AAAA",
            )
            row.status, row.last_error = status, reason
            session.flush()
            return row.id

    failed = notice("failed", "Telegram : <b>bot was blocked</b> by the user")
    doubtful = notice("uncertain", "envoi interrompu")
    notice("sent", "")
    page_ = client.get("/console/envois")
    assert page_.status_code == 200
    body = page_.text
    assert "&lt;b&gt;bot was blocked&lt;/b&gt;" in body and "<b>bot" not in body
    assert f"/console/envois/{failed}/renvoyer" in body
    assert f"/console/envois/{doubtful}/renvoyer" in body
    assert body.count("/renvoyer") == 2  # the sent one is not there
    assert client.post(f"/console/envois/{failed}/renvoyer").status_code == 403  # no CSRF
    again = client.post(f"/console/envois/{failed}/renvoyer", data={"csrf": csrf(client)})
    assert again.headers["location"].endswith("fait=renvoi")
    with ctx.sessions() as session:
        row = session.get(Notification, failed)
        assert row is not None and (row.status, row.attempts) == ("queued", 0)
    twice = client.post(f"/console/envois/{failed}/renvoyer", data={"csrf": csrf(client)})
    assert twice.headers["location"].endswith("fait=rien")  # queued already: nothing to do
    with engine.connect() as connection:
        actions = connection.execute(
            text("SELECT action, target FROM audit_log WHERE action = 'notification.resend'")
        ).all()
    assert [tuple(a) for a in actions] == [("notification.resend", str(failed))]
