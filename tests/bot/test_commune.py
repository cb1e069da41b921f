from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.catalogue import ANSWERS, MESSAGES
from bot.commune import CommuneError, CommuneStore, load_commune
from bot.names import ACKNOWLEDGED_INTENTS, ANSWERED_INTENTS, MAIN_TOPICS, Intent
from tests.conftest import DEMO_COMMUNE

DEMO = DEMO_COMMUNE.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "commune.yml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_demo_commune_carries_the_front_desk_facts() -> None:
    commune = load_commune(DEMO_COMMUNE)
    contact = commune.answer("contact")
    assert "2 place de l\u2019Église" in contact
    assert "01 99 00 12 34" in contact
    assert "accueil@clairval.example" in contact
    assert "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h30" in commune.answer("horaires")
    assert "le samedi de 9h à 12h" in commune.answer("horaires")
    assert "dimanche" in commune.answer("horaires")
    waste = commune.answer("dechetterie")
    assert "rue des Sablons" in waste
    assert "le lundi, le mercredi et le vendredi de 14h à 18h" in waste
    assert "le samedi de 9h à 12h et de 14h à 18h" in waste
    assert "premier mardi" in commune.answer("encombrants")
    assert "vendredi précédent" in commune.answer("encombrants")
    assert "mercredi matin" in commune.answer("urbanisme")
    price = commune.answer("prix_papiers_identite")
    assert all(p in price for p in ("86 €", "42 €", "17 €", "25 €", "gratuite"))
    papers = commune.answer("papiers_identite")
    assert all(p in papers for p in ("ANTS", "6 mois", "moins d\u2019un an", "mardi et le jeudi"))
    assert "service-public.fr" in commune.answer("acte_naissance")
    assert "justificatif de domicile" in commune.answer("listes_electorales")
    assert "ANTS" in commune.answer("carte_grise")


def test_every_intent_we_answer_has_its_text_and_every_topic_is_a_button() -> None:
    commune = load_commune(DEMO_COMMUNE)
    for intent in Intent:
        if intent in ANSWERED_INTENTS | ACKNOWLEDGED_INTENTS:
            assert commune.reply_to(intent)
        else:
            assert commune.reply_to(intent) is None
    assert {t.intent for t in commune.topics()} == set(MAIN_TOPICS)


def test_answers_have_french_typography() -> None:
    commune = load_commune(DEMO_COMMUNE)
    for text in [commune.answer(k) for k in ANSWERS.values()] + [
        commune.message(k, **values) for k, values in MESSAGES.items()
    ]:
        assert "'" not in text
        assert " ?" not in text and " :" not in text and " !" not in text


@pytest.mark.parametrize(
    ("old", "new", "line_needle", "reason"),
    [
        (
            "  telephone: 01 99 00 12 34\n",
            "",
            "mairie:",
            "mairie.telephone : champ obligatoire manquant",
        ),
        ('    samedi: ["09:00-12:00"]\n', '    samedi: ["9h-12h"]\n', "9h-12h", "illisible"),
        ("  email: accueil", "  courriel: accueil", "courriel", "champ inconnu"),
        (
            "fuseau_horaire: Europe/Paris",
            "fuseau_horaire: Europe/Clairval",
            "fuseau_horaire",
            "fuseau horaire inconnu",
        ),
        (
            "{{ mairie.telephone }} au plus tard",
            "{{ mairie.telephon }} au plus tard",
            "encombrants:",
            "telephon",
        ),
        (
            "{{ mairie.horaires | horaires }}.\n    Elle est fermée",
            "{{ mairie.horaires | horaires }.\n    Elle est fermée",
            "{{ mairie.horaires | horaires }.",
            "reponses.horaires",
        ),
        ("  bonjour: |", "  salut: |", "messages:", "message manquante : bonjour"),
        ("  urbanisme: Urbanisme\n", "  piscine: Piscine\n", "sujets:", "piscine"),
        (
            "pas_pour: [papiers_identite, prix_papiers_identite]",
            "pas_pour: [papiers]",
            "annuaire:",
            "gendarmerie.pas_pour : « papiers »",
        ),
        (
            "mairie:\n",
            "mairie:\n  adresse: en double\n",
            "adresse: 2 place",
            "apparaît deux fois",
        ),
        (
            '    lundi: ["14:00-18:00"]',
            '    lundi: ["14:00-18:00", "15:00-16:00"]',
            '"15:00-16:00"',
            "chevauchent",
        ),
        ("commune: Clairval\n", "commune: [Clairval\n", "commune: [Clairval", "syntaxe invalide"),
    ],
)
def test_a_malformed_file_is_refused_with_its_line_and_reason(
    tmp_path: Path, old: str, new: str, line_needle: str, reason: str
) -> None:
    assert old in DEMO
    broken = DEMO.replace(old, new, 1)
    with pytest.raises(CommuneError) as raised:
        load_commune(write(tmp_path, broken))
    message = str(raised.value)
    assert reason in message
    assert f"ligne {line_of(broken, line_needle)}" in message or "syntaxe invalide" in message


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommuneError, match="introuvable"):
        load_commune(tmp_path / "absent.yml")
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("commune: Clairval \xe9".encode("latin-1"))
    with pytest.raises(CommuneError, match="UTF-8"):
        load_commune(latin1)
    with pytest.raises(CommuneError, match="champs de la commune"):
        load_commune(write(tmp_path, "- une liste\n"))


def test_the_store_rereads_an_edit_and_keeps_the_last_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, DEMO)
    store = CommuneStore(path)
    assert "01 99 00 12 34" in store.get().answer("contact")

    path.write_text(DEMO.replace("01 99 00 12 34", "01 99 00 56 78"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even within the same clock tick
    assert "01 99 00 56 78" in store.get().answer("contact")

    path.write_text(DEMO.replace("commune: Clairval", "commune: [Clairval"), encoding="utf-8")
    assert "01 99 00 56 78" in store.get().answer("contact")  # the last good version
    assert store.last_error and "syntaxe invalide" in store.last_error


def test_a_store_never_valid_raises(tmp_path: Path) -> None:
    with pytest.raises(CommuneError):
        CommuneStore(write(tmp_path, "commune: [")).get()
