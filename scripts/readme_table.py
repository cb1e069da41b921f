"""The README's table of measures, rendered from bench/report.json between two markers.

`scripts/bench.py` calls it after each run that writes bench/; run it alone to redo the table
from the last report without measuring: `.venv/bin/python scripts/readme_table.py`
(`--check` exits 1 when the README's table differs from the report's).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- bench:table:start -->"
END = "<!-- bench:table:end -->"
NOT_MEASURED = "non mesuré"
FAILED = "échec"

# Goals, as the report and the README state them.
FAQ_P95_MS = 150
CONVERSATION_P95_MS = 250
RASA_RSS_MIB = 1434  # 1.4 GB
ACK_P95_MS = 100
OUTBOX_PER_S = 25.0
FEED_MS = 1000
PAGE_P95_MS = 300
NLU_F1 = 0.95  # weighted, cross-validation and held-out alike (scripts/bench_nlu.py)
DIALOGUES = 0.98  # simulated residents who reach their goal (scripts/bench_dialogues.py)
UNDERSTANDING = 0.95  # first messages rightly answered (scripts/bench_understanding.py)
LIMITS_COST_PERCENT = 5.0  # throughput the limits may take off the booking API (bench_limits.py)

Figure = tuple[str, bool | None]  # the value shown, and whether the goal is met (None: no goal)


def number(value: float, digits: int = 1) -> str:
    """French decimal comma: 3.6 → « 3,6 »."""
    return f"{value:.{digits}f}".replace(".", ",")


def ms(value: float) -> str:
    """Milliseconds as the README writes them: one decimal under 10, none above."""
    return number(value, 1 if value < 10 else 0)


def _p50_p95(t: dict[str, Any]) -> str:
    return f"{ms(t['p50'])} / {ms(t['p95'])} ms"


def faq(g: dict[str, Any]) -> Figure:
    t = g["faq_turn_ms"]
    return _p50_p95(t), t["p95"] <= FAQ_P95_MS


def booking_turn(part: dict[str, Any]) -> Figure:
    t = part["turn_ms"]
    return _p50_p95(t), t["p95"] <= CONVERSATION_P95_MS and not part.get("failures")


def report_turn(part: dict[str, Any]) -> Figure:
    plain = part["without_photo"]
    t = plain["turn_ms"]
    return _p50_p95(t), t["p95"] <= CONVERSATION_P95_MS and not plain.get("failures")


def scale_throughput(part: dict[str, Any]) -> Figure:
    single, scaled = (part["setups"][s]["turns_per_s"] for s in ("single", "scaled"))
    ratio = part["ratio"]["throughput"]
    met = part["goals"]["throughput"]["met"]
    return f"{number(single)} → {number(scaled)} par s (× {number(ratio, 2)})", met


def scale_p95(part: dict[str, Any]) -> Figure:
    single, scaled = (part["setups"][s]["turn_ms"]["p95"] for s in ("single", "scaled"))
    met = part["goals"]["p95"]["met"]
    return f"{ms(single)} → {ms(scaled)} ms (× {number(part['ratio']['p95'], 2)})", met


def scale_memory(part: dict[str, Any]) -> Figure:
    rss: dict[str, float] = part["setups"]["scaled"]["rss_mib"]
    shown = " ; ".join(f"{name} {rss[name]:.0f}" for name in sorted(rss))
    return f"{shown} Mio (total {sum(rss.values()):.0f})", None


def cold_start(results: dict[str, Any]) -> Callable[[dict[str, Any]], Figure]:
    def figure(g: dict[str, Any]) -> Figure:
        ours = g["cold_start_s"]["median"]
        bare = results.get("rasa_init")
        if not bare or "error" in bare:
            return f"{number(ours)} s (`rasa init` : {NOT_MEASURED})", None
        theirs = bare["cold_start_s"]["median"]
        ratio = ours / theirs
        return f"{number(ours)} s / {number(theirs)} s (rapport {number(ratio, 2)})", ratio <= 1

    return figure


def memory(g: dict[str, Any]) -> Figure:
    rss = g["rss_mib"]
    shown = " / ".join(f"{rss[p]:.0f}" for p in ("rasa", "actions", "gateway"))
    return f"{shown} Mio", rss["rasa"] <= RASA_RSS_MIB


def race(part: dict[str, Any]) -> Figure:
    backends = part["backends"]
    doubles = " / ".join(str(b["double_bookings"]) for b in backends.values())
    runs = " et ".join(f"{b['runs_as_expected']}/{len(b['runs'])}" for b in backends.values())
    met = all(
        not b["double_bookings"] and b["runs_as_expected"] == len(b["runs"])
        for b in backends.values()
    )
    return f"{doubles} (résultat attendu : {runs} courses)", met


def _api(part: dict[str, Any], speed: str) -> Figure:
    shown = []
    for name, b in part["backends"].items():
        seq, conc = b["sequential"], b["concurrent"]
        pair = f"{ms(seq['latency_ms']['p95'])} / {ms(conc['latency_ms']['p95'])} ms"
        shown.append(f"{BACKENDS.get(name, name)} {pair} ({seq[speed]:.0f} par s une à une)")
    return " ; ".join(shown), None


def limits_cost(part: dict[str, Any]) -> Figure:
    shown = " ; ".join(
        f"{BACKENDS.get(name, name)} {number(b['cost_percent'])} % "
        f"({b['on']['median_bookings_per_s']:.0f} / {b['off']['median_bookings_per_s']:.0f} par s)"
        for name, b in part["backends"].items()
    )
    return shown, bool(part["met"])


def channels_ack(part: dict[str, Any]) -> Figure:
    seq = part["webhooks"]["sequential"]
    worst = max(seq[c]["p95"] for c in ("telegram", "twilio"))
    return f"{ms(seq['telegram']['p95'])} / {ms(seq['twilio']['p95'])} ms", worst <= ACK_P95_MS


def channels_outbox(part: dict[str, Any]) -> Figure:
    telegram, sms = part["outbox"]["telegram"], part["outbox"]["sms"]
    shown = f"{number(telegram['per_second'])} par s (SMS : {sms['per_second']:.0f} par s)"
    return shown, telegram["per_second"] >= OUTBOX_PER_S


def console_feed(part: dict[str, Any]) -> Figure:
    backends = part["backends"]
    shown = " ; ".join(
        f"{BACKENDS.get(n, n)} {_p50_p95(b['feed']['delay_ms'])}" for n, b in backends.items()
    )
    worst = max(b["feed"]["delay_ms"]["p95"] for b in backends.values())
    missed = sum(b["feed"]["missed"] for b in backends.values())
    return shown + (f", {missed} manqués" if missed else ""), worst <= FEED_MS and not missed


def console_pages(part: dict[str, Any]) -> Figure:
    slowest = max(
        (p["ms"]["p95"], p["path"], n) for n, b in part["backends"].items() for p in b["pages"]
    )
    p95, path, backend = slowest
    return f"{ms(p95)} ms (`{path}`, {BACKENDS.get(backend, backend)})", p95 <= PAGE_P95_MS


def dates(part: dict[str, Any]) -> Figure:
    ours, plain = part["goals"]["guichet"], part["goals"]["dateparser"]
    shown = " / ".join(f"{number(g['percent'])} %" for g in ours.values())
    theirs = " / ".join(f"{number(g['percent'])} %" for g in plain.values())
    return f"{shown} (dateparser seul : {theirs})", bool(part["goal_met"])


def _f1(figures: dict[str, Any]) -> str:
    return f"{number(figures['weighted_f1'], 3)} / {number(figures['macro_f1'], 3)}"


def nlu_cv(part: dict[str, Any]) -> Figure:
    cv = part["cross_validation"]
    return _f1(cv), cv["weighted_f1"] >= NLU_F1


def nlu_heldout(part: dict[str, Any]) -> Figure:
    held = part["heldout"]
    size = held.get("messages")
    shown = _f1(held) + (f" ({size} messages)" if size is not None else "")
    return shown, held["weighted_f1"] >= NLU_F1


def dialogues(part: dict[str, Any]) -> Figure:
    total, ok = part["conversations"], part["succeeded"]
    shown = f"{number(100 * ok / total if total else 0)} % ({ok}/{total})"
    shown += f", {part['wrong_side_effects']} avec effet de bord, {part['triple_questions']} avec"
    shown += " une question 3 fois ; par catégorie : "
    shown += ", ".join(f"{name} {c['ok']}/{c['total']}" for name, c in part["by_category"].items())
    met = bool(total) and ok / total >= DIALOGUES
    return shown, met and not part["wrong_side_effects"] and not part["triple_questions"]


def understanding(part: dict[str, Any]) -> Figure:
    sets = part["sets"]
    held = sets.get("heldout2") or sets["heldout"]
    first, dev = sets.get("heldout") if "heldout2" in sets else None, sets.get("dev")
    shown = f"{number(100 * held['right'], 1)} % de {held['messages']} messages"
    shown += f" ; urgences {held['emergencies_right']}/{held['emergencies']}"
    shown += f", fausses alertes {held['false_alarms']} ; par famille : "
    shown += ", ".join(f"{f} {number(100 * r, 0)} %" for f, r in held["families"].items())
    if first:
        shown += " (premier jeu mis de côté, dont les erreurs ont été vues : "
        shown += f"{number(100 * first['right'], 1)} %)"
    if dev:
        shown += f" (jeu de mise au point : {number(100 * dev['right'], 1)} %)"
    met = held["right"] >= UNDERSTANDING and held["emergencies_right"] == held["emergencies"]
    return shown, met and not held["false_alarms"]


BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
Row = tuple[str, str, str, Callable[[dict[str, Any]], Figure]]


def rows(results: dict[str, Any]) -> list[Row]:
    """(label, report key, goal, figure) of each headline figure, in the README's order."""
    return [
        ("question fréquente, p50 / p95", "guichet", f"p95 ≤ {FAQ_P95_MS} ms", faq),
        (
            "tour d’une conversation de réservation, p50 / p95",
            "booking_conversation",
            f"p95 ≤ {CONVERSATION_P95_MS} ms",
            booking_turn,
        ),
        (
            "tour d’un signalement sans photo, p50 / p95",
            "report_conversation",
            f"p95 ≤ {CONVERSATION_P95_MS} ms",
            report_turn,
        ),
        ("tours par seconde, une instance → à l’échelle", "scale", "× ≥ 1,4", scale_throughput),
        ("p95 d’un tour, une instance → à l’échelle", "scale", "× ≤ 1,5", scale_p95),
        ("mémoire résidente à l’échelle, par processus", "scale", "—", scale_memory),
        (
            "démarrage à froid : Guichet / `rasa init` nu (médiane)",
            "guichet",
            "≤ `rasa init`",
            cold_start(results),
        ),
        (
            "mémoire résidente : Rasa / actions / passerelle",
            "guichet",
            "Rasa ≤ 1,4 Go",
            memory,
        ),
        (
            "double réservations, même créneau demandé en même temps, SQLite / PostgreSQL",
            "booking_race",
            "0",
            race,
        ),
        (
            "`POST /api/bookings`, p95 une à une / par plusieurs clients",
            "booking_api",
            "—",
            lambda part: _api(part, "bookings_per_s"),
        ),
        (
            "coût des limites pour `POST /api/bookings` : débit perdu (avec / sans, médianes)",
            "booking_limits",
            f"< {LIMITS_COST_PERCENT:.0f} %",
            limits_cost,
        ),
        (
            "création Open311, p95 une à une / par plusieurs clients",
            "open311_api",
            "—",
            lambda part: _api(part, "requests_per_s"),
        ),
        (
            "réponse des webhooks Telegram / Twilio, une à une, p95",
            "channels",
            f"p95 ≤ {ACK_P95_MS} ms",
            channels_ack,
        ),
        (
            "notifications Telegram envoyées par seconde",
            "channels",
            f"≥ {OUTBOX_PER_S:.0f} par s",
            channels_outbox,
        ),
        (
            "message d’un habitant → console ouverte, p50 / p95",
            "console",
            f"≤ {FEED_MS / 1000:.0f} s",
            console_feed,
        ),
        ("pages de la console, p95 le plus lent", "console", f"≤ {PAGE_P95_MS} ms", console_pages),
        (
            "dates comprises : instants / plages horaires (corpus de Duckling)",
            "dates",
            "≥ 90 % chacune",
            dates,
        ),
        (
            "intentions, validation croisée : F1 pondéré / macro",
            "nlu",
            f"F1 pondéré ≥ {number(NLU_F1, 2)}",
            nlu_cv,
        ),
        (
            "intentions, messages jamais appris : F1 pondéré / macro",
            "nlu",
            f"F1 pondéré ≥ {number(NLU_F1, 2)}",
            nlu_heldout,
        ),
        (
            "conversations d’habitants simulés menées au but (tests/dialogues, toutes horloges)",
            "dialogues",
            f"≥ {DIALOGUES:.0%}".replace("%", " %") + ", 0 effet de bord, 0 question 3 fois",
            dialogues,
        ),
        (
            "premiers messages écrits comme les habitants écrivent, jamais appris "
            "(tests/understanding/heldout2.yml)",
            "understanding",
            f"≥ {UNDERSTANDING:.0%}".replace("%", " %") + ", toutes les urgences, 0 fausse alerte",
            understanding,
        ),
    ]


def _stamp(part: dict[str, Any]) -> str:
    run = part.get("run", {})
    return f"{str(run.get('date', '?'))[:10]}, `{run.get('commit', '?')}`"


def line(results: dict[str, Any], row: Row) -> list[str]:
    label, key, goal, figure = row
    part = results.get(key)
    if not isinstance(part, dict):
        return [label, NOT_MEASURED, goal, "—", "—"]
    if "error" in part:
        return [label, f"{FAILED} (voir `bench/report.md`)", goal, FAILED, _stamp(part)]
    try:
        shown, met = figure(part)
    except KeyError:  # the part ran without this figure (e.g. cold starts without FAQ turns)
        return [label, NOT_MEASURED, goal, "—", "—"]
    verdict = "—" if met is None else ("oui" if met else "**non**")
    return [label, shown, goal, verdict, _stamp(part)]


def table(results: dict[str, Any], picture: bool = False) -> list[str]:
    """The Markdown between the markers: where the figures come from, then the table."""
    head = ["mesure", "valeur", "objectif", "atteint", "mesuré le"]
    lines = [f"Machine du rapport : {results.get('machine', '?')}."]
    if picture:
        lines[0] += (
            " Latence des tours, une instance et à l’échelle : "
            "[bench/latency.png](bench/latency.png)."
        )
    lines += [
        "",
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        *("| " + " | ".join(line(results, row)) + " |" for row in rows(results)),
    ]
    return lines


def rewrite(readme: Path, results: dict[str, Any], picture: bool = False) -> bool:
    """Replace what lies between the markers with the table; True if the README changed."""
    text = readme.read_text()
    begin, end = text.find(START), text.find(END)
    if begin < 0 or end < begin:
        raise ValueError(f"{readme} has no {START} … {END} block")
    body = "\n".join(["", *table(results, picture), ""])
    updated = text[: begin + len(START)] + body + text[end:]
    if updated == text:
        return False
    readme.write_text(updated)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "report.json")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    args = parser.parse_args()
    results = json.loads(args.report.read_text())
    picture = (args.report.parent / "latency.png").exists()
    if args.check:
        text = args.readme.read_text()
        begin, end = text.find(START), text.find(END)
        fresh = "\n".join(["", *table(results, picture), ""])
        stale = begin < 0 or text[begin + len(START) : end] != fresh
        print(f"{args.readme}: table {'out of date' if stale else 'up to date'}")
        return 1 if stale else 0
    changed = rewrite(args.readme, results, picture)
    print(f"{args.readme}: table {'rewritten' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
