"""Short answers read the way residents write them: yes, no, « non merci », « laisse tomber »,
« je ne sais pas », « le deuxième »… whatever the intent classifier made of them.

A form asks one question at a time; what an answer means depends on that question, so the
forms call these readers first and trust the classifier's intent only when they find nothing.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Short(StrEnum):
    """What a short answer says, whatever the question."""

    YES = "yes"
    NO = "no"  # a bare no: something is wrong, or not wanted
    NO_THANKS = "no_thanks"  # « non merci », « non ça ira »: not wanted, and that is all
    STOP = "stop"  # give up what is under way
    DONT_KNOW = "dont_know"


def plain(text: str) -> str:
    """Lower case, no accents, apostrophes and punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w@+]", " ", text).split())


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(phrases) + r")$")


# Whole answers (after plain()): a short answer is the whole message, give or take politeness.
_POLITE = re.compile(
    r"\b(?:merci(?: beaucoup| bien)?|svp|stp|s il vous plait|s il te plait|bonjour|bonsoir|"
    r"madame|monsieur|bien sur|alors|euh|ben|bah|eh bien|hein|ah|oh|bon)\b"
)
_YES = _words(
    r"oui+", r"ouais+", r"ouai", r"oue", r"ouep", r"ouip", r"wi", r"yes", r"yep", r"ok+",
    r"okay", r"oki", r"okey", r"ok ok", r"d accord", r"dac+", r"d ac", r"daccord", r"entendu",
    r"parfait", r"parfaitement", r"super", r"tres bien", r"c est bon", r"c bon", r"cest bon",
    r"c est ok", r"c ok", r"ca marche", r"sa marche", r"ca me va", r"ca me convient",
    r"ca roule", r"nickel", r"impec", r"impeccable", r"top", r"genial", r"exact", r"exactement",
    r"tout a fait", r"absolument", r"carrement", r"volontiers", r"avec plaisir", r"go",
    r"vas y", r"allez y", r"allons y", r"valide", r"je valide", r"je confirme", r"confirme",
    r"confirmer", r"je confirme la reservation", r"c est tout bon", r"tout est bon",
    r"c est correct", r"correct", r"c est ca", r"c est parfait", r"oui c est ca",
    r"oui c est bon", r"bien sur", r"evidemment", r"why not", r"pourquoi pas", r"ca va",
    r"ok pour moi", r"c est juste", r"juste", r"affirmatif", r"envoie", r"envoyez",
    r"envoyer", r"vous pouvez", r"tu peux", r"reserve", r"reservez", r"reserver",
    r"confirmez", r"oui je veux bien", r"je veux bien", r"oui volontiers", r"oui svp",
    r"oui merci", r"ok merci", r"d accord merci", r"parfait merci", r"super merci",
    r"c est bon merci", r"oui oui", r"oui c est parfait", r"ca me va tres bien",
    r"cela me convient", r"cela me va", r"ca ira", r"banco", r"let s go",
)  # fmt: skip
_NO_THANKS = _words(
    r"non merci", r"nan merci", r"non c est bon", r"non ca ira", r"non ca va", r"non c est tout",
    r"ca ira", r"pas besoin", r"non pas besoin", r"pas la peine", r"non pas la peine",
    r"non je ne veux pas", r"non je veux pas", r"je ne veux pas", r"je veux pas",
    r"non finalement", r"finalement non", r"plus besoin", r"non plus besoin",
    r"c etait juste pour savoir", r"juste pour savoir", r"non juste pour savoir",
    r"non c etait juste une question", r"c etait juste une question", r"non rien",
    r"rien", r"aucun", r"aucune", r"non aucun", r"non aucune", r"non non", r"non non merci",
    r"ca ne m interesse pas", r"pas interesse", r"non pas maintenant", r"pas maintenant",
    r"plus tard", r"non plus tard", r"une autre fois", r"non une autre fois",
)  # fmt: skip
_NO = _words(
    r"non+", r"nan+", r"no", r"nope", r"niet", r"pas du tout", r"absolument pas",
    r"surtout pas", r"negatif", r"pas ca", r"non pas ca", r"c est pas ca", r"ce n est pas ca",
    r"non ce n est pas ca", r"non c est pas ca", r"pas bon", r"c est pas bon", r"non c est faux",
    r"c est faux", r"faux", r"erreur", r"non erreur", r"pas correct", r"c est pas correct",
    r"ce n est pas correct", r"ce n est pas bon", r"non ce n est pas bon", r"incorrect",
    r"pas exactement", r"pas tout a fait", r"non pas tout a fait",
)  # fmt: skip
_STOP = re.compile(
    r"\b(?:laisse[zr]? tomber|laisse tombe|laissez tombe|oublie[zr]?|on oublie|tant pis|"
    r"j abandonne|abandonne[zr]?|abandon|on arrete|arrete[zr]?|arret|stop+|stoppe[zr]?|"
    r"annule[zr]?|annulation|on annule|je ne veux plus|je veux plus|ne veux plus|"
    r"c est plus la peine|ce n est plus la peine|plus la peine|je renonce|renonce[zr]?|"
    r"ca ne m interesse plus|laisser tomber|cancel|quitter|quitte[zr]?|sortir|fin de la demande|"
    r"je change d avis|j ai change d avis|changement d avis)\b"
)
# Words that make « annuler » about an existing booking or report rather than this request.
_EXISTING = re.compile(
    r"\b(?:ma reservation|mes reservations|la reservation [a-z]{2,4} ?[a-z0-9]{4}|"
    r"reservation d hier|reservation de|rendez vous du|mon rendez vous|mon rdv|"
    r"celle que|celle d|celle du|celle de|ma demande de|mon signalement|[a-z]{2,4} [a-z0-9]{4})\b"
)
_DONT_KNOW = re.compile(
    r"^(?:je (?:ne )?(?:le )?sais pas(?: encore)?|je n en sais rien|j en sais rien|"
    r"sais pas|jsp|chais pas|chai pas|aucune idee|pas d idee|je ne suis pas sur|"
    r"je suis pas sur|pas sur|je ne sais plus|je sais plus|aucune idee pour l instant|"
    r"pas encore decide|je ne sais pas trop|je sais pas trop|je verrai|on verra)$"
)
_ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "1re": 1, "un": 1,
    "deuxieme": 2, "second": 2, "seconde": 2, "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2,
    "troisieme": 3, "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "4eme": 4,
    "cinquieme": 5, "5e": 5, "5eme": 5, "sixieme": 6, "6e": 6, "6eme": 6,
    "dernier": -1, "derniere": -1,
}  # fmt: skip
_CHOICE = re.compile(
    r"^(?:(?:je (?:prends|choisis|veux|voudrais|prendrais)|plutot|va pour|donnez moi|"
    r"mettez moi|ce sera|ca sera|alors)\s+)?(?:le|la|l)?\s*(\w+)"
    r"(?:\s+(?:creneau|choix|option|proposition|horaire|date|heure|jour|possibilite|"
    r"de la liste|propose|proposee))?(?:\s+(?:svp|stp|merci|s il vous plait))?$"
)
_FIRST_FREE = re.compile(
    r"\b(?:le plus tot(?: possible)?|au plus tot|le premier (?:disponible|libre|dispo)|"
    r"n importe (?:lequel|laquelle|quand)|peu importe|comme vous voulez|"
    r"ce qui vous arrange|le plus proche|des que possible|le prochain(?: disponible| libre)?)\b"
)


def core(text: str) -> str:
    """The answer without politeness and punctuation: « oui merci madame ! » → « oui merci »
    keeps « merci » when it is all that follows a yes or a no."""
    words = plain(text)
    stripped = " ".join(_POLITE.sub(" ", words).split())
    return stripped or words


def short(text: str) -> Short | None:
    """What a whole short message says, or None when it says more (a date, a name…)."""
    words = plain(text)
    if not words or len(words.split()) > 12:
        return None
    if _NO_THANKS.match(words) or _NO_THANKS.match(core(text)):
        return Short.NO_THANKS
    if _DONT_KNOW.match(words) or _DONT_KNOW.match(core(text)):
        return Short.DONT_KNOW
    if abandons(text):
        return Short.STOP
    for candidate in (words, core(text)):
        if _YES.match(candidate):
            return Short.YES
        if _NO.match(candidate):
            return Short.NO
    return None


def abandons(text: str) -> bool:
    """« laisse tomber », « annule », « stop », « finalement je ne veux plus »: give up what is
    under way (« annuler ma réservation SDA-7KQ3 » is about another booking, not this one)."""
    words = plain(text)
    if not _STOP.search(words):
        return False
    return not _EXISTING.search(words)


_CANCEL_VERB = re.compile(r"\b(?:annule[zr]?|annulation|supprime[zr]?|decommande[zr]?)\b")


def cancels_booking(text: str) -> bool:
    """« annule celle que je viens de faire », « annuler ma réservation »: an existing booking."""
    words = plain(text)
    return bool(_CANCEL_VERB.search(words)) and bool(_EXISTING.search(words))


def starts_no(text: str) -> bool:
    """Whether the message opens with a no (« non, plutôt dimanche »)."""
    return re.match(r"^(?:non+|nan+|no|pas)\b", plain(text)) is not None


def choice(text: str, count: int) -> int | None:
    """Which of `count` proposals the answer picks (0-based): « le deuxième », « 2 », « la
    dernière », « le plus tôt possible »; None when it picks none."""
    words = plain(text)
    if count <= 0:
        return None
    if _FIRST_FREE.search(words):
        return 0
    match = _CHOICE.match(words)
    if match is None:
        return None
    word = match.group(1)
    rank = int(word) if word.isdigit() and len(word) == 1 else _ORDINALS.get(word)
    if rank is None or rank == 0:
        return None
    index = count - 1 if rank == -1 else rank - 1
    return index if 0 <= index < count else None
