"""bench/report.md from the figures of scripts/bench.py (every part says how it was produced)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bench_plot

Row = tuple[str, str, str]
CONVERSATION_GOAL_MS = 250


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        *["| " + " | ".join(row) + " |" for row in rows],
        "",
    ]


def _stamp(part: dict[str, Any]) -> str:
    run = part.get("run", {})
    return (
        f"Command: `{run.get('command', '?')}` ({run.get('date', '?')}, {run.get('commit', '?')})."
    )


def _ok(part: dict[str, Any] | None) -> dict[str, Any] | None:
    """A part that was measured; None if absent or failed (failures are listed apart)."""
    return part if part and "error" not in part else None


def failures(results: dict[str, Any]) -> list[str]:
    failed = [
        f"- **{key}** failed ({_stamp(part)}): {part['error']}"
        for key, part in results.items()
        if isinstance(part, dict) and "error" in part
    ]
    return ["## Parts that failed", "", *failed, ""] if failed else []


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def assistant(results: dict[str, Any]) -> list[str]:
    g, r = _ok(results.get("guichet")), _ok(results.get("rasa_init"))
    if g is None:
        return []
    rows: list[Row] = []
    faq = g.get("faq_turn_ms")
    if faq:
        rows += [
            ("FAQ turn latency p50 (ms)", f"{faq['p50']:.0f}", "—"),
            ("FAQ turn latency p95 (ms)", f"{faq['p95']:.0f}", "≤ 150"),
            ("FAQ turn latency p99 (ms)", f"{faq['p99']:.0f}", "—"),
        ]
    start = g["cold_start_s"]["median"]
    rows.append(
        ("Cold start, `guichet setup` + `guichet run` to healthy (s, median)", f"{start:.1f}", "—")
    )
    if r is not None:
        bare = r["cold_start_s"]["median"]
        rows += [
            ("Cold start, bare `rasa init` to model loaded (s, median)", f"{bare:.1f}", "—"),
            ("Cold start ratio Guichet / rasa init", _ratio(start, bare), "≤ 1.00"),
        ]
    rss = g.get("rss_mib", {})
    rows += [
        ("Rasa resident memory (MiB)", f"{rss.get('rasa', 0):.0f}", "≤ 1434 (1.4 GB)"),
        ("Action server resident memory (MiB)", f"{rss.get('actions', 0):.0f}", "—"),
        ("Gateway resident memory (MiB)", f"{rss.get('gateway', 0):.0f}", "—"),
    ]
    if r is not None:
        rows.append(("Bare `rasa init` Rasa resident memory (MiB)", f"{r['rss_mib']:.0f}", "—"))
    turns = f"{faq['count']} FAQ turns, sequential, through the gateway; " if faq else ""
    return [
        "## Assistant: FAQ turns, cold start, memory",
        "",
        f"{_stamp(g)} {turns}cold starts over {len(g['cold_start_s']['runs'])} run(s).",
        "",
        *_table(("figure", "measured", "target"), rows),
    ]


def booking_api(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    rows: list[list[str]] = []
    for backend, figures in part["backends"].items():
        for mode in ("sequential", "concurrent"):
            s = figures[mode]
            lat = s["latency_ms"]
            clients = f" ({figures['clients']} clients)" if mode == "concurrent" else ""
            rows.append(
                [
                    backend,
                    mode + clients,
                    str(lat["count"]),
                    f"{lat['p50']:.1f}",
                    f"{lat['p95']:.1f}",
                    f"{s['bookings_per_s']:.1f}",
                    str(s["failures"]),
                    str(figures["double_bookings"]),
                ]
            )
    lines = ["## Booking API: POST /api/bookings", "", _stamp(part), ""]
    lines += _table(
        [
            "backend",
            "mode",
            "bookings",
            "p50 (ms)",
            "p95 (ms)",
            "bookings/s",
            "failures",
            "double bookings",
        ],
        rows,
    )
    sqlite, pg = part["backends"].get("sqlite"), part["backends"].get("postgresql")
    if sqlite and pg:
        for mode in ("sequential", "concurrent"):
            lines.append(
                f"PostgreSQL / SQLite, {mode}: p50 "
                f"{_ratio(pg[mode]['latency_ms']['p50'], sqlite[mode]['latency_ms']['p50'])}, "
                f"bookings/s {_ratio(pg[mode]['bookings_per_s'], sqlite[mode]['bookings_per_s'])}."
            )
        lines.append("")
    return lines


def booking_limits(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    rows = []
    for backend, figures in part["backends"].items():
        on, off = figures["on"], figures["off"]
        rows.append(
            [
                backend,
                ", ".join(f"{r['bookings_per_s']:.1f}" for r in on["runs"]),
                ", ".join(f"{r['bookings_per_s']:.1f}" for r in off["runs"]),
                f"{on['median_bookings_per_s']:.1f} / {off['median_bookings_per_s']:.1f}",
                f"{figures['ratio']:.3f}",
                f"{figures['cost_percent']:.1f} %",
                str(figures["failures"]),
            ]
        )
    goal = part["goal_percent"]
    lines = ["## Booking API: what the limits cost", "", _stamp(part), ""]
    lines += [
        f"{part['runs']} runs; in each, a gateway with the limits and one without (each on a "
        f"fresh database) are sent the same {part['bookings']} bookings in turn, one at a time, "
        "each by another resident; bookings/s is bookings over the time spent waiting for them. "
        "On: Clairval's file (longest booking, live bookings per person, every request counted "
        "per address, the bookings' rate raised so that it never refuses); off: no limit in the "
        "file and RATE_LIMITS=off.",
        "",
    ]
    lines += _table(
        [
            "backend",
            "on, bookings/s per run",
            "off, bookings/s per run",
            "median on / off",
            "ratio",
            "cost",
            "failures",
        ],
        rows,
    )
    verdict = "met" if part["met"] else "**not met**"
    lines += [f"Goal: the limits cost less than {goal:.0f} % of the throughput: {verdict}.", ""]
    return lines


def race(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    rows: list[list[str]] = []
    for backend, figures in part["backends"].items():
        runs = figures["runs"]

        def spread(key: str, runs: list[dict[str, Any]] = runs) -> str:
            values = [r[key] for r in runs]
            low, high = min(values), max(values)
            return f"{statistics.median(values):g}" + (f" ({low}–{high})" if low != high else "")

        rows.append(
            [
                backend,
                str(len(runs)),
                spread("created"),
                spread("conflict"),
                spread("other"),
                spread("live_rows"),
                f"{figures['runs_as_expected']}/{len(runs)}",
                str(figures["double_bookings"]),
            ]
        )
    any_part = next(iter(part["backends"].values()))
    lines = [
        f"## Race: {any_part['residents']} concurrent POSTs for the same slot, "
        f"over {any_part['gateways']} gateway processes",
        "",
        f"{_stamp(part)} Per run, median (min–max); expected 1 / "
        f"{any_part['residents'] - 1} / 0 / 1 every run. Double bookings are counted in the "
        "database after all runs (overlapping live bookings of exclusive resources, stock "
        "exceeded for equipment).",
        "",
    ]
    return lines + _table(
        [
            "backend",
            "runs",
            "201",
            "409",
            "other",
            "live rows",
            "runs as expected",
            "double bookings",
        ],
        rows,
    )


def conversation(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    lat = part["turn_ms"]
    rows = [
        [name, str(t["count"]), f"{t['p50']:.0f}", f"{t['p95']:.0f}", f"{t['p99']:.0f}"]
        for name, t in [*part["by_turn_ms"].items(), ("all turns", lat)]
    ]
    verdict = "met" if lat["p95"] <= CONVERSATION_GOAL_MS else "NOT met"
    return [
        "## Booking conversation through the gateway (Rasa + action server)",
        "",
        f"{_stamp(part)} {part['conversations']} conversations, each a new resident booking the "
        f"association room on its own day and hours; failures (last reply without "
        f"“C’est réservé”): {part['failures']}. Goal p95 ≤ {CONVERSATION_GOAL_MS} ms: {verdict}.",
        "Script: " + " → ".join(f"“{s}”" for s in part["script"]) + ".",
        "",
        *_table(("turn", "turns", "p50 (ms)", "p95 (ms)", "p99 (ms)"), rows),
    ]


def open311_api(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    rows: list[list[str]] = []
    for backend, figures in part["backends"].items():
        for mode in ("sequential", "concurrent"):
            s, lat = figures[mode], figures[mode]["latency_ms"]
            clients = f" ({figures['clients']} clients)" if mode == "concurrent" else ""
            rows.append(
                [backend, f"POST, {mode}{clients}", str(lat["count"])]
                + [f"{lat[q]:.1f}" for q in ("p50", "p95", "p99")]
                + [f"{s['requests_per_s']:.1f}", f"{s['failures']} / {s['duplicates']}"]
            )
        lat = figures["list"]["latency_ms"]
        rows.append(
            [backend, f"GET, {figures['list']['reports_listed']} reports", str(lat["count"])]
            + [f"{lat[q]:.1f}" for q in ("p50", "p95", "p99")]
            + ["—", "—"]
        )
    return [
        "## Open311: POST and GET /open311/v2/requests.json",
        "",
        f"{_stamp(part)} Distinct reports (every category on a grid of points 65 m apart inside "
        "the commune), form-encoded; the list is read with 1000 reports present.",
        "",
        *_table(
            (
                "backend",
                "request",
                "count",
                "p50 (ms)",
                "p95 (ms)",
                "p99 (ms)",
                "requests/s",
                "failures / duplicates",
            ),
            rows,
        ),
    ]


def report_conversation(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    lines = ["## Report conversations through the gateway (Rasa + action server)", ""]
    rows: list[list[str]] = []
    for mode in ("without_photo", "with_photo"):
        figures = part[mode]
        named = [*figures["by_turn_ms"].items(), ("all turns", figures["turn_ms"])]
        if "upload_ms" in figures:
            named.append(("photo upload (POST /api/photos)", figures["upload_ms"]))
        for name, t in named:
            cells = [f"{t[q]:.0f}" for q in ("p50", "p95", "p99")]
            rows.append([mode.replace("_", " "), name, str(t["count"]), *cells])
    plain = part["without_photo"]
    verdict = "met" if plain["turn_ms"]["p95"] <= CONVERSATION_GOAL_MS else "NOT met"
    lines += [
        f"{_stamp(part)} {plain['conversations']} conversations each way, each a new resident "
        "reporting a new problem (category × street); failures (last reply without “SIG-”): "
        f"{plain['failures']} without photo, {part['with_photo']['failures']} with; joined to "
        f"an existing report: {plain['joined_existing']} / {part['with_photo']['joined_existing']}."
        f" Photo: a {part['photo_bytes'] / 1000:.0f} kB JPEG. Goal p95 ≤ {CONVERSATION_GOAL_MS} "
        f"ms per turn without photo: {verdict}.",
        "Scripts: "
        + "; ".join(" → ".join(f"“{s}”" for s in steps) for steps in part["script"].values())
        + ".",
        "",
    ]
    return lines + _table(
        ("conversation", "turn", "turns", "p50 (ms)", "p95 (ms)", "p99 (ms)"), rows
    )


ACK_GOAL_MS = 100
OUTBOX_GOAL = 25.0


def channels(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    hooks = part["webhooks"]
    rows = []
    for mode, figures in hooks.items():
        if not isinstance(figures, dict) or "telegram" not in figures or mode == "replies_sent":
            continue
        for channel in ("telegram", "twilio"):
            lat = figures[channel]
            cells = [f"{lat[q]:.1f}" for q in ("p50", "p95", "p99")]
            rows.append([channel, mode.replace("_", " "), str(lat["count"]), *cells])
    worst = max(hooks["sequential"][c]["p95"] for c in ("telegram", "twilio"))
    telegram, sms = part["outbox"]["telegram"], part["outbox"]["sms"]
    lines = [
        "## Channels: webhook acknowledgement and outbox throughput",
        "",
        f"{_stamp(part)} Real gateway with Telegram and SMS on, the fake Bot API and fake "
        "Twilio API in their own processes; each delivery is distinct, signed, from its own "
        "resident, and its turn runs after the answer (Rasa is not started here: each turn ends "
        "with the apology and the handoff to an agent, sent through the fake API). Replies "
        f"sent: {hooks['replies_sent']['telegram']} Telegram calls (getMe included) and "
        f"{hooks['replies_sent']['sms']} SMS for {hooks['deliveries_each']} deliveries each, "
        f"all processed {hooks.get('drained_s', '?')} s after the last answer. "
        f"Goal p95 ≤ {ACK_GOAL_MS} ms: "
        f"{'met' if worst <= ACK_GOAL_MS else 'NOT met'} (sequential, worst channel "
        f"{worst:.1f} ms).",
        "",
        *_table(("webhook", "clients", "count", "p50 (ms)", "p95 (ms)", "p99 (ms)"), rows),
        "",
        f"Outbox worker (`python -m channels.outbox_worker`, SQLite): {telegram['sent']} "
        f"Telegram notices to {telegram['chats']} chats in {telegram['seconds']} s "
        f"({telegram['per_second']}/s with start-up, {telegram['per_second_after_start']}/s "
        f"from first to last message; at most {telegram['max_in_any_second']} in any second, "
        f"{telegram['per_chat_gaps_under_1s']} gaps under 1 s within a chat); {sms['sent']} SMS "
        f"in {sms['seconds']} s ({sms['per_second']}/s). Goal ≥ {OUTBOX_GOAL:.0f}/s on Telegram "
        f"within its limits: {'met' if telegram['per_second'] >= OUTBOX_GOAL else 'NOT met'}.",
        "",
    ]
    return lines


FEED_GOAL_MS = 1000
PAGE_GOAL_MS = 300
FEED_HEAD = ["backend", "messages", "missed", "p50 (ms)", "p95 (ms)", "p99 (ms)"]
FEED_HEAD += ["webhook p50 (ms)", "webhook p95 (ms)"]


def console(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    backends = part["backends"]
    first = next(iter(backends.values()))
    held, feed = first["data"], first["feed"]
    worst_feed = max(b["feed"]["delay_ms"]["p95"] for b in backends.values())  # p95 ≥ p50
    missed = sum(b["feed"]["missed"] for b in backends.values())
    slow = max((p["ms"]["p95"], p["page"], n) for n, b in backends.items() for p in b["pages"])
    feed_rows = [
        [name, str(b["feed"]["residents"]), str(b["feed"]["missed"])]
        + [f"{b['feed']['delay_ms'][q]:.0f}" for q in ("p50", "p95", "p99")]
        + [f"{b['feed']['webhook_ms'][q]:.1f}" for q in ("p50", "p95")]
        for name, b in backends.items()
    ]
    page_rows = [
        [f"{page['page']}: `{page['path']}`", f"{page['bytes'] / 1000:.0f}"]
        + [f"{b['pages'][i]['ms'][q]:.1f}" for b in backends.values() for q in ("p50", "p95")]
        for i, page in enumerate(first["pages"])
    ]
    heads = [f"{name} {q} (ms)" for name in backends for q in ("p50", "p95")]
    return [
        "## Agents' console: live feed and page loads",
        "",
        f"{_stamp(part)} The real gateway (Rasa not running, not needed) over a database "
        f"holding {held['conversations']} conversations ({held['messages']} messages over 90 "
        f"days), {held['handoffs']} handoffs ({held['active_handoffs']} still with the agents), "
        f"{held['reports']} street reports ({held['report_changes']} status changes) and "
        f"{held['pending_bookings']} booking requests awaiting approval, inserted in bulk; an "
        "agent signed in through the form. Backends: " + ", ".join(backends) + ".",
        "",
        f"Live feed: with the feed (server-sent events) open, {feed['residents']} residents of "
        "escalated conversations each post a message to the REST webhook, one after the other "
        "at random intervals; time from the POST to the `message` event carrying it (the "
        f"gateway looks for new messages every {part['feed_poll_s']} s). Goal p50 and p95 "
        f"≤ {FEED_GOAL_MS / 1000:.0f} s: "
        f"{'met' if worst_feed <= FEED_GOAL_MS and not missed else 'NOT met'} (worst "
        f"{worst_feed:.0f} ms, {missed} messages missed).",
        "",
        *_table(FEED_HEAD, feed_rows),
        f"Pages: sequential GETs with the agent's cookie, {part['loads']} of each page after 3 "
        f"not counted. Goal p95 ≤ {PAGE_GOAL_MS} ms: "
        f"{'met' if slow[0] <= PAGE_GOAL_MS else 'NOT met'} (slowest: {slow[1]}, "
        f"{slow[0]:.0f} ms on {slow[2]}).",
        "",
        *_table(["page", "size (kB)", *heads], page_rows),
    ]


def dates(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    head = ["## Dates: Duckling's French time corpus", "", _stamp(part), ""]
    return [*head, "```", *part["goal_lines"], "```", ""]


def nlu(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    import bench_nlu  # imported here: it may use this module's helpers

    return _section(bench_nlu.report_lines(part))


def understanding(part: dict[str, Any] | None) -> list[str]:
    """The understanding section (scripts/bench_understanding.py words it)."""
    import bench_understanding  # imported here: it uses this module's helpers

    return _section(bench_understanding.report_lines(part))


def fuzz(part: dict[str, Any] | None) -> list[str]:
    """The fuzzing section (scripts/bench_fuzz.py words it)."""
    import bench_fuzz  # imported here: it uses this module's helpers

    return _section(bench_fuzz.report_lines(part))


def dialogues(part: dict[str, Any] | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    import bench_dialogues  # imported here: it may use this module's helpers

    return _section(bench_dialogues.report_lines(part))


def scale(part: dict[str, Any] | None, picture: str | None) -> list[str]:
    if not (part := _ok(part)):
        return []
    import bench_scale  # imported here: it may use this module's helpers

    lines = _section(bench_scale.report_lines(part))
    if picture:
        lines += [
            f"![Turn latency, one instance and scaled: p50 dashed, p95 dotted]({picture})",
            "",
        ]
    return lines


def _section(lines: list[str]) -> list[str]:
    return [*lines, ""] if lines and lines[-1] else lines


PICTURE = "latency.png"


def write(results: dict[str, Any], out: Path) -> str:
    """Write report.json, latency.png (when the scale part has samples) and report.md into
    `out`; return the Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    drawn = bench_plot.latency_histogram(results, out / PICTURE)
    lines = [
        "# Guichet benchmark report",
        "",
        f"Machine: {results['machine']}. Date: {results['date']}. Commit: {results['commit']}.",
        f"Command: `{results['command']}`. Parts measured by another command say so.",
        "",
        *assistant(results),
        *scale(results.get("scale"), PICTURE if drawn else None),
        *booking_api(results.get("booking_api")),
        *booking_limits(results.get("booking_limits")),
        *race(results.get("booking_race")),
        *conversation(results.get("booking_conversation")),
        *open311_api(results.get("open311_api")),
        *report_conversation(results.get("report_conversation")),
        *channels(results.get("channels")),
        *console(results.get("console")),
        *dates(results.get("dates")),
        *nlu(results.get("nlu")),
        *dialogues(results.get("dialogues")),
        *understanding(results.get("understanding")),
        *fuzz(results.get("fuzz")),
        *failures(results),
    ]
    markdown = "\n".join(lines)
    (out / "report.md").write_text(markdown)
    return markdown


def carried_over(out: Path, keys: list[str]) -> dict[str, Any]:
    """Parts of the last report not measured this time, each keeping its own stamp."""
    try:
        last: dict[str, Any] = json.loads((out / "report.json").read_text())
    except (OSError, ValueError):
        return {}
    stamp = {k: last.get(k, "?") for k in ("command", "date", "commit")}
    kept: dict[str, Any] = {}
    for key in keys:
        if isinstance(last.get(key), dict):
            kept[key] = {"run": stamp} | last[key]
    return kept
