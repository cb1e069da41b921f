from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from channels.rest import Button, OutgoingMessage
from channels.telegram import (
    MAX_TEXT,
    PhotoRef,
    TelegramReply,
    button_data,
    parse,
    render,
    resolve_button,
    secret_valid,
    update_id_of,
)
from tests.helpers.fake_telegram import (
    callback_update,
    channel_post_update,
    edited_update,
    location_update,
    message_update,
    photo_update,
    sticker_update,
    text_update,
)

SECRET = "s3cr3t-Token_42"
CHAT = 987654321


@pytest.mark.parametrize(
    ("header", "secret", "valid"),
    [
        (SECRET, SECRET, True),
        ("s3cr3t-Token_43", SECRET, False),
        (SECRET[:-1], SECRET, False),
        (None, SECRET, False),
        ("", SECRET, False),
        ("", "", False),
        (None, "", False),
        ("é€", SECRET, False),
    ],
)
def test_secret_header(header: str | None, secret: str, valid: bool) -> None:
    assert secret_valid(header, secret) is valid


def test_a_text_message() -> None:
    update = text_update(10, CHAT, "Bonjour, à quelle heure ouvre la mairie ?")
    original = copy.deepcopy(update)
    inbound = parse(update)
    assert inbound is not None
    assert (inbound.update_id, inbound.chat_id) == (10, CHAT)
    assert inbound.text == "Bonjour, à quelle heure ouvre la mairie ?"
    assert inbound.first_name == "Camille"
    assert inbound.photo is None and inbound.location is None
    assert inbound.callback_query_id is None and inbound.callback_data is None
    assert update == original  # parsing leaves the caller's JSON alone


def test_a_photo_keeps_its_largest_size_and_caption() -> None:
    inbound = parse(
        photo_update(11, CHAT, "AgACPhoto", caption="Lampadaire cassé", file_size=90_000)
    )
    assert inbound is not None
    assert inbound.photo == PhotoRef("AgACPhoto", "uAgACPhoto", 90_000)
    assert inbound.text == "Lampadaire cassé"
    no_caption = parse(photo_update(12, CHAT, "AgACPhoto"))
    assert no_caption is not None and no_caption.text is None
    assert no_caption.photo is not None and no_caption.photo.file_id == "AgACPhoto"


def test_a_location() -> None:
    inbound = parse(location_update(13, CHAT, 48.8566, 2.3522))
    assert inbound is not None
    assert inbound.location == (48.8566, 2.3522)
    assert inbound.text is None


def test_a_button_press() -> None:
    inbound = parse(callback_update(14, CHAT, "/affirm", callback_id="4382bfdwdsb323b2d9"))
    assert inbound is not None
    assert inbound.chat_id == CHAT
    assert inbound.callback_query_id == "4382bfdwdsb323b2d9"
    assert inbound.callback_data == "/affirm"
    assert inbound.text is None
    assert inbound.first_name == "Camille"


def test_a_button_under_an_old_inaccessible_message_still_has_its_chat() -> None:
    update = callback_update(15, CHAT, "/affirm")
    # Telegram sends date 0 and no content for messages the bot can no longer read.
    update["callback_query"]["message"] = {
        "message_id": 3,
        "chat": {"id": CHAT, "type": "private"},
        "date": 0,
    }
    inbound = parse(update)
    assert inbound is not None and inbound.chat_id == CHAT


def test_a_group_chat_is_accepted() -> None:
    inbound = parse(text_update(16, -1001234567890, "Bonjour"))
    assert inbound is not None and inbound.chat_id == -1001234567890


def _inline_callback() -> dict[str, Any]:
    update = callback_update(20, CHAT, "/affirm")
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "AAAAAQ"
    return update


def _game_callback() -> dict[str, Any]:
    update = callback_update(21, CHAT, "/affirm")
    del update["callback_query"]["data"]
    update["callback_query"]["game_short_name"] = "jeu"
    return update


IGNORED = {
    "sticker": sticker_update(30, CHAT),
    "edited": edited_update(31, CHAT, "Bonjour"),
    "channel post": channel_post_update(32),
    "voice": message_update(
        33, CHAT, voice={"file_id": "v", "file_unique_id": "uv", "duration": 2}
    ),
    "document": message_update(
        34, CHAT, document={"file_id": "d", "file_unique_id": "ud", "file_name": "a.pdf"}
    ),
    "service": message_update(35, CHAT, new_chat_title="Nouveau nom"),
    "inline query": {
        "update_id": 36,
        "inline_query": {
            "id": "1",
            "from": {"id": CHAT, "is_bot": False, "first_name": "C"},
            "query": "salle",
            "offset": "",
        },
    },
    "poll": {
        "update_id": 37,
        "poll": {
            "id": "p",
            "question": "Q ?",
            "options": [{"text": "a", "voter_count": 1}],
            "total_voter_count": 1,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
        },
    },
    "my_chat_member": {
        "update_id": 38,
        "my_chat_member": {
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "C"},
            "date": 1700000000,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
        },
    },
    "inline button": _inline_callback(),
    "game button": _game_callback(),
    "empty text": text_update(39, CHAT, ""),
}


@pytest.mark.parametrize("kind", sorted(IGNORED))
def test_updates_the_bot_does_not_handle_are_ignored(kind: str) -> None:
    update = IGNORED[kind]
    assert update_id_of(update) == update["update_id"]
    assert parse(update) is None


GARBAGE: list[Any] = [
    {},
    {"update_id": "10", "message": text_update(1, CHAT, "x")["message"]},
    {"update_id": True, "message": text_update(1, CHAT, "x")["message"]},
    {"update_id": 1},
    {"update_id": 1, "message": "texte"},
    {"update_id": 1, "message": {}},
    {"update_id": 1, "message": {"chat": 5, "text": "x"}},
    {"update_id": 1, "message": {"message_id": 1, "date": "hier", "chat": {"id": 1}, "text": 5}},
    {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "photo": [{}],
        },
    },
    {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "location": {"latitude": "n"},
        },
    },
    {"update_id": 1, "callback_query": {"id": 1}},
    {"update_id": 1, "callback_query": None},
    {"update_id": 1, "message": [1, 2]},
    [1, 2],
    "update",
    None,
]


@pytest.mark.parametrize("data", GARBAGE, ids=lambda d: json.dumps(d)[:40])
def test_garbage_is_ignored_without_raising(data: Any) -> None:
    assert parse(data) is None


def test_mangled_real_updates_never_raise() -> None:
    """Every builder's update, with random fields deleted or replaced by other JSON values."""
    rng = random.Random(5)
    values: list[Any] = [None, 0, -1, 2**70, 1.5, "", "x", True, [], {}, [{}], {"id": "a"}]
    seeds = [
        text_update(1, CHAT, "a"),
        photo_update(2, CHAT, "f", "c"),
        location_update(3, CHAT, 1.0, 2.0),
        callback_update(4, CHAT, "d"),
        sticker_update(5, CHAT),
    ]
    parsed = 0
    for _ in range(600):
        update = copy.deepcopy(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            node: Any = update
            while isinstance(node, dict) and node and rng.random() < 0.7:
                key = rng.choice(list(node))
                if not isinstance(node[key], dict | list) or rng.random() < 0.3:
                    if rng.random() < 0.3:
                        del node[key]
                    else:
                        node[key] = rng.choice(values)
                    break
                node = (
                    node[key] if isinstance(node[key], dict) else node[key][0] if node[key] else {}
                )
        inbound = parse(update)
        parsed += inbound is not None
    assert 0 < parsed < 600  # some survive the mangling, some do not; none raised


def test_update_id_of() -> None:
    assert update_id_of({"update_id": 7}) == 7
    assert update_id_of({"update_id": "7"}) is None
    assert update_id_of({"update_id": False}) is None
    assert update_id_of([7]) is None
    assert update_id_of(None) is None


def test_short_payloads_are_their_own_callback_data() -> None:
    assert button_data("/affirm") == "/affirm"
    assert button_data("é" * 32) == "é" * 32  # 64 bytes exactly
    assert resolve_button("/affirm", []) == "/affirm"


def test_long_payloads_are_hashed_and_resolved_from_the_recent_keyboard() -> None:
    long = '/book{"resource": "salle-des-associations", "start": "2025-06-14T14:00"}' * 3
    assert len(long.encode()) > 200
    tricky = "#not-a-hash"  # a short payload that looks like a hash is hashed too
    accented = "é" * 33  # 66 bytes
    recent = [
        Button(title="Oui", payload="/affirm"),
        Button(title="Réserver", payload=long),
        Button(title="Autre", payload=tricky),
        Button(title="Accents", payload=accented),
    ]
    for button in recent[1:]:
        data = button_data(button["payload"])
        assert data.startswith("#") and len(data) == 33
        assert len(data.encode()) <= 64
        assert resolve_button(data, recent) == button["payload"]
    assert button_data(long) != button_data(long + " ")


def test_a_stale_keyboard_resolves_to_nothing() -> None:
    data = button_data("/book" + "x" * 100)
    assert resolve_button(data, [Button(title="Oui", payload="/affirm")]) is None
    assert resolve_button("#" + "0" * 32, []) is None


def _paragraphs(total: int) -> str:
    sentence = "La salle des fêtes accueille jusqu’à cent vingt personnes assises. "
    paragraph = (sentence * 9).strip()
    text = ""
    while len(text) < total:
        text += paragraph + "\n\n"
    return text[:total].rstrip()


def test_a_long_text_is_split_at_paragraphs_with_buttons_on_the_last_piece() -> None:
    text = _paragraphs(10_000)
    assert len(text) >= 9_990
    buttons = [Button(title="Oui", payload="/affirm"), Button(title="Non", payload="/deny")]
    pieces = render([OutgoingMessage(recipient_id="1", text=text, buttons=buttons)])
    assert len(pieces) == 3
    assert all(0 < len(p.text) <= MAX_TEXT for p in pieces)
    assert all(p.text.endswith(".") for p in pieces[:-1])  # ends of paragraphs
    assert text.startswith(pieces[0].text) and text.endswith(pieces[-1].text)
    assert "\n\n".join(p.text for p in pieces) == text
    assert [p.buttons for p in pieces[:-1]] == [(), ()]
    assert pieces[-1].buttons == (("Oui", "/affirm"), ("Non", "/deny"))


@pytest.mark.parametrize(
    ("text", "end", "after"),
    [
        ("une ligne sans point final\n" * 300, "point final", "\n"),
        ("Une phrase sans saut de ligne, assez longue pour compter. " * 120, "compter.", " "),
        ("mot " * 1500, "mot", " "),
    ],
)
def test_splitting_falls_back_to_lines_sentences_then_words(
    text: str, end: str, after: str
) -> None:
    pieces = render([OutgoingMessage(text=text)])
    assert len(pieces) == 2
    assert all(len(p.text) <= MAX_TEXT for p in pieces)
    first = pieces[0].text
    assert len(first) > MAX_TEXT // 2
    assert first.endswith(end)
    assert text[len(first)] == after  # cut on the boundary, not inside a line or a word
    assert " ".join(p.text for p in pieces).split() == text.split()  # nothing lost


def test_a_word_longer_than_a_message_is_cut_hard() -> None:
    pieces = render([OutgoingMessage(text="a" * 9000)])
    assert [len(p.text) for p in pieces] == [4096, 4096, 808]


def test_replies_become_one_message_each_with_images_and_default_text() -> None:
    replies = [
        OutgoingMessage(text="Bonjour"),
        OutgoingMessage(text="Voici le plan", image="https://example.org/plan.png"),
        OutgoingMessage(image="https://example.org/salle.jpg"),
        OutgoingMessage(buttons=[Button(title="Oui", payload="/affirm")]),
        OutgoingMessage(recipient_id="1"),
        OutgoingMessage(text="   "),
    ]
    assert render(replies) == [
        TelegramReply("Bonjour"),
        TelegramReply("Voici le plan\nhttps://example.org/plan.png"),
        TelegramReply("https://example.org/salle.jpg"),
        TelegramReply("Choisissez\u00a0:", (("Oui", "/affirm"),)),
    ]


def test_button_titles_are_never_empty() -> None:
    (reply,) = render([OutgoingMessage(text="?", buttons=[Button(title=" ", payload="/x")])])
    assert reply.buttons == (("/x", "/x"),)
