"""Limits on every public write through real HTTP: rates per IP address and per conversation
(429 with Retry-After, or a French sentence in the chat), and the commune file's booking limits
(422 in French), each refusal writing nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import limits
import pytest
from sqlalchemy import Engine, text

from bot.commune import CommuneStore
from bot.quotas import Write
from bot.reports import ReportStore
from bot.settings import DEFAULT_REDIS_URL, Settings
from bot.transcript import ConversationRef
from channels.rest import Inbound
from gateway.app import create_app
from gateway.guard import Guard
from gateway.throttle import LocalWindows, Throttle, client_ip, wait_words
from tests.helpers.bookings import at, booking, serve_in_thread, today, weekday, whole_day
from tests.helpers.limits import DEMO_COMMUNE, appointments, commune_with
from tests.helpers.reports import LILAS, OPEN311_KEY, image_bytes, settings_for, territory
from tests.helpers.stack import redis_answers


@contextmanager
def served(settings: Settings) -> Iterator[httpx.Client]:
    with serve_in_thread(create_app(settings)) as url, httpx.Client(base_url=url) as client:
        yield client


@pytest.fixture
def api(engine: Engine) -> Iterator[httpx.Client]:
    """The gateway with Clairval's own file (Rasa is absent: nothing here needs it)."""
    with served(settings_for(engine)) as client:
        yield client


def rows(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def too_many(response: httpx.Response) -> int:
    """The seconds a 429 says to wait, after checking its shape."""
    assert response.status_code == 429, response.text
    seconds = int(response.headers["retry-after"])
    assert seconds >= 1
    body = response.json()
    assert body["reason"] == "rate_limited" and body["retry_after"] == seconds
    assert body["error"].startswith("Vous avez envoyé beaucoup de demandes en peu de temps.")
    assert "réessayer dans" in body["error"]
    return seconds


def chat(client: httpx.Client, sender: str, message: str, **extra: Any) -> httpx.Response:
    return client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}
    )


# -- the booking API ---------------------------------------------------------------------------


def test_thirty_anonymous_bookings_in_a_row_are_not_all_accepted(
    api: httpx.Client, engine: Engine
) -> None:
    answers = [api.post("/api/bookings", json=body) for body in appointments(30)]
    statuses = [a.status_code for a in answers]
    # Clairval's file: 10 bookings an hour from one address, then 429 until the hour is over.
    assert statuses == [201] * 10 + [429] * 20
    assert 3000 < too_many(answers[-1]) <= 3600
    assert rows(engine, "SELECT count(*) FROM bookings") == 10


def test_two_id_appointments_per_person_however_the_contact_is_written(
    api: httpx.Client, engine: Engine
) -> None:
    first, second, third = appointments(3, phone="06 12 34 56 78")
    made = api.post("/api/bookings", json=first)
    assert made.status_code == 201
    second["requester"]["phone"] = "+33 6 12 34 56 78"
    assert api.post("/api/bookings", json=second).status_code == 201
    refused = api.post("/api/bookings", json=third)
    assert refused.status_code == 422
    body = refused.json()
    assert body["reason"] == "person_limit"
    assert body["error"] == (
        "Vous avez déjà 2 rendez-vous à venir, le maximum pour une même personne. "
        "Annulez-en un avant d’en demander un autre."
    )
    assert body["details"] == [{"field": "requester", "message": body["error"]}]
    # Another phone, but an e-mail already used twice in another case: the same person.
    by_mail = appointments(7, phone=None, email="Camille@Exemple.fr")[4:]
    assert [api.post("/api/bookings", json=b).status_code for b in by_mail[:2]] == [201, 201]
    by_mail[2]["requester"]["email"] = "camille@exemple.FR"
    assert api.post("/api/bookings", json=by_mail[2]).json()["reason"] == "person_limit"
    assert rows(engine, "SELECT count(*) FROM bookings") == 4
    # Cancelling one frees a place.
    cancel = {"cancel_token": made.json()["cancel_token"]}
    assert api.post(f"/api/bookings/{made.json()['reference']}/cancel", json=cancel).is_success
    assert api.post("/api/bookings", json=third).status_code == 201


def test_the_sound_system_for_ten_years_is_refused(api: httpx.Client, engine: Engine) -> None:
    day = weekday(2)
    ten_years = booking(
        "sonorisation", at(day).isoformat(), at(day + timedelta(days=3650)).isoformat()
    )
    refused = api.post("/api/bookings", json=ten_years)
    assert refused.status_code == 422
    assert refused.json()["reason"] == "too_long"
    assert refused.json()["error"] == "La sonorisation se réserve pour 3 jours au plus à la suite."
    assert refused.json()["alternatives"] == []
    weekend = booking("sonorisation", at(day).isoformat(), at(day + timedelta(days=3)).isoformat())
    assert api.post("/api/bookings", json=weekend).status_code == 201
    assert rows(engine, "SELECT count(*) FROM bookings") == 1


def test_the_hall_until_2199_is_refused_and_the_dates_stay_free(
    api: httpx.Client, engine: Engine
) -> None:
    day = weekday(4)
    until_2199 = booking("salle-des-fetes", at(day).isoformat(), at(date(2199, 12, 31)).isoformat())
    refused = api.post("/api/bookings", json=until_2199)
    assert refused.status_code == 422
    assert refused.json()["reason"] == "too_long"
    assert "price" not in refused.json()  # no 15,766,500 € quote
    assert rows(engine, "SELECT count(*) FROM bookings") == 0
    params = {"from": day.isoformat(), "to": (day + timedelta(days=60)).isoformat()}
    free = api.get("/api/resources/salle-des-fetes/availability", params=params).json()["free"]
    assert len(free) == 61
    # A weekend, Friday to Sunday, is what the hall is for.
    friday = weekday(4, 6)
    weekend = booking(
        "salle-des-fetes", *(at(friday).isoformat(), at(friday + timedelta(days=3)).isoformat())
    )
    assert api.post("/api/bookings", json=weekend).json()["status"] == "pending"


def test_nothing_is_booked_ending_after_the_furthest_date(api: httpx.Client) -> None:
    # The chairs are lent 180 days ahead: a loan starting on the last day may not run past it.
    last = today() + timedelta(days=179)
    over = booking("chaises", *whole_day(last)[:1], at(last + timedelta(days=3)).isoformat())
    refused = api.post("/api/bookings", json=over)
    assert refused.status_code == 422
    assert refused.json()["reason"] == "too_far"
    assert refused.json()["error"].startswith("On ne peut pas réserver au-delà du ")


def test_cancellations_are_counted_per_address(engine: Engine, tmp_path: Path) -> None:
    commune = commune_with(tmp_path, annulations={"par_ip": "2/heure"})
    with served(settings_for(engine, COMMUNE_FILE=str(commune))) as api:
        made = api.post("/api/bookings", json=appointments(1)[0]).json()
        path = f"/api/bookings/{made['reference']}/cancel"
        assert api.post(path, json={"cancel_token": "faux"}).status_code == 403
        assert api.post(path, json={"cancel_token": "faux"}).status_code == 403
        too_many(api.post(path, json={"cancel_token": made["cancel_token"]}))
        assert rows(engine, "SELECT count(*) FROM bookings WHERE status = 'cancelled'") == 0


def test_off_means_no_rate_at_all(engine: Engine) -> None:
    with served(settings_for(engine, RATE_LIMITS="off")) as api:
        answers = [api.post("/api/bookings", json=body).status_code for body in appointments(12)]
        assert answers == [201] * 12


# -- the chat -----------------------------------------------------------------------------------


def test_messages_are_counted_per_address_before_anything_is_kept(
    engine: Engine, tmp_path: Path
) -> None:
    commune = commune_with(tmp_path, messages={"par_ip": "3/minute"})
    with served(settings_for(engine, COMMUNE_FILE=str(commune))) as api:
        for n in range(3):
            assert chat(api, f"habitant-{n}", "bonjour").status_code == 200
        seconds = too_many(chat(api, "habitant-4", "bonjour"))
        assert seconds <= 60
    assert rows(engine, "SELECT count(*) FROM messages WHERE author = 'resident'") == 3


def test_a_conversation_sending_too_much_is_told_once_then_ignored(
    engine: Engine, tmp_path: Path
) -> None:
    commune = commune_with(tmp_path, messages={"par_conversation": "2/minute"})
    with served(settings_for(engine, COMMUNE_FILE=str(commune))) as api:
        # (Rasa is absent: the first turn ends with an apology and the agents take over.)
        for _ in range(2):
            assert chat(api, "bavard", "bonjour").status_code == 200
        told = chat(api, "bavard", "bonjour")
        assert told.status_code == 200
        [said] = told.json()
        assert said["text"] == (
            "Vous avez envoyé beaucoup de demandes en peu de temps. "
            "Merci de réessayer dans 1 minute."
        )
        assert chat(api, "bavard", "allo ?").json() == []  # told already: silence
        # Another conversation is not concerned.
        assert chat(api, "voisin", "bonjour").json()[0]["text"] != said["text"]
    resident = "SELECT count(*) FROM messages WHERE author = 'resident' AND conversation_id = "
    assert rows(engine, resident + "'web:bavard'") == 2  # nothing kept of what was refused


def test_a_danger_said_in_words_goes_through_whatever_the_rate(
    engine: Engine, tmp_path: Path
) -> None:
    commune = CommuneStore(commune_with(tmp_path, messages={"par_conversation": "1/minute"}))
    guard = Guard(Throttle(commune, "memory://"), ReportStore(engine, territory))
    ref = ConversationRef("sms", "+33612345678")

    async def said(*texts: str) -> list[str | None]:
        return [await guard.flooding(Inbound(ref, t, {})) for t in texts]

    first, flood, danger = asyncio.run(
        said("bonjour", "bonjour", "au secours ça sent le gaz dans la cuisine")
    )
    assert first is None and flood and "réessayer" in flood
    assert danger is None


def test_a_photo_of_another_conversation_is_refused_and_nothing_is_attached(
    api: httpx.Client, engine: Engine
) -> None:
    upload = api.post(
        "/api/photos",
        params={"sender": "alice"},
        content=image_bytes("JPEG"),
        headers={"content-type": "image/jpeg"},
    )
    alice_photo = upload.json()["photo"]
    refused = CommuneStore(DEMO_COMMUNE).get().message("photo_autre_conversation")
    assert refused.startswith("Je ne peux pas joindre cette photo")
    for stolen in (alice_photo, 1, "1", "0" * 32):
        answer = chat(api, "mallory", "Photo jointe", metadata={"photo": stolen})
        assert answer.status_code == 200
        assert answer.json() == [{"recipient_id": "mallory", "text": refused}]
    assert rows(engine, "SELECT count(*) FROM reports") == 0
    assert rows(engine, "SELECT count(*) FROM report_photos WHERE owner = 'web:alice'") == 1


def test_photo_uploads_are_counted_per_conversation(engine: Engine, tmp_path: Path) -> None:
    commune = commune_with(tmp_path, photos={"par_conversation": "1/heure"})
    with served(settings_for(engine, COMMUNE_FILE=str(commune))) as api:

        def upload(sender: str) -> httpx.Response:
            return api.post(
                "/api/photos",
                params={"sender": sender},
                content=image_bytes("PNG"),
                headers={"content-type": "image/png"},
            )

        assert upload("alice").status_code == 201
        too_many(upload("alice"))
        assert upload("bob").status_code == 201
    assert rows(engine, "SELECT count(*) FROM report_photos") == 2


def test_open311_posts_are_counted_per_address(engine: Engine, tmp_path: Path) -> None:
    commune = commune_with(tmp_path, signalements={"par_ip": "1/heure"})
    with served(settings_for(engine, COMMUNE_FILE=str(commune))) as api:
        fields = {"api_key": OPEN311_KEY, "service_code": "eclairage", "description": "Éteint"}
        point = {"lat": str(LILAS[0]), "long": str(LILAS[1])}
        assert api.post("/open311/v2/requests.json", data={**fields, **point}).status_code == 201
        refused = api.post(
            "/open311/v2/requests.json", data={**fields, "address_string": "rue du Moulin"}
        )
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        [error] = refused.json()  # the Open311 way
        assert error["code"] == 429 and "réessayer" in error["description"]
    assert rows(engine, "SELECT count(*) FROM reports") == 1


# -- the counting itself --------------------------------------------------------------------------


def test_ipv6_addresses_count_by_their_64_network() -> None:
    scope: dict[str, Any] = {"client": ("2a01:cb00:1:2:aaaa::1", 5000)}
    other: dict[str, Any] = {"client": ("2a01:cb00:1:2:bbbb::9", 5000)}
    assert client_ip(scope) == client_ip(other) == "2a01:cb00:1:2::/64"
    assert client_ip({"client": ("192.0.2.7", 1)}) == "192.0.2.7"
    assert client_ip({}) == "unknown"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (1, "dans 1 minute"),
        (60, "dans 1 minute"),
        (61, "dans 2 minutes"),
        (3600, "dans 1 heure"),
        (3601, "dans 2 heures"),
        (86_400, "dans 24 heures"),
    ],
)
def test_when_to_try_again_is_said_in_words(seconds: int, said: str) -> None:
    assert wait_words(seconds) == said


def test_with_redis_every_worker_counts_together(tmp_path: Path) -> None:
    url = DEFAULT_REDIS_URL.rsplit("/", 1)[0] + "/15"
    if not redis_answers(url):
        pytest.skip(f"Redis does not answer at {url}")
    commune = CommuneStore(commune_with(tmp_path, reservations={"par_ip": "3/heure"}))
    first, second = Throttle(commune, url), Throttle(commune, url)
    who = f"test-{uuid.uuid4().hex}"

    async def hits() -> list[int | None]:
        return [await w.wait(Write.BOOKING, "ip", who) for w in (first, second, first, second)]

    answers = asyncio.run(hits())
    assert answers[:3] == [None, None, None]
    assert answers[3] is not None and 3500 < answers[3] <= 3600


def test_a_storage_that_is_down_lets_residents_through(tmp_path: Path) -> None:
    commune = CommuneStore(commune_with(tmp_path, reservations={"par_ip": "1/heure"}))
    down = Throttle(commune, "redis://127.0.0.1:9/0")

    async def twice() -> list[int | None]:
        return [await down.wait(Write.BOOKING, "ip", "x") for _ in range(2)]

    assert asyncio.run(twice()) == [None, None]


def test_the_demo_file_limits_every_public_write() -> None:
    limits = CommuneStore(DEMO_COMMUNE).get().data.limites
    assert all(limits.rates(write, "ip") for write in Write)
    assert limits.rates(Write.MESSAGE, "conversation") and limits.rates(Write.PHOTO, "conversation")


def test_local_windows_move_and_forget_what_nobody_hits() -> None:
    now = [1000.0]
    windows = LocalWindows(clock=lambda: now[0])
    three = limits.parse("3/minute")
    assert [windows.hit(three, "ip", "a") for _ in range(4)] == [True, True, True, False]
    assert windows.hit(three, "ip", "b")  # another address has its own window
    assert windows.wait(three, "ip", "a") == 60.0
    now[0] += 30
    assert not windows.hit(three, "ip", "a")
    assert windows.wait(three, "ip", "a") == 30.0
    now[0] += 30  # the first three hits leave the window together
    assert windows.hit(three, "ip", "a")
    now[0] += 3600
    windows.SWEEP_EVERY = 1
    windows.hit(three, "ip", "c")
    assert windows.wait(three, "ip", "a") == 0.0  # swept: a forgotten address costs nothing
    assert [windows.hit(three, "ip", "a") for _ in range(4)] == [True, True, True, False]
