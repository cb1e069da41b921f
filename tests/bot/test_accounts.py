"""Console accounts: argon2 hashes, sessions and their expiry, login limits, audit, CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import Engine, MetaData, select
from sqlalchemy.orm import Session, sessionmaker

import bot.inbox
import bot.models
import bot.optouts
import bot.outbox
import bot.report_records  # noqa: F401  (they register their tables)
from bot import accounts, cli, login_limits
from bot.accounts import (
    AccountError,
    Agent,
    AgentSessionRow,
    LoginAttempt,
    close_session,
    create_agent,
    deactivate,
    find_session,
    login,
    open_session,
)
from bot.audit import AuditRow, audit, recent
from bot.db import Base, make_session_factory
from calendar_store.tables import CalendarBase

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
PASSWORD = "correct cheval agrafe"
# Cheap parameters keep the suite fast; one test checks the real ones.
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
REAL = accounts.HASHER


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", FAST)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def marie(sessions: sessionmaker[Session]) -> Agent:
    with sessions.begin() as db:
        return create_agent(db, "Marie.Dupont", "Marie Dupont", PASSWORD, "admin")


def attempt(
    sessions: sessionmaker[Session], who: str, password: str, ip: str, now: datetime = NOW
) -> accounts.LoginResult:
    with sessions.begin() as db:
        return login(db, who, password, ip, now)


def audit_rows(sessions: sessionmaker[Session]) -> list[AuditRow]:
    with sessions() as db:
        return list(db.scalars(select(AuditRow).order_by(AuditRow.id)))


# Passwords


def test_passwords_are_stored_as_argon2id_hashes(marie: Agent) -> None:
    assert marie.login == "marie.dupont"
    assert marie.password_hash.startswith("$argon2id$")
    assert PASSWORD not in marie.password_hash
    assert accounts.verify(marie, PASSWORD)
    assert not accounts.verify(marie, PASSWORD + "!")
    assert not accounts.verify(marie, "")


def test_the_real_hasher_uses_argon2id_with_the_recommended_parameters() -> None:
    hashed = REAL.hash(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert "m=65536,t=3,p=4" in hashed
    assert not PasswordHasher().check_needs_rehash(hashed)


def test_a_hash_with_old_parameters_is_redone_at_login(
    sessions: sessionmaker[Session], marie: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", stronger)
    assert attempt(sessions, "marie.dupont", PASSWORD, "10.0.0.1").agent is not None
    with sessions() as db:
        stored = db.get(Agent, marie.id)
        assert stored is not None
        assert stored.password_hash != marie.password_hash
        assert "t=2" in stored.password_hash
        assert not stronger.check_needs_rehash(stored.password_hash)
    assert attempt(sessions, "marie.dupont", PASSWORD, "10.0.0.1").agent is not None


def test_a_wrong_password_does_not_rehash(sessions: sessionmaker[Session], marie: Agent) -> None:
    with sessions.begin() as db:
        agent = db.get(Agent, marie.id)
        assert agent is not None
        assert not accounts.verify(agent, "mauvais mot de passe", PasswordHasher(time_cost=4))
        assert agent.password_hash == marie.password_hash


@pytest.mark.parametrize(
    ("who", "name", "password", "role", "message"),
    [
        ("paul", "Paul", "court", "agent", "au moins 12 caractères"),
        ("paul", "Paul", "x" * 1025, "agent", "ne doit pas dépasser"),
        ("p", "Paul", PASSWORD, "agent", "de 2 à 60 caractères"),
        ("paul martin", "Paul", PASSWORD, "agent", "lettres sans accent"),
        ("paul", "   ", PASSWORD, "agent", "nom affiché"),
        ("paul", "Paul", PASSWORD, "maire", "rôle"),
        ("MARIE.dupont", "Autre Marie", PASSWORD, "agent", "déjà pris"),
    ],
)
def test_invalid_accounts_are_refused_in_french(
    sessions: sessionmaker[Session],
    marie: Agent,
    who: str,
    name: str,
    password: str,
    role: str,
    message: str,
) -> None:
    with pytest.raises(AccountError, match=message), sessions.begin() as db:
        create_agent(db, who, name, password, role)
    with sessions() as db:
        assert db.scalars(select(Agent.login)).all() == ["marie.dupont"]


def test_logins_are_case_insensitive(sessions: sessionmaker[Session], marie: Agent) -> None:
    result = attempt(sessions, "  MARIE.Dupont ", PASSWORD, "10.0.0.1")
    assert result.agent is not None
    assert result.agent.id == marie.id
    assert result.agent.last_login_at == NOW


# Sessions


def test_only_the_hash_of_the_session_token_is_stored(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        token, csrf = open_session(db, marie.id, NOW)
    assert token != csrf
    assert len(token) >= 43
    with sessions() as db:
        row = db.scalars(select(AgentSessionRow)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.csrf)
    with sessions.begin() as db:
        found = find_session(db, token, NOW + timedelta(minutes=5))
    assert found == accounts.AgentSession(marie.id, "marie.dupont", "Marie Dupont", "admin", csrf)
    with sessions.begin() as db:
        assert find_session(db, token + "x", NOW) is None
        assert find_session(db, "", NOW) is None


def test_a_session_expires_after_eight_idle_hours(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        busy, _ = open_session(db, marie.id, NOW)
        almost, _ = open_session(db, marie.id, NOW)
        idle, _ = open_session(db, marie.id, NOW)
    with sessions.begin() as db:
        assert find_session(db, busy, NOW + timedelta(hours=2)) is not None
        assert find_session(db, almost, NOW + timedelta(hours=7, minutes=59)) is not None
    with sessions.begin() as db:
        assert find_session(db, idle, NOW + timedelta(hours=8)) is None
    with sessions.begin() as db:  # used at 2:00, so 9:59 is within 8 idle hours
        assert find_session(db, busy, NOW + timedelta(hours=9, minutes=59)) is not None
    with sessions() as db:
        assert len(db.scalars(select(AgentSessionRow)).all()) == 2  # the idle one is gone


def test_a_session_ends_after_twelve_hours_however_busy(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        token, _ = open_session(db, marie.id, NOW)
    for hour in range(1, 12):
        with sessions.begin() as db:
            assert find_session(db, token, NOW + timedelta(hours=hour)) is not None
    with sessions.begin() as db:
        assert find_session(db, token, NOW + timedelta(hours=12)) is None


def test_logout_deletes_the_session_and_is_audited(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        token, _ = open_session(db, marie.id, NOW)
    with sessions.begin() as db:
        assert close_session(db, token) == marie.id
    with sessions.begin() as db:
        assert find_session(db, token, NOW) is None
        assert close_session(db, token) is None
    assert [(row.agent_id, row.action) for row in audit_rows(sessions)][-1] == (marie.id, "logout")


def test_a_deactivated_agent_is_out_at_once(sessions: sessionmaker[Session], marie: Agent) -> None:
    with sessions.begin() as db:
        paul = create_agent(db, "paul", "Paul Martin", PASSWORD, by=marie.id)
        token, _ = open_session(db, paul.id, NOW)
    with sessions.begin() as db:
        deactivate(db, paul.id, by=marie.id)
    with sessions.begin() as db:
        assert find_session(db, token, NOW) is None
    assert attempt(sessions, "paul", PASSWORD, "10.0.0.2").agent is None
    with pytest.raises(AccountError, match="déjà désactivé"), sessions.begin() as db:
        deactivate(db, paul.id, by=marie.id)
    with pytest.raises(AccountError, match="propre compte"), sessions.begin() as db:
        deactivate(db, marie.id, by=marie.id)


def test_a_session_row_of_an_inactive_agent_is_refused_too(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    # Even if a row survived (another process racing the deactivation), it stops working.
    with sessions.begin() as db:
        token, _ = open_session(db, marie.id, NOW)
        db.get_one(Agent, marie.id).active = False
    with sessions.begin() as db:
        assert find_session(db, token, NOW) is None


# Login limits


ATTACKER = "203.0.113.66"
OFFICE = "10.0.0.7"


def hammer(
    sessions: sessionmaker[Session], who: str, ip: str, times: int, now: datetime = NOW
) -> tuple[datetime, list[timedelta]]:
    """`times` failures, each at the first moment allowed; the clock then, and each wait."""
    waits: list[timedelta] = []
    for _ in range(times):
        result = attempt(sessions, who, "faux", ip, now)
        assert result.agent is None and result.retry_at is None
        after = attempt(sessions, who, "faux", ip, now)  # at once: refused, not counted
        assert after.retry_at is not None
        waits.append(after.retry_at - now)
        now = after.retry_at
    return now, waits


def test_delays_double_from_one_second_up_to_fifteen_minutes() -> None:
    assert [login_limits.delay(n).total_seconds() for n in range(13)] == [
        0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900,
    ]  # fmt: skip
    assert login_limits.delay(10_000) == login_limits.MAX_DELAY


def test_fifty_failures_from_an_attacker_do_not_lock_the_agent_out(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    now, _ = hammer(sessions, "marie.dupont", ATTACKER, 50)
    # Meanwhile, from the town hall, Marie signs in at once, even right after a typo.
    assert attempt(sessions, "marie.dupont", "typo", OFFICE, now).retry_at is None
    signed = attempt(sessions, "marie.dupont", PASSWORD, OFFICE, now + timedelta(seconds=1))
    assert signed.agent is not None and signed.agent.login == "marie.dupont"


def test_the_attacker_address_waits_longer_after_each_failure(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    now, waits = hammer(sessions, "marie.dupont", ATTACKER, 14)
    assert [w.total_seconds() for w in waits] == [
        1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900,
    ]  # fmt: skip
    # Even the right password waits its turn from that address, and is not counted.
    early = attempt(sessions, "marie.dupont", PASSWORD, ATTACKER, now - timedelta(seconds=1))
    assert early == accounts.LoginResult(retry_at=now)
    with sessions() as db:
        assert len(db.scalars(select(LoginAttempt)).all()) == 14


def test_a_success_resets_its_own_pair(sessions: sessionmaker[Session], marie: Agent) -> None:
    now, _ = hammer(sessions, "marie.dupont", OFFICE, 3)
    assert attempt(sessions, "marie.dupont", PASSWORD, OFFICE, now).agent is not None
    later = now + timedelta(seconds=1)
    assert attempt(sessions, "marie.dupont", "faux", OFFICE, later).retry_at is None
    after = attempt(sessions, "marie.dupont", "faux", OFFICE, later)
    assert after.retry_at == later + timedelta(seconds=1)  # counting starts again from one


def test_twenty_failures_from_one_address_stop_that_address_only(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    for n in range(login_limits.IP_LIMIT):  # one try each at many logins: spraying
        assert attempt(sessions, f"inconnu{n}", "faux", ATTACKER).retry_at is None
    blocked = attempt(sessions, "marie.dupont", PASSWORD, ATTACKER)
    assert blocked.agent is None
    assert blocked.retry_at == NOW + login_limits.WINDOW
    assert attempt(sessions, "marie.dupont", PASSWORD, OFFICE).agent is not None


def test_refused_attempts_do_not_lengthen_the_wait(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    now, _ = hammer(sessions, "marie.dupont", ATTACKER, 11)  # now waits 15 minutes
    first = attempt(sessions, "marie.dupont", "faux", ATTACKER, now)
    assert first.retry_at is None
    for minute in range(1, 15):
        refused = attempt(
            sessions, "marie.dupont", "faux", ATTACKER, now + timedelta(minutes=minute)
        )
        assert refused.retry_at == now + login_limits.MAX_DELAY
    back = attempt(sessions, "marie.dupont", PASSWORD, ATTACKER, now + login_limits.MAX_DELAY)
    assert back.agent is not None


def test_an_administrator_unlocks_a_login_and_it_is_audited(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        paul = create_agent(db, "paul", "Paul Martin", PASSWORD)
    end, _ = hammer(sessions, "paul", OFFICE, 12)  # Paul forgot his password
    now = end - timedelta(minutes=10)  # he has found it, but must wait 10 more minutes
    assert attempt(sessions, "paul", PASSWORD, OFFICE, now).retry_at == end
    with sessions() as db:
        assert login_limits.failing(db, now)["paul"].count == 12
    with sessions.begin() as db:
        unlocked, erased = accounts.unlock(db, paul.id, by=marie.id)
        assert (unlocked.login, erased) == ("paul", 12)
    with sessions() as db:
        assert login_limits.failing(db, now) == {}
    assert attempt(sessions, "paul", PASSWORD, OFFICE, now).agent is not None
    entry = next(row for row in audit_rows(sessions) if row.action == "agent.unlock")
    assert (entry.agent_id, entry.target) == (marie.id, "paul")
    assert entry.details == {"échecs effacés": 12}
    with sessions.begin() as db, pytest.raises(AccountError, match="n’existe pas"):
        accounts.unlock(db, 9999, by=marie.id)


def test_unknown_login_and_wrong_password_look_the_same_and_are_audited(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    unknown = attempt(sessions, "personne", "secret-personne-1", "10.0.0.1")
    wrong = attempt(sessions, "marie.dupont", "secret-marie-2", "10.0.0.1")
    assert unknown == wrong == accounts.LoginResult()
    rows = audit_rows(sessions)
    failures = [(row.action, row.target, row.agent_id) for row in rows[-2:]]
    assert failures == [
        ("login.failure", "personne", None),
        ("login.failure", "marie.dupont", None),
    ]
    assert rows[-2].details == {"ip": "10.0.0.1", "raison": "identifiant inconnu"}
    dumped = json.dumps([row.details for row in rows])
    assert "secret-personne-1" not in dumped
    assert "secret-marie-2" not in dumped


# Audit


def test_recent_lists_the_newest_first_with_the_agents_name(
    sessions: sessionmaker[Session], marie: Agent
) -> None:
    with sessions.begin() as db:
        audit(db, marie.id, "booking.approve", "R-1234", {"motif": "ok"})
        audit(db, None, "cli.thing")
    with sessions() as db:
        entries = recent(db, limit=2)
    assert [(e.action, e.agent_name, e.target) for e in entries] == [
        ("cli.thing", None, None),
        ("booking.approve", "Marie Dupont", "R-1234"),
    ]
    assert entries[1].details == {"motif": "ok"}
    with sessions() as db:
        first = recent(db)[-1]
    assert (first.action, first.label, first.target) == (
        "agent.create",
        "Compte créé",
        "marie.dupont",
    )


def test_an_audit_entry_rolls_back_with_its_change(sessions: sessionmaker[Session]) -> None:
    def change_that_fails() -> None:
        with sessions.begin() as db:
            audit(db, None, "agent.create", "fantome")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert audit_rows(sessions) == []


def test_the_migration_builds_the_tables_the_models_declare(engine: Engine) -> None:
    merged = MetaData()
    for schema in (Base.metadata, CalendarBase.metadata):
        for table in schema.tables.values():
            table.to_metadata(merged)
    assert {"agents", "agent_sessions", "login_attempts", "audit_log"} <= set(merged.tables)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), merged) == []


# The command line


@pytest.fixture
def cli_env(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("GUICHET_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("GUICHET_AGENT_PASSWORD", raising=False)


def agents_in(sessions: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    with sessions() as db:
        return [(a.login, a.name, a.role) for a in db.scalars(select(Agent).order_by(Agent.id))]


@pytest.mark.usefixtures("cli_env")
def test_create_admin_reads_the_password_from_the_environment(
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GUICHET_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": pytest.fail("no prompt expected"))
    assert cli.main(["create-admin", "--login", "Admin", "--name", "Élise Admin"]) == 0
    assert "Compte administrateur créé : admin (Élise Admin)." in capsys.readouterr().out
    assert agents_in(sessions) == [("admin", "Élise Admin", "admin")]
    assert attempt(sessions, "admin", PASSWORD, "127.0.0.1").agent is not None
    created = audit_rows(sessions)[0]
    assert (created.agent_id, created.action, created.target) == (None, "agent.create", "admin")


@pytest.mark.usefixtures("cli_env")
def test_create_admin_refuses_a_short_password_and_a_taken_login(
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GUICHET_ADMIN_PASSWORD", "trop-court")
    assert cli.main(["create-admin", "--login", "admin", "--name", "Admin"]) == 1
    assert "au moins 12 caractères" in capsys.readouterr().err
    assert agents_in(sessions) == []
    monkeypatch.setenv("GUICHET_ADMIN_PASSWORD", PASSWORD)
    assert cli.main(["create-admin", "--login", "admin", "--name", "Admin"]) == 0
    assert cli.main(["create-admin", "--login", "ADMIN", "--name", "Autre"]) == 1
    assert "déjà pris" in capsys.readouterr().err
    assert agents_in(sessions) == [("admin", "Admin", "admin")]


@pytest.mark.usefixtures("cli_env")
def test_create_agent_prompts_twice_without_echo(
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed = iter([PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert cli.main(["create-agent", "--login", "paul", "--name", "Paul"]) == 1
    assert "diffèrent" in capsys.readouterr().err
    assert agents_in(sessions) == []
    assert cli.main(["create-agent", "--login", "paul", "--name", "Paul"]) == 0
    assert prompts == ["Mot de passe : ", "Confirmez le mot de passe : "] * 2
    assert agents_in(sessions) == [("paul", "Paul", "agent")]


@pytest.mark.usefixtures("cli_env")
def test_create_admin_without_its_arguments_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["create-admin", "--login", "admin"])
    assert exit_.value.code == 2
