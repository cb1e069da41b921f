"""The command line and the gateway refuse a malformed commune file at start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.commune import CommuneError
from bot.settings import load_settings
from gateway.app import create_app
from tests.conftest import DEMO_COMMUNE


def broken_commune(tmp_path: Path) -> Path:
    path = tmp_path / "cassee.yml"
    path.write_text(
        DEMO_COMMUNE.read_text().replace("  telephone: 01 99 00 12 34\n", "  telephone:\n")
    )
    return path


def test_check_commune_names_the_line_and_the_reason(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check-commune", str(broken_commune(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "ligne 23" in result.stderr
    assert "mairie.telephone : du texte est attendu" in result.stderr


def test_check_commune_accepts_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check-commune", str(DEMO_COMMUNE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Clairval" in result.stdout


def test_the_gateway_refuses_to_start_on_a_malformed_file(tmp_path: Path) -> None:
    settings = load_settings(
        {"COMMUNE_FILE": str(broken_commune(tmp_path)), "DATABASE_URL": "sqlite://"}
    )
    with pytest.raises(CommuneError, match="ligne 23"):
        create_app(settings)


def test_setup_migrates_a_new_database(tmp_path: Path) -> None:
    database = tmp_path / "neuve" / "guichet.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "setup"],
        capture_output=True,
        text=True,
        check=False,
        env={"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert database.exists()
    assert "Commune chargée : Clairval" in result.stdout
