from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.settings import ROOT, SettingsError, load_settings


def test_defaults_are_the_embedded_setup() -> None:
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{ROOT / 'var' / 'guichet.db'}"
    assert settings.commune_file == ROOT / "communes" / "clairval.yml"
    assert settings.rasa_urls == ("http://127.0.0.1:5005",)
    assert settings.gateway_port == 8000


def test_environment_overrides_and_relative_commune_path() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://x/y",
            "COMMUNE_FILE": "communes/autre.yml",
            "RASA_URL": "http://h:1/",
        }
    )
    assert settings.database_url == "postgresql://x/y"
    assert settings.commune_file == ROOT / "communes" / "autre.yml"
    assert settings.rasa_urls == ("http://h:1",)


def test_shared_stores_mean_postgresql_and_redis() -> None:
    shared = load_settings({"STORES": "shared"})
    assert shared.database_url.startswith("postgresql+psycopg://postgres@127.0.0.1:5432/")
    assert shared.redis_url == "redis://127.0.0.1:6379/0"
    given = load_settings({"STORES": "Shared", "DATABASE_URL": "postgresql://u@h/d"})
    assert (given.stores, given.database_url) == ("shared", "postgresql://u@h/d")
    with pytest.raises(SettingsError, match="PostgreSQL"):
        load_settings({"STORES": "shared", "DATABASE_URL": "sqlite:///x.db"})
    with pytest.raises(SettingsError, match="STORES"):
        load_settings({"STORES": "cloud"})
    assert load_settings({}).stores == "local"


def test_several_rasa_servers_are_listed_by_commas() -> None:
    settings = load_settings(
        {"RASA_URL": " http://a:1/ , http://b:2 ,", "ACTION_SERVER_URL": "http://c:3,http://d:4"}
    )
    assert settings.rasa_urls == ("http://a:1", "http://b:2")
    assert settings.action_server_urls == ("http://c:3", "http://d:4")


def test_a_bad_number_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="GATEWAY_PORT"):
        load_settings({"GATEWAY_PORT": "huit mille"})


def test_env_example_lists_every_setting() -> None:
    source = (ROOT / "bot" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r'"([A-Z][A-Z_]+)"', source))
    assert names, "no setting found"
    missing = {n for n in names if f"{n}=" not in example}
    assert not missing, f".env.example misses {sorted(missing)}"


def test_each_channel_is_off_until_its_settings_are_complete() -> None:
    bare = load_settings({})
    assert set(bare.channels_off()) == {"telegram", "sms", "email"}
    assert "TELEGRAM_BOT_TOKEN" in bare.channels_off()["telegram"]
    sms_half = load_settings({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"})
    assert not sms_half.sms_on and "sms" in sms_half.channels_off()
    full = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": "1:x",
            "TELEGRAM_WEBHOOK_SECRET": "s",
            "PUBLIC_URL": "https://guichet.example",
            "TWILIO_ACCOUNT_SID": "AC1",
            "TWILIO_AUTH_TOKEN": "t",
            "TWILIO_FROM_NUMBER": "+33757000001",
            "SMTP_HOST": "smtp.example",
            "SMTP_FROM": "mairie@example.org",
        }
    )
    assert full.channels_off() == {} and not full.telegram_polls
    # A webhook needs its secret; polling does not (no public https URL).
    assert (
        "telegram"
        in load_settings({"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_POLLING": "off"}).channels_off()
    )
    assert load_settings({"TELEGRAM_BOT_TOKEN": "1:x"}).telegram_polls


def test_a_bad_polling_flag_is_refused_in_french() -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_POLLING doit valoir auto, on ou off"):
        load_settings({"TELEGRAM_POLLING": "peut-être"})


def test_the_clock_start_needs_an_offset_and_is_none_by_default() -> None:
    assert load_settings({}).clock_start is None
    start = load_settings({"GUICHET_CLOCK_START": "2027-03-27T23:50:00+01:00"}).clock_start
    assert start is not None
    assert start.utcoffset() == timedelta(hours=1)
    with pytest.raises(SettingsError, match="GUICHET_CLOCK_START"):
        load_settings({"GUICHET_CLOCK_START": "2027-03-27T23:50:00"})
    with pytest.raises(SettingsError, match="GUICHET_CLOCK_START"):
        load_settings({"GUICHET_CLOCK_START": "samedi soir"})
