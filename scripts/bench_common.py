"""Helpers shared by the benchmark scripts: logging, percentiles, processes, throwaway databases."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

import httpx
import psutil
from sqlalchemy import Engine, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import migrate  # noqa: E402
from calendar_store.tables import BookingRow  # noqa: E402
from tests.helpers.postgres import scratch_database  # noqa: E402

LIVE = ("held", "pending", "confirmed")
COMMUNE = ROOT / "communes" / "clairval.yml"
PARIS = ZoneInfo("Europe/Paris")
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)


class Latency(TypedDict):
    """Latency figures of one series, in milliseconds."""

    count: int
    p50: float
    p95: float
    p99: float
    mean: float


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency(values_ms: list[float]) -> Latency:
    if not values_ms:
        return {"count": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    return {
        "count": len(values_ms),
        "p50": round(percentile(values_ms, 50), 1),
        "p95": round(percentile(values_ms, 95), 1),
        "p99": round(percentile(values_ms, 99), 1),
        "mean": round(statistics.fmean(values_ms), 1),
    }


def wait_until(check: Callable[[], bool], timeout: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if check():
            return time.monotonic() - began
        time.sleep(0.2)
    raise TimeoutError(f"not ready after {timeout} s")


def stop_group(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGINT) -> None:
    try:
        os.killpg(process.pid, sig)
        process.wait(60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def spawn(argv: list[str], cwd: Path, env: dict[str, str], out: Path | None = None) -> Any:
    """Start a process in its own session, so it can be stopped with its children."""
    sink: Any = subprocess.DEVNULL if out is None else out.open("ab")
    try:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        if out is not None:
            sink.close()


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def local_today() -> date:
    return datetime.now(PARIS).date()


def first_bookable_day() -> date:
    """A day past every resource's minimum notice (72 h at most in Clairval's file)."""
    return local_today() + timedelta(days=4)


def at(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


@contextmanager
def gateway(
    database_url: str, log_file: Path, extra: dict[str, str] | None = None, port: int = 0
) -> Iterator[str]:
    """The real gateway (uvicorn --factory, as `guichet run` starts it) on a free port."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "COMMUNE_FILE": str(COMMUNE)}
    env["RASA_URL"] = "http://127.0.0.1:9"  # the booking API does not need Rasa
    # Everything comes from this one machine: rates per address are off unless `extra` says
    # otherwise (the booking API's limits part measures them on and off).
    env["RATE_LIMITS"] = "off"
    env |= extra or {}
    argv = [sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    process = spawn(argv, ROOT, env, log_file)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the gateway stopped while starting: see {log_file}")
        try:
            return httpx.get(f"{url}/api/resources", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(ready, 60)
        yield url
    finally:
        stop_group(process, signal.SIGTERM)


@contextmanager
def database(backend: str, workdir: Path, name: str) -> Iterator[str]:
    """A fresh migrated database: a SQLite file in workdir, or a PostgreSQL one dropped after."""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'{name}.db'}"
        migrate(url)
        yield url
        return
    with scratch_database(POSTGRES_SERVER, f"guichet_bench_{name}") as url:
        migrate(url)
        yield url


def rss_mib(processes: Iterable[psutil.Process]) -> float:
    """Resident memory of these processes together, in MiB (those gone since are skipped)."""
    total = 0.0
    for process in processes:
        try:
            total += process.memory_info().rss / 2**20
        except psutil.Error:
            continue
    return total


def live_rows(engine: Engine, resource: str, start: str, end: str) -> int:
    """Live bookings of a resource overlapping [start, end), straight from the database."""
    query = (
        select(func.count())
        .select_from(BookingRow)
        .where(BookingRow.resource == resource)
        .where(BookingRow.status.in_(LIVE))
        .where(BookingRow.starts_at < datetime.fromisoformat(end))
        .where(BookingRow.ends_at > datetime.fromisoformat(start))
    )
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


Posted = tuple[list[float], float, Counter[int]]


async def post_concurrently(
    url: str, path: str, bodies: list[dict[str, Any]], clients: int, *, form: bool = False
) -> Posted:
    """`clients` workers, each posting its next body as soon as the last one is answered:
    latencies (ms), elapsed seconds and the count of each status."""
    times: list[float] = []
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                sent = time.perf_counter()
                if form:
                    response = await client.post(path, data=body)
                else:
                    response = await client.post(path, json=body)
                times.append((time.perf_counter() - sent) * 1000)
                statuses[response.status_code] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return times, time.perf_counter() - began, statuses
