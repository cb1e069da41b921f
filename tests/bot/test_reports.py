"""Filing reports, joining duplicates, agents' changes with their notices, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.db import make_engine, migrate
from bot.photos import clean_photo, photo_key
from bot.reports import (
    Filed,
    Report,
    ReportError,
    ReportNotFound,
    ReportStore,
    Status,
)
from tests.helpers.reports import (
    LILAS,
    Clock,
    counts,
    draft,
    image_bytes,
    north_of,
    notifications,
    reporter,
    territory,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield engine
        return
    url: str = request.getfixturevalue("postgres_url")
    migrate(url)
    pg = make_engine(url)
    yield pg
    pg.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db: Engine, clock: Clock) -> ReportStore:
    return ReportStore(db, territory, clock=clock)


def test_filing_creates_a_received_report(store: ReportStore, db: Engine, clock: Clock) -> None:
    filed = store.file(draft(), reporter(), by="bot")
    report = filed.report
    assert not filed.duplicate
    assert report.reference.startswith("SIG-") and len(report.reference) == 8
    assert set(report.reference[4:]) <= set("ACDEFHJKMNPQRTUVWXY3479")
    assert report.status is Status.RECEIVED
    assert report.street == "rue des Lilas"
    assert report.created_at == report.updated_at == clock.now
    assert [(c.status, c.by) for c in report.changes] == [(Status.RECEIVED, "bot")]
    assert counts(db) == {
        "reports": 1,
        "report_subscribers": 1,
        "report_changes": 1,
        "report_photos": 0,
        "notifications": 0,
    }
    assert store.get(report.reference.lower()) == report
    assert store.for_owner("web:alice") == [report]


def test_the_street_is_spelt_as_in_the_list(store: ReportStore) -> None:
    report = store.file(draft(street="RUE DES LILAS"), reporter(), by="bot").report
    assert report.street == "rue des Lilas"


def test_description_is_stripped(store: ReportStore) -> None:
    report = store.file(draft(description="  éteint  \n"), reporter(), by="bot").report
    assert report.description == "éteint"


def test_same_category_within_50_metres_is_a_duplicate(store: ReportStore, db: Engine) -> None:
    lat, lon = LILAS
    first = store.file(draft(street=None, lat=lat, lon=lon), reporter("web:alice"), by="bot")
    near = north_of(lat, lon, 40)
    second = store.file(
        draft(street=None, lat=near[0], lon=near[1]), reporter("sms:+33612345678"), by="bot"
    )
    assert second.duplicate
    assert second.report.reference == first.report.reference
    assert counts(db)["reports"] == 1
    assert counts(db)["report_subscribers"] == 2
    assert [r.reference for r in store.for_owner("sms:+33612345678")] == [first.report.reference]


def test_further_than_50_metres_is_another_report(store: ReportStore) -> None:
    lat, lon = LILAS
    store.file(draft(street=None, lat=lat, lon=lon), reporter(), by="bot")
    far = north_of(lat, lon, 80)
    assert not store.file(
        draft(street=None, lat=far[0], lon=far[1]), reporter(), by="bot"
    ).duplicate


def test_a_street_point_stands_for_a_report_without_coordinates(store: ReportStore) -> None:
    first = store.file(draft(street="rue des Lilas"), reporter("web:a"), by="bot")
    # Weeks later (past the same-street window) someone shares a position by the street's point.
    near = north_of(*LILAS, 20)
    again = store.file(draft(street=None, lat=near[0], lon=near[1]), reporter("web:b"), by="bot")
    assert again.duplicate and again.report.reference == first.report.reference


def test_same_street_within_14_days_is_a_duplicate(store: ReportStore, clock: Clock) -> None:
    first = store.file(draft(), reporter("web:a"), by="bot")
    clock.advance(days=13, hours=23)
    again = store.file(draft(address="au bout de la rue"), reporter("web:b"), by="bot")
    assert again.duplicate and again.report.reference == first.report.reference


def test_same_street_after_14_days_is_a_new_report(
    store: ReportStore, clock: Clock, db: Engine
) -> None:
    first = store.file(draft(), reporter("web:a"), by="bot")
    clock.advance(days=14, seconds=1)
    again = store.file(draft(), reporter("web:b"), by="bot")
    assert not again.duplicate and again.report.reference != first.report.reference
    assert counts(db)["reports"] == 2
    # Newest first.
    assert [r.reference for r in store.search()] == [
        again.report.reference,
        first.report.reference,
    ]


def test_another_category_is_not_a_duplicate(store: ReportStore) -> None:
    store.file(draft(), reporter(), by="bot")
    assert not store.file(draft(category="voirie"), reporter(), by="bot").duplicate


def test_a_resolved_report_is_not_a_duplicate(store: ReportStore) -> None:
    first = store.file(draft(), reporter(), by="bot")
    store.change(first.report.reference, Status.RESOLVED, by="agent")
    assert not store.file(draft(), reporter(), by="bot").duplicate


def test_the_same_conversation_is_subscribed_once(store: ReportStore, db: Engine) -> None:
    store.file(draft(), reporter("web:a"), by="bot")
    again = store.file(draft(), reporter("web:a"), by="bot")
    assert again.duplicate
    assert counts(db)["report_subscribers"] == 1


def test_the_same_phone_from_open311_is_subscribed_once(store: ReportStore, db: Engine) -> None:
    phone = reporter(None, channel=None, phone="+33612345678")
    store.file(draft(), phone, by="open311")
    store.file(draft(), phone, by="open311")
    assert counts(db)["report_subscribers"] == 1


def test_photo_is_kept_with_the_report(store: ReportStore, db: Engine) -> None:
    photo = clean_photo(image_bytes("JPEG"))
    public_id = store.save_photo(photo, "web:alice")
    assert re.fullmatch(r"[0-9a-f]{32}", public_id)  # random: nobody guesses it
    assert store.save_photo(photo, "web:alice") == public_id  # the same image is kept once
    report = store.file(draft(photo=public_id), reporter("web:alice"), by="bot").report
    assert report.photo_id is not None
    assert report.photo_key == public_id
    assert store.photo(public_id) == photo
    assert store.photo(photo_key(photo)) == photo  # links made before public ids
    with pytest.raises(ReportNotFound):
        store.photo("0" * 64)


def test_only_the_conversation_that_sent_a_photo_may_attach_it(
    store: ReportStore, db: Engine
) -> None:
    photo = clean_photo(image_bytes("JPEG"))
    mine = store.save_photo(photo, "web:alice")
    # Bob sends the very same image: his own copy, under his own id.
    assert store.save_photo(photo, "web:bob") != mine
    before = counts(db)
    for attempt in (mine, "0" * 32, "1"):
        with pytest.raises(ReportError) as caught:
            store.file(draft(photo=attempt), reporter("web:bob"), by="bot")
        assert caught.value.reason == "photo_not_yours"
        assert "cette conversation" in caught.value.message
    with pytest.raises(ReportError):  # nobody's photo (from before owners) is nobody's to attach
        store.file(draft(photo=mine), reporter(None, phone="+33612345678"), by="open311")
    assert counts(db) == before  # nothing half-written
    assert store.file(draft(photo=mine), reporter("web:alice"), by="bot").report.photo_key == mine


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"category": "fuite"}, "unknown_category"),
        ({"description": "   "}, "empty_description"),
        ({"description": "x" * 2001}, "description_too_long"),
        ({"street": None, "lat": 48.0, "lon": 2.0}, "outside_commune"),
        ({"street": None, "lat": float("nan"), "lon": 2.39}, "outside_commune"),
        ({"street": None, "lat": 48.85, "lon": None}, "incomplete_position"),
        ({"street": "rue des Pivoines"}, "unknown_street"),
        ({"street": None, "address": "quelque part"}, "no_location"),
        ({"photo": "0" * 32}, "photo_not_yours"),
    ],
)
def test_refused_drafts_write_nothing(
    store: ReportStore, db: Engine, overrides: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ReportError) as caught:
        store.file(draft(**overrides), reporter(), by="bot")
    assert caught.value.reason == reason
    assert caught.value.message  # a French sentence
    assert set(counts(db).values()) == {0}


def filed_by_three(store: ReportStore) -> Report:
    first = store.file(draft(), reporter("web:alice"), by="bot")
    store.file(draft(), reporter("telegram:42"), by="bot")
    store.file(
        draft(),
        reporter(None, channel=None, email="bob@example.fr"),
        by="open311",
    )
    return first.report


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (Status.ACKNOWLEDGED, "report_acknowledged", "pris en compte"),
        (Status.RESOLVED, "report_resolved", "Bonne nouvelle"),
        (Status.REJECTED, "report_rejected", "département"),
    ],
)
def test_changes_notify_every_subscriber_once(
    store: ReportStore, db: Engine, clock: Clock, status: Status, kind: str, words: str
) -> None:
    report = filed_by_three(store)
    clock.advance(hours=2)
    comment = "il dépend du département" if status is Status.REJECTED else None
    changed = store.change(report.reference, status, by="agent:marie", comment=comment)
    assert changed.status is status
    assert changed.updated_at == clock.now
    assert changed.changes[-1].by == "agent:marie"
    assert changed.changes[-1].comment == comment
    sent = notifications(db)
    assert [n["kind"] for n in sent] == [kind] * 3
    assert [(n["conversation_id"], n["channel"], n["email"]) for n in sent] == [
        ("web:alice", "web", None),
        ("telegram:42", "telegram", None),
        (None, None, "bob@example.fr"),
    ]
    for n in sent:
        assert n["reference"] == report.reference
        assert n["status"] == "queued"
        assert n["payload"]["reference"] == report.reference
        assert n["payload"]["category"] == "eclairage"
        assert n["payload"]["street"] == "rue des Lilas"
        assert n["payload"]["status"] == status.value
        assert words in n["payload"]["text"]


def test_in_progress_notifies_nobody(store: ReportStore, db: Engine) -> None:
    report = filed_by_three(store)
    store.change(report.reference, Status.IN_PROGRESS, by="agent")
    assert notifications(db) == []


def test_notices_callable_gives_the_text(db: Engine, clock: Clock) -> None:
    def notices(report: Report, status: Status) -> dict[str, Any]:
        return {"text": f"{report.reference} : {status.value} ({report.changes[-1].comment})"}

    store = ReportStore(db, territory, clock=clock, notices=notices)
    report = store.file(draft(), reporter(), by="bot").report
    store.change(report.reference, "rejected", by="agent", comment="hors commune")
    [sent] = notifications(db)
    assert sent["payload"]["text"] == f"{report.reference} : rejected (hors commune)"


def test_commune_notices_render_the_commune_messages(db: Engine, clock: Clock) -> None:
    from bot.commune import load_commune
    from bot.reports import commune_notices
    from tests.helpers.reports import COMMUNE

    commune = load_commune(COMMUNE)
    store = ReportStore(db, territory, clock=clock, notices=commune_notices(lambda: commune))
    report = store.file(draft(), reporter(), by="bot").report
    store.change(report.reference, Status.RESOLVED, by="agent")
    [sent] = notifications(db)
    assert "le lampadaire signalé rue des Lilas a été réparé" in sent["payload"]["text"]


@pytest.mark.parametrize(
    ("status", "comment", "reason"),
    [
        ("fixed", None, "unknown_status"),
        (Status.REJECTED, None, "reason_required"),
        (Status.REJECTED, "   ", "reason_required"),
        (Status.RECEIVED, None, "unchanged"),
        (Status.RESOLVED, "x" * 2001, "comment_too_long"),
    ],
)
def test_refused_changes_write_nothing(
    store: ReportStore, db: Engine, status: Any, comment: str | None, reason: str
) -> None:
    report = filed_by_three(store)
    before = counts(db)
    with pytest.raises(ReportError) as caught:
        store.change(report.reference, status, by="agent", comment=comment)
    assert caught.value.reason == reason
    assert counts(db) == before
    assert store.get(report.reference) == report


def test_unknown_reference(store: ReportStore) -> None:
    with pytest.raises(ReportNotFound):
        store.get("SIG-AAAA")
    with pytest.raises(ReportNotFound):
        store.change("SIG-AAAA", Status.RESOLVED, by="agent")


def test_reopen_by_a_subscriber(store: ReportStore, db: Engine) -> None:
    report = filed_by_three(store)
    store.change(report.reference, Status.RESOLVED, by="agent")
    before = counts(db)
    reopened = store.reopen(report.reference, by="bot", conversation_id="telegram:42")
    assert reopened.status is Status.RECEIVED
    assert [c.status for c in reopened.changes] == [
        Status.RECEIVED,
        Status.RESOLVED,
        Status.RECEIVED,
    ]
    assert reopened.changes[-1].by == "bot"
    assert counts(db)["report_changes"] == before["report_changes"] + 1
    assert counts(db)["notifications"] == before["notifications"]


def test_reopen_refusals_write_nothing(store: ReportStore, db: Engine) -> None:
    report = filed_by_three(store)
    with pytest.raises(ReportError) as not_resolved:
        store.reopen(report.reference, by="bot", conversation_id="web:alice")
    assert not_resolved.value.reason == "not_resolved"
    store.change(report.reference, Status.RESOLVED, by="agent")
    before = counts(db)
    with pytest.raises(ReportError) as stranger:
        store.reopen(report.reference, by="bot", conversation_id="web:mallory")
    assert stranger.value.reason == "not_subscriber"
    assert counts(db) == before


def test_for_owner_is_newest_first(store: ReportStore, clock: Clock) -> None:
    a = store.file(draft(), reporter("web:a"), by="bot").report
    clock.advance(hours=1)
    b = store.file(draft(category="voirie"), reporter("web:a"), by="bot").report
    store.file(draft(category="tags"), reporter("web:other"), by="bot")
    assert [r.reference for r in store.for_owner("web:a")] == [b.reference, a.reference]
    assert store.for_owner("web:nobody") == []


def test_search_filters(store: ReportStore, clock: Clock) -> None:
    start = clock.now
    a = store.file(draft(), reporter(), by="bot").report
    clock.advance(days=1)
    b = store.file(draft(category="voirie"), reporter(), by="bot").report
    store.change(b.reference, Status.RESOLVED, by="agent")

    def refs(found: list[Report]) -> list[str]:
        return [r.reference for r in found]

    assert refs(store.search(reference=a.reference.lower())) == [a.reference]
    assert refs(store.search(reference=[a.reference, b.reference])) == [b.reference, a.reference]
    assert refs(store.search(category="voirie")) == [b.reference]
    assert refs(store.search(status=[Status.RESOLVED, Status.REJECTED])) == [b.reference]
    assert refs(store.search(start=start, end=clock.now)) == [a.reference]
    assert refs(store.search(limit=1)) == [b.reference]
    assert store.search(status=[]) == []


def test_filed_value(store: ReportStore) -> None:
    filed = store.file(draft(), reporter(), by="bot")
    assert isinstance(filed, Filed)


def test_simultaneous_reports_of_one_problem_make_one_report(
    store: ReportStore, db: Engine
) -> None:
    import threading

    barrier = threading.Barrier(6)
    results: list[Filed] = []
    failures: list[BaseException] = []

    def report(n: int) -> None:
        try:
            barrier.wait()
            results.append(store.file(draft(), reporter(f"web:{n}"), by="bot"))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=report, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(f.duplicate for f in results) == [False] + [True] * 5
    assert len({f.report.reference for f in results}) == 1
    assert counts(db)["reports"] == 1
    assert counts(db)["report_subscribers"] == 6
