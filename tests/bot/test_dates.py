from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dates import When, easter, say_date, say_when, understand
from bot.settings import ROOT

PARIS = ZoneInfo("Europe/Paris")
# A Saturday evening, and a Wednesday morning in another month.
SATURDAY = datetime(2026, 11, 28, 20, 0, tzinfo=PARIS)
WEDNESDAY = datetime(2026, 3, 11, 9, 0, tzinfo=PARIS)
CORPUS = ROOT.parent / "shared" / "benchmarks" / "duckling_fr_time.json"


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def read(text: str, now: datetime = SATURDAY) -> When:
    when = understand(text, now)
    assert when is not None, text
    return when


@pytest.mark.parametrize(
    ("text", "start", "end", "grain", "has_time"),
    [
        ("samedi prochain", at(date(2026, 12, 5)), None, "day", False),
        ("samedi", at(date(2026, 12, 5)), None, "day", False),
        ("le 12", at(date(2026, 12, 12)), None, "day", False),
        ("le 28", at(date(2026, 11, 28)), None, "day", False),
        ("demain", at(date(2026, 11, 29)), None, "day", False),
        ("après-demain", at(date(2026, 11, 30)), None, "day", False),
        ("apres demain", at(date(2026, 11, 30)), None, "day", False),
        ("le 1er mars", at(date(2027, 3, 1)), None, "day", False),
        ("le 5/12", at(date(2026, 12, 5)), None, "day", False),
        ("jeudi prochain", at(date(2026, 12, 3)), None, "day", False),
        ("non plutôt dimanche", at(date(2026, 11, 29)), None, "day", False),
        ("ce week-end", at(date(2026, 11, 28)), at(date(2026, 11, 30)), "day", False),
        ("la semaine prochaine", at(date(2026, 11, 30)), at(date(2026, 12, 7)), "week", False),
        ("de 14h à minuit", at(date(2026, 11, 29), 14), at(date(2026, 11, 30)), "hour", True),
        ("le matin", at(date(2026, 11, 29), 4), at(date(2026, 11, 29), 12), "hour", True),
        ("l'après-midi", at(date(2026, 11, 29), 12), at(date(2026, 11, 29), 19), "hour", True),
        ("le soir", at(date(2026, 11, 28), 18), at(date(2026, 11, 29)), "hour", True),
        ("samedi 14h", at(date(2026, 12, 5), 14), None, "hour", True),
        ("mardi à 9h20", at(date(2026, 12, 1), 9, 20), None, "minute", True),
        ("à 15h30", at(date(2026, 11, 29), 15, 30), None, "minute", True),
        ("14 heures", at(date(2026, 11, 29), 14), None, "hour", True),
        ("à 21h", at(date(2026, 11, 28), 21), None, "hour", True),
        ("midi", at(date(2026, 11, 29), 12), None, "hour", True),
        ("minuit", at(date(2026, 11, 29)), None, "hour", True),
        (
            "vendredi 18 décembre de 14h à 18h",
            at(date(2026, 12, 18), 14),
            at(date(2026, 12, 18), 18),
            "hour",
            True,
        ),
        ("entre 10h et midi", at(date(2026, 11, 29), 10), at(date(2026, 11, 29), 12), "hour", True),
        ("10h-12h", at(date(2026, 11, 29), 10), at(date(2026, 11, 29), 12), "hour", True),
        ("samedi matin", at(date(2026, 12, 5), 4), at(date(2026, 12, 5), 12), "hour", True),
        ("le 12 à 14h", at(date(2026, 12, 12), 14), None, "hour", True),
        ("du 13 au 15 décembre", at(date(2026, 12, 13)), at(date(2026, 12, 16)), "day", False),
        ("noël", at(date(2026, 12, 25)), None, "day", False),
        ("la toussaint", at(date(2027, 11, 1)), None, "day", False),
    ],
)
def test_what_residents_write(
    text: str, start: datetime, end: datetime | None, grain: str, has_time: bool
) -> None:
    assert read(text) == When(start, end, grain, has_time)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("samedi", date(2026, 3, 14)),
        ("mercredi", date(2026, 3, 18)),  # a bare weekday is never today
        ("le 12", date(2026, 3, 12)),
        ("le 11", date(2026, 3, 11)),  # today or later
        ("le 10", date(2026, 4, 10)),
        ("le 31", date(2026, 3, 31)),
        ("le 1er mars", date(2027, 3, 1)),
        ("dans quinze jours", date(2026, 3, 25)),  # two weeks, as the French mean it
        ("dans huit jours", date(2026, 3, 18)),
        ("dans 3 jours", date(2026, 3, 14)),
        ("jeudi en huit", date(2026, 3, 19)),
        ("lundi de la semaine prochaine", date(2026, 3, 16)),
        ("pâques", date(2026, 4, 5)),
        ("lundi de pâques", date(2026, 4, 6)),
        ("le 29/02", date(2028, 2, 29)),
    ],
)
def test_days_in_another_month(text: str, day: date) -> None:
    assert read(text, WEDNESDAY).start.date() == day


def test_dans_n_jours_keeps_the_hour_and_says_a_day() -> None:
    when = read("dans quinze jours")
    assert when.start == at(date(2026, 12, 12), 20)
    assert (when.grain, when.has_time) == ("day", False)


def test_past_is_allowed_when_not_preferring_the_future() -> None:
    assert understand("le 10", WEDNESDAY, prefer_future=False) == When(
        at(date(2026, 3, 10)), None, "day", False
    )
    assert read("dimanche dernier", WEDNESDAY).start == at(date(2026, 3, 8))
    assert read("hier soir", WEDNESDAY).start == at(date(2026, 3, 10), 18)


def test_clock_changes_use_the_local_offset_of_that_day() -> None:
    spring = read("dimanche 29 mars à 14h", WEDNESDAY)
    assert spring.start.astimezone(UTC) == datetime(2026, 3, 29, 12, tzinfo=UTC)
    autumn = read("le 25 octobre à 14h", WEDNESDAY)
    assert autumn.start.astimezone(UTC) == datetime(2026, 10, 25, 13, tzinfo=UTC)
    before = read("le 24 octobre à 14h", WEDNESDAY)
    assert before.start.astimezone(UTC) == datetime(2026, 10, 24, 12, tzinfo=UTC)


def test_hours_from_now_count_real_hours_across_a_clock_change() -> None:
    night = datetime(2026, 3, 29, 1, 0, tzinfo=PARIS)
    later = read("dans 2 heures", night)
    assert later.start.astimezone(UTC) == datetime(2026, 3, 29, 2, tzinfo=UTC)


def test_results_carry_the_reference_timezone() -> None:
    when = read("demain à 10h")
    assert when.start.tzinfo is PARIS


@pytest.mark.parametrize("text", ["bonjour", "", "   ", "merci beaucoup", "la salle des fêtes"])
def test_nonsense_names_no_time(text: str) -> None:
    assert understand(text, SATURDAY) is None


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        understand("demain", datetime(2026, 11, 28, 20, 0))


def test_dates_are_said_in_french() -> None:
    assert say_date(date(2026, 12, 5)) == "samedi 5 décembre 2026"
    assert say_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert say_date(at(date(2026, 8, 15), 10)) == "samedi 15 août 2026"
    assert say_date(date(2027, 2, 1)) == "lundi 1er février 2027"


def test_whens_are_said_in_french() -> None:
    assert say_when(read("samedi 5 décembre de 14h à 18h")) == (
        "samedi 5 décembre 2026 de 14h à 18h"
    )
    assert say_when(read("mardi à 9h20")) == "mardi 1er décembre 2026 à 9h20"
    assert say_when(read("samedi prochain")) == "samedi 5 décembre 2026"
    assert say_when(read("de 14h à minuit")) == "dimanche 29 novembre 2026 de 14h à minuit"
    assert say_when(read("ce week-end")) == (
        "du samedi 28 novembre 2026 au dimanche 29 novembre 2026"
    )


def test_easter() -> None:
    assert [easter(y) for y in (2024, 2025, 2026)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
    ]


def test_the_benchmark_scorer_reports_by_kind_and_grain(tmp_path: Path) -> None:
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not here: {CORPUS}")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import dates_bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    examples = dates_bench.load(CORPUS)[:20]
    report = dates_bench.score(examples)
    assert report["examples"] == 20
    assert set(report["parsers"]) == {"guichet", "dateparser"}
    for figures in report["parsers"].values():
        assert sum(row["count"] for row in figures["rows"]) == 20
        for row in figures["rows"]:
            assert {"kind", "grain", "count", "right", "percent", "held_out_count"} <= set(row)
            assert 0 <= row["right"] <= row["count"]
        assert set(figures["goals"]) == set(dates_bench.GOALS)
    assert isinstance(report["goal_met"], bool)
    assert "GOAL" in dates_bench.table(report)
    out = tmp_path / "dates.json"
    data = tmp_path / "corpus.json"
    data.write_text(json.dumps({"examples": examples}), encoding="utf-8")
    assert dates_bench.main(["--data", str(data), "--json", str(out)]) == 0
    assert json.loads(out.read_text())["examples"] == 20


def test_words_between_date_pieces_do_not_join_them() -> None:
    # Without accents "des" is also "dès" (from): only right before a date piece is it one.
    now = datetime(2026, 11, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris"))
    when = understand("la salle des associations le 12 décembre de 14h à 18h", now)
    assert when is not None
    assert when.start == datetime(2026, 12, 12, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert when.end == datetime(2026, 12, 12, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_christmas_evening_is_christmas_eve() -> None:
    now = datetime(2026, 11, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris"))
    when = understand("le soir de noël", now)
    assert when is not None
    assert when.start == datetime(2026, 12, 24, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    day = understand("le jour de noël", now)
    assert day is not None
    assert day.start.day == 25
