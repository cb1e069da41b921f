from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from calendar_store.ical import busy_calendar, invitation
from calendar_store.spec import Status
from calendar_store.store import Store
from tests.helpers.calendar import (
    CHAISES,
    PARIS,
    SALLE_DES_ASSOCIATIONS,
    SALLE_DES_FETES,
    at,
    days,
    request,
)

TUESDAY = date(2026, 3, 10)
STAMP = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def test_the_public_feed_says_when_and_nothing_about_who(store: Store) -> None:
    store.book(request("salle-des-associations", at(TUESDAY, 10), at(TUESDAY, 12)), by="t")
    store.book(request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20)), by="t")
    periods = store.busy("salle-des-associations", TUESDAY, TUESDAY)
    raw = busy_calendar(SALLE_DES_ASSOCIATIONS, periods, PARIS, stamp=STAMP)

    calendar = Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Guichet//calendar_store//FR"
    events = calendar.walk("VEVENT")
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (datetime(2026, 3, 10, 9, tzinfo=UTC), datetime(2026, 3, 10, 11, tzinfo=UTC)),
        (datetime(2026, 3, 10, 17, tzinfo=UTC), datetime(2026, 3, 10, 19, tzinfo=UTC)),
    ]
    assert {str(e["SUMMARY"]) for e in events} == {"Réservé"}
    assert {str(e["TRANSP"]) for e in events} == {"OPAQUE"}
    assert len({str(e["UID"]) for e in events}) == 2
    assert all(e.decoded("DTSTAMP") == STAMP for e in events)
    text = raw.decode()
    assert "DTSTART:20260310T090000Z" in text  # UTC, no TZID to resolve
    for personal in ("Camille", "+336", "web:camille", "SDA-"):
        assert personal not in text


def test_an_invitation_for_chairs_over_two_days(store: Store) -> None:
    booked = store.book(days("chaises", TUESDAY, 2, quantity=40), by="t")
    raw = invitation(booked, CHAISES, location="Services techniques", tz=PARIS)
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert ": 40 chaises, du mardi 10 mars au mercredi 11 mars." in str(event["DESCRIPTION"])


def test_an_empty_feed_is_still_a_calendar() -> None:
    calendar = Calendar.from_ical(busy_calendar(SALLE_DES_FETES, [], PARIS))
    assert calendar.walk("VEVENT") == []


def test_an_invitation_for_the_resident(store: Store) -> None:
    booked = store.book(request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20)), by="t")
    raw = invitation(
        booked, SALLE_DES_ASSOCIATIONS, location="2 place de la Mairie, Clairval", tz=PARIS
    )
    calendar = Calendar.from_ical(raw)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert booked.reference in str(event["SUMMARY"])
    assert booked.reference in str(event["DESCRIPTION"])
    assert str(event["DESCRIPTION"]).startswith(
        f"Réservation {booked.reference} : la salle des associations, "
        "le mardi 10 mars de 18 h à 20 h."
    )
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "2 place de la Mairie, Clairval"
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 17, tzinfo=UTC)
    assert str(event["UID"]) == f"{booked.reference}@guichet"


def test_a_pending_booking_is_tentative(store: Store) -> None:
    pending = store.book(days("salle-des-fetes", date(2026, 3, 29)), by="t")
    assert pending.status is Status.PENDING
    raw = invitation(pending, SALLE_DES_FETES, location="Salle des fêtes", tz=PARIS)
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "le dimanche 29 mars, toute la journée." in str(event["DESCRIPTION"])
    assert event.decoded("DTEND") - event.decoded("DTSTART") == pending.end - pending.start


def test_a_cancelled_booking_is_cancelled_in_the_calendar(store: Store) -> None:
    booked = store.book(request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20)), by="t")
    assert booked.cancel_token is not None
    cancelled = store.cancel(booked.reference, by="t", token=booked.cancel_token)
    raw = invitation(cancelled, SALLE_DES_ASSOCIATIONS, location="Clairval", tz=PARIS)
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
