"""Residents' questions through the real gateway, Rasa (trained model) and action server."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.handoff import Handoffs
from bot.models import Conversation, Message
from bot.stack import Stack
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("bonjour", "assistant de la mairie de Clairval"),
        ("merci beaucoup pour l'info", "Avec plaisir"),
        ("au revoir, bonne soirée", "Au revoir"),
        ("la mairie ouvre a quelle heure ?", "du lundi au vendredi de 8h30 à 12h"),
        ("vous etes ouverts le samedi matin ?", "le samedi, la mairie est ouverte de 9h à 12h"),
        ("c'est ouvert entre midi et deux ?", "ferme à l\u2019heure du déjeuner"),
        ("elle ouvre quand la dechetterie", "rue des Sablons"),
        ("je dois jeter un vieux canapé, comment faire ?", "premier mardi de chaque mois"),
        ("je voudrais construire un abri de jardin", "service urbanisme"),
        ("comment refaire mon passeport ?", "pré-demande ANTS"),
        ("combien coute un passeport pour un adulte", "86 €"),
        ("je voudrais un acte de naissance", "service-public.fr"),
        ("comment je m'inscris sur les listes electorales", "justificatif de domicile"),
        ("je veux faire ma carte grise", "ANTS"),
        ("c quoi le numero de tel de la mairie", "01 99 00 12 34"),
        ("quel temps fait-il demain ?", "je ne peux pas vous aider sur ce sujet"),
    ],
)
def test_residents_get_the_commune_answer(
    gateway: httpx.Client, question: str, expected: str
) -> None:
    replies = say(gateway, sender(), question)
    assert expected.lower() in text_of(replies).lower()


def test_asking_for_a_person_hands_the_conversation_to_the_agents(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    resident = sender()
    text = text_of(say(gateway, resident, "je veux parler à un agent"))
    assert "agent de l’accueil" in text and "01 99 00 12 34" in text
    assert Handoffs(stack_engine).active(f"web:{resident}")
    # From then on the assistant is silent: the message waits for an agent in the console.
    assert say(gateway, resident, "Quels sont les horaires de la mairie ?") == []
    waiting = {w.conversation_id: w for w in Handoffs(stack_engine).waiting()}
    assert waiting[f"web:{resident}"].last_text == "Quels sont les horaires de la mairie ?"


def test_a_button_payload_is_understood(gateway: httpx.Client) -> None:
    assert "du lundi au vendredi" in text_of(say(gateway, sender(), "/ask_hours"))


def test_two_misunderstandings_in_a_row_hand_over_to_a_person(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    resident = sender()
    first = say(gateway, resident, "/nlu_fallback")
    assert "reformuler" in text_of(first)
    buttons = [b for r in first for b in r.get("buttons", [])]
    assert {"title": "Horaires de la mairie", "payload": "/ask_hours"} in buttons
    # Understood in between: the count starts over, so the next miss asks to rephrase again.
    say(gateway, resident, "/ask_hours")
    assert "reformuler" in text_of(say(gateway, resident, "/nlu_fallback"))
    second = say(gateway, resident, "/nlu_fallback")
    assert "agent de l’accueil" in text_of(second)
    handoff = Handoffs(stack_engine).state(f"web:{resident}")
    assert handoff is not None and (handoff.state, handoff.reason) == ("waiting", "misunderstood")


def test_gibberish_is_not_answered_as_a_question(gateway: httpx.Client) -> None:
    text = text_of(say(gateway, sender(), "zqxj wvpk bnrt"))
    assert "reformuler" in text or "je ne peux pas vous aider" in text


def test_every_message_is_stored_with_conversation_channel_and_time(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    resident = sender()
    replies = say(gateway, resident, "bonjour", metadata={"page": "/"})
    assert replies[0]["recipient_id"] == resident
    with Session(stack_engine) as session:
        conversation = session.get(Conversation, f"web:{resident}")
        assert conversation is not None
        assert (conversation.channel, conversation.external_id) == ("web", resident)
        messages = session.scalars(
            select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
        ).all()
    assert [(m.direction, m.author) for m in messages] == [("in", "resident"), ("out", "assistant")]
    assert messages[0].text == "bonjour"
    assert messages[0].payload == {"metadata": {"page": "/"}}
    assert messages[1].text == replies[0]["text"]
    assert messages[0].created_at <= messages[1].created_at


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (
            b'{"sender": "x", "message": ""}',
            {"content-type": "application/json"},
            422,
            "empty_message",
        ),
        (
            b'{"sender": "x", "message": "' + b"a" * 20_000 + b'"}',
            {"content-type": "application/json"},
            413,
            "message_too_long",
        ),
        (
            b'{"sender": "x", "message": "\xc3\x28"}',
            {"content-type": "application/json"},
            400,
            "invalid_utf8",
        ),
        (
            b'{"sender": "x", "message": "bonjour"',
            {"content-type": "application/json"},
            400,
            "invalid_json",
        ),
        (b'{"message": "bonjour"}', {"content-type": "application/json"}, 422, "missing_sender"),
        (
            b'{"sender": "x", "message": "bonjour"}',
            {"content-type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
        (b"x" * 70_000, {"content-type": "application/json"}, 413, "body_too_large"),
    ],
)
def test_bad_input_gets_a_json_4xx_and_the_conversation_goes_on(
    gateway: httpx.Client, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    response = gateway.post("/webhooks/rest/webhook", content=content, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["reason"] == code
    assert response.json()["error"]  # the French sentence
    assert "01 99 00 12 34" in text_of(say(gateway, "x", "numéro de téléphone de la mairie"))


def test_unknown_paths_and_methods_answer_json(gateway: httpx.Client) -> None:
    assert gateway.get("/nulle-part").json()["reason"] == "http_404"
    wrong = gateway.get("/webhooks/rest/webhook")
    assert wrong.status_code == 405
    assert wrong.json()["reason"] == "http_405"
    assert wrong.headers["allow"] == "POST"


def test_health_names_every_part(gateway: httpx.Client) -> None:
    response = gateway.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "parts": {"gateway": "ok", "database": "ok", "rasa": "ok", "actions": "ok"},
    }


def test_editing_an_answer_needs_no_retraining_nor_restart(
    gateway: httpx.Client, stack: Stack
) -> None:
    path = stack.config.commune_file
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("01 99 00 12 34", "01 99 00 98 76"), encoding="utf-8")
        assert "01 99 00 98 76" in text_of(say(gateway, sender(), "/ask_contact"))
    finally:
        path.write_text(original, encoding="utf-8")
    assert "01 99 00 12 34" in text_of(say(gateway, sender(), "/ask_contact"))


def test_the_chat_page_is_french_accessible_and_self_contained(gateway: httpx.Client) -> None:
    page = gateway.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="fr">' in html
    assert 'role="log"' in html
    assert 'aria-live="polite"' in html
    assert '<label for="message"' in html
    assert "http://" not in html and "https://" not in html  # no external CDN
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/chat.js", "/static/chat.css"):
        assert asset in html
        assert gateway.get(asset).status_code == 200
    css = gateway.get("/static/chat.css").text
    script = gateway.get("/static/chat.js").text
    assert "url(http" not in css and "@import" not in css
    assert "import " not in script and 'createElement("script")' not in script
