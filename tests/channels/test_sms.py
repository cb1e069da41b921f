from __future__ import annotations

import pytest

from bot.gsm import is_gsm, segments
from channels.rest import Button, OutgoingMessage
from channels.sms import (
    CHANNEL,
    MAX_SEGMENTS,
    Media,
    SmsRequestError,
    choose,
    is_opt_in,
    is_opt_out,
    parse,
    render,
    signature_valid,
)
from tests.helpers.fake_twilio import inbound_params, sign

TOKEN = "0123456789abcdef0123456789abcdef"
URL = "https://guichet.clairval.fr/webhooks/twilio/sms"
RESIDENT = "+33639980001"


def test_channel_name() -> None:
    assert CHANNEL == "sms"


def test_a_signature_made_by_twilio_is_valid() -> None:
    params = inbound_params(RESIDENT, "Bonjour, la mairie est ouverte ?")
    assert signature_valid(TOKEN, URL, params, sign(TOKEN, URL, params))


@pytest.mark.parametrize(
    "change",
    ["forged", "tampered_body", "added_field", "wrong_url", "other_token", "missing", "empty"],
)
def test_a_request_not_signed_by_twilio_is_refused(change: str) -> None:
    params = inbound_params(RESIDENT, "Bonjour")
    signature: str | None = sign(TOKEN, URL, params)
    url = URL
    if change == "forged":
        signature = "bm90IGEgcmVhbCBzaWduYXR1cmUgYXQgYWxsIQ=="
    elif change == "tampered_body":
        params = {**params, "Body": "STOP"}
    elif change == "added_field":
        params = {**params, "MediaUrl0": "https://evil.example/x.jpg", "NumMedia": "1"}
    elif change == "wrong_url":
        url = "https://guichet.clairval.fr/webhooks/twilio/sms?x=1"
    elif change == "other_token":
        signature = sign("f" * 32, URL, params)
    elif change == "missing":
        signature = None
    else:
        signature = ""
    assert not signature_valid(TOKEN, url, params, signature)


def test_an_empty_token_never_validates() -> None:
    params = inbound_params(RESIDENT, "Bonjour")
    assert not signature_valid("", URL, params, sign("", URL, params))


def test_parse_a_text_message() -> None:
    params = inbound_params(RESIDENT, "  Bonjour\x00\x07 la mairie\r\nà quelle heure ?  ")
    inbound = parse(params)
    assert inbound.message_sid == params["MessageSid"]
    assert inbound.message_sid.startswith("SM")
    assert inbound.sender == RESIDENT
    assert inbound.text == "Bonjour la mairie\nà quelle heure ?"
    assert inbound.media == ()


def test_parse_a_photo_without_text() -> None:
    urls = ["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"]
    inbound = parse(inbound_params(RESIDENT, "", media_urls=urls, media_types=["IMAGE/JPEG"]))
    assert inbound.text == ""
    assert inbound.message_sid.startswith("MM")
    assert inbound.media == (Media(urls[0], "image/jpeg"),)


def test_parse_does_not_limit_length() -> None:
    assert len(parse(inbound_params(RESIDENT, "x" * 5000)).text) == 5000


@pytest.mark.parametrize(
    ("num_media", "expected"),
    [("abc", 0), ("-1", 0), ("", 0), ("2", 2), ("3", 2), ("11", 2)],
)
def test_bad_media_counts_are_ignored_safely(num_media: str, expected: int) -> None:
    params = inbound_params(RESIDENT, "Photo", media_urls=["https://a/1", "https://a/2"])
    params["NumMedia"] = num_media
    assert len(parse(params).media) == expected


def test_media_without_a_web_url_are_dropped() -> None:
    params = inbound_params(RESIDENT, "Photo", media_urls=["file:///etc/passwd", "https://a/2"])
    params.pop("MediaContentType1")
    assert parse(params).media == (Media("https://a/2", "application/octet-stream"),)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("MessageSid", None, "missing_message_sid"),
        ("MessageSid", "  ", "missing_message_sid"),
        ("MessageSid", "SM\n1", "invalid_message_sid"),
        ("From", None, "missing_sender"),
        ("From", "", "missing_sender"),
        ("From", "+33" + "6" * 80, "invalid_sender"),
    ],
)
def test_parse_requires_a_message_sid_and_a_sender(
    field: str, value: str | None, code: str
) -> None:
    params = inbound_params(RESIDENT, "Bonjour")
    if value is None:
        del params[field]
    else:
        params[field] = value
    with pytest.raises(SmsRequestError) as caught:
        parse(params)
    assert caught.value.status == 400
    assert caught.value.code == code
    assert f"« {field} »" in caught.value.message.replace("\u00a0", " ")


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOP !",
        "ARRET",
        "arrêt",
        "Arrêt !!",
        "stop merci",
        "STOP  SMS",
        "STOPALL",
        "unsubscribe",
        "DESABONNER",
        "désabonner",
        "Cancel",
        "END",
        "quit",
    ],
)
def test_opt_out_words(text: str) -> None:
    assert is_opt_out(text)
    assert not is_opt_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "stop à la pollution rue des Lilas",
        "stoppez le bruit",
        "il faut arrêter les travaux",
        "end of story",
        "STOP STOP",
        "",
        "pas stop",
    ],
)
def test_not_opt_out(text: str) -> None:
    assert not is_opt_out(text)


@pytest.mark.parametrize("text", ["START", "start", "Unstop", "start merci", "START SMS."])
def test_opt_in_words(text: str) -> None:
    assert is_opt_in(text)
    assert not is_opt_out(text)


@pytest.mark.parametrize("text", ["starter", "start la réservation", "oui", "yes"])
def test_not_opt_in(text: str) -> None:
    assert not is_opt_in(text)


def buttons(*titles: str) -> list[Button]:
    return [Button(title=t, payload=f"/choice{{{i}}}") for i, t in enumerate(titles, 1)]


def test_render_joins_texts_and_numbers_the_last_buttons() -> None:
    replies: list[OutgoingMessage] = [
        {"recipient_id": "x", "text": "Bonjour\u00a0!", "buttons": buttons("Ignoré")},
        {"recipient_id": "x", "text": "Que souhaitez-vous faire\u202f?"},
        {
            "recipient_id": "x",
            "text": "Choisissez :",
            "buttons": buttons("Salle", "Gymnase", "Matériel"),
        },
    ]
    assert render(replies) == [
        "Bonjour !\n\nQue souhaitez-vous faire ?\n\nChoisissez :\n\n"
        "Répondez 1, 2 ou 3 :\n1. Salle\n2. Gymnase\n3. Matériel"
    ]


@pytest.mark.parametrize(
    ("count", "line"),
    [(1, "Répondez 1 :"), (2, "Répondez 1 ou 2 :"), (4, "Répondez 1, 2, 3 ou 4 :")],
)
def test_the_choices_line_is_french(count: int, line: str) -> None:
    reply: OutgoingMessage = {"text": "Quel jour ?", "buttons": buttons(*["Jour"] * count)}
    lines = render([reply])[0].split("\n")
    assert line in lines
    assert lines[-1] == f"{count}. Jour"


def test_at_most_nine_choices() -> None:
    reply: OutgoingMessage = {"text": "Quel créneau ?", "buttons": buttons(*map(str, range(12)))}
    body = "\n".join(render([reply]))
    assert "Répondez 1, 2, 3, 4, 5, 6, 7, 8 ou 9 :" in body
    assert "9. 8" in body
    assert "10." not in body


def test_render_images_and_gsm_folding() -> None:
    replies: list[OutgoingMessage] = [
        {"text": "Voici le plan de l’hôtel de ville « côté parc »", "image": "https://x.fr/p.png"},
    ]
    assert render(replies) == ['Voici le plan de l\'hotel de ville "coté parc"\nhttps://x.fr/p.png']


def test_render_nothing_to_say() -> None:
    assert render([]) == []
    assert render([{"recipient_id": "x"}, {"text": "  "}]) == []


def test_render_splits_long_turns_within_the_segment_limit() -> None:
    text = "La salle des fêtes accueille 120 personnes. " * 30
    bodies = render([{"text": text, "buttons": buttons("Oui", "Non")}])
    assert len(bodies) > 1
    assert all(b and segments(b) <= MAX_SEGMENTS and is_gsm(b) for b in bodies)
    assert bodies[-1].endswith("Répondez 1 ou 2 :\n1. Oui\n2. Non")


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("2", "/choice{2}"),
        (" 2 ", "/choice{2}"),
        ("2.", "/choice{2}"),
        ("2)", "/choice{2}"),
        ("n°2", "/choice{2}"),
        ("N° 3", "/choice{3}"),
        ("choix 2", "/choice{2}"),
        ("Choix 1", "/choice{1}"),
        ("1", "/choice{1}"),
        ("0", None),
        ("4", None),
        ("-1", None),
        ("2 personnes", None),
        ("le 2", None),
        ("2 ou 3", None),
        ("deux", None),
        ("", None),
    ],
)
def test_choose(text: str, payload: str | None) -> None:
    assert choose(text, buttons("Salle", "Gymnase", "Matériel")) == payload


def test_choose_only_among_the_nine_shown() -> None:
    many = buttons(*map(str, range(12)))
    assert choose("9", many) == "/choice{9}"
    assert choose("10", many) is None
    assert choose("1", []) is None
