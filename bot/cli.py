"""Command line: `guichet setup | check-commune | run` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.accounts import AccountError, check_password, create_agent
from bot.addresses import local_ports, tracker_file
from bot.commune import CommuneError, load_commune
from bot.db import ensure_database, make_engine, make_session_factory, migrate
from bot.notice_check import check
from bot.settings import SettingsError, load_settings
from bot.stack import MODEL, Stack, StackConfig


def _check_commune(path: Path) -> int:
    try:
        commune = load_commune(path)
    except CommuneError as error:
        print(f"Fichier de la commune refusé : {error}", file=sys.stderr)
        return 1
    print(f"Commune chargée : {commune.name} ({path})")
    settings = load_settings()
    problems = check(settings.notification_templates, commune, settings.public_url)
    for problem in problems:
        print(f"Modèle de notification refusé : {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"Modèles de notification vérifiés : {settings.notification_templates}")
    return 0


def _setup() -> int:
    settings = load_settings()
    if ensure_database(settings.database_url):
        print(f"Base de données créée : {_shown(settings.database_url)}")
    migrate(settings.database_url)
    print(f"Base de données à jour : {_shown(settings.database_url)}")
    return _check_commune(settings.commune_file)


_MODULES = {"worker": "channels.outbox_worker", "telegram-webhook": "channels.telegram_setup"}


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _shown(database_url: str) -> str:
    """The database URL without its password, for the terminal."""
    return make_url(database_url).render_as_string(hide_password=True)


def _run(asked: int | None) -> int:
    settings = load_settings()
    if not MODEL.exists():
        print("Aucun modèle entraîné : lancez `make run`, qui l’entraîne.", file=sys.stderr)
        return 1
    # As many replicas as RASA_URL lists servers, unless --replicas says otherwise.
    replicas = len(settings.rasa_urls) if asked is None else asked
    if replicas < 1:
        print("--replicas doit valoir au moins 1.", file=sys.stderr)
        return 2
    if replicas > 1 and settings.stores != "shared":
        print(
            "Plusieurs serveurs Rasa doivent partager leurs conversations : lancez avec "
            "STORES=shared (PostgreSQL et Redis), par exemple `make run-scaled`.",
            file=sys.stderr,
        )
        return 2
    if replicas > 1 and settings.telegram_polls:
        print(
            "Telegram en relève (long polling) ne se partage pas entre plusieurs passerelles : "
            "donnez une adresse PUBLIC_URL en https pour le webhook, ou TELEGRAM_POLLING=off.",
            file=sys.stderr,
        )
        return 2
    config = StackConfig(
        database_url=settings.database_url,
        commune_file=settings.commune_file,
        tracker_db=tracker_file(settings.database_url),
        # The ports the settings give the gateway: two stacks can run side by side.
        rasa_ports=local_ports(settings.rasa_urls, replicas, "RASA_URL"),
        actions_ports=local_ports(settings.action_server_urls, replicas, "ACTION_SERVER_URL"),
        gateway_port=settings.gateway_port,
        gateway_host=settings.gateway_host,
        gateway_workers=replicas,
        stores=settings.stores,
        redis_url=settings.redis_url,
    )
    stack = Stack(config)
    # Ctrl-C, and a service manager's SIGTERM, stop all three processes. Set explicitly:
    # a shell starting us in the background would have made us ignore SIGINT.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    for reason in settings.channels_off().values():
        print(reason)
    if settings.telegram_polls:
        print("Telegram : pas d’adresse publique https, relève des messages (long polling).")
    if replicas > 1:
        print(
            f"{replicas} serveurs Rasa ({', '.join(config.rasa_urls)}), {replicas} serveurs "
            f"d’actions et {replicas} processus de passerelle ; conversations dans PostgreSQL "
            f"({_shown(config.database_url)}), verrous dans Redis ({config.redis_url})."
        )
    print("Démarrage de Rasa, du serveur d’actions, de la passerelle et des notifications…")
    print("(le modèle se charge en 30 à 60\u00a0s)")
    stack.start()
    try:
        seconds = stack.wait_healthy()
        print(f"\nGuichet est prêt en {seconds:.0f}\u00a0s.")
        print(f"Ouvrez {config.gateway_url}/ dans votre navigateur.")
        print("Ctrl-C pour tout arrêter.")
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(0.5)
        stopped = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"Arrêt : {', '.join(stopped)} s'est arrêté.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nArrêt demandé…")
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Échec du démarrage : {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Rasa, le serveur d’actions, la passerelle et les notifications sont arrêtés.")


_PASSWORD_VARIABLES = {"admin": "GUICHET_ADMIN_PASSWORD", "agent": "GUICHET_AGENT_PASSWORD"}


def _create_account(login: str, name: str, role: str) -> int:
    """A console account; the password comes from the environment, else is typed twice."""
    settings = load_settings()
    password = os.environ.get(_PASSWORD_VARIABLES[role]) or None  # empty: ask
    try:
        if password is None:
            password = getpass.getpass("Mot de passe : ")
            check_password(password)  # refuse a short one before asking for it again
            if getpass.getpass("Confirmez le mot de passe : ") != password:
                print("Les deux mots de passe saisis diffèrent.", file=sys.stderr)
                return 1
        engine = make_engine(settings.database_url)
        try:
            with make_session_factory(engine).begin() as db:
                agent = create_agent(db, login, name, password, role)
        finally:
            engine.dispose()
    except AccountError as error:
        print(f"Compte refusé : {error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nAbandon : aucun compte créé.", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(
            f"Base de données inutilisable ({type(error).__name__}) : lancez `guichet setup`.",
            file=sys.stderr,
        )
        return 1
    kind = "administrateur" if role == "admin" else "agent"
    print(f"Compte {kind} créé : {agent.login} ({agent.name}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="guichet", description="Guichet, l’assistant de la mairie"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "setup", help="crée ou met à jour la base et vérifie la fiche de la commune"
    )
    check = commands.add_parser("check-commune", help="vérifie un fichier de commune")
    check.add_argument("path", type=Path, nargs="?")
    run = commands.add_parser(
        "run", help="démarre Rasa, les actions, la passerelle et l’envoi des notifications"
    )
    run.add_argument(
        "--replicas",
        type=int,
        default=None,
        help="nombre de serveurs Rasa, de serveurs d’actions et de processus de passerelle "
        "(plus d’un : STORES=shared ; par défaut, autant que d’adresses dans RASA_URL, "
        "dont les ports sont ceux de RASA_URL et ACTION_SERVER_URL)",
    )
    commands.add_parser(
        "worker", help="envoie les notifications en attente (SMS, Telegram, e-mail)"
    )
    commands.add_parser(
        "telegram-webhook", help="enregistre le webhook Telegram (PUBLIC_URL et secret)"
    )
    for role in ("admin", "agent"):
        create = commands.add_parser(
            f"create-{role}",
            help=f"crée un compte {'administrateur' if role == 'admin' else 'agent'} de la "
            f"console (mot de passe : {_PASSWORD_VARIABLES[role]}, sinon saisi au clavier)",
        )
        create.add_argument("--login", required=True, help="identifiant de connexion")
        create.add_argument("--name", required=True, help="nom affiché dans la console")
    args = parser.parse_args(argv)
    try:
        if args.command == "setup":
            return _setup()
        if args.command == "check-commune":
            return _check_commune(args.path or load_settings().commune_file)
        if args.command in ("create-admin", "create-agent"):
            return _create_account(args.login, args.name, args.command.removeprefix("create-"))
        if args.command in _MODULES:
            # These live in channels/, which bot/ does not import: run them as modules.
            load_settings()  # a bad setting is reported here, in French
            return subprocess.call([sys.executable, "-m", _MODULES[args.command]])
        return _run(args.replicas)
    except SettingsError as error:
        print(f"Réglage invalide : {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
