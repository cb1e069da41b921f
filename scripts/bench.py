"""Benchmarks on this machine: FAQ turn latency, cold start against a bare `rasa init`, memory.

Run with `make bench` (the model must be trained: the Makefile sees to it). Writes
bench/report.md and bench/report.json. Figures are medians over repeated runs where
repeated; nothing here is a pass/fail test, the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.stack import QUIET_RASA, RASA_BIN, health_status  # noqa: E402

FAQ = [
    "bonjour",
    "la mairie ouvre a quelle heure ?",
    "vous etes ouverts le samedi ?",
    "c'est ouvert entre midi et deux ?",
    "horaires de la dechetterie",
    "comment faire pour les encombrants",
    "je veux deposer un permis de construire",
    "comment refaire ma carte d'identité",
    "combien coute un passeport",
    "acte de naissance svp",
    "inscription liste electorale",
    "carte grise",
    "numero de telephone de la mairie",
    "merci",
]
PORTS = {"rasa": 5005, "actions": 5055, "gateway": 8000}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def wait_until(check: Any, timeout: float) -> float:
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
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def spawn(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a silent process in its own session, so it can be stopped with its children."""
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def ports_free() -> None:
    busy = [
        c.laddr.port
        for c in psutil.net_connections("tcp")
        if c.status == "LISTEN" and c.laddr.port in PORTS.values()
    ]
    if busy:
        raise SystemExit(f"ports {busy} are taken: stop the running assistant first")


def rss_by_part(root: psutil.Process) -> dict[str, float]:
    """Resident memory (MiB) of each part, children included, found by command line."""
    parts: dict[str, float] = {}
    for child in root.children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
            rss = child.memory_info().rss / 2**20
        except psutil.Error:
            continue
        for part, marker in (("rasa", "rasa run"), ("actions", "rasa_sdk"), ("gateway", "uvicorn")):
            if marker in cmd:
                parts[part] = parts.get(part, 0.0) + rss
    return parts


def bench_guichet(runs: int, turns: int) -> dict[str, Any]:
    """Cold start of `make run` (model trained) to a healthy /healthz, then FAQ turns."""
    starts: list[float] = []
    latencies: list[float] = []
    memory: dict[str, float] = {}
    for run in range(runs):
        ports_free()
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
            began = time.monotonic()
            process = spawn(["make", "--no-print-directory", "run"], ROOT, env)
            try:
                wait_until(lambda: health_status("http://127.0.0.1:8000") == 200, 300)
                starts.append(time.monotonic() - began)
                log(f"Guichet cold start {run + 1}/{runs}: {starts[-1]:.1f} s")
                if run == runs - 1:
                    latencies = faq_turns(turns)
                    memory = rss_by_part(psutil.Process(process.pid))
            finally:
                stop_group(process)
    return {
        "cold_start_s": {"runs": starts, "median": statistics.median(starts)},
        "faq_turn_ms": {
            "turns": len(latencies),
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "mean": statistics.fmean(latencies),
        },
        "rss_mib": memory,
    }


def faq_turns(turns: int) -> list[float]:
    latencies: list[float] = []
    with httpx.Client(base_url="http://127.0.0.1:8000", timeout=30) as client:
        for i in range(10):  # warm-up, not counted
            client.post("/webhooks/rest/webhook", json={"sender": "bench-warm", "message": FAQ[i]})
        for i in range(turns):
            message = FAQ[i % len(FAQ)]
            began = time.perf_counter()
            response = client.post(
                "/webhooks/rest/webhook", json={"sender": f"bench-{i // 20}", "message": message}
            )
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or "indisponible" in response.text:
                raise SystemExit(f"turn {i} failed: {response.status_code} {response.text[:200]}")
            if i % 100 == 99:
                log(f"{i + 1}/{turns} FAQ turns")
    return latencies


def bench_rasa_init(runs: int, workdir: Path) -> dict[str, Any]:
    """A bare `rasa init` assistant, trained once, started the same way: spawn to model loaded."""
    project = workdir / "rasa-init"
    env = {**os.environ, **QUIET_RASA}
    if not list((project / "models").glob("*.tar.gz")):
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        log("training a bare `rasa init` assistant (once; kept in var/bench)")
        subprocess.run(
            [str(RASA_BIN), "init", "--no-prompt"],
            cwd=project,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    starts: list[float] = []
    rss = 0.0
    for run in range(runs):
        ports_free()
        began = time.monotonic()
        argv = [str(RASA_BIN), "run", "--enable-api", "--auth-token", "bench"]
        process = spawn([*argv, "-i", "127.0.0.1", "-p", "5005"], project, env)
        try:
            wait_until(lambda: _rasa_model_loaded("http://127.0.0.1:5005", "bench"), 300)
            starts.append(time.monotonic() - began)
            rss = psutil.Process(process.pid).memory_info().rss / 2**20
            log(f"rasa init cold start {run + 1}/{runs}: {starts[-1]:.1f} s")
        finally:
            stop_group(process, signal.SIGTERM)
    return {"cold_start_s": {"runs": starts, "median": statistics.median(starts)}, "rss_mib": rss}


def _rasa_model_loaded(url: str, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/status?token={token}", timeout=2) as response:  # noqa: S310
            return bool(json.loads(response.read()).get("model_file"))
    except OSError:
        return False


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def write_report(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    g, r = results["guichet"], results["rasa_init"]
    ratio = g["cold_start_s"]["median"] / r["cold_start_s"]["median"]
    rows = [
        ("FAQ turn latency p50 (ms)", f"{g['faq_turn_ms']['p50']:.0f}", "—"),
        ("FAQ turn latency p95 (ms)", f"{g['faq_turn_ms']['p95']:.0f}", "≤ 150"),
        ("FAQ turn latency p99 (ms)", f"{g['faq_turn_ms']['p99']:.0f}", "—"),
        (
            "Cold start, `make run` to healthy (s, median)",
            f"{g['cold_start_s']['median']:.1f}",
            "≤ bare `rasa init`",
        ),
        (
            "Cold start, bare `rasa init` to model loaded (s, median)",
            f"{r['cold_start_s']['median']:.1f}",
            "—",
        ),
        ("Cold start ratio Guichet / rasa init", f"{ratio:.2f}", "≤ 1.00"),
        ("Rasa resident memory (MiB)", f"{g['rss_mib'].get('rasa', 0):.0f}", "≤ 1434 (1.4 GB)"),
        ("Action server resident memory (MiB)", f"{g['rss_mib'].get('actions', 0):.0f}", "—"),
        ("Gateway resident memory (MiB)", f"{g['rss_mib'].get('gateway', 0):.0f}", "—"),
        ("Bare `rasa init` Rasa resident memory (MiB)", f"{r['rss_mib']:.0f}", "—"),
    ]
    lines = [
        "# Guichet benchmark report",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}. Commit: {results['commit']}.",
        f"Command: `{results['command']}`. {g['faq_turn_ms']['turns']} FAQ turns, sequential, "
        f"through the gateway; cold starts over {len(g['cold_start_s']['runs'])} runs each.",
        "",
        "| figure | measured | target |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    (out / "report.md").write_text("\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="cold starts of each assistant")
    parser.add_argument("--turns", type=int, default=300, help="FAQ turns timed")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "command": "make bench"
        + (
            f" BENCH_ARGS='--runs {args.runs} --turns {args.turns}'"
            if (args.runs, args.turns) != (3, 300)
            else ""
        ),
    }
    log("Guichet: cold starts and FAQ turns")
    results["guichet"] = bench_guichet(args.runs, args.turns)
    log("bare rasa init assistant: cold starts")
    results["rasa_init"] = bench_rasa_init(args.runs, ROOT / "var" / "bench")
    write_report(results, args.out)


if __name__ == "__main__":
    main()
