"""The public booking API through real HTTP: the gateway under uvicorn, a migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import Engine, text
from starlette.routing import Route

from bot.settings import ROOT, load_settings
from gateway.app import create_app
from tests.helpers.bookings import (
    at,
    booking,
    counts,
    live_rows,
    requester,
    saturday,
    serve_in_thread,
    today,
    weekday,
    whole_day,
)

COMMUNE = ROOT / "communes" / "clairval.yml"
SLUGS = [
    "salle-des-fetes",
    "salle-des-associations",
    "gymnase",
    "tables",
    "chaises",
    "barnums",
    "sonorisation",
    "rdv-titres",
]


def settings_for(engine: Engine) -> Any:
    url = engine.url.render_as_string(hide_password=False)
    return load_settings({"DATABASE_URL": url, "COMMUNE_FILE": str(COMMUNE)})


@pytest.fixture
def api(engine: Engine) -> Iterator[httpx.Client]:
    with (
        serve_in_thread(create_app(settings_for(engine))) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client


def book(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/bookings", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def hall(day_weeks: int = 4, **extra: Any) -> dict[str, Any]:
    return booking("salle-des-fetes", *whole_day(saturday(day_weeks)), **extra)


def notices(engine: Engine, reference: str) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT kind FROM notifications WHERE reference = :r ORDER BY id"),
            {"r": reference},
        )
        return [row.kind for row in rows]


# -- resources and availability ---------------------------------------------------------


def test_resources_list_rules_and_prices_as_numbers(api: httpx.Client) -> None:
    response = api.get("/api/resources")
    assert response.status_code == 200
    resources = {r["slug"]: r for r in response.json()}
    assert list(resources) == SLUGS
    hall = resources["salle-des-fetes"]
    assert hall == {
        "slug": "salle-des-fetes",
        "name": hall["name"],
        "kind": "room",
        "unit": "day",
        "capacity": 200,
        "stock": 1,
        "prices": {"resident": 250, "exterieur": 450, "association": 0},
        "deposit": 500,
        "approval": True,
        "allowed": ["resident", "exterieur", "association"],
    }
    assert "salle des fêtes" in hall["name"]
    assert isinstance(hall["deposit"], int)
    assert resources["gymnase"]["allowed"] == ["association"]
    assert resources["gymnase"]["prices"] == {"association": 0}
    assert resources["chaises"]["kind"] == "equipment"
    assert resources["chaises"]["stock"] == 200
    assert resources["salle-des-associations"]["unit"] == "hour"
    assert resources["rdv-titres"]["unit"] == "slot"
    assert resources["chaises"]["capacity"] is None


def test_availability_defaults_to_two_weeks_in_paris_time(api: httpx.Client) -> None:
    response = api.get("/api/resources/salle-des-associations/availability")
    assert response.status_code == 200
    body = response.json()
    assert body["resource"] == "salle-des-associations"
    assert body["from"] == today().isoformat()
    assert body["to"] == (today() + timedelta(days=13)).isoformat()
    assert body["free"]
    for period in body["free"]:
        start, end = datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"])
        assert start.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
        assert start < end
        assert period["left"] == 1


def test_equipment_availability_tells_what_is_left(api: httpx.Client) -> None:
    day = saturday(2)
    book(api, booking("chaises", *whole_day(day), quantity=12))
    response = api.get(
        "/api/resources/chaises/availability",
        params={"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()},
    )
    free = response.json()["free"]
    assert [p["left"] for p in free] == [188, 200]
    assert free[0]["start"] == at(day).isoformat()


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"from": "2030-02-30"}, 400, "invalid_date"),
        ({"to": "demain"}, 400, "invalid_date"),
        ({"from": "9999-12-25"}, 400, "invalid_date"),
        ({"from": "0001-01-01", "to": "0001-01-03"}, 400, "invalid_date"),
        ({"from": "2030-06-10", "to": "2030-06-09"}, 400, "invalid_range"),
        ({"from": "2030-01-01", "to": "2030-04-03"}, 400, "range_too_long"),
    ],
)
def test_availability_refuses_bad_dates(
    api: httpx.Client, params: dict[str, str], status: int, reason: str
) -> None:
    response = api.get("/api/resources/gymnase/availability", params=params)
    assert response.status_code == status
    assert response.json()["reason"] == reason
    assert response.json()["error"]


def test_availability_accepts_92_days_and_refuses_unknown_resources(api: httpx.Client) -> None:
    first = today()
    params = {"from": first.isoformat(), "to": (first + timedelta(days=91)).isoformat()}
    assert api.get("/api/resources/gymnase/availability", params=params).status_code == 200
    response = api.get("/api/resources/piscine/availability")
    assert response.status_code == 404
    assert response.json()["reason"] == "unknown_resource"


def test_availability_after_a_booking_shows_the_slot_gone(api: httpx.Client) -> None:
    day = saturday(3)
    path = "/api/resources/salle-des-associations/availability"
    params = {"from": day.isoformat(), "to": day.isoformat()}

    def free() -> list[tuple[datetime, datetime]]:
        periods = api.get(path, params=params).json()["free"]
        return [
            (datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])) for p in periods
        ]

    assert free() == [(at(day, 8), at(day, 23))]
    book(api, booking("salle-des-associations", at(day, 14).isoformat(), at(day, 17).isoformat()))
    assert free() == [(at(day, 8), at(day, 14)), (at(day, 17), at(day, 23))]


# -- booking ----------------------------------------------------------------------------


def test_the_hall_is_pending_priced_and_notified(api: httpx.Client, engine: Engine) -> None:
    before = counts(engine)
    created = book(api, hall())
    start, end = whole_day(saturday(4))
    assert created["status"] == "pending"
    assert created["resource"] == "salle-des-fetes"
    assert (created["start"], created["end"]) == (start, end)
    assert (created["price"], created["deposit"], created["quantity"]) == (250, 500, 1)
    assert created["reference"].startswith("SDF-")
    assert created["ics"] == f"/api/bookings/{created['reference']}.ics"
    assert len(created["cancel_token"]) >= 16
    after = counts(engine)
    assert after["bookings"] == before["bookings"] + 1
    assert notices(engine, created["reference"]) == ["booking_pending"]


@pytest.mark.parametrize(
    ("who", "price"),
    [
        (requester(type="exterieur"), 450),
        (requester(type="association", association="Comité des fêtes"), 0),
    ],
)
def test_hall_prices_depend_on_who_asks(api: httpx.Client, who: dict[str, Any], price: int) -> None:
    assert book(api, hall(requester=who))["price"] == price


def test_hourly_room_is_confirmed_and_priced_per_hour(api: httpx.Client, engine: Engine) -> None:
    day = saturday(5)
    created = book(
        api,
        booking("salle-des-associations", at(day, 14).isoformat(), at(day, 17).isoformat()),
    )
    assert (created["status"], created["price"], created["deposit"]) == ("confirmed", 45, 0)
    # The confirmation now, and the reminder for the day before (a row, it survives restarts).
    assert notices(engine, created["reference"]) == ["booking_confirmed", "booking_reminder"]


def test_contact_is_normalised(api: httpx.Client, engine: Engine) -> None:
    who = requester(phone="+33 (0)6 12 34 56 78", email="camille@exemple.fr")
    reference = book(api, hall(requester=who))["reference"]
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT contact_phone, contact_email FROM bookings WHERE reference = :r"),
            {"r": reference},
        ).one()
    assert tuple(row) == ("+33612345678", "camille@exemple.fr")
    email_only = requester(phone=None, email="x@exemple.fr", type="exterieur")
    assert book(api, hall(6, requester=email_only))["status"] == "pending"


def test_a_taken_slot_is_409_with_alternatives_and_writes_nothing(
    api: httpx.Client, engine: Engine
) -> None:
    book(api, hall())
    before = counts(engine)
    response = api.post("/api/bookings", json=hall(requester=requester(name="Autre")))
    assert response.status_code == 409
    body = response.json()
    assert body["reason"] == "taken"
    assert body["error"]
    assert body["alternatives"]
    for alternative in body["alternatives"]:
        assert set(alternative) == {"start", "end", "left"}
        assert datetime.fromisoformat(alternative["start"]).utcoffset() is not None
    assert counts(engine) == before
    assert live_rows(engine, "salle-des-fetes") == 1


def test_not_enough_stock_is_409_with_what_is_left(api: httpx.Client, engine: Engine) -> None:
    day = saturday(4)
    book(api, booking("barnums", *whole_day(day), quantity=3))
    before = counts(engine)
    response = api.post("/api/bookings", json=booking("barnums", *whole_day(day), quantity=2))
    assert response.status_code == 409
    assert response.json()["reason"] == "taken"
    assert response.json()["left"] == 1
    assert counts(engine) == before


def _refusals() -> list[Any]:
    day = saturday(4)
    tomorrow = today() + timedelta(days=1)
    yesterday = today() - timedelta(days=1)
    far = today() + timedelta(days=400)
    return [
        pytest.param(booking("salle-des-fetes", *whole_day(yesterday)), "past", "start", id="past"),
        pytest.param(
            booking("salle-des-fetes", *whole_day(tomorrow)), "too_soon", "start", id="too-soon"
        ),
        pytest.param(booking("salle-des-fetes", *whole_day(far)), "too_far", "start", id="too-far"),
        pytest.param(
            booking("rdv-titres", at(weekday(0), 9).isoformat(), at(weekday(0), 9, 20).isoformat()),
            "closed",
            "start",
            id="closed",
        ),
        pytest.param(
            booking("salle-des-associations", at(day, 14, 30).isoformat(), at(day, 15).isoformat()),
            "misaligned",
            "start",
            id="misaligned",
        ),
        pytest.param(
            booking("gymnase", at(day, 10).isoformat(), at(day, 11).isoformat()),
            "not_allowed",
            "requester.type",
            id="not-allowed",
        ),
        pytest.param(
            booking("barnums", *whole_day(day), quantity=5), "too_many", "quantity", id="too-many"
        ),
        pytest.param(
            booking("salle-des-associations", at(day, 17).isoformat(), at(day, 14).isoformat()),
            "end_before_start",
            "end",
            id="end-before-start",
        ),
    ]


@pytest.mark.parametrize(("body", "reason", "field"), _refusals())
def test_rules_refusals_are_422_and_write_nothing(
    api: httpx.Client, engine: Engine, body: dict[str, Any], reason: str, field: str
) -> None:
    before = counts(engine)
    response = api.post("/api/bookings", json=body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["reason"] == reason
    assert answer["error"]
    assert answer["details"][0]["field"] == field
    assert counts(engine) == before


def _invalid() -> list[Any]:
    start, end = whole_day(saturday(4))
    good = booking("salle-des-fetes", start, end)
    naive = start.removesuffix("+01:00").removesuffix("+02:00")
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("no-requester", {k: v for k, v in good.items() if k != "requester"}, "requester"),
        ("naive-start", {**good, "start": naive}, "start"),
        ("timestamp-start", {**good, "start": 1900000000}, "start"),
        ("year-9999", {**good, "start": "9999-12-31T00:00:00+01:00"}, "start"),
        ("year-1", {**good, "end": "0001-01-01T05:00:00-01:00"}, "end"),
        ("huge-quantity", {**good, "quantity": 10**30}, "quantity"),
        ("control-characters", {**good, "requester": requester(name="Jo\u0000")}, "requester.name"),
        ("bad-end", {**good, "end": "samedi soir"}, "end"),
        ("quantity-text", {**good, "quantity": "2"}, "quantity"),
        ("quantity-zero", {**good, "quantity": 0}, "quantity"),
        ("quantity-bool", {**good, "quantity": True}, "quantity"),
        ("unknown-field", {**good, "promo": "GRATUIT"}, "promo"),
        ("bad-type", {**good, "requester": requester(type="touriste")}, "requester.type"),
        ("empty-name", {**good, "requester": requester(name="  ")}, "requester.name"),
        ("bad-phone", {**good, "requester": requester(phone="12")}, "requester.phone"),
        ("bad-email", {**good, "requester": requester(email="camille@")}, "requester.email"),
        ("no-contact", {**good, "requester": requester(phone=None)}, "requester"),
        (
            "association-unnamed",
            {**good, "requester": requester(type="association")},
            "requester",
        ),
        ("not-an-object", [good], "body"),  # type: ignore[list-item]
    ]
    return [pytest.param(body, field, id=name) for name, body, field in cases]


@pytest.mark.parametrize(("body", "field"), _invalid())
def test_invalid_bodies_are_422_with_details_and_write_nothing(
    api: httpx.Client, engine: Engine, body: Any, field: str
) -> None:
    before = counts(engine)
    response = api.post("/api/bookings", json=body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["reason"] == "invalid"
    assert field in [d["field"] for d in answer["details"]]
    assert all(d["message"] for d in answer["details"])
    assert counts(engine) == before


def test_unknown_resource_is_404(api: httpx.Client, engine: Engine) -> None:
    before = counts(engine)
    response = api.post("/api/bookings", json=booking("piscine", *whole_day(saturday())))
    assert response.status_code == 404
    assert response.json()["reason"] == "unknown_resource"
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("content", "headers", "status", "reason"),
    [
        (b'{"resource": ', {"content-type": "application/json"}, 400, "invalid_json"),
        (b'{"a": "\xff"}', {"content-type": "application/json"}, 400, "invalid_utf8"),
        (b"[" * 30_000 + b"]" * 30_000, {"content-type": "application/json"}, 400, "too_deep"),
        (b"resource=gymnase", {"content-type": "text/plain"}, 415, "unsupported_media_type"),
        (b"{}", {}, 415, "unsupported_media_type"),
        (
            b'{"x": "' + b"a" * 70_000 + b'"}',
            {"content-type": "application/json"},
            413,
            "body_too_large",
        ),
    ],
)
def test_what_is_not_json_is_refused_in_json(
    api: httpx.Client,
    engine: Engine,
    content: bytes,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    before = counts(engine)
    for path in ("/api/bookings", "/api/bookings/SDF-AAAA/cancel"):
        response = api.post(path, content=content, headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.json()["reason"] == reason
    assert counts(engine) == before


def test_every_answer_carries_the_security_headers(api: httpx.Client) -> None:
    for response in (
        api.get("/api/resources"),
        api.post("/api/bookings", content=b"x", headers={"content-type": "application/json"}),
        api.get("/api/resources/gymnase/calendar.ics"),
    ):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_wrong_method_and_unknown_paths_answer_in_json(api: httpx.Client) -> None:
    response = api.get("/api/bookings")
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
    assert response.json()["error"]
    assert api.get("/api/nothing-here").status_code == 404


# -- cancelling -------------------------------------------------------------------------


def test_cancel_flow(api: httpx.Client, engine: Engine) -> None:
    created = book(api, hall())
    reference, token = created["reference"], created["cancel_token"]
    path = f"/api/bookings/{reference}/cancel"
    before = counts(engine)

    wrong = api.post(path, json={"cancel_token": "not-the-token"})
    assert wrong.status_code == 403
    assert wrong.json()["reason"] == "wrong_token"
    assert counts(engine) == before
    assert live_rows(engine, "salle-des-fetes") == 1

    missing = api.post(path, json={})
    assert missing.status_code == 422
    assert missing.json()["details"][0]["field"] == "cancel_token"

    done = api.post(path, json={"cancel_token": token})
    assert done.status_code == 200
    assert done.json() == {"reference": reference, "status": "cancelled"}
    assert live_rows(engine, "salle-des-fetes") == 0
    assert notices(engine, reference) == ["booking_pending", "booking_cancelled"]

    again = api.post(path, json={"cancel_token": token})
    assert again.status_code == 409
    assert again.json()["reason"] == "wrong_state"
    assert notices(engine, reference) == ["booking_pending", "booking_cancelled"]

    # The day is free again: someone else may book it.
    assert book(api, hall(requester=requester(name="Autre")))["status"] == "pending"


@pytest.mark.parametrize("reference", ["SDF-AAAA", "n'importe quoi", "x" * 300])
def test_cancelling_an_unknown_booking_is_404(api: httpx.Client, reference: str) -> None:
    response = api.post(f"/api/bookings/{reference}/cancel", json={"cancel_token": "abc"})
    assert response.status_code == 404
    assert response.json()["reason"] == "booking_not_found"


# -- iCalendar --------------------------------------------------------------------------


def _events(content: bytes) -> list[Any]:
    calendar = Calendar.from_ical(content)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_invitation_parses_back_without_personal_data(api: httpx.Client) -> None:
    who = requester(name="Dominique Secret", phone="0611223344", email="dominique@exemple.fr")
    created = book(api, hall(requester=who))
    response = api.get(created["ics"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    (event,) = _events(response.content)
    assert event.decoded("dtstart") == datetime.fromisoformat(created["start"])
    assert event.decoded("dtend") == datetime.fromisoformat(created["end"])
    assert created["reference"] in str(event.get("summary")) + str(event.get("uid"))
    assert "Tilleuls" in str(event.get("location"))
    assert str(event.get("status")) == "TENTATIVE"
    for secret in ("Dominique", "Secret", "0611223344", "+33611223344", "dominique@"):
        assert secret not in response.text
    assert created["cancel_token"] not in response.text


def test_unknown_invitation_is_404(api: httpx.Client) -> None:
    for path in ("/api/bookings/SDF-AAAA.ics", "/api/bookings/zz.ics"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["reason"] == "booking_not_found"


def test_the_busy_feed_lists_bookings_without_personal_data(api: httpx.Client) -> None:
    day = saturday(5)
    start, end = at(day, 14), at(day, 17)
    who = requester(name="Dominique Secret", phone="0611223344")
    book(
        api,
        booking("salle-des-associations", start.isoformat(), end.isoformat(), requester=who),
    )
    response = api.get("/api/resources/salle-des-associations/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [(start, end)]
    assert "Secret" not in response.text
    assert "611223344" not in response.text
    assert api.get("/api/resources/piscine/calendar.ics").status_code == 404


# -- the description --------------------------------------------------------------------


def _resolve(document: dict[str, Any], node: Any) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
        for value in node.values():
            _resolve(document, value)
    elif isinstance(node, list):
        for value in node:
            _resolve(document, value)


def test_openapi_describes_every_api_route(api: httpx.Client, engine: Engine) -> None:
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"]
    _resolve(document, document)  # every $ref points somewhere
    app = create_app(settings_for(engine))
    api_routes = [r for r in app.routes if isinstance(r, Route) and r.path.startswith("/api")]
    assert len(api_routes) == 12
    for route in api_routes:
        assert route.path in document["paths"], route.path
        described = {m.upper() for m in document["paths"][route.path]}
        assert (route.methods or set()) - {"HEAD"} <= described, route.path
        for operation in document["paths"][route.path].values():
            assert operation["responses"]
