"""An Open311 GeoReport v2 client written from the specification alone, against a real server.

Only the server's start-up uses our code; everything the client does and checks comes from
http://wiki.open311.org/GeoReport_v2: discovery, service list and definitions, posting a
request form-encoded, listing with filters, fetching one, and the error format.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from gateway.app import create_app  # to start the server only
from tests.helpers.reports import OPEN311_KEY, serve, settings_for

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type"}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
REQUEST_FIELDS = {
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
# Test data: a point in the commune served (any city's client knows where it reports).
LAT, LONG = "48.8512", "2.3921"


@pytest.fixture
def root(engine: Engine) -> Iterator[str]:
    def app_for(url: str) -> Any:
        return create_app(settings_for(engine, PUBLIC_URL=url))

    with serve(app_for) as url:
        yield url


def w3c(value: str) -> datetime:
    """A date/time of the spec: ISO 8601 with its offset."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, value
    return parsed


def check_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    errors = response.json()
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) >= {"code", "description"}
        assert int(error["code"]) == status


def check_request(item: dict[str, Any]) -> None:
    assert set(item) >= REQUEST_FIELDS
    assert item["status"] in ("open", "closed")
    w3c(item["requested_datetime"])
    if item["updated_datetime"] is not None:
        w3c(item["updated_datetime"])


def test_a_client_following_the_specification(root: str) -> None:
    with httpx.Client(base_url=root, timeout=30) as http:
        # 1. Discovery tells where the GeoReport v2 endpoint is and which formats it speaks.
        discovery = http.get("/open311/v2/discovery.json")
        assert discovery.status_code == 200
        endpoints = [
            e
            for e in discovery.json()["endpoints"]
            if e["specification"] == "http://wiki.open311.org/GeoReport_v2"
        ]
        assert endpoints
        endpoint = endpoints[0]
        assert "application/json" in endpoint["formats"]
        base = endpoint["url"].rstrip("/")

        # 2. The list of services.
        services = http.get(f"{base}/services.json").json()
        assert services
        for service in services:
            assert set(service) >= SERVICE_FIELDS
            assert service["type"] in SERVICE_TYPES
            assert isinstance(service["metadata"], bool)
        code = services[0]["service_code"]
        other = services[1]["service_code"]

        # 3. A service definition (asked for every service that has metadata).
        for service in services:
            if service["metadata"]:
                definition = http.get(f"{base}/services/{service['service_code']}.json").json()
                assert definition["service_code"] == service["service_code"]
                assert isinstance(definition["attributes"], list)
        check_error(http.get(f"{base}/services/no-such-service.json"), 404)

        # 4. Post requests, form-encoded as the specification shows.
        posted = http.post(
            f"{base}/requests.json",
            data={
                "api_key": OPEN311_KEY,
                "service_code": code,
                "lat": LAT,
                "long": LONG,
                "description": "Streetlight out in front of number 12",
                "email": "resident@example.org",
                "first_name": "Alex",
                "last_name": "Doe",
                "phone": "+33612345678",
            },
        )
        assert posted.status_code in (200, 201), posted.text
        [created] = posted.json()
        assert "service_request_id" in created or "token" in created
        first = created["service_request_id"]
        assert "service_notice" in created and "account_id" in created

        posted = http.post(
            f"{base}/requests.json",
            data={
                "api_key": OPEN311_KEY,
                "service_code": other,
                "address_string": "3 rue Victor Hugo",
                "description": "Hole in the road",
            },
        )
        assert posted.status_code in (200, 201), posted.text
        second = posted.json()[0]["service_request_id"]
        assert second != first

        # Posting without an API key is refused with the spec's error format.
        check_error(
            http.post(
                f"{base}/requests.json", data={"service_code": code, "lat": LAT, "long": LONG}
            ),
            403,
        )

        # 5. List requests with filters.
        listed = http.get(f"{base}/requests.json").json()
        assert {first, second} <= {r["service_request_id"] for r in listed}
        for item in listed:
            check_request(item)
        only = http.get(f"{base}/requests.json", params={"service_code": other}).json()
        assert [r["service_request_id"] for r in only] == [second]
        opened = http.get(f"{base}/requests.json", params={"status": "open"}).json()
        assert {first, second} <= {r["service_request_id"] for r in opened}
        assert http.get(f"{base}/requests.json", params={"status": "closed"}).json() == []
        now = w3c(listed[0]["requested_datetime"])
        window = {
            "start_date": (now - timedelta(minutes=5)).isoformat(),
            "end_date": (now + timedelta(minutes=5)).isoformat(),
        }
        within = http.get(f"{base}/requests.json", params=window).json()
        assert {first, second} <= {r["service_request_id"] for r in within}
        by_id = http.get(
            f"{base}/requests.json", params={"service_request_id": f"{first},{second}"}
        ).json()
        assert {r["service_request_id"] for r in by_id} == {first, second}

        # 6. One request.
        [one] = http.get(f"{base}/requests/{first}.json").json()
        check_request(one)
        assert one["service_request_id"] == first
        assert one["service_code"] == code
        assert one["status"] == "open"
        assert float(one["lat"]) == pytest.approx(float(LAT))
        assert float(one["long"]) == pytest.approx(float(LONG))
        check_error(http.get(f"{base}/requests/000000.json"), 404)
