from __future__ import annotations

from pathlib import Path

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
    assert rasa_env["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{config.actions_port}/webhook"
    assert specs["actions"][1]["SANIC_HOST"] == "127.0.0.1"
    gateway_argv, gateway_env = specs["gateway"]
    assert gateway_argv[gateway_argv.index("--host") + 1] == "0.0.0.0"
    assert gateway_env["RASA_TOKEN"] == config.rasa_token
    assert config.gateway_url == f"http://127.0.0.1:{config.gateway_port}"


def test_each_stack_gets_its_own_token(tmp_path: Path) -> None:
    first, second = (StackConfig("sqlite://", tmp_path / "c.yml", tmp_path / "t.db") for _ in "ab")
    assert first.rasa_token != second.rasa_token
