"""The benchmark report: report.md, report.json, latency.png and the README's table (no stack)."""

from __future__ import annotations

import json
import random
import struct
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from bot.settings import ROOT

SCRIPTS = ROOT / "scripts"
PNG = b"\x89PNG\r\n\x1a\n"
RUN = {"command": "make bench", "date": "2026-11-30T10:00:00+00:00", "commit": "abc1234"}


@pytest.fixture(autouse=True)
def scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/ importable, and stand-ins for the nlu and scale sections: these tests are about
    the report around them, whatever those modules print."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    for name in ("bench_nlu", "bench_scale"):
        fake = types.ModuleType(name)

        def report_lines(part: dict[str, Any], name: str = name) -> list[str]:
            return [f"## {name} section", f"keys {sorted(part)}"]

        fake.report_lines = report_lines  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, name, fake)


def latency(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[round(q * (len(ordered) - 1))]

    return {"count": len(values), "p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99)}


def scale_part() -> dict[str, Any]:
    rng = random.Random(6)
    single = [rng.lognormvariate(4.4, 0.3) for _ in range(400)]
    scaled = [rng.lognormvariate(4.6, 0.4) for _ in range(900)]
    setups = {
        name: {
            "turn_ms": latency(values),
            "turns_per_s": len(values) / 20,
            "cpu_percent": {"rasa": 80.0},
            "rss_mib": {"rasa": 750.0, "actions": 93.0},
        }
        for name, values in (("single", single), ("scaled", scaled))
    }
    setups["scaled"]["rss_mib"] = {"rasa-1": 751.0, "rasa-2": 748.4, "redis": 9.6}
    return {
        "run": RUN,
        "setups": setups,
        "ratio": {"throughput": 2.25, "p95": 1.31},
        "goals": {"throughput": {"goal": 1.4, "met": True}, "p95": {"goal": 1.5, "met": True}},
        "samples_ms": {"single": single, "scaled": scaled},
    }


def results() -> dict[str, Any]:
    """A small report: FAQ turns and memory, a race, a failed part, NLU and scale."""
    return {
        "machine": "test x86_64, 2 cores",
        **RUN,
        "guichet": {
            "run": RUN,
            "cold_start_s": {"runs": [10.0, 11.0], "median": 10.5},
            "rss_mib": {"rasa": 746.0, "actions": 93.0, "gateway": 87.0},
            "faq_turn_ms": {"count": 300, "p50": 59.8, "p95": 187.2, "p99": 200.0, "mean": 70.0},
        },
        "booking_race": {
            "run": RUN,
            "backends": {
                b: {
                    "runs": [{"created": 1, "conflict": 49, "other": 0, "live_rows": 1}] * 3,
                    "residents": 50,
                    "gateways": 2,
                    "runs_as_expected": 3,
                    "double_bookings": 0,
                }
                for b in ("sqlite", "postgresql")
            },
        },
        "open311_api": {"run": RUN, "error": "TimeoutError: not ready after 60 s"},
        "nlu": {
            "run": RUN,
            "cross_validation": {"weighted_f1": 0.961, "macro_f1": 0.9, "per_intent": {}},
            "heldout": {"weighted_f1": 0.82, "macro_f1": 0.8, "per_intent": {}, "messages": 120},
        },
        "scale": scale_part(),
    }


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_write_gives_the_markdown_the_json_and_the_histogram(tmp_path: Path) -> None:
    import bench_report

    figures = results()
    markdown = bench_report.write(figures, tmp_path)

    assert json.loads((tmp_path / "report.json").read_text()) == figures
    assert (tmp_path / "report.md").read_text() == markdown
    width, height = png_size(tmp_path / "latency.png")
    assert width >= 600
    assert height >= 300
    assert (tmp_path / "latency.png").stat().st_size > 10_000  # bars, lines and text drawn
    assert "](latency.png)" in markdown
    assert "## bench_scale section" in markdown
    assert "## bench_nlu section" in markdown
    assert "keys ['cross_validation', 'heldout', 'run']" in markdown
    assert "**open311_api** failed" in markdown
    assert "| FAQ turn latency p95 (ms) | 187 | ≤ 150 |" in markdown


def test_no_scale_samples_no_histogram_and_an_old_one_goes(tmp_path: Path) -> None:
    import bench_report

    figures = results()
    bench_report.write(figures, tmp_path)
    assert (tmp_path / "latency.png").exists()

    figures["scale"] = {"run": RUN, "error": "RuntimeError: redis did not start"}
    markdown = bench_report.write(figures, tmp_path)

    assert not (tmp_path / "latency.png").exists()
    assert "latency.png" not in markdown
    assert "**scale** failed" in markdown


def test_histogram_of_one_setup_only(tmp_path: Path) -> None:
    import bench_plot

    figures = results()
    del figures["scale"]["samples_ms"]["scaled"]
    assert bench_plot.latency_histogram(figures, tmp_path / "one.png")
    assert png_size(tmp_path / "one.png")[0] >= 600


README = """# Guichet

## Mesures

Texte avant, gardé tel quel.

<!-- bench:table:start -->
| ancienne | table |
| --- | --- |
| 1 | 2 |
<!-- bench:table:end -->

Texte après, gardé lui aussi.
"""


def row(text: str, label: str) -> list[str]:
    """The cells of the table row whose first cell starts with `label`."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label!r}")


def test_readme_table_replaces_only_between_the_markers(tmp_path: Path) -> None:
    import readme_table

    readme = tmp_path / "README.md"
    readme.write_text(README)

    assert readme_table.rewrite(readme, results(), picture=True)
    text = readme.read_text()

    before, rest = text.split("<!-- bench:table:start -->")
    inside, after = rest.split("<!-- bench:table:end -->")
    assert before == README.split("<!-- bench:table:start -->")[0]
    assert after == README.split("<!-- bench:table:end -->")[1]
    assert "ancienne" not in inside
    assert "[bench/latency.png](bench/latency.png)" in inside
    assert row(inside, "question fréquente") == [
        "question fréquente, p50 / p95",
        "60 / 187 ms",
        "p95 ≤ 150 ms",
        "**non**",
        "2026-11-30, `abc1234`",
    ]
    assert row(inside, "tours par seconde")[1] == "20,0 → 45,0 par s (× 2,25)"
    assert row(inside, "p95 d’un tour")[1].endswith("(× 1,31)")
    assert row(inside, "mémoire résidente à l’échelle")[1] == (
        "rasa-1 751 ; rasa-2 748 ; redis 10 Mio (total 1509)"
    )
    assert row(inside, "double réservations")[1:4] == [
        "0 / 0 (résultat attendu : 3/3 et 3/3 courses)",
        "0",
        "oui",
    ]
    assert row(inside, "intentions, validation croisée")[1:4] == [
        "0,961 / 0,900",
        "F1 pondéré ≥ 0,95",
        "oui",
    ]
    assert row(inside, "intentions, messages jamais appris")[1:4] == [
        "0,820 / 0,800 (120 messages)",
        "F1 pondéré ≥ 0,95",
        "**non**",
    ]
    assert row(inside, "démarrage à froid")[1] == "10,5 s (`rasa init` : non mesuré)"
    assert row(inside, "dates comprises")[1:] == ["non mesuré", "≥ 90 % chacune", "—", "—"]

    assert not readme_table.rewrite(readme, results(), picture=True)  # the same report again
    assert readme.read_text() == text


def test_a_failed_part_shows_as_failed_in_the_table(tmp_path: Path) -> None:
    import readme_table

    readme = tmp_path / "README.md"
    readme.write_text(README)
    readme_table.rewrite(readme, results())
    cells = row(readme.read_text(), "création Open311")

    assert cells[1].startswith("échec")
    assert cells[3] == "échec"
    assert cells[4] == "2026-11-30, `abc1234`"
    assert "latency.png" not in readme.read_text()


def test_a_readme_without_markers_is_left_alone(tmp_path: Path) -> None:
    import readme_table

    readme = tmp_path / "README.md"
    readme.write_text("# Guichet\n")
    with pytest.raises(ValueError, match="bench:table:start"):
        readme_table.rewrite(readme, results())
    assert readme.read_text() == "# Guichet\n"


def test_the_readme_table_is_the_report_s(tmp_path: Path) -> None:
    """The committed README shows what the committed bench/report.json holds."""
    import readme_table

    readme = ROOT / "README.md"
    report = json.loads((ROOT / "bench" / "report.json").read_text())
    copy = tmp_path / "README.md"
    copy.write_text(readme.read_text())
    picture = (ROOT / "bench" / "latency.png").exists()

    assert not readme_table.rewrite(copy, report, picture), "run scripts/readme_table.py"


def test_bench_runs_the_nlu_and_scale_parts_with_their_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bench

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def nlu(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(("nlu", args, kwargs))
        return {k: v for k, v in results()["nlu"].items() if k != "run"}

    def scale(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(("scale", args, kwargs))
        return {k: v for k, v in scale_part().items() if k != "run"}

    monkeypatch.setattr(sys.modules["bench_nlu"], "nlu", nlu, raising=False)
    monkeypatch.setattr(sys.modules["bench_scale"], "scale", scale, raising=False)
    readme_before = (ROOT / "README.md").read_text()
    argv = ["bench.py", "--only", "nlu,scale", "--quick", "--out", str(tmp_path)]
    monkeypatch.setattr(sys, "argv", argv)

    bench.main()

    assert calls == [
        ("nlu", (), {"folds": 5, "cross_validation": False}),
        ("scale", (8, 20.0), {}),
    ]
    figures = json.loads((tmp_path / "report.json").read_text())
    assert figures["nlu"]["run"]["command"].startswith("make bench BENCH_ARGS='--only nlu,scale")
    assert figures["scale"]["samples_ms"]["single"]
    assert (tmp_path / "latency.png").read_bytes()[:8] == PNG
    out = capsys.readouterr().out
    assert "[1/2] nlu …" in out
    assert "[2/2] scale: done in" in out
    assert (ROOT / "README.md").read_text() == readme_before  # not the README's report


def test_bench_options_for_a_full_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import bench

    argv = ["bench.py", "--only", "nlu,scale", "--folds", "3", "--scale-seconds", "5"]
    monkeypatch.setattr(sys, "argv", argv)
    args = bench.arguments()
    assert (args.folds, args.cv, args.scale_conversations, args.scale_seconds) == (
        3,
        True,
        40,
        5.0,
    )
    monkeypatch.setattr(sys, "argv", [*argv, "--no-cv"])
    assert bench.arguments().cv is False


def test_a_quick_nlu_run_has_no_cross_validation_figure(tmp_path: Path) -> None:
    import readme_table

    figures = results()
    del figures["nlu"]["cross_validation"]  # `--quick` or `--no-cv`
    readme = tmp_path / "README.md"
    readme.write_text(README)
    readme_table.rewrite(readme, figures)
    text = readme.read_text()

    assert row(text, "intentions, validation croisée")[1] == "non mesuré"
    assert row(text, "intentions, messages jamais appris")[1].startswith("0,820")


def limits_part(cost_on: float) -> dict[str, Any]:
    """The booking API's limits part: three runs each way on SQLite."""
    on = [{"bookings_per_s": v, "p50_ms": 5.0, "failures": 0} for v in (cost_on, 180.0, 190.0)]
    off = [{"bookings_per_s": v, "p50_ms": 5.0, "failures": 0} for v in (185.0, 190.0, 195.0)]
    ratio = 180.0 / 190.0
    return {
        "run": RUN,
        "bookings": 300,
        "runs": 3,
        "backends": {
            "sqlite": {
                "on": {"runs": on, "median_bookings_per_s": 180.0},
                "off": {"runs": off, "median_bookings_per_s": 190.0},
                "ratio": round(ratio, 3),
                "cost_percent": round((1 - ratio) * 100, 1),
                "failures": 0,
            }
        },
        "goal_percent": 5.0,
        "met": False,
    }


def test_what_the_limits_cost_is_in_the_report_and_the_readme(tmp_path: Path) -> None:
    import bench_report
    import readme_table

    figures = results() | {"booking_limits": limits_part(170.0)}
    markdown = bench_report.write(figures, tmp_path)
    assert "## Booking API: what the limits cost" in markdown
    assert "| sqlite | 170.0, 180.0, 190.0 | 185.0, 190.0, 195.0 | 180.0 / 190.0 | 0.947 |" in (
        markdown
    )
    assert "Goal: the limits cost less than 5 % of the throughput: **not met**." in markdown
    readme = tmp_path / "README.md"
    readme.write_text(README)
    readme_table.rewrite(readme, figures)
    assert row(readme.read_text(), "coût des limites") == [
        "coût des limites pour `POST /api/bookings` : débit perdu (avec / sans, médianes)",
        "SQLite 5,3 % (180 / 190 par s)",
        "< 5 %",
        "**non**",
        "2026-11-30, `abc1234`",
    ]
