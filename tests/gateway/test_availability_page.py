"""The public availability page: French, accessible, no personal data, works under the CSP."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from bot.settings import ROOT, load_settings
from calendar_store import wording
from gateway.app import create_app
from tests.helpers.bookings import at, booking, requester, serve_in_thread, today, whole_day

COMMUNE = ROOT / "communes" / "clairval.yml"


class Page(HTMLParser):
    """The page's tables by resource: caption and rows of (day, cells...)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, Any]] = {}
        self.headings: list[str] = []
        self.scopes: list[str | None] = []
        self._section: str | None = None
        self._text: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self._section = attributes.get("aria-labelledby")
            assert self._section is not None
            self.tables[self._section] = {"caption": "", "rows": []}
        if tag == "th":
            self.scopes.append(attributes.get("scope"))
        if tag in ("h1", "h2", "caption", "th", "td", "p"):
            self._text = []
        if tag == "tr":
            self._row = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "caption", "th", "td", "p") and self._text is not None:
            content = " ".join("".join(self._text).split())
            self._text = None
            if tag in ("h1", "h2"):
                self.headings.append(content)
            elif tag == "caption" and self._section:
                self.tables[self._section]["caption"] = content
            elif tag == "p" and self._section and content.startswith("Tarifs"):
                self.tables[self._section]["prices"] = content
            elif tag in ("th", "td"):
                self._row.append(content)
        if tag == "tr" and self._section and self._row and self._row[0] != "Jour":
            self.tables[self._section]["rows"].append(self._row)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html.replace("\u00a0", " ").replace("\u202f", " "))
    return page


def serve(engine: Engine, commune: Path) -> Any:
    url = engine.url.render_as_string(hide_password=False)
    settings = load_settings({"DATABASE_URL": url, "COMMUNE_FILE": str(commune)})
    return serve_in_thread(create_app(settings))


@pytest.fixture
def site(engine: Engine) -> Iterator[httpx.Client]:
    with serve(engine, COMMUNE) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def row(page: Page, slug: str, day: date) -> list[str]:
    label = wording.day(day)
    rows: list[list[str]] = [r for r in page.tables[slug]["rows"] if r[0] == label]
    assert rows, (slug, label, page.tables[slug]["rows"])
    return rows[0]


def test_the_page_is_french_accessible_and_self_contained(site: httpx.Client) -> None:
    response = site.get("/disponibilites")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert '<html lang="fr">' in html
    assert "<script" not in html  # nothing the CSP would block, nothing to run
    assert "style=" not in html
    assert "http://" not in html and "https://" not in html  # no CDN
    page = parse(html)
    assert page.headings[0] == "Disponibilités des salles et du matériel"
    assert "Salle des fêtes" in page.headings
    assert "Chaises" in page.headings
    assert len(page.tables) == 8
    first, last = today(), today() + timedelta(days=13)
    for table in page.tables.values():
        assert "disponibilités du" in table["caption"]
        assert len(table["rows"]) == 14
        assert table["rows"][0][0] == wording.day(first)
        assert table["rows"][-1][0] == wording.day(last)
    assert set(page.scopes) == {"col", "row"}
    assert site.get("/static/disponibilites.css").status_code == 200


def test_prices_in_french(site: httpx.Client) -> None:
    tables = parse(site.get("/disponibilites").text).tables
    assert tables["salle-des-fetes"]["prices"] == (
        "Tarifs : 250 € par journée pour les habitants, 450 € par journée pour les "
        "personnes extérieures à la commune, gratuit pour les associations."
    )
    assert tables["salle-des-associations"]["prices"] == (
        "Tarifs : 15 € par heure pour les habitants et les personnes extérieures à la "
        "commune, gratuit pour les associations."
    )
    assert tables["gymnase"]["prices"] == "Tarifs : Gratuit pour les associations."


def test_bookings_show_as_taken_without_personal_data(site: httpx.Client) -> None:
    chairs_day = today() + timedelta(days=5)
    hall_day = today() + timedelta(days=6)
    room_day = today() + timedelta(days=3)
    who = requester(name="Zébulon Secret", phone="0611223344", email="zebulon@exemple.fr")
    for body in (
        booking("chaises", *whole_day(chairs_day), quantity=12, requester=who),
        booking("sonorisation", *whole_day(chairs_day), requester=who),
        booking("salle-des-fetes", *whole_day(hall_day), requester=who),
        booking(
            "salle-des-associations",
            at(room_day, 14).isoformat(),
            at(room_day, 17).isoformat(),
            requester=who,
        ),
    ):
        assert site.post("/api/bookings", json=body).status_code == 201
    html = site.get("/disponibilites").text
    for secret in ("Zébulon", "Secret", "611223344", "zebulon", "SDF-", "CHA-"):
        assert secret not in html
    page = parse(html)
    assert row(page, "chaises", chairs_day)[1] == "188 chaises disponibles"
    assert row(page, "chaises", chairs_day + timedelta(days=1))[1] == "200 chaises disponibles"
    assert row(page, "sonorisation", chairs_day)[1] == "Tout est réservé"
    assert row(page, "salle-des-fetes", hall_day)[1:] == ["Complet", "Réservé"]
    assert row(page, "salle-des-associations", room_day)[1:] == [
        "8 h – 14 h, 17 h – 23 h",
        "14 h – 17 h",
    ]
    assert row(page, "salle-des-fetes", today())[1] == "Délai de réservation dépassé"


def test_closed_days_and_fixed_slots(site: httpx.Client) -> None:
    page = parse(site.get("/disponibilites").text)
    for number in range(3, 14):
        day = today() + timedelta(days=number)
        cells = row(page, "rdv-titres", day)
        if day.weekday() in (1, 3):  # Tuesday, Thursday
            assert cells[1] == "9 h – 11 h 40, 14 h – 16 h 40"
        else:
            assert cells[1] == "Fermé"


def test_paging_forward_with_semaine(site: httpx.Client) -> None:
    first = today() + timedelta(days=30)
    response = site.get("/disponibilites", params={"semaine": first.isoformat()})
    assert response.status_code == 200
    assert f"/disponibilites?semaine={(first + timedelta(days=14)).isoformat()}" in response.text
    assert f"/disponibilites?semaine={(first - timedelta(days=14)).isoformat()}" in response.text
    rows = parse(response.text).tables["gymnase"]["rows"]
    assert rows[0][0] == wording.day(first)
    # Before today shows today; far ahead stops at what may be booked.
    past = site.get("/disponibilites", params={"semaine": "2001-01-01"})
    assert parse(past.text).tables["gymnase"]["rows"][0][0] == wording.day(today())
    far = site.get("/disponibilites", params={"semaine": "2999-01-01"})
    assert far.status_code == 200
    assert 'rel="next"' not in far.text


def test_a_bad_semaine_is_a_json_400(site: httpx.Client) -> None:
    response = site.get("/disponibilites", params={"semaine": "la semaine prochaine"})
    assert response.status_code == 400
    assert response.json()["reason"] == "invalid_date"


def test_commune_text_is_escaped(engine: Engine, tmp_path: Path) -> None:
    commune = tmp_path / "commune.yml"
    shutil.copy(COMMUNE, commune)
    source = commune.read_text(encoding="utf-8")
    assert "nom: les barnums\n" in source
    commune.write_text(
        source.replace("nom: les barnums\n", 'nom: "les barnums <b>géants</b>"\n'),
        encoding="utf-8",
    )
    with serve(engine, commune) as url:
        html = httpx.get(f"{url}/disponibilites", timeout=30).text
    assert "<b>géants</b>" not in html
    assert "&lt;b&gt;géants&lt;/b&gt;" in html
