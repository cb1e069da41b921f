"""Console sign-in over HTTP: redirects, CSRF, cookies, limits, roles, the agents page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from bot import accounts
from bot.accounts import Agent, AgentSessionRow, create_agent
from bot.audit import AuditRow
from bot.commune import CommuneStore
from bot.db import utcnow
from bot.reports import ReportStore
from bot.settings import load_settings
from gateway.bookings import Desk
from gateway.console import auth
from gateway.console.auth import AgentSession, api, page, render, routes, safe_suite
from gateway.console.base import ConsoleContext, environment
from tests.conftest import DEMO_COMMUNE

PASSWORD = "correct cheval agrafe"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def console(engine: Engine, public_url: str = "http://127.0.0.1:8000") -> ConsoleContext:
    settings = load_settings(
        {
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "COMMUNE_FILE": str(DEMO_COMMUNE),
            "PUBLIC_URL": public_url,
        }
    )
    commune = CommuneStore(settings.commune_file)
    reports = ReportStore(engine, lambda: commune.get().data.signalements)
    return ConsoleContext(engine, commune, settings, Desk(engine, commune), reports, environment())


def application(ctx: ConsoleContext) -> Starlette:
    async def essai(request: Request, session: AgentSession) -> Response:
        if request.method == "POST":  # the form was read by the CSRF check: still readable
            return PlainTextResponse(f"reçu {(await request.form()).get('texte')}")
        return PlainTextResponse(f"bonjour {session.name}")

    async def essai_json(_request: Request, session: AgentSession) -> Response:
        return JSONResponse({"agent": session.login})

    async def echappe(request: Request, session: AgentSession) -> Response:
        message = "<script>alert(1)</script>"
        return render(ctx, request, session, "erreur.html", 404, message=message)

    return Starlette(
        routes=[
            *routes(ctx),
            Route("/console/essai", page(ctx, essai), methods=["GET", "POST"]),
            Route("/console/reserve", page(ctx, essai, admin=True)),
            Route("/console/api/essai", api(ctx, essai_json), methods=["GET", "POST"]),
            Route("/console/api/reserve", api(ctx, essai_json, admin=True)),
            Route("/console/echappe", page(ctx, echappe)),
        ]
    )


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(1, 8, 1))


@pytest.fixture
def ctx(engine: Engine) -> ConsoleContext:
    ctx = console(engine)
    with ctx.sessions.begin() as db:
        create_agent(db, "admin", "Élise Admin", PASSWORD, "admin")
        create_agent(db, "paul", "Paul <b>Martin</b>", PASSWORD, "agent")
    return ctx


@pytest.fixture
def client(ctx: ConsoleContext) -> Iterator[TestClient]:
    with TestClient(application(ctx), follow_redirects=False) as client:
        yield client


def new_client(ctx: ConsoleContext) -> TestClient:
    return TestClient(application(ctx), follow_redirects=False)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, html
    return found.group(1)


def sign_in(
    client: TestClient, who: str, password: str = PASSWORD, suite: str = ""
) -> httpx.Response:
    form = client.get("/console/connexion", params={"suite": suite} if suite else None)
    assert form.status_code == 200
    fields = {"csrf": csrf_of(form.text), "login": who, "password": password}
    response: httpx.Response = client.post("/console/connexion", data={**fields, "suite": suite})
    return response


def session_csrf(client: TestClient) -> str:
    return csrf_of(client.get("/console/agents").text)


def set_cookies(response: httpx.Response, name: str) -> list[str]:
    return [v for v in response.headers.get_list("set-cookie") if v.startswith(f"{name}=")]


# No page without a session


def test_every_console_page_sends_strangers_to_the_sign_in_page(client: TestClient) -> None:
    for path in ("/console/essai?filtre=a&b=1", "/console/agents", "/console/reserve"):
        response = client.get(path)
        assert response.status_code == 303
        target = urlsplit(response.headers["location"])
        assert target.path == "/console/connexion"
        assert parse_qs(target.query) == {"suite": [path]}
    assert client.post("/console/essai", data={"texte": "x"}).status_code == 303
    response = client.get("/console/api/essai")
    assert response.status_code == 401
    assert response.json()["reason"] == "not_authenticated"


def test_sign_in_goes_back_to_the_page_asked_for(client: TestClient) -> None:
    response = sign_in(client, "ADMIN", suite="/console/essai?filtre=a")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/essai?filtre=a"
    assert client.get("/console/essai").text == "bonjour Élise Admin"
    # Once signed in, the sign-in page sends the agent on.
    again = client.get("/console/connexion", params={"suite": "/console/reserve"})
    assert (again.status_code, again.headers["location"]) == (303, "/console/reserve")
    assert client.get("/console/connexion").headers["location"] == "/console/"


@pytest.mark.parametrize(
    "suite",
    [
        "//evil.example",
        "//evil.example/console",
        "https://evil.example/console/",
        "/\\evil.example",
        "/console\\..\\@evil.example",
        "javascript:alert(1)",
        "/console//evil.example",
        "/ailleurs",
        "/console/connexion",
    ],
)
def test_only_console_paths_are_followed_after_sign_in(suite: str) -> None:
    assert safe_suite(suite) == "/console/"


def test_an_open_redirect_through_suite_is_ignored(client: TestClient) -> None:
    form = client.get("/console/connexion", params={"suite": "//evil.example"})
    assert 'name="suite" value="/console/"' in form.text
    response = sign_in(client, "admin", suite="//evil.example")
    assert response.headers["location"] == "/console/"
    assert safe_suite("/console/reservations?semaine=2026-03-09") == (
        "/console/reservations?semaine=2026-03-09"
    )


# Cookies


def test_the_session_cookie_is_http_only_strict_and_scoped_to_the_console(
    client: TestClient, ctx: ConsoleContext
) -> None:
    form = client.get("/console/connexion")
    [pre] = set_cookies(form, auth.CSRF_COOKIE)
    assert "httponly" in pre.lower()
    assert "samesite=strict" in pre.lower()
    assert "secure" not in pre.lower()
    response = sign_in(client, "admin")
    [cookie] = set_cookies(response, auth.COOKIE)
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert {"httponly", "samesite=strict", "path=/console"} <= set(flags)
    assert "secure" not in flags
    token = cookie.split(";")[0].split("=", 1)[1]
    with ctx.sessions() as db:
        row = db.scalars(select(AgentSessionRow)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_cookies_are_secure_with_an_https_public_url(engine: Engine) -> None:
    ctx = console(engine, "https://mairie.example")
    with ctx.sessions.begin() as db:
        create_agent(db, "admin", "Admin", PASSWORD, "admin")
    with TestClient(application(ctx), base_url="https://testserver", follow_redirects=False) as c:
        form = c.get("/console/connexion")
        assert "secure" in set_cookies(form, auth.CSRF_COOKIE)[0].lower().split("; ")
        response = sign_in(c, "admin")
        assert response.status_code == 303
        assert "secure" in set_cookies(response, auth.COOKIE)[0].lower().split("; ")


# CSRF


def test_the_sign_in_form_needs_its_csrf_token(client: TestClient, ctx: ConsoleContext) -> None:
    token = csrf_of(client.get("/console/connexion").text)
    base = {"login": "admin", "password": PASSWORD}
    for fields in ({}, {"csrf": "faux" + token[4:]}):
        response = client.post("/console/connexion", data={**base, **fields})
        assert response.status_code == 403
        assert "formulaire a expiré" in response.text
        assert not set_cookies(response, auth.COOKIE)
    # The right field without its cookie (another site's form) is refused too.
    stranger = new_client(ctx)
    response = stranger.post("/console/connexion", data={**base, "csrf": token})
    assert response.status_code == 403
    with ctx.sessions() as db:
        assert db.scalars(select(AgentSessionRow)).all() == []


def test_an_authenticated_post_needs_the_session_csrf_token(client: TestClient) -> None:
    sign_in(client, "admin")
    token = session_csrf(client)
    wrong = token[:-1] + ("B" if token.endswith("A") else "A")  # never the token itself
    for fields in ({"texte": "x"}, {"texte": "x", "csrf": wrong}):
        response = client.post("/console/essai", data=fields)
        assert response.status_code == 403
        assert "formulaire a expiré" in response.text
    response = client.post("/console/essai", data={"texte": "bonjour", "csrf": token})
    assert (response.status_code, response.text) == (200, "reçu bonjour")
    refused = client.post("/console/api/essai", json={})
    assert (refused.status_code, refused.json()["reason"]) == (403, "csrf")
    fetched = client.post("/console/api/essai", json={}, headers={"X-CSRF-Token": token})
    assert fetched.json() == {"agent": "admin"}


# Sessions


def test_logout_ends_the_session(client: TestClient, ctx: ConsoleContext) -> None:
    sign_in(client, "admin")
    token = session_csrf(client)
    cookie = client.cookies.get(auth.COOKIE)
    assert client.post("/console/deconnexion", data={}).status_code == 403  # no CSRF token
    assert client.get("/console/essai").status_code == 200
    response = client.post("/console/deconnexion", data={"csrf": token})
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/console/connexion?sortie=1",
    )
    assert "Votre session est fermée." in client.get(response.headers["location"]).text
    replay = new_client(ctx)
    replay.cookies.set(auth.COOKIE, str(cookie), path="/console")
    assert replay.get("/console/essai").status_code == 303
    with ctx.sessions() as db:
        assert db.scalars(select(AgentSessionRow)).all() == []
        assert db.scalars(select(AuditRow.action).order_by(AuditRow.id)).all()[-2:] == [
            "login.success",
            "logout",
        ]


def test_an_idle_session_expires(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, "admin")
    later = utcnow() + timedelta(hours=8, minutes=1)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    assert client.get("/console/essai").status_code == 303
    assert client.get("/console/api/essai").status_code == 401


def test_roles_are_enforced(client: TestClient) -> None:
    sign_in(client, "paul")
    assert client.get("/console/essai").status_code == 200
    refused = client.get("/console/reserve")
    assert refused.status_code == 403
    assert "réservée aux administrateurs" in refused.text
    assert client.get("/console/agents").status_code == 403
    assert client.get("/console/api/reserve").json()["reason"] == "forbidden"


def test_resident_and_agent_text_is_escaped(client: TestClient) -> None:
    sign_in(client, "paul")
    html = client.get("/console/echappe").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "Paul &lt;b&gt;Martin&lt;/b&gt;" in html
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html
    assert 'href="/static/console.css"' in html
    assert "<style" not in html
    assert "<script" not in html


# Login limits


ATTACKER = ("203.0.113.66", 4444)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The console's clock, moved by hand: [now]."""
    now = [datetime(2027, 1, 21, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(auth, "utcnow", lambda: now[0])
    return now


def wait_out(response: httpx.Response, clock: list[datetime]) -> int:
    """A refused sign-in: move the clock past its Retry-After; the seconds waited."""
    assert response.status_code == 429, response.text
    seconds = int(response.headers["retry-after"])
    clock[0] += timedelta(seconds=seconds)
    return seconds


def test_an_attacker_address_cannot_keep_the_agent_out(
    ctx: ConsoleContext, client: TestClient, clock: list[datetime]
) -> None:
    failures = 0
    with TestClient(application(ctx), follow_redirects=False, client=ATTACKER) as attacker:
        while failures < 50:  # as fast as the console lets them
            tried = sign_in(attacker, "admin", "mauvais mot de passe")
            if tried.status_code == 429:
                wait_out(tried, clock)
                continue
            assert tried.status_code == 401
            failures += 1
        assert sign_in(attacker, "admin").status_code == 429  # the right password waits too
    assert sign_in(client, "admin").status_code == 303  # the real agent, from the town hall


def test_the_attacker_waits_longer_after_each_failure_told_in_french(
    ctx: ConsoleContext, clock: list[datetime]
) -> None:
    waits: list[int] = []
    with TestClient(application(ctx), follow_redirects=False, client=ATTACKER) as attacker:
        for _ in range(12):
            assert sign_in(attacker, "admin", "mauvais mot de passe").status_code == 401
            refused = sign_in(attacker, "admin", "mauvais mot de passe")
            if not waits:
                assert "Réessayez dans 1\u00a0seconde." in refused.text
                assert not set_cookies(refused, auth.COOKIE)
            if len(waits) == 3:
                assert "Réessayez dans 8\u00a0secondes." in refused.text
            waits.append(wait_out(refused, clock))
        assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
        assert sign_in(attacker, "admin", "mauvais mot de passe").status_code == 401
        refused = sign_in(attacker, "admin")
    at = (clock[0] + timedelta(minutes=15)).astimezone(ZoneInfo("Europe/Paris"))
    assert (
        f"Trop de tentatives de connexion échouées. Réessayez à {at:%H}\u00a0h\u00a0{at:%M} "
        "(dans 15\u00a0minutes)."
    ) in refused.text


def test_twenty_failures_lock_the_address(client: TestClient) -> None:
    for n in range(20):
        assert sign_in(client, f"inconnu{n}", "mauvais").status_code == 401
    assert sign_in(client, "paul").status_code == 429


def test_unknown_login_and_wrong_password_get_the_same_answer(client: TestClient) -> None:
    unknown = sign_in(client, "personne", PASSWORD)
    wrong = sign_in(client, "admin", "mauvais mot de passe")
    assert unknown.status_code == wrong.status_code == 401
    message = "Identifiant ou mot de passe incorrect."
    assert message in unknown.text
    assert message in wrong.text
    assert unknown.text.replace("personne", "admin") == wrong.text


# The agents page


def test_an_admin_creates_and_deactivates_accounts(client: TestClient, ctx: ConsoleContext) -> None:
    sign_in(client, "admin")
    token = session_csrf(client)
    fields = {"csrf": token, "login": "Lea", "name": "Léa Petit", "role": "agent"}
    mismatch = client.post("/console/agents", data={**fields, "password": PASSWORD})
    assert mismatch.status_code == 400
    assert "diffèrent" in mismatch.text
    short = {**fields, "password": "court", "password2": "court"}
    assert "au moins 12" in client.post("/console/agents", data=short).text
    good = {**fields, "password": PASSWORD, "password2": PASSWORD}
    created = client.post("/console/agents", data=good)
    done = "/console/agents?fait=cree&compte=lea"
    assert (created.status_code, created.headers["location"]) == (303, done)
    assert "Compte créé pour Léa Petit (identifiant «\u00a0lea\u00a0»)." in client.get(done).text

    lea = new_client(ctx)
    assert sign_in(lea, "lea").status_code == 303
    assert lea.get("/console/essai").status_code == 200
    with ctx.sessions() as db:
        lea_id = db.scalars(select(Agent.id).where(Agent.login == "lea")).one()
    response = client.post(f"/console/agents/{lea_id}/desactivation", data={"csrf": token})
    assert response.status_code == 303
    assert "Le compte de Léa Petit est désactivé" in client.get(response.headers["location"]).text
    assert lea.get("/console/essai").status_code == 303  # at once
    assert sign_in(lea, "lea").status_code == 401

    with ctx.sessions() as db:
        rows = db.scalars(select(AuditRow).order_by(AuditRow.id)).all()
    admin_id = rows[0].agent_id  # nobody created the first accounts
    actions = [(row.action, row.target) for row in rows if row.action.startswith("agent.")]
    assert actions[-2:] == [("agent.create", "lea"), ("agent.deactivate", "lea")]
    assert admin_id is None
    journal = client.get("/console/agents").text
    assert "Compte désactivé" in journal
    assert "Connexion refusée" in journal


def test_a_done_message_names_only_a_real_account(client: TestClient) -> None:
    sign_in(client, "admin")
    forged = client.get("/console/agents", params={"fait": "cree", "compte": "pirate"}).text
    assert "Compte créé pour" not in forged
    assert 'role="status"' not in forged
    real = client.get("/console/agents", params={"fait": "cree", "compte": "paul"}).text
    assert 'role="status"' in real


def test_deactivating_oneself_is_refused(client: TestClient, ctx: ConsoleContext) -> None:
    sign_in(client, "admin")
    with ctx.sessions() as db:
        admin_id = db.scalars(select(Agent.id).where(Agent.login == "admin")).one()
    data = {"csrf": session_csrf(client)}
    response = client.post(f"/console/agents/{admin_id}/desactivation", data=data)
    assert response.status_code == 400
    assert "propre compte" in response.text
    assert client.get("/console/essai").status_code == 200


def test_an_admin_unlocks_a_login_and_it_is_audited(
    ctx: ConsoleContext, client: TestClient, clock: list[datetime]
) -> None:
    paul = new_client(ctx)
    for _ in range(12):  # Paul forgot his password: he now waits 15 minutes
        assert sign_in(paul, "paul", "mauvais mot de passe").status_code == 401
        wait_out(sign_in(paul, "paul", "mauvais mot de passe"), clock)
    assert sign_in(paul, "paul", "mauvais mot de passe").status_code == 401
    assert sign_in(paul, "paul").status_code == 429

    sign_in(client, "admin")
    page = client.get("/console/agents").text
    assert "13 depuis la dernière connexion réussie" in page
    with ctx.sessions() as db:
        paul_id = db.scalars(select(Agent.id).where(Agent.login == "paul")).one()
    action = f"/console/agents/{paul_id}/deblocage"
    assert action in page
    done = client.post(action, data={"csrf": session_csrf(client)})
    assert (done.status_code, done.headers["location"]) == (
        303,
        "/console/agents?fait=debloque&compte=paul",
    )
    told = client.get(done.headers["location"]).text
    assert "Paul &lt;b&gt;Martin&lt;/b&gt; peut se connecter à nouveau" in told
    assert "Connexion débloquée" in told  # the journal
    assert action not in told
    assert sign_in(paul, "paul").status_code == 303  # at once

    with ctx.sessions() as db:
        rows = db.scalars(select(AuditRow).where(AuditRow.action == "agent.unlock")).all()
        admin_id = db.scalars(select(Agent.id).where(Agent.login == "admin")).one()
    assert [(r.agent_id, r.target, r.details) for r in rows] == [
        (admin_id, "paul", {"échecs effacés": 13})
    ]
    # An agent may not unlock anyone.
    token = csrf_of(paul.get("/console/echappe").text)  # any page: the sign-out form has it
    assert paul.post(action, data={"csrf": token}).status_code == 403
