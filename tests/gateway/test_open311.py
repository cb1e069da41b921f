"""Open311 GeoReport v2 through the real Starlette app: every endpoint and every error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from bot.reports import Draft, Reporter, ReportStore, Status
from bot.typography import french
from gateway.app import create_app
from tests.helpers.bookings import serve_in_thread
from tests.helpers.reports import LILAS, OPEN311_KEY, counts, settings_for, territory

FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def client(engine: Engine) -> Iterator[httpx.Client]:
    app = create_app(settings_for(engine, PUBLIC_URL="https://mairie.example"))
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture
def store(engine: Engine) -> ReportStore:
    return ReportStore(engine, territory)


def post(client: httpx.Client, **fields: Any) -> Any:
    body = {"api_key": OPEN311_KEY, "service_code": "eclairage", **fields}
    return client.post("/open311/v2/requests.json", data=body)


def neutral(category: str, place: str) -> str:
    """The text Open311 shows for a report no agent rewrote."""
    return french(f"Signalement « {category} », {place}.")


def spec_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    [error] = response.json()
    assert error["code"] == status
    assert isinstance(error["description"], str) and error["description"]
    return str(error["description"])


def test_discovery(client: httpx.Client) -> None:
    body = client.get("/open311/v2/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://mairie.example/open311/v2"
    assert endpoint["formats"] == ["application/json"]
    assert endpoint["type"] == "production"


def test_services_list_the_categories(client: httpx.Client) -> None:
    services = client.get("/open311/v2/services.json").json()
    assert [s["service_code"] for s in services] == list(territory().categories)
    light = services[0]
    assert light == {
        "service_code": "eclairage",
        "service_name": "éclairage public",
        "description": light["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": light["keywords"],
        "group": "signalements",
    }
    assert "lampadaire" in light["keywords"].split(",")


def test_service_definition(client: httpx.Client) -> None:
    response = client.get("/open311/v2/services/voirie.json")
    assert response.json() == {"service_code": "voirie", "attributes": []}
    spec_error(client.get("/open311/v2/services/fuite.json"), 404)


def test_xml_is_not_offered(client: httpx.Client) -> None:
    assert "JSON" in spec_error(client.get("/open311/v2/services.xml"), 400)


def test_post_with_a_position(client: httpx.Client, engine: Engine) -> None:
    response = post(client, lat=str(LILAS[0]), long=str(LILAS[1]), description="Éteint")
    assert response.status_code == 201, response.text
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["service_request_id"].startswith("SIG-")
    assert created["account_id"] is None
    [found] = client.get(f"/open311/v2/requests/{created['service_request_id']}.json").json()
    assert set(found) == FIELDS
    assert found["status"] == "open"
    assert found["service_name"] == "éclairage public"
    assert found["lat"] == LILAS[0] and found["long"] == LILAS[1]
    # The public reads a neutral text, never the words sent.
    assert found["description"] == neutral("éclairage public", "près de la position indiquée")
    assert found["agency_responsible"] == "Mairie de Clairval"
    assert datetime.fromisoformat(found["requested_datetime"]).tzinfo is not None
    assert counts(engine)["reports"] == 1


def test_post_with_an_address_and_contact(client: httpx.Client, engine: Engine) -> None:
    response = post(
        client,
        address_string="12 av des tilleul",
        description="Lampadaire clignotant",
        email="Camille@Example.fr",
        phone="06 12 34 56 78",
        first_name="Camille",
        last_name="Martin",
        media_url="https://example.org/photo.jpg",
    )
    assert response.status_code == 201, response.text
    reference = response.json()[0]["service_request_id"]
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json()
    assert found["address"] == "avenue des Tilleuls"  # as the commune spells it, not as typed
    assert found["lat"] is None and found["media_url"] is None
    # Nothing personal is ever shown.
    assert "Camille" not in str(found) and "0612" not in str(found)
    assert counts(engine)["report_subscribers"] == 1


def test_post_as_json(client: httpx.Client) -> None:
    body = {
        "api_key": OPEN311_KEY,
        "service_code": "voirie",
        "lat": LILAS[0],
        "long": LILAS[1],
        "description": "Nid de poule",
    }
    response = client.post("/open311/v2/requests.json", json=body)
    assert response.status_code == 201, response.text


def test_api_key_in_the_query_string(client: httpx.Client) -> None:
    response = client.post(
        f"/open311/v2/requests.json?api_key={OPEN311_KEY}",
        data={"service_code": "tags", "address_string": "rue Victor Hugo", "description": "Tag"},
    )
    assert response.status_code == 201, response.text


def test_a_duplicate_answers_the_existing_id(client: httpx.Client, engine: Engine) -> None:
    first = post(client, address_string="rue des Lilas", description="Éteint").json()[0]
    again = post(client, address_string="rue des lilas", description="Toujours éteint")
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first["service_request_id"]
    assert "déjà signalé" in again.json()[0]["service_notice"]
    assert counts(engine)["reports"] == 1


def test_missing_description_takes_the_service_name(client: httpx.Client) -> None:
    reference = post(client, address_string="rue du Moulin").json()[0]["service_request_id"]
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json()
    assert found["description"] == neutral("éclairage public", "rue du Moulin")


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"api_key": None}, 403),
        ({"api_key": "mauvaise"}, 403),
        ({"service_code": None}, 400),
        ({"service_code": "fuite"}, 400),
        ({"address_string": None}, 400),
        ({"address_string": "rue des Pivoines"}, 400),
        ({"address_string": None, "lat": "48.0", "long": "2.0"}, 400),
        ({"address_string": None, "lat": "48.85"}, 400),
        ({"address_string": None, "lat": "nord", "long": "2.39"}, 400),
        ({"email": "pas-une-adresse"}, 400),
        ({"phone": "123"}, 400),
        ({"description": "x" * 2001}, 400),
    ],
)
def test_post_errors_write_nothing(
    client: httpx.Client, engine: Engine, fields: dict[str, Any], status: int
) -> None:
    body: dict[str, Any] = {
        "api_key": OPEN311_KEY,
        "service_code": "eclairage",
        "address_string": "rue des Lilas",
        "description": "Éteint",
    }
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    spec_error(client.post("/open311/v2/requests.json", data=body), status)
    assert set(counts(engine).values()) == {0}


def test_post_body_errors(client: httpx.Client, engine: Engine) -> None:
    url = "/open311/v2/requests.json"
    spec_error(client.post(url, content=b"x", headers={"content-type": "text/plain"}), 400)
    spec_error(client.post(url, content=b"[1]", headers={"content-type": "application/json"}), 400)
    spec_error(client.post(url, content=b"\xff", headers={"content-type": "application/json"}), 400)
    big = b"description=" + b"x" * 70_000
    spec_error(
        client.post(
            url, content=big, headers={"content-type": "application/x-www-form-urlencoded"}
        ),
        413,
    )
    assert set(counts(engine).values()) == {0}


def test_post_is_refused_when_no_key_is_configured(engine: Engine) -> None:
    app = create_app(settings_for(engine, OPEN311_API_KEYS=""))
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        spec_error(post(client, api_key="", address_string="rue des Lilas"), 403)


def file(store: ReportStore, category: str, street: str) -> str:
    draft = Draft(category, "Constat", street, None, None, None)
    return store.file(draft, Reporter("web:x", "web"), by="bot").report.reference


def test_get_requests_with_filters(client: httpx.Client, store: ReportStore) -> None:
    a = file(store, "eclairage", "rue des Lilas")
    b = file(store, "voirie", "rue du Moulin")
    c = file(store, "tags", "rue Victor Hugo")
    store.change(c, Status.REJECTED, by="agent", comment="mur privé")

    def ids(**params: str) -> list[str]:
        response = client.get("/open311/v2/requests.json", params=params)
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [c, b, a]  # newest first
    assert ids(service_code="voirie,tags") == [c, b]
    assert ids(status="open") == [b, a]
    assert ids(status="closed") == [c]
    assert ids(service_request_id=f"{a},{c.lower()}") == [c, a]
    now = datetime.now(UTC)
    assert ids(start_date=(now - timedelta(hours=1)).isoformat()) == [c, b, a]
    assert ids(end_date=(now - timedelta(days=1)).isoformat()) == []
    assert ids(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z") == []
    [closed] = client.get(f"/open311/v2/requests/{c}.json").json()
    assert closed["status"] == "closed" and closed["status_notes"] == "mur privé"


def test_get_requests_keeps_to_the_last_90_days(client: httpx.Client, engine: Engine) -> None:
    old = ReportStore(engine, territory, clock=lambda: datetime.now(UTC) - timedelta(days=91))
    reference = file(old, "eclairage", "rue des Lilas")
    assert client.get("/open311/v2/requests.json").json() == []
    params = {"start_date": (datetime.now(UTC) - timedelta(days=100)).isoformat()}
    listed = client.get("/open311/v2/requests.json", params=params).json()
    assert [r["service_request_id"] for r in listed] == [reference]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "hier"},
        {"end_date": "2026-13-01"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
    ],
)
def test_get_requests_errors(client: httpx.Client, params: dict[str, str]) -> None:
    spec_error(client.get("/open311/v2/requests.json", params=params), 400)


def test_unknown_request(client: httpx.Client) -> None:
    spec_error(client.get("/open311/v2/requests/SIG-AAAA.json"), 404)


def test_media_url_points_to_the_photo(client: httpx.Client, store: ReportStore) -> None:
    from bot.photos import clean_photo, photo_key
    from tests.helpers.reports import image_bytes

    photo = clean_photo(image_bytes("PNG"))
    public_id = store.save_photo(photo, "web:x")
    draft = Draft("eclairage", "Éteint", "rue des Lilas", None, None, None, public_id)
    reference = store.file(draft, Reporter("web:x", "web"), by="bot").report.reference
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json()
    # Named by its random public id, not by the sequential one: nobody walks through photos.
    assert found["media_url"] == f"https://mairie.example/api/photos/{public_id}"
    assert client.get("/api/photos/1").status_code == 404
    image = client.get(f"/api/photos/{public_id}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert client.get(f"/api/photos/{photo_key(photo)}").status_code == 200  # older links


def test_the_residents_words_are_never_published(
    client: httpx.Client, store: ReportStore, engine: Engine
) -> None:
    said = "c'est Jean Dupont, rappelez-moi au 06 12 34 56 78, le lampadaire devant chez moi"
    draft = Draft("eclairage", said, "rue des Lilas", "12 rue des Lilas, chez Dupont", None, None)
    reference = store.file(draft, Reporter("web:jean", "web"), by="bot").report.reference
    posted = post(client, address_string="rue du Moulin, chez Mme Durand", description=said)
    assert posted.status_code == 201, posted.text
    listed = client.get("/open311/v2/requests.json").json()
    one = client.get(f"/open311/v2/requests/{reference}.json").json()
    for shown in (listed, one):
        published = json.dumps(shown, ensure_ascii=False)
        for personal in ("Dupont", "Jean", "06 12", "0612", "rappelez", "Durand", "chez"):
            assert personal not in published
    assert {r["description"] for r in listed} == {
        neutral("éclairage public", "rue des Lilas"),
        neutral("éclairage public", "rue du Moulin"),
    }
    # The words are kept for the agents, unchanged.
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT description FROM reports ORDER BY id")).scalars()
        assert list(kept) == [said, said]


def test_a_text_an_agent_approved_is_published(client: httpx.Client, store: ReportStore) -> None:
    said = "Jean Dupont : lampadaire éteint devant le 12, appelez le 06 12 34 56 78"
    draft = Draft("eclairage", said, "rue des Lilas", None, None, None)
    reference = store.file(draft, Reporter("web:jean", "web"), by="bot").report.reference
    store.publish(reference, "Lampadaire éteint devant le 12.")
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json()
    assert found["description"] == "Lampadaire éteint devant le 12."
    store.publish(reference, "  ")  # withdrawn: the neutral text again
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json()
    assert found["description"] == neutral("éclairage public", "rue des Lilas")
