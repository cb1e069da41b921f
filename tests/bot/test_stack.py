from __future__ import annotations

from pathlib import Path

import pytest

from bot.stack import StackConfig, commands


def test_rasa_and_actions_stay_on_loopback_even_when_the_gateway_is_public(tmp_path: Path) -> None:
    config = StackConfig(
        database_url="sqlite://",
        commune_file=tmp_path / "c.yml",
        tracker_db=tmp_path / "t.db",
        gateway_host="0.0.0.0",
    )
    specs = commands(config)
    rasa_argv, rasa_env = specs["rasa"]
    assert rasa_argv[rasa_argv.index("--interface") + 1] == "127.0.0.1"
    assert rasa_argv[rasa_argv.index("--auth-token") + 1] == config.rasa_token
    assert len(config.rasa_token) >= 24
    assert rasa_env["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{config.actions_ports[0]}/webhook"
    assert specs["actions"][1]["SANIC_HOST"] == "127.0.0.1"
    gateway_argv, gateway_env = specs["gateway"]
    assert gateway_argv[gateway_argv.index("--host") + 1] == "0.0.0.0"
    assert gateway_env["RASA_TOKEN"] == config.rasa_token
    assert config.gateway_url == f"http://127.0.0.1:{config.gateway_port}"


def test_each_stack_gets_its_own_token(tmp_path: Path) -> None:
    first, second = (StackConfig("sqlite://", tmp_path / "c.yml", tmp_path / "t.db") for _ in "ab")
    assert first.rasa_token != second.rasa_token


def test_replicas_share_postgresql_and_redis_and_each_rasa_has_its_own_actions(
    tmp_path: Path,
) -> None:
    config = StackConfig(
        database_url="postgresql+psycopg://guichet:s3cret@db.local:5433/mairie",
        commune_file=tmp_path / "c.yml",
        tracker_db=tmp_path / "t.db",
        rasa_ports=(6005, 6006),
        actions_ports=(6055, 6056),
        gateway_workers=2,
        stores="shared",
        redis_url="redis://:pw@cache.local:6380/3",
    )
    specs = commands(config)
    assert sorted(specs) == ["actions", "actions-2", "gateway", "rasa", "rasa-2", "worker"]
    for name, actions_port in (("rasa", 6055), ("rasa-2", 6056)):
        argv, env = specs[name]
        assert argv[argv.index("--endpoints") + 1].endswith("endpoints-shared.yml")
        assert env["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{actions_port}/webhook"
        assert (env["RASA_TRACKER_HOST"], env["RASA_TRACKER_PORT"]) == ("db.local", "5433")
        assert (env["RASA_TRACKER_DB"], env["RASA_TRACKER_USER"]) == ("mairie", "guichet")
        assert env["RASA_TRACKER_PASSWORD"] == "s3cret"
        assert (env["REDIS_HOST"], env["REDIS_PORT"], env["REDIS_DB"]) == (
            "cache.local",
            "6380",
            "3",
        )
        assert env["REDIS_PASSWORD"] == "pw"
        assert env["TICKET_LOCK_LIFETIME"] == "10"
        assert (Path(env["PYTHONPATH"]) / "rasa_plugins" / "lock_store.py").exists()
    gateway_argv, gateway_env = specs["gateway"]
    assert gateway_argv[gateway_argv.index("--workers") + 1] == "2"
    assert gateway_env["RASA_URL"] == "http://127.0.0.1:6005,http://127.0.0.1:6006"
    assert gateway_env["ACTION_SERVER_URL"] == "http://127.0.0.1:6055,http://127.0.0.1:6056"
    assert gateway_env["STORES"] == specs["worker"][1]["STORES"] == "shared"


def test_one_replica_keeps_sqlite_and_the_plain_endpoints(tmp_path: Path) -> None:
    config = StackConfig("sqlite://", tmp_path / "c.yml", tmp_path / "t.db")
    argv, env = commands(config)["rasa"]
    assert argv[argv.index("--endpoints") + 1].endswith("/endpoints.yml")
    assert env["RASA_TRACKER_DB"] == str(tmp_path / "t.db")
    assert "--workers" not in commands(config)["gateway"][0]


def test_replicas_without_shared_stores_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shared"):
        StackConfig("sqlite://", tmp_path / "c.yml", tmp_path / "t.db", (1, 2), (3, 4))
    with pytest.raises(ValueError, match="action server"):
        StackConfig(
            "sqlite://", tmp_path / "c.yml", tmp_path / "t.db", (1, 2), (3,), stores="shared"
        )
