"""Console agents: accounts, argon2 passwords, server-side sessions, sign-in and unlocking."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import login_limits as limits
from bot.audit import audit
from bot.db import Base, UTCDateTime, utcnow
from bot.login_limits import LoginAttempt as LoginAttempt  # re-exported: its table is ours
from bot.typography import french

ROLES = ("agent", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 accepts any length; a megabyte "password" would only burn CPU
IDLE = timedelta(hours=8)
ABSOLUTE = timedelta(hours=12)
TOUCH = timedelta(minutes=1)  # write last_seen_at at most once a minute, not on every request
HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,59}")


class AccountError(ValueError):
    """A refused account change; the message is French, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(french(message))


class Agent(Base):
    """A person who signs in to the console."""

    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("login", name="uq_agents_login"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(60))  # lowercased: logins are case-insensitive
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))  # "agent" or "admin"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AgentSessionRow(Base):
    """A signed-in browser; only the SHA-256 of its cookie token is stored."""

    __tablename__ = "agent_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class AgentSession:
    """The signed-in agent, as every console page receives it."""

    agent_id: int
    login: str
    name: str
    role: str  # "agent" | "admin"
    csrf: str  # put in every form as <input name="csrf">


@dataclass(frozen=True)
class LoginResult:
    """The agent on success; `retry_at` when attempts are refused for now; neither on failure."""

    agent: Agent | None = None
    retry_at: datetime | None = None


def normalize_login(login: str) -> str:
    return login.strip().lower()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Le mot de passe doit compter au moins {MIN_PASSWORD} caractères.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Le mot de passe ne doit pas dépasser {MAX_PASSWORD} caractères.")


def create_agent(
    db: Session,
    login: str,
    name: str,
    password: str,
    role: str = "agent",
    *,
    by: int | None = None,
    hasher: PasswordHasher | None = None,
) -> Agent:
    """Add an account inside the caller's transaction, audited as done by agent `by`."""
    login = normalize_login(login)
    name = " ".join(name.split())
    if not _LOGIN.fullmatch(login):
        raise AccountError(
            "L’identifiant doit compter de 2 à 60 caractères : lettres sans accent, chiffres, "
            "point, tiret, arobase ou tiret bas."
        )
    if not name or len(name) > 100:
        raise AccountError("Le nom affiché doit compter de 1 à 100 caractères.")
    if role not in ROLES:
        raise AccountError("Le rôle doit être « agent » ou « admin ».")
    check_password(password)
    taken = f"L’identifiant « {login} » est déjà pris."
    if db.scalar(select(Agent.id).where(Agent.login == login)) is not None:
        raise AccountError(taken)
    agent = Agent(
        login=login,
        name=name,
        password_hash=(hasher or HASHER).hash(password),
        role=role,
        active=True,
        created_at=utcnow(),
    )
    db.add(agent)
    try:
        db.flush()
    except IntegrityError:  # created meanwhile by another process
        raise AccountError(taken) from None
    audit(db, by, "agent.create", login, {"nom": name, "rôle": role})
    return agent


def deactivate(db: Session, agent_id: int, *, by: int | None) -> Agent:
    """Deactivate an account and end its sessions at once, inside the caller's transaction."""
    agent = db.get(Agent, agent_id)
    if agent is None:
        raise AccountError("Ce compte n’existe pas.")
    if agent_id == by:
        raise AccountError("Vous ne pouvez pas désactiver votre propre compte.")
    if not agent.active:
        raise AccountError(f"Le compte de {agent.name} est déjà désactivé.")
    agent.active = False
    db.execute(delete(AgentSessionRow).where(AgentSessionRow.agent_id == agent_id))
    audit(db, by, "agent.deactivate", agent.login)
    return agent


def unlock(db: Session, agent_id: int, *, by: int | None) -> tuple[Agent, int]:
    """Let an agent sign in again at once from anywhere: their failed attempts are erased
    (the audit log keeps them) and the unlocking is audited; returns how many were erased."""
    agent = db.get(Agent, agent_id)
    if agent is None:
        raise AccountError("Ce compte n’existe pas.")
    erased = limits.forget(db, agent.login)
    audit(db, by, "agent.unlock", agent.login, {"échecs effacés": erased})
    return agent, erased


def list_agents(db: Session) -> list[Agent]:
    """Active accounts first, then by name."""
    return list(db.scalars(select(Agent).order_by(Agent.active.desc(), Agent.name, Agent.id)))


def verify(agent: Agent, password: str, hasher: PasswordHasher | None = None) -> bool:
    """Check a password; on success, rehash it if the hashing parameters have changed."""
    hasher = hasher or HASHER
    try:
        hasher.verify(agent.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = hasher.hash(password)
    return True


def login(
    db: Session,
    login: str,
    password: str,
    ip: str,
    now: datetime,
    hasher: PasswordHasher | None = None,
) -> LoginResult:
    """One sign-in attempt, counted and audited inside the caller's transaction."""
    hasher = hasher or HASHER
    tried = normalize_login(login)[:60]
    blocked = limits.retry_at(db, tried, ip, now)
    if blocked is not None:
        audit(db, None, "login.failure", tried, {"ip": ip, "raison": "trop de tentatives"})
        return LoginResult(retry_at=blocked)
    agent = db.scalar(select(Agent).where(Agent.login == tried))
    if agent is None or len(password) > MAX_PASSWORD:
        hasher.hash(password[:MAX_PASSWORD])  # as slow as a real check: no login enumeration
        ok, why = False, "identifiant inconnu" if agent is None else "mot de passe trop long"
    else:
        verified = verify(agent, password, hasher)
        ok = verified and agent.active
        why = "compte désactivé" if verified else "mot de passe incorrect"
    limits.record(db, tried, ip, now, ok)
    if agent is None or not ok:
        audit(db, None, "login.failure", tried, {"ip": ip, "raison": why})
        return LoginResult()
    agent.last_login_at = now
    audit(db, agent.id, "login.success", agent.login, {"ip": ip})
    return LoginResult(agent=agent)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, agent_id: int, now: datetime) -> tuple[str, str]:
    """A new session for the agent: (cookie token, CSRF token); stale sessions are purged."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.execute(
        delete(AgentSessionRow).where(
            (AgentSessionRow.last_seen_at <= now - IDLE)
            | (AgentSessionRow.created_at <= now - ABSOLUTE)
        )
    )
    db.add(
        AgentSessionRow(
            token_hash=token_hash(token),
            agent_id=agent_id,
            csrf=csrf,
            created_at=now,
            last_seen_at=now,
        )
    )
    return token, csrf


def find_session(db: Session, token: str, now: datetime) -> AgentSession | None:
    """The session of a cookie token, if it is live and its agent active (it is then touched)."""
    if not token or len(token) > 200:
        return None
    found = db.execute(
        select(AgentSessionRow, Agent)
        .join(Agent, Agent.id == AgentSessionRow.agent_id)
        .where(AgentSessionRow.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, agent = found
    if not agent.active or now - row.last_seen_at >= IDLE or now - row.created_at >= ABSOLUTE:
        db.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH:
        row.last_seen_at = now
    return AgentSession(agent.id, agent.login, agent.name, agent.role, row.csrf)


def close_session(db: Session, token: str) -> int | None:
    """Log out: delete the session row and audit it; the agent's id, or None if there was none."""
    row = db.get(AgentSessionRow, token_hash(token)) if token else None
    if row is None:
        return None
    db.delete(row)
    audit(db, row.agent_id, "logout")
    return row.agent_id
