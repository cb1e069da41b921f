"""Where `guichet run` starts its servers: the ports of the URLs the settings give the gateway,
and the file of Rasa's conversations beside the database."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from bot.settings import ROOT, SettingsError
from bot.stack import INTERNAL

LOOPBACK_NAMES = frozenset({INTERNAL, "localhost"})


def local_ports(urls: Sequence[str], replicas: int, setting: str) -> tuple[int, ...]:
    """The ports this machine's servers listen on, from the URLs the gateway is given
    (RASA_URL, ACTION_SERVER_URL): one URL per replica, or one URL whose port is the first
    of consecutive ones. SettingsError, in French, for a URL we cannot serve here."""
    ports: list[int] = []
    for url in urls:
        parts = urlsplit(url)
        try:
            port = parts.port or 80
        except ValueError:
            port = 0
        if parts.scheme != "http" or parts.hostname not in LOOPBACK_NAMES or not port:
            raise SettingsError(
                f"{setting} doit désigner cette machine, par exemple http://{INTERNAL}:5005 "
                f"(reçu : {url}) : `guichet run` y démarre lui-même ce serveur, qui n’écoute "
                f"que sur {INTERNAL}."
            )
        ports.append(port)
    if len(ports) == 1:
        ports = [ports[0] + index for index in range(replicas)]
    if len(ports) != replicas:
        raise SettingsError(
            f"{setting} donne {len(urls)} adresses pour {replicas} exemplaire(s) : donnez-en "
            "une par exemplaire, ou une seule (ports consécutifs)."
        )
    if len(set(ports)) != len(ports) or not all(0 < p < 65536 for p in ports):
        raise SettingsError(f"{setting} : ports invalides ou en double ({ports}).")
    return tuple(ports)


def tracker_file(database_url: str) -> Path:
    """Rasa's trackers with local stores: beside a SQLite database, so that each stack (its
    own database) keeps its own conversations; in var/ otherwise."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(str(url.database))
        return database.with_name(f"{database.stem}-rasa.db")
    return ROOT / "var" / "rasa-tracker.db"
