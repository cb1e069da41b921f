"""Console sign-in: session cookies, CSRF on every form, the page/api guards, agents' accounts."""

from __future__ import annotations

import hmac
import math
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot import accounts
from bot.accounts import AccountError
from bot.accounts import AgentSession as AgentSession  # re-exported: pages import it from here
from bot.audit import recent
from bot.db import utcnow
from bot.labels import local_time
from bot.login_limits import failing
from bot.typography import french
from gateway.body import read_form
from gateway.console.base import ConsoleContext

COOKIE = "guichet_console"
CSRF_COOKIE = "guichet_console_csrf"
LOGIN = "/console/connexion"
HOME = "/console/"
PRE_SESSION_SECONDS = 30 * 60  # how long a blank login form stays usable
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPIRED_FORM = (
    "Le formulaire a expiré ou ne vient pas de la console. Rechargez la page et recommencez."
)
ADMIN_ONLY = "Cette page est réservée aux administrateurs de la console."
SESSION_OVER = french("Votre session a expiré : reconnectez-vous.")
DONE = {
    "cree": "Compte créé pour {name} (identifiant « {login} »).",
    "desactive": "Le compte de {name} est désactivé ; ses sessions sont fermées.",
    "debloque": "{name} peut se connecter à nouveau : ses tentatives échouées sont effacées.",
}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
Handler = Callable[[Request, AgentSession], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")


async def current(ctx: ConsoleContext, request: Request) -> AgentSession | None:
    """The request's live session, if its cookie names one."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    return await _tx(ctx, lambda db: accounts.find_session(db, token, utcnow()))


def _same(sent: str | None, expected: str) -> bool:
    return bool(sent) and bool(expected) and hmac.compare_digest(str(sent), expected)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _csrf_ok(request: Request, expected: str) -> bool:
    # fetch() sends the token in a header; forms send it as the `csrf` field.
    sent = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = _field(await read_form(request), "csrf")
    return _same(sent, expected)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_suite(target: str | None) -> str:
    """Where to go after signing in: a console path of ours, never another site."""
    if not target or not target.startswith("/console") or not target.isprintable():
        return HOME
    parts = urlsplit(target)
    # "//evil.example", "/\\evil.example" and "http:…" would all leave the site.
    if parts.scheme or parts.netloc or any(c in target for c in "\\ ") or "//" in parts.path:
        return HOME
    return HOME if parts.path in (LOGIN, "/console/deconnexion") else target


async def _check(
    ctx: ConsoleContext, request: Request, admin: bool
) -> tuple[AgentSession | None, str]:
    """The session, and why the request may not go on ("" when it may): role or csrf."""
    session = await current(ctx, request)
    if session is None:
        return None, "not_authenticated"
    if admin and session.role != "admin":
        return session, "forbidden"
    if request.method not in SAFE_METHODS and not await _csrf_ok(request, session.csrf):
        return session, "csrf"
    return session, ""


def page(ctx: ConsoleContext, handler: Handler, *, admin: bool = False) -> Endpoint:
    """An HTML console page: signed in (else sign-in page), the right role, CSRF on POST."""

    async def endpoint(request: Request) -> Response:
        session, refused = await _check(ctx, request, admin)
        if session is None:
            return RedirectResponse(f"{LOGIN}?{urlencode({'suite': _here(request)})}", 303)
        if refused:
            message = EXPIRED_FORM if refused == "csrf" else ADMIN_ONLY
            return render(ctx, request, session, "erreur.html", 403, message=message)
        return await handler(request, session)

    return endpoint


def api(ctx: ConsoleContext, handler: Handler, *, admin: bool = False) -> Endpoint:
    """Like `page`, for fetch() and server-sent events: JSON 401/403 instead of pages."""

    async def endpoint(request: Request) -> Response:
        session, refused = await _check(ctx, request, admin)
        if session is None or refused:
            message = {"csrf": EXPIRED_FORM, "forbidden": ADMIN_ONLY}.get(refused, SESSION_OVER)
            status = 401 if session is None else 403
            return JSONResponse({"error": message, "reason": refused}, status_code=status)
        return await handler(request, session)

    return endpoint


def _set(
    ctx: ConsoleContext, response: Response, name: str, value: str, path: str, age: int | None
) -> None:
    # Every console cookie: invisible to scripts, never sent from another site.
    response.set_cookie(
        name, value, age, path=path, secure=ctx.secure_cookies, httponly=True, samesite="strict"
    )


def _drop(response: Response, name: str, path: str) -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="strict")


def render(
    ctx: ConsoleContext,
    request: Request,
    session: AgentSession | None,
    template: str,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render templates/console/<template> (it extends base.html) with the common context."""
    values: dict[str, Any] = {
        **ctx.globals(),
        "agent": session,
        "csrf": session.csrf if session else "",
        "path": request.url.path,
        "flash": None,
        "status": status,
    }
    values.update(context)
    html = ctx.templates.get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _login_form(
    ctx: ConsoleContext, request: Request, suite: str, status: int = 200, **context: Any
) -> HTMLResponse:
    # Double submit before any session exists: the same random token in a cookie and a field.
    token = request.cookies.get(CSRF_COOKIE, "")
    if not _TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(32)
    response = render(
        ctx, request, None, "connexion.html", status, csrf=token, suite=suite, **context
    )
    _set(ctx, response, CSRF_COOKIE, token, LOGIN, PRE_SESSION_SECONDS)
    return response


def _retry_message(ctx: ConsoleContext, retry: datetime) -> tuple[str, int]:
    seconds = max(1, math.ceil((retry - utcnow()).total_seconds()))
    if seconds < 60:
        wait = f"{seconds}\u00a0seconde{'s' if seconds > 1 else ''}"
        return f"Trop de tentatives de connexion échouées. Réessayez dans {wait}.", seconds
    minutes = math.ceil(seconds / 60)
    span = f"{minutes}\u00a0minute{'s' if minutes > 1 else ''}"
    at = retry.astimezone(ctx.desk.tz).strftime("%H\u00a0h\u00a0%M")
    return f"Trop de tentatives de connexion échouées. Réessayez à {at} (dans {span}).", seconds


def _login(ctx: ConsoleContext) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            suite = safe_suite(request.query_params.get("suite"))
            if await current(ctx, request) is not None:
                return RedirectResponse(suite, 303)
            left = "sortie" in request.query_params
            flash = "Votre session est fermée." if left else None
            return _login_form(ctx, request, suite, flash=flash)
        form = await read_form(request)
        suite, tried = safe_suite(_field(form, "suite")), _field(form, "login")
        if not _same(_field(form, "csrf"), request.cookies.get(CSRF_COOKIE, "")):
            return _login_form(ctx, request, suite, 403, erreur=EXPIRED_FORM, saisie=tried)
        ip = request.client.host if request.client else "inconnue"
        old = request.cookies.get(COOKIE, "")

        def attempt(db: Session) -> tuple[accounts.LoginResult, str]:
            now = utcnow()
            result = accounts.login(db, tried, _field(form, "password"), ip, now)
            if result.agent is None:
                return result, ""
            if old:
                accounts.close_session(db, old)  # never two sessions for one browser
            return result, accounts.open_session(db, result.agent.id, now)[0]

        result, token = await _tx(ctx, attempt)
        if result.retry_at is not None:
            message, seconds = _retry_message(ctx, result.retry_at)
            response = _login_form(ctx, request, suite, 429, erreur=message, saisie=tried)
            response.headers["Retry-After"] = str(seconds)
            return response
        if not token:
            return _login_form(
                ctx, request, suite, 401, erreur=accounts.BAD_CREDENTIALS, saisie=tried
            )
        done = RedirectResponse(suite, 303)
        _set(ctx, done, COOKIE, token, "/console", None)  # a browser session cookie
        _drop(done, CSRF_COOKIE, LOGIN)
        return done

    return endpoint


def _logout(ctx: ConsoleContext) -> Handler:
    async def handler(request: Request, _session: AgentSession) -> Response:
        token = request.cookies.get(COOKIE, "")
        await _tx(ctx, lambda db: accounts.close_session(db, token))
        response = RedirectResponse(f"{LOGIN}?sortie=1", 303)
        _drop(response, COOKIE, "/console")
        return response

    return handler


def _tx(ctx: ConsoleContext, work: Callable[[Session], T]) -> Awaitable[T]:
    """Run `work` in one transaction, in a thread (the database and argon2 both block)."""

    def run() -> T:
        with ctx.sessions.begin() as db:
            return work(db)

    return run_in_threadpool(run)


def _when(ctx: ConsoleContext, instant: datetime | None) -> str:
    return local_time(instant, ctx.desk.tz) if instant else "jamais"


async def _agents_page(
    ctx: ConsoleContext, request: Request, session: AgentSession, status: int = 200, **context: Any
) -> Response:
    def load(db: Session) -> dict[str, Any]:
        return {
            "agents": accounts.list_agents(db),
            "journal": recent(db, 100),
            "echecs": failing(db, utcnow()),
        }

    values = await _tx(ctx, load)
    # After a change, the page says what was done (Post/Redirect/Get): only for a real account.
    done = DONE.get(request.query_params.get("fait", ""))
    named = [a for a in values["agents"] if a.login == request.query_params.get("compte")]
    if done and named:
        context["flash"] = french(done.format(name=named[0].name, login=named[0].login))
    when = partial(_when, ctx)
    return render(ctx, request, session, "agents.html", status, when=when, **values, **context)


def _done(what: str, login: str) -> Response:
    return RedirectResponse(f"/console/agents?{urlencode({'fait': what, 'compte': login})}", 303)


def _agents(ctx: ConsoleContext) -> Handler:
    async def handler(request: Request, session: AgentSession) -> Response:
        if request.method != "POST":
            return await _agents_page(ctx, request, session)
        form = await read_form(request)
        login, name, role = (_field(form, key) for key in ("login", "name", "role"))
        password = _field(form, "password")
        saisie = {"login": login, "name": name, "role": role}
        if password != _field(form, "password2"):
            error = "Les deux mots de passe saisis diffèrent."
            return await _agents_page(ctx, request, session, 400, erreur=error, saisie=saisie)
        try:
            agent = await _tx(
                ctx,
                lambda db: accounts.create_agent(
                    db, login, name, password, role, by=session.agent_id
                ),
            )
        except AccountError as error:
            return await _agents_page(ctx, request, session, 400, erreur=str(error), saisie=saisie)
        return _done("cree", agent.login)

    return handler


def _deactivate(ctx: ConsoleContext) -> Handler:
    async def handler(request: Request, session: AgentSession) -> Response:
        agent_id = int(request.path_params["agent_id"])
        try:
            agent = await _tx(
                ctx, lambda db: accounts.deactivate(db, agent_id, by=session.agent_id)
            )
        except AccountError as error:
            return await _agents_page(ctx, request, session, 400, erreur=str(error))
        return _done("desactive", agent.login)

    return handler


def _unlock(ctx: ConsoleContext) -> Handler:
    async def handler(request: Request, session: AgentSession) -> Response:
        agent_id = int(request.path_params["agent_id"])
        try:
            agent, _ = await _tx(ctx, lambda db: accounts.unlock(db, agent_id, by=session.agent_id))
        except AccountError as error:
            return await _agents_page(ctx, request, session, 400, erreur=str(error))
        return _done("debloque", agent.login)

    return handler


def routes(ctx: ConsoleContext) -> list[Route]:
    """Sign-in, sign-out and the agents' accounts page (administrators only)."""
    return [
        Route(LOGIN, _login(ctx), methods=["GET", "POST"]),
        Route("/console/deconnexion", page(ctx, _logout(ctx)), methods=["POST"]),
        Route("/console/agents", page(ctx, _agents(ctx), admin=True), methods=["GET", "POST"]),
        Route(
            "/console/agents/{agent_id:int}/desactivation",
            page(ctx, _deactivate(ctx), admin=True),
            methods=["POST"],
        ),
        Route(
            "/console/agents/{agent_id:int}/deblocage",
            page(ctx, _unlock(ctx), admin=True),
            methods=["POST"],
        ),
    ]
