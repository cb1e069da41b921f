from __future__ import annotations

from pathlib import Path

import pytest

from bot.addresses import local_ports, tracker_file
from bot.settings import ROOT, SettingsError


@pytest.mark.parametrize(
    ("urls", "replicas", "ports"),
    [
        (("http://127.0.0.1:5005",), 1, (5005,)),
        (("http://127.0.0.1:6105",), 2, (6105, 6106)),  # --replicas 2 from one URL
        (("http://localhost:7005/", "http://127.0.0.1:7105"), 2, (7005, 7105)),
        (("http://127.0.0.1",), 1, (80,)),
    ],
)
def test_guichet_run_listens_where_the_settings_say(
    urls: tuple[str, ...], replicas: int, ports: tuple[int, ...]
) -> None:
    assert local_ports(urls, replicas, "RASA_URL") == ports


@pytest.mark.parametrize(
    ("urls", "replicas", "said"),
    [
        (("http://rasa:5005",), 1, "RASA_URL doit désigner cette machine"),
        (("https://127.0.0.1:5005",), 1, "RASA_URL doit désigner cette machine"),
        (("http://127.0.0.1:99999",), 1, "RASA_URL doit désigner cette machine"),
        (("http://127.0.0.1:5005", "http://127.0.0.1:5006"), 3, "2 adresses pour 3"),
        (("http://127.0.0.1:5005", "http://localhost:5005"), 2, "en double"),
    ],
)
def test_addresses_guichet_run_cannot_serve_are_refused_in_french(
    urls: tuple[str, ...], replicas: int, said: str
) -> None:
    with pytest.raises(SettingsError, match=said):
        local_ports(urls, replicas, "RASA_URL")


def test_each_sqlite_database_gets_its_own_rasa_conversations(tmp_path: Path) -> None:
    assert tracker_file(f"sqlite:///{tmp_path / 'a.db'}") == tmp_path / "a-rasa.db"
    assert tracker_file(f"sqlite:///{tmp_path / 'b.db'}") == tmp_path / "b-rasa.db"
    assert tracker_file("sqlite://") == ROOT / "var" / "rasa-tracker.db"
    assert tracker_file("postgresql+psycopg://u@h/db") == ROOT / "var" / "rasa-tracker.db"
