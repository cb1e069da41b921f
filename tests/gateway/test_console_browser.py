"""The agents' console in a real browser (Debian's Chromium, Playwright) on the real stack:
a resident asks for a person, an agent answers from the console, and the other agents' jobs."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot import accounts
from bot.commune import load_commune
from bot.outbox import Notification, booking_notices
from bot.reports import Draft, Reporter, ReportStore, commune_notices
from bot.settings import ROOT
from bot.stack import Stack
from calendar_store.spec import BookingRequest, Contact, Requester
from calendar_store.store import Store
from tests.helpers import fake_telegram as tg
from tests.helpers.calendar import PARIS, at
from tests.helpers.channels import telegram_post, twilio_post, until
from tests.helpers.fake_twilio import FakeTwilio, inbound_params
from tests.helpers.stack import say

pytestmark = pytest.mark.stack
CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
PAYLOADS = (
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 1">',
)


@pytest.fixture(scope="module")
def agent(stack_engine: Engine) -> dict[str, str]:
    login, password = f"agent-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    with Session(stack_engine) as db, db.begin():
        accounts.create_agent(db, login, "Paul Lenoir", password, "agent")
    return {"login": login, "password": password}


def open_page(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return context, page, errors


@pytest.fixture
def console(browser: Any, stack: Stack, agent: dict[str, str]) -> Iterator[Any]:
    """An agent signed in through the login form, on the queue page."""
    context, page, errors = open_page(browser, stack.config.gateway_url + "/console/")
    assert "/console/connexion" in page.url  # no page without a session
    page.fill("#login", agent["login"])
    page.fill("#password", agent["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    yield page
    context.close()
    assert errors == [], f"console errors (CSP violations included): {errors}"


@pytest.fixture
def chat(browser: Any, stack: Stack) -> Iterator[Any]:
    context, page, errors = open_page(browser, stack.config.gateway_url + "/")
    yield page
    context.close()
    assert errors == [], f"web chat errors: {errors}"


def test_a_resident_asks_for_a_person_and_an_agent_answers_live(console: Any, chat: Any) -> None:
    console.evaluate("window.__still_here = true")  # proof that nothing reloads the page
    chat.locator("#message").fill("Je voudrais parler à un agent, s'il vous plaît")
    chat.keyboard.press("Enter")
    chat.locator(".message--bot", has_text="agent de l’accueil").wait_for(timeout=30_000)
    chat.locator("#message").fill("C'est pour un acte de naissance de 1952")
    chat.keyboard.press("Enter")
    row = console.locator("#file a", has_text="acte de naissance de 1952")
    row.wait_for(timeout=10_000)  # arrived by the live feed
    assert console.evaluate("window.__still_here") is True
    row.click()
    console.wait_for_url("**/console/conversations/**")
    assert console.locator(".msg--resident", has_text="parler à un agent").count() == 1
    console.fill("#texte", "Bonjour, je suis Paul, de l’accueil. Je regarde cela.")
    console.click("form.repondre button[type=submit]")
    console.locator(".notice", has_text="Votre réponse est partie").wait_for()
    chat.locator(".message--agent", has_text="je suis Paul").wait_for(timeout=15_000)
    # The resident writes again: it appears in the open conversation without a reload.
    console.evaluate("window.__still_here = true")
    chat.locator("#message").fill("Merci beaucoup !")
    chat.keyboard.press("Enter")
    console.locator(".msg--resident", has_text="Merci beaucoup").wait_for(timeout=10_000)
    assert console.evaluate("window.__still_here") is True
    assert chat.locator(".message--bot", has_text="Merci beaucoup").count() == 0  # silent bot


def test_an_agent_approves_a_pending_hall_booking_and_the_resident_is_notified(
    console: Any, stack_engine: Engine
) -> None:
    day = date.today() + timedelta(days=40)
    store = Store(stack_engine, CLAIRVAL.resources(), tz=PARIS)
    contact = Contact("Jeanne Martin", Requester.RESIDENT, phone="+33612121212")
    ask = BookingRequest(
        "salle-des-fetes", at(day), at(day + timedelta(days=1)), contact, 1, "web:jeanne", "web"
    )
    pending = store.book(ask, by="web:jeanne", after=booking_notices(PARIS))
    console.click("text=Réservations")
    console.click(f"button:has-text('la réservation {pending.reference}')")
    console.locator(".notice").first.wait_for()
    assert store.get(pending.reference).status.value == "confirmed"
    with Session(stack_engine) as session:
        kinds = session.scalars(
            select(Notification.kind).where(Notification.reference == pending.reference)
        ).all()
    assert "booking_confirmed" in kinds  # queued with the approval, in its transaction


def test_an_agent_resolves_a_report_and_the_reporter_is_told_on_telegram(
    console: Any, stack: Stack, stack_engine: Engine, fake_telegram: tg.FakeTelegram
) -> None:
    chat_id = 700_000 + secrets.randbelow(99_999)
    reports = ReportStore(
        stack_engine, lambda: CLAIRVAL.data.signalements, notices=commune_notices(lambda: CLAIRVAL)
    )
    filed = reports.file(
        Draft("tags", "Un tag sur le mur de l’école", "rue des Écoles", None, None, None),
        Reporter(conversation_id=f"telegram:{chat_id}", channel="telegram"),
        by=f"telegram:{chat_id}",
    ).report
    console.goto(f"{stack.config.gateway_url}/console/signalements/{filed.reference}")
    console.select_option("#etat", "resolved")
    console.fill("#commentaire", "Tag effacé par les services techniques.")
    console.click("form[action$='/etat'] button[type=submit]")
    console.locator(".notice").first.wait_for()
    told = until(
        lambda: [m for m in fake_telegram.sent if m["chat_id"] == chat_id],
        what="the resolution notice on Telegram",
    )
    assert filed.reference in told[0]["text"] and "effacé" in told[0]["text"]


def test_resident_text_never_runs_in_the_console_whatever_the_channel(
    console: Any,
    stack: Stack,
    gateway: httpx.Client,
    fake_twilio: FakeTwilio,
    stack_engine: Engine,
) -> None:
    public = stack.config.env["PUBLIC_URL"]
    web = f"test-{uuid.uuid4().hex[:10]}"
    phone = f"+3367{secrets.randbelow(10**7):07d}"
    chat_id = 800_000 + secrets.randbelow(99_999)
    update = iter(range(90_000_000 + secrets.randbelow(10**6), 10**12))
    for payload in ("urgence", *PAYLOADS):  # "urgence" hands each conversation to the agents
        say(gateway, web, payload)
        params = inbound_params(phone, payload, to=fake_twilio.from_number)
        assert twilio_post(gateway, public, fake_twilio.auth_token, params).status_code == 200
        assert (
            telegram_post(gateway, tg.text_update(next(update), chat_id, payload)).status_code
            == 200
        )
    conversations = [f"web:{web}", f"sms:{phone}", f"telegram:{chat_id}"]
    reports = ReportStore(stack_engine, lambda: CLAIRVAL.data.signalements)
    filed = reports.file(
        Draft("autre", PAYLOADS[1], "rue du Moulin", None, None, None),
        Reporter(conversation_id=f"web:{web}", channel="web"),
        by=f"web:{web}",
    ).report
    pages = ["/console/", f"/console/signalements/{filed.reference}"]
    pages += [f"/console/conversations/{c}" for c in conversations]
    for path in pages:
        until(partial(_shows_payload, console, stack, path), timeout=15, what=path)
        assert console.evaluate("typeof window.__pwned") == "undefined", path


def _shows_payload(console: Any, stack: Stack, path: str) -> bool:
    console.goto(stack.config.gateway_url + path)
    return "onerror" in console.locator("main").inner_text()
