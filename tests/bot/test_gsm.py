from __future__ import annotations

import pytest

from bot.gsm import is_gsm, segments, split, to_gsm


@pytest.mark.parametrize(
    ("french", "gsm"),
    [
        ("l’heure d‘été", "l'heure d'été"),
        ("« oui »", '"oui"'),
        ("\u00ab\u00a0oui\u00a0\u00bb et \u00ab\u202fnon\u202f\u00bb", '"oui" et "non"'),
        ("“cité”", '"cité"'),
        ("Réponse\u00a0: 12\u202f€ ;\u2009ok", "Réponse : 12 € ; ok"),
        ("Attendez…", "Attendez..."),
        ("9 h – 12 h — fermé", "9 h - 12 h - fermé"),
        ("cœur, Œuvre", "coeur, OEuvre"),
        ("fête, île, hôtel, goût, château, Noël, maïs, L’Haÿ, façade", None),
        ("ÂÊÎÔÛËÏŸÀÈÙ", "AEIOUEIYAEU"),
        ("éèàùìò ÉÄÖÜäöüñÑÇÅåØø", "éèàùìò ÉÄÖÜäöüñÑÇÅåØø"),
        ("Núñez", "Nuñez"),
        ("ex æquo, Æ", "ex æquo, Æ"),  # GSM-7 has æ and Æ: nothing to fold
        ("Merci 🙂", "Merci 🙂"),
        ("€ [ ] { } ^ ~ \\ |", "€ [ ] { } ^ ~ \\ |"),
    ],
)
def test_french_text_folds_into_gsm7(french: str, gsm: str | None) -> None:
    folded = to_gsm(french)
    if gsm is None:
        assert folded == "fete, ile, hotel, gout, chateau, Noel, mais, L'Hay, facade"
    else:
        assert folded == gsm
    assert is_gsm(folded) == ("🙂" not in french)


def test_is_gsm() -> None:
    assert is_gsm("Bonjour à tous, 12 € @ 9h")
    assert not is_gsm("fête")
    assert not is_gsm("l’heure")
    assert not is_gsm("🙂")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 153 * 3, 3),
        ("a" * (153 * 3 + 1), 4),
        ("€" * 80, 1),  # 160 septets
        ("€" + "a" * 159, 2),  # 161 septets
        ("a" * 152 + "€" + "a" * 152, 3),  # the escape sequence is never cut in two
        ("é" * 160, 1),
        ("ê" * 70, 1),
        ("ê" * 71, 2),
        ("ê" * 134, 2),
        ("ê" * 135, 3),
        ("🙂" * 35, 1),  # 70 UTF-16 code units
        ("🙂" + "a" * 69, 2),
        ("a" * 66 + "🙂" + "a" * 66, 3),  # a surrogate pair is never cut in two
    ],
)
def test_segments(text: str, count: int) -> None:
    assert segments(text) == count


def test_one_non_gsm_character_switches_the_whole_text_to_ucs2() -> None:
    assert segments("a" * 100) == 1
    assert segments("a" * 99 + "ê") == 2


def test_short_text_is_one_part_and_blank_text_none() -> None:
    assert split("  Bonjour  ") == ["Bonjour"]
    assert split("  \n ") == []


def test_split_prefers_paragraphs_then_lines() -> None:
    first, second = "A" * 300, "B" * 300
    assert split(f"{first}\n\n{second}", max_segments=2) == [first, second]
    assert split(f"{first}\n{second}", max_segments=2) == [first, second]
    # Short paragraphs share a part while it fits.
    assert split("Un.\n\nDeux.\n\nTrois.", max_segments=1) == ["Un.\n\nDeux.\n\nTrois."]


def test_split_cuts_sentences_then_words_never_mid_word() -> None:
    sentence = "Le gymnase est ouvert le samedi matin. "
    text = sentence * 30
    parts = split(text, max_segments=1)
    assert len(parts) > 1
    assert all(segments(p) == 1 and p.endswith("matin.") for p in parts)
    assert " ".join(parts) == text.strip()

    words = " ".join(["salle"] * 200)
    parts = split(words, max_segments=1)
    assert all(set(p.split()) == {"salle"} and segments(p) == 1 for p in parts)
    assert " ".join(parts) == words


def test_split_keeps_high_punctuation_with_its_word() -> None:
    text = ("mot " * 39) + "fin ?" + " suite" * 10
    parts = split(text, max_segments=1)
    assert parts[1].startswith("fin ?")
    assert not any(p.startswith("?") for p in parts)


def test_a_word_longer_than_a_part_is_cut() -> None:
    url = "https://exemple.fr/" + "x" * 600
    parts = split(f"Voir {url} merci", max_segments=1)
    assert parts[0] == "Voir"
    assert parts[-1].endswith(" merci")
    assert all(segments(p) == 1 for p in parts)
    assert "".join(parts[1:]).removesuffix(" merci") == url


@pytest.mark.parametrize("max_segments", [1, 2, 3])
@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, votre demande est enregistrée. " * 40,
        "Ligne {i} : réservation confirmée pour la salle\n" * 50,
        "€[]{}" * 300,
        "fête 🙂 " * 200,
        ("Paragraphe. " * 20 + "\n\n") * 8,
    ],
)
def test_split_never_exceeds_the_limit_and_loses_no_word(text: str, max_segments: int) -> None:
    parts = split(text, max_segments=max_segments)
    assert parts
    assert all(p and p == p.strip() and segments(p) <= max_segments for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_split_rejects_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="max_segments"):
        split("x", max_segments=0)
