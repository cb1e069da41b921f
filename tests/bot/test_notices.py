"""The notification templates: every kind on every channel, errors named, the folder checked."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.commune import Commune, load_commune
from bot.dates import say_date
from bot.gsm import segments, to_gsm
from bot.notice_check import SMS_SEGMENTS, check, sample_payload
from bot.notices import (
    CHANNELS,
    KINDS,
    Attachment,
    NoticeError,
    Notices,
    booking_invitation,
    say_period,
)
from bot.outbox import queue_booking_notice
from bot.reports import ReportStore, Status, commune_notices
from bot.settings import ROOT
from bot.typography import NBSP
from calendar_store.spec import Booking, Unit
from calendar_store.store import Store
from tests.helpers.calendar import PARIS, Clock, at, request
from tests.helpers.reports import draft, reporter

FOLDER = ROOT / "communes" / "notifications"
CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
URL = "https://guichet.clairval.example"
BOOKINGS = [kind for kind in KINDS if kind.startswith("booking_")]
TUESDAY = date(2026, 3, 10)


def notices(folder: Path = FOLDER, commune: Commune = CLAIRVAL) -> Notices:
    return Notices(folder, lambda: commune, URL)


def everything(kind: str, channel: str, payload: dict[str, Any]) -> str:
    """All a resident reads of one notice: subject, text and HTML."""
    rendered = notices().render(kind, channel, payload)
    return "\n".join(filter(None, (rendered.subject, rendered.text, rendered.html)))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped templates, to break."""
    return Path(shutil.copytree(FOLDER, tmp_path / "notifications"))


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_on_every_channel(kind: str, channel: str) -> None:
    rendered = notices().render(kind, channel, sample_payload(kind, CLAIRVAL))
    assert rendered.text == rendered.text.strip() != ""
    assert "{{" not in rendered.text
    assert "'" not in rendered.text  # typographic apostrophes only
    if channel == "sms":
        assert rendered.text.startswith(f"Mairie de Clairval{NBSP}: ")
        assert segments(to_gsm(rendered.text)) <= SMS_SEGMENTS
    if channel == "email":
        assert rendered.subject is not None and "\n" not in rendered.subject
        assert rendered.html is not None and rendered.html.startswith("<!DOCTYPE html>")
        assert '<html lang="fr">' in rendered.html
    else:
        assert rendered.subject is None and rendered.html is None


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", BOOKINGS)
def test_bookings_say_what_when_and_the_reference(kind: str, channel: str) -> None:
    payload = sample_payload(kind, CLAIRVAL)
    start = datetime.fromisoformat(payload["start"]).astimezone(PARIS)
    said = everything(kind, channel, payload)
    assert "salle des fêtes" in said
    assert say_date(start) in said  # "lundi 28 septembre 2026"
    assert payload["reference"] in said


@pytest.mark.parametrize("channel", CHANNELS)
def test_hours_are_said_in_the_communes_local_time(channel: str) -> None:
    payload = sample_payload("booking_confirmed", CLAIRVAL, "salle-des-associations")
    payload["start"] = datetime(2026, 12, 12, 13, tzinfo=UTC).isoformat()  # 14 h in Paris
    payload["end"] = datetime(2026, 12, 12, 17, tzinfo=UTC).isoformat()
    said = everything("booking_confirmed", channel, payload)
    assert f"samedi 12 décembre 2026 de 14{NBSP}h à 18{NBSP}h" in said


def test_periods_in_full_french() -> None:
    start = datetime(2026, 12, 1, 8, 20, tzinfo=UTC)
    assert (
        say_period(Unit.SLOT, start, start, PARIS) == f"mardi 1er décembre 2026 à 9{NBSP}h{NBSP}20"
    )
    evening = datetime(2026, 12, 12, 19, tzinfo=UTC)
    midnight = datetime(2026, 12, 12, 23, tzinfo=UTC)
    assert say_period(Unit.HOUR, evening, midnight, PARIS).endswith(f"de 20{NBSP}h à minuit")
    two_days = (at(TUESDAY), at(date(2026, 3, 12)))
    assert (
        say_period(Unit.DAY, *two_days, PARIS) == "du mardi 10 mars 2026 au mercredi 11 mars 2026"
    )
    # A resource gone from the commune file: whole days are still recognised.
    assert say_period(None, *two_days, PARIS).startswith("du mardi 10 mars 2026")


def test_equipment_says_how_many() -> None:
    payload = sample_payload("booking_confirmed", CLAIRVAL, "chaises")
    assert payload["quantity"] == 200
    assert "(200 chaises, du " in notices().render("booking_confirmed", "sms", payload).text


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_fixed_report_says_what_where_and_what_was_done(channel: str) -> None:
    said = everything("report_resolved", channel, sample_payload("report_resolved", CLAIRVAL))
    assert "le lampadaire signalé avenue des Tilleuls a été réparé" in said
    assert "SIG-4F7P" in said


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_rejected_report_gives_the_reason(channel: str) -> None:
    said = everything("report_rejected", channel, sample_payload("report_rejected", CLAIRVAL))
    assert "n’a pas pu être retenu" in said
    assert "appartient au département" in said


def test_a_long_reason_is_cut_for_sms_only() -> None:
    payload = sample_payload("report_rejected", CLAIRVAL)
    payload["raison"] = "le service des routes du département est compétent. " * 40
    sms = notices().render("report_rejected", "sms", payload).text
    assert segments(to_gsm(sms)) <= SMS_SEGMENTS
    assert sms.endswith("…")
    assert len(notices().render("report_rejected", "telegram", payload).text) > 2000


@pytest.mark.parametrize("channel", ["sms", "telegram"])
def test_reminders_say_how_to_cancel_in_the_conversation(channel: str) -> None:
    said = notices().render(
        "booking_reminder", channel, sample_payload("booking_reminder", CLAIRVAL)
    )
    assert f"«{NBSP}annuler ma réservation SDF-7KQ2{NBSP}»" in said.text


def test_reminder_e_mails_give_the_web_chat_address() -> None:
    said = notices().render(
        "booking_reminder", "email", sample_payload("booking_reminder", CLAIRVAL)
    )
    for part in (said.text, said.html or ""):
        assert f"{URL}/" in part
        assert f"«{NBSP}annuler ma réservation SDF-7KQ2{NBSP}»" in part
        assert "01 99 00 12 34" in part


def test_a_name_cannot_inject_html() -> None:
    payload = sample_payload("booking_confirmed", CLAIRVAL)
    payload["name"] = "<script>alert(1)</script> & fils"
    rendered = notices().render("booking_confirmed", "email", payload)
    assert rendered.html is not None
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; fils" in rendered.html
    assert "Bonjour <script>alert(1)</script> & fils," in rendered.text  # plain text stays plain


def test_html_gets_french_typography_outside_its_tags() -> None:
    html = (
        notices()
        .render("booking_confirmed", "email", sample_payload("booking_confirmed", CLAIRVAL))
        .html
    )
    assert html is not None
    assert f"Téléphone{NBSP}: 01 99 00 12 34" in html
    assert 'style="margin:0;padding:0;' in html  # CSS left as written
    assert "d’élèves" in html


def test_attachments_go_with_e_mails() -> None:
    ics = Attachment("SDF-7KQ2.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR")
    payload = sample_payload("booking_confirmed", CLAIRVAL)
    rendered = notices().render("booking_confirmed", "email", payload, [ics])
    assert rendered.attachments == (ics,)
    assert "Le fichier joint SDF-7KQ2.ics l’ajoute à votre agenda." in rendered.text
    without = notices().render("booking_confirmed", "email", payload)
    assert f"{URL}/api/bookings/SDF-7KQ2.ics" in without.text


def test_unknown_kind_or_channel() -> None:
    payload = sample_payload("booking_confirmed", CLAIRVAL)
    with pytest.raises(NoticeError, match="type de notification inconnu : « booking_lost »"):
        notices().render("booking_lost", "sms", payload)
    with pytest.raises(NoticeError, match="canal inconnu : « fax »"):
        notices().render("booking_confirmed", "fax", payload)


def test_a_missing_payload_value_is_an_error_not_a_blank() -> None:
    payload = sample_payload("report_rejected", CLAIRVAL)
    del payload["raison"]
    with pytest.raises(
        NoticeError, match=r"report_rejected/sms\.j2, ligne 1 : valeur inconnue « raison »"
    ):
        notices().render("report_rejected", "sms", payload)
    del payload["reference"]
    with pytest.raises(NoticeError, match="n’indique pas « reference »"):
        notices().render("report_rejected", "sms", payload)


def test_a_misspelt_variable_names_the_file_and_line(folder: Path) -> None:
    template = folder / "booking_confirmed" / "telegram.j2"
    template.write_text("Bonjour,\nvotre réservation {{ referense }}.\n", encoding="utf-8")
    with pytest.raises(NoticeError) as caught:
        notices(folder).render(
            "booking_confirmed", "telegram", sample_payload("booking_confirmed", CLAIRVAL)
        )
    message = str(caught.value)
    assert message.startswith(
        "booking_confirmed/telegram.j2, ligne 2 : valeur inconnue « referense »"
    )
    assert "reference" in message.split("valeurs disponibles")[1]


def test_a_syntax_error_names_the_file_and_line(folder: Path) -> None:
    (folder / "_layout.html.j2").write_text("<p>\n{% if nom %}\n{{ nom }}</p>\n", encoding="utf-8")
    with pytest.raises(NoticeError, match=r"^_layout\.html\.j2, ligne 3 : erreur de syntaxe"):
        notices(folder).render(
            "report_resolved", "email", sample_payload("report_resolved", CLAIRVAL)
        )


def test_a_missing_file_is_named(folder: Path) -> None:
    (folder / "report_resolved" / "sms.j2").unlink()
    with pytest.raises(NoticeError, match=r"^report_resolved/sms\.j2 : fichier introuvable"):
        notices(folder).render(
            "report_resolved", "sms", sample_payload("report_resolved", CLAIRVAL)
        )


def test_an_edited_template_is_read_again(folder: Path) -> None:
    template = folder / "report_resolved" / "sms.j2"
    payload = sample_payload("report_resolved", CLAIRVAL)
    shown = notices(folder)
    assert "réparé" in shown.render("report_resolved", "sms", payload).text
    template.write_text("Mairie de {{ commune }} : c'est {{ fait }} !", encoding="utf-8")
    later = template.stat().st_mtime + 5  # a change the file's clock sees, however coarse
    os.utime(template, (later, later))
    assert shown.render("report_resolved", "sms", payload).text == (
        f"Mairie de Clairval{NBSP}: c’est réparé\u202f!"
    )


def test_the_shipped_folder_passes_the_check() -> None:
    assert check(FOLDER, CLAIRVAL, URL) == []


def test_the_check_lists_every_problem(folder: Path) -> None:
    (folder / "booking_pending" / "telegram.j2").unlink()
    (folder / "report_resolved" / "email.html.j2").write_text("{% block %}", encoding="utf-8")
    (folder / "booking_cancelled" / "sms.j2").write_text(
        "{{ commune }} {{ quand_ }}", encoding="utf-8"
    )
    (folder / "report_acknowledged" / "sms.j2").write_text(
        "Mairie de {{ commune }} : " + "bla " * 150
    )
    (folder / "booking_confirme").mkdir()
    problems = check(folder, CLAIRVAL, URL)
    assert len(problems) == 5, problems
    said = "\n".join(problems)
    assert "booking_confirme : type de notification inconnu" in said
    assert "booking_pending/telegram.j2 : fichier introuvable" in said
    assert "report_resolved/email.html.j2, ligne 1 : erreur de syntaxe" in said
    assert "booking_cancelled/sms.j2, ligne 1 : valeur inconnue « quand_ »" in said
    assert "report_acknowledged/sms.j2 : 5 SMS pour « eclairage »" in said


def test_the_check_of_a_missing_folder(tmp_path: Path) -> None:
    assert check(tmp_path / "nulle-part", CLAIRVAL, URL) == [
        f"{tmp_path / 'nulle-part'} : dossier des notifications introuvable"
    ]


def payloads(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, payload FROM notifications ORDER BY id"))
        return [{"kind": kind, **_json(payload)} for kind, payload in rows]


def _json(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value)


def test_a_queued_booking_renders_with_its_invitation(engine: Engine) -> None:
    store = Store(engine, CLAIRVAL.resources(), tz=PARIS, clock=Clock())
    store.sync()

    def confirmed(session: Session, booking: Booking) -> None:
        queue_booking_notice(session, booking, "booking_confirmed")

    wanted = request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20))
    booking = store.book(wanted, by="test", after=confirmed)
    [payload] = payloads(engine)
    ics = booking_invitation(store, booking.reference, PARIS, place=CLAIRVAL.place)
    assert ics is not None
    rendered = notices().render(payload.pop("kind"), "email", payload, [ics])
    assert f"mardi 10 mars 2026 de 18{NBSP}h à 20{NBSP}h" in rendered.text
    assert "Bonjour Camille Martin," in rendered.text
    assert rendered.attachments[0].filename == f"{booking.reference}.ics"
    assert rendered.attachments[0].content_type == "text/calendar; method=PUBLISH; charset=utf-8"
    (event,) = Calendar.from_ical(ics.data).walk("VEVENT")
    assert str(event["UID"]) == f"{booking.reference}@guichet"
    assert str(event["LOCATION"]) == "3 rue des Écoles, Clairval"
    assert booking_invitation(store, "SDA-ZZZZ", PARIS) is None
    nowhere: dict[str, str] = {}  # the resource left the commune file: no address, still an .ics
    gone = booking_invitation(store, booking.reference, PARIS, place=nowhere.__getitem__)
    assert gone is not None
    assert str(Calendar.from_ical(gone.data).walk("VEVENT")[0]["LOCATION"]) == ""


def test_queued_report_notices_carry_what_the_templates_say(engine: Engine) -> None:
    reports = ReportStore(
        engine, lambda: CLAIRVAL.data.signalements, notices=commune_notices(lambda: CLAIRVAL)
    )
    report = reports.file(draft(), reporter(), by="bot").report
    reports.change(report.reference, Status.RESOLVED, by="agent")
    reports.reopen(report.reference, by="bot", conversation_id="web:alice")
    reports.change(report.reference, Status.REJECTED, by="agent", comment="hors commune.")
    resolved, rejected = payloads(engine)
    assert resolved["lieu"] == "rue des Lilas" and rejected["raison"] == "hors commune."
    assert "le lampadaire signalé rue des Lilas a été réparé" in resolved["text"]
    for kind, payload in (("report_resolved", resolved), ("report_rejected", rejected)):
        assert payload.pop("kind") == kind
        for channel in CHANNELS:
            said = notices().render(kind, channel, payload).text
            assert report.reference in said
    sms = notices().render("report_rejected", "sms", rejected).text
    assert sms.endswith(
        f"(le lampadaire signalé rue des Lilas) n’a pas pu être retenu{NBSP}: hors commune."
    )


def test_a_report_located_by_its_position_only(engine: Engine) -> None:
    reports = ReportStore(
        engine, lambda: CLAIRVAL.data.signalements, notices=commune_notices(lambda: CLAIRVAL)
    )
    located = draft(street=None, address=None, lat=48.8512, lon=2.3921)
    report = reports.file(located, reporter(), by="bot").report
    reports.change(report.reference, Status.ACKNOWLEDGED, by="agent")
    [payload] = payloads(engine)
    payload.pop("kind")
    said = notices().render("report_acknowledged", "sms", payload).text
    assert said.endswith("vont examiner le lampadaire signalé à l’endroit indiqué.")


def _closed_day_payload(slug: str, start: datetime, end: datetime) -> dict[str, Any]:
    payload = sample_payload("booking_reminder", CLAIRVAL, slug)
    return {**payload, "start": start.isoformat(), "end": end.isoformat()}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_reminder_never_sends_anyone_to_a_closed_day(channel: str) -> None:
    # Booked before the commune closed the day (here: an ID appointment on Ascension 2027).
    ascension = date(2027, 5, 6)
    payload = _closed_day_payload("rdv-titres", at(ascension, 9), at(ascension, 9, 20))
    said = everything("booking_reminder", channel, payload)
    assert "jour férié (Ascension)" in said
    assert "Ne vous déplacez pas" in said
    assert "nous vous rappelons" not in said.lower()
    assert "01 99 00 12 34" in said
    if channel == "sms":
        sms = notices().render("booking_reminder", "sms", payload).text
        assert segments(to_gsm(sms)) <= SMS_SEGMENTS


def test_a_reminder_over_several_days_names_the_closure_inside_them() -> None:
    # Chairs from Thursday to Saturday 2027-05-08: Friday 7 is Clairval's bridge.
    payload = _closed_day_payload("chaises", at(date(2027, 5, 6)), at(date(2027, 5, 9)))
    said = everything("booking_reminder", "telegram", payload)
    assert "fermeture exceptionnelle (pont de l’Ascension)" in said


def test_an_open_day_gets_the_usual_reminder() -> None:
    tuesday = date(2027, 5, 4)
    payload = _closed_day_payload("rdv-titres", at(tuesday, 9), at(tuesday, 9, 20))
    said = everything("booking_reminder", "email", payload)
    assert "Nous vous rappelons votre réservation" in said
    assert "Ne vous déplacez pas" not in said
