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


def fold(text: str) -> str:
    """Lower case, no accents, « œ » as « oe »: how residents' words are compared."""
    text = text.lower().replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Folded (see fold), punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^\w@+]", " ", fold(text)).split())


# A short answer is a run of known pieces: yes or no phrases, « merci » and other politeness
# (« oui oui je confirme merci beaucoup », « non merci c'est tout »).
_YES_PIECES = (
    "oui", "ouii", "ouiii", "ouai", "ouais", "ouaip", "ouep", "ouip", "wi", "si", "yes", "yep",
    "yup", "ok", "okk", "okay", "oki", "okey", "d accord", "dac", "dacc", "d ac", "daccord",
    "entendu", "parfait", "parfaitement", "super", "tres bien", "bien sur", "evidemment",
    "c est bon", "c bon", "cest bon", "c est ok", "c ok", "ca marche", "sa marche", "ca me va",
    "ca me convient", "ca roule", "nickel", "impec", "impeccable", "top", "genial", "exact",
    "exactement", "tout a fait", "absolument", "carrement", "volontiers", "avec plaisir", "go",
    "vas y", "allez y", "allons y", "valide", "je valide", "valider", "je confirme", "confirme",
    "confirmer", "confirmez", "confirmation", "c est tout bon", "tout est bon", "tout bon",
    "c est correct", "correct", "c est ca", "c est parfait", "c est juste", "pourquoi pas",
    "affirmatif", "envoie", "envoyez", "envoyer", "envoyez le", "vous pouvez", "tu peux",
    "reserve", "reservez", "reserver", "je veux bien", "je le veux bien", "banco",
    "cela me convient", "cela me va", "je prends", "c est nickel", "c est top", "bien recu",
    "ca ira tres bien", "c est d accord", "ca me va tres bien", "on y va", "let s go", "cool",
    "bien", "ok cool", "ok top", "c est cool", "tres bien merci", "oui bien sur",
    "validez", "vous pouvez valider", "merci de valider", "dacord", "d acord", "ok ca me va",
    "jveux bien", "j veux bien", "c tout bon", "c est tout bon", "c nickel", "c parfait",
)  # fmt: skip
_NO_PIECES = (
    "non", "nn", "nan", "nop", "nope", "no", "niet", "pas du tout", "absolument pas",
    "surtout pas", "negatif", "pas ca", "c est pas ca", "ce n est pas ca", "pas bon",
    "c est pas bon", "ce n est pas bon", "c est faux", "faux", "erreur", "pas correct",
    "incorrect", "pas exactement", "pas tout a fait", "pas vraiment", "je ne veux pas",
    "je veux pas", "non plus",
)  # fmt: skip
_DECLINE_PIECES = (
    "pas besoin", "plus besoin", "pas la peine", "ca ira", "ca va aller", "c est tout", "rien",
    "aucun", "aucune", "pas maintenant", "plus tard", "une autre fois",
    "c etait juste pour savoir", "juste pour savoir", "pas interesse",
    "ca ne m interesse pas", "finalement", "je n en veux pas", "j en veux pas", "merci",
    "c est bon", "je vais m en passer", "sans facon", "sans facons",
)  # fmt: skip
_FILLER_PIECES = (
    "merci", "merci beaucoup", "merci bien", "mille merci", "beaucoup", "svp", "stp",
    "s il vous plait", "s il te plait", "bonjour", "bonsoir", "madame", "monsieur", "alors",
    "euh", "ben", "bah", "eh bien", "ah", "oh", "bon", "hein", "c est", "la reservation",
    "ma reservation", "pour moi", "pour nous", "tout", "et", "je vous remercie",
    "je vous en remercie", "voila", "d avance", "encore", "ca va",
    "mercii", "merciii", "merci a vous", "bonne journee", "bonne soiree", "bonne fin de journee",
)  # fmt: skip
_LEXICON: dict[tuple[str, ...], set[str]] = {}
for _kind, _listed in (
    ("yes", _YES_PIECES),
    ("no", _NO_PIECES),
    ("decline", _DECLINE_PIECES),
    ("filler", _FILLER_PIECES),
):
    for _phrase in _listed:
        _LEXICON.setdefault(tuple(_phrase.split()), set()).add(_kind)
_LONGEST = max(len(p) for p in _LEXICON)


def _runs(words: list[str]) -> list[list[set[str]]] | None:
    """Every way of cutting the words into listed pieces: their kinds, or None if none."""
    cuts: list[list[list[set[str]]]] = [[] for _ in range(len(words) + 1)]
    cuts[0] = [[]]
    for i in range(len(words)):
        if not cuts[i]:
            continue
        for size in range(1, min(_LONGEST, len(words) - i) + 1):
            kinds = _LEXICON.get(tuple(words[i : i + size]))
            if kinds:
                cuts[i + size].extend([*run, kinds] for run in cuts[i][:8])
    return cuts[-1] or None


_POLITE = re.compile(
    r"\b(?:merci(?: beaucoup| bien)?|svp|stp|s il vous plait|s il te plait|bonjour|bonsoir|"
    r"madame|monsieur|bien sur|alors|euh|ben|bah|eh bien|hein|ah|oh|bon)\b"
)


def _squeeze(word: str) -> str:
    """ "ouiiii" → "oui", "nonnn" → "non", "okkk" → "ok": letters typed again and again."""
    return re.sub(r"(\w)\1{2,}", r"\1", word)


_STOP = re.compile(
    r"\b(?:laisse[zr]? tomber|laisse tombe|laissez tombe|oublie[zr]?|on oublie|tant pis|"
    # « le panneau stop », « au stop »: the road sign, not « stop ! ».
    # « l'arrêté du maire » is a decree.
    r"j abandonne|abandonne[rz]|abandonner la|on arrete|(?<!l )(?<!un )(?<!cet )arrete[zr]?|"
    r"(?<!panneau )(?<!panneaux )(?<!le )(?<!un )(?<!du )(?<!au )(?<!ce )(?<!du panneau )stop+|"
    r"stoppe[zr]?|"
    r"annule[zr]?|annulation|on annule|je ne veux plus|je veux plus|ne veux plus|"
    r"n en veux plus|en veux plus|n en ai plus besoin|en ai plus besoin|"
    r"c est plus la peine|ce n est plus la peine|plus la peine|je renonce|renonce[zr]?|"
    r"ca ne m interesse plus|laisser tomber|je change d avis|j ai change d avis|"
    r"changement d avis|finalement non|non finalement|plus besoin)\b"
)
# Words that make « annuler » about an existing booking or report rather than this request.
_EXISTING = re.compile(
    r"\b(?:ma reservation|mes reservations|cette reservation|la reservation|ma resa|cette resa|"
    r"la resa|mon rendez vous|ce rendez vous|mon creneau|ce creneau|"
    r"la reservation [a-z]{2,4} ?[a-z0-9]{4}|"
    r"reservation d hier|reservation de|rendez vous du|mon rendez vous|mon rdv|"
    r"celle que|celle d|celle du|celle de|ma demande de|mon signalement)\b"
)
_REFERENCE = re.compile(r"\b[A-Za-z]{2,4}[- ][A-Za-z0-9]{4}\b(?<=[A-Z0-9]{4})")
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
    words = [_squeeze(w) for w in plain(text).split()]
    if not words or len(words) > 12:
        return None
    joined = " ".join(words)
    if _DONT_KNOW.match(joined) or _DONT_KNOW.match(core(joined)):
        return Short.DONT_KNOW
    if abandons(text):
        return Short.STOP
    runs = _runs(words)
    if runs is None:
        return None
    for run in runs:
        if any("no" in k for k in run) and all(k & {"no", "decline", "filler"} for k in run):
            declined = any("decline" in k and "no" not in k for k in run)
            return Short.NO_THANKS if declined else Short.NO
    for run in runs:
        if any("yes" in k for k in run) and all(k & {"yes", "filler"} for k in run):
            return Short.YES
    for run in runs:
        if all(k & {"decline", "filler"} for k in run) and any(k == {"decline"} for k in run):
            return Short.NO_THANKS
    return None


_LEANS_YES = re.compile(
    r"\b(?:oui|ouais|ok|okay|d accord|parfait|exact|exactement|correct|c est ca|c est bien ca|"
    r"c est bon|tout est bon|tout est correct|je confirme|je vous confirme|confirme|valider|"
    r"validez|vous pouvez valider|vous pouvez envoyer|envoyez|allez y|ca me va|nickel|impeccable|"
    r"super|genial|tres bien|c est juste|rien a changer|rien a corriger|ca colle)\b"
)
_BUT = re.compile(
    r"\b(?:non|pas|plutot|mais|sauf|changer|modifier|corriger|erreur|faux|autre|attendez|"
    r"attends|annule|annuler|tomber|stop|\d)"
)


def leans_yes(text: str) -> bool:
    """A longer yes (« Oui, tout est correct, je confirme. », « Parfait, c'est exactement ça.
    Merci ! ») with nothing that takes it back or changes a detail."""
    words = plain(text)
    return (
        len(words.split()) <= 16
        and _LEANS_YES.search(words) is not None
        and _BUT.search(words) is None
    )


def abandons(text: str) -> bool:
    """« laisse tomber », « annule », « stop », « finalement je ne veux plus »: give up what is
    under way (« annuler ma réservation SDA-7KQ3 » is about another booking, not this one)."""
    words = plain(text)
    found = _STOP.search(words)
    if found is None or _EXISTING.search(words) or _REFERENCE.search(text):
        return False
    # « l'arrêt de bus est cassé » is no giving up: the words must be the message, or open it.
    return len(words.split()) <= 8 or len(words[: found.start()].split()) <= 3


_CANCEL_VERB = re.compile(r"\b(?:annule[zr]?|annulation|supprime[zr]?|decommande[zr]?)\b")


def cancels_booking(text: str) -> bool:
    """« annule celle que je viens de faire », « annuler ma réservation »: an existing booking."""
    words = plain(text)
    existing = _EXISTING.search(words) or _REFERENCE.search(text)
    return bool(_CANCEL_VERB.search(words)) and bool(existing)


def cancel_verb(text: str) -> bool:
    """« annule », « j'annule », « annulation »: a word of cancelling."""
    return _CANCEL_VERB.search(plain(text)) is not None


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
