"""bench/latency.png: turn latency of the scale part, one assistant beside several, overlaid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench_common import percentile
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

SETUPS = {  # report key → legend label and colour
    "single": ("une instance", "#1f77b4"),
    "scaled": ("à l’échelle", "#d62728"),
}
BINS = 50


def samples(results: dict[str, Any]) -> dict[str, list[float]]:
    """The raw turn latencies (ms) of each setup of the scale part, if it was measured."""
    part = results.get("scale")
    if not isinstance(part, dict) or "error" in part:
        return {}
    raw = part.get("samples_ms") or {}
    return {name: [float(v) for v in raw[name] if v > 0] for name in SETUPS if raw.get(name)}


def _log_bins(lowest: float, highest: float) -> list[float]:
    if highest <= lowest:
        lowest, highest = lowest * 0.9, highest * 1.1
    ratio = highest / lowest
    return [lowest * ratio ** (i / BINS) for i in range(BINS + 1)]


def latency_histogram(results: dict[str, Any], path: Path) -> bool:
    """Draw the histogram into `path`; False (and no file left) when there is nothing to draw."""
    series = samples(results)
    if not series:
        path.unlink(missing_ok=True)  # an old picture would no longer match report.json
        return False
    part = results["scale"]
    run = part.get("run", {})
    everything = [v for values in series.values() for v in values]
    bins = _log_bins(min(everything), max(everything))
    figure = Figure(figsize=(9, 4.8), layout="constrained")
    axes = figure.add_subplot()
    marks: list[tuple[int, str, float, float]] = []
    for row, (name, values) in enumerate(series.items()):
        label, colour = SETUPS[name]
        figures = part.get("setups", {}).get(name, {}).get("turn_ms") or {}
        p50 = float(figures.get("p50") or percentile(values, 50))
        p95 = float(figures.get("p95") or percentile(values, 95))
        turns = part.get("setups", {}).get(name, {}).get("turns") or len(values)
        legend = f"{label} : {turns} tours, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        share = [100 / len(values)] * len(values)  # each setup in % of its turns: shapes compare
        axes.hist(values, bins=bins, weights=share, color=colour, alpha=0.3, label=legend)
        axes.hist(values, bins=bins, weights=share, color=colour, histtype="step", linewidth=1.2)
        marks.append((row, colour, p50, p95))
    top = axes.get_ylim()[1] * 1.15  # room for the p50 and p95 labels above the bars
    axes.set_ylim(0, top)
    for row, colour, p50, p95 in marks:
        axes.axvline(p50, color=colour, linestyle="--", linewidth=1.2)
        axes.axvline(p95, color=colour, linestyle=":", linewidth=1.6)
        for value, quantile in ((p50, "p50"), (p95, "p95")):
            offset = (3, -12 - 14 * row)
            axes.annotate(
                quantile, (value, top), xytext=offset, textcoords="offset points", color=colour
            )
    axes.set_xscale("log")
    span = bins[-1] / bins[0]
    subs = (1.0, 2.0, 3.0, 5.0, 7.0) if span < 100 else (1.0, 2.0, 5.0) if span < 1e4 else (1.0,)
    axes.xaxis.set_major_locator(LogLocator(subs=subs))
    axes.xaxis.set_major_formatter(ScalarFormatter())
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.set_xlabel("latence d’un tour (ms, échelle log.) ; tirets : p50, pointillés : p95")
    axes.set_ylabel("part des tours (%)")
    axes.set_title(
        f"Latence d’un tour de conversation : {' et '.join(SETUPS[n][0] for n in series)}\n"
        f"{str(run.get('date', '?')).replace('T', ' ')}, commit {run.get('commit', '?')}",
        fontsize=11,
    )
    figure.legend(loc="outside lower center", ncols=len(series), fontsize=9)
    axes.grid(axis="x", which="both", alpha=0.2)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, metadata={"Software": None})
    return True
