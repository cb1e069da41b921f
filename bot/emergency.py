"""Safety first: a danger described in plain words (a smell of gas, a person lying motionless,
water in the cellars, threats, a wish to die) is recognised in every message, on every
channel, before any form or intent, and answered at once with the right numbers; grief gets
a human answer. The situations, their words and their numbers are the commune file's.

Words alone do not make an emergency: « URGENT, j'ai perdu mon passeport », « au secours je
ne comprends rien au site » or « le lampadaire est dangereux » are ordinary requests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from bot.answers import plain
from bot.schema import Strict


class Situation(Strict):
    """One kind of danger: the words that describe it, the numbers to call, what to do."""

    nom: str
    # Phrases matched without accents or case; « * » stands for one to three words
    # (« ne * respire plus »), and a final « s » or « e » is allowed.
    mots: tuple[str, ...] = Field(min_length=1)
    # Words that make the phrase no danger (« monument aux morts », « mort de rire »).
    sauf: tuple[str, ...] = ()
    numeros: tuple[str, ...] = Field(min_length=1)
    conseil: str = ""


class Safety(Strict):
    """The commune file's `urgences`: the situations, and the numbers always given."""

    toujours: tuple[str, ...] = Field(min_length=1)
    # Given too when the danger is not said (« au secours ! » alone).
    sans_precision: tuple[str, ...] = ()
    situations: dict[str, Situation]
    # Grief: a death said in words; a human answer and an agent, no emergency numbers.
    deuil: tuple[str, ...] = ()
    deuil_sauf: tuple[str, ...] = ()
    # Distress without danger (loneliness, despair after a loss): a human answer too.
    detresse: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alarm:
    """What a message calls for: a danger (its situations, most specific first) or grief."""

    kind: str  # "danger" | "grief" | "distress"
    situations: tuple[str, ...] = ()


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for phrase in phrases:
        words = [re.escape(w) for w in plain(phrase.replace("*", " etoile0 ")).split()]
        if not words:
            continue
        body = r" ".join(words).replace("etoile0", r"(?:\w+ ){0,2}\w+")
        parts.append(body + r"(?:s|e|es)?")
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


Compiled = tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]
# The commune file is reread when it changes: patterns are compiled once per version of it.
_COMPILED: dict[int, tuple[Safety, Compiled]] = {}


def _compiled(safety: Safety) -> Compiled:
    kept = _COMPILED.get(id(safety))
    if kept is not None and kept[0] is safety:
        return kept[1]
    compiled = tuple(
        (key, pattern, _pattern(s.sauf))
        for key, s in safety.situations.items()
        if (pattern := _pattern(s.mots)) is not None
    )
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    _COMPILED[id(safety)] = (safety, compiled)
    return compiled


# Situations that cause the others: said first when the words tell them.
_CAUSES = frozenset({"feu", "menace", "violence", "suicide"})


def alarm(text: str, safety: Safety) -> Alarm | None:
    """The danger or grief a message describes, or None for an ordinary message."""
    words = _FIGURES.sub(" ", plain(text.replace("-", " ")))
    keys = safety.situations.keys()
    found: list[tuple[int, str]] = []
    for key, pattern, unless in _compiled(safety):
        match = pattern.search(words)
        if match is None:
            continue
        if unless is not None and unless.search(words):
            continue
        found.append((match.start(), key))
    if found:
        said = [key for _, key in sorted(found)]
        # What causes the harm goes first, even when only its words tell it (« se fait
        # cogner… le nez en sang » is violence before it is an injury).
        first = [k for k in together(words) if k in _CAUSES and k not in said and k in keys]
        return Alarm("danger", tuple(first + said))
    if _ALARM_ONLY.match(words):
        return Alarm("danger")  # « au secours ! » and nothing else: every number, and a person
    grief, unless = _grief(safety.deuil, safety.deuil_sauf)
    if grief is not None and grief.search(words) and not (unless and unless.search(words)):
        return Alarm("grief")
    guessed = [key for key in together(words) if key in safety.situations]
    if guessed:
        return Alarm("danger", tuple(guessed))
    distress, _ = _grief(safety.detresse, ())
    if distress is None or _ERRAND.search(words) or not distress.search(words):
        return None
    return Alarm("distress")


@cache
def _grief(
    words: tuple[str, ...], unless: tuple[str, ...]
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    return _pattern(words), _pattern(unless)


_SMALL = frozenset(
    {"dans", "pour", "avec", "plus", "tout", "toute", "elle", "mais", "sont", "fait", "faire"}
)


def likely(text: str, safety: Safety) -> Alarm:
    """A danger the classifier saw but no phrase describes: the situation whose words the
    message shares most (« coups », « fumée », « gaz »…), or none in particular."""
    said = set(plain(text.replace("-", " ")).split())
    scores: dict[str, int] = {}
    for key, situation in safety.situations.items():
        words = {w for m in situation.mots for w in plain(m).split() if len(w) > 3}
        shared = (words - _SMALL) & said
        if shared:
            scores[key] = len(shared)
    ranked = sorted(scores.values(), reverse=True)
    if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return Alarm("danger")  # no situation clearly said: the general numbers
    best = max(scores, key=lambda key: scores[key])
    return Alarm("danger", (best,))


# A danger said in words no phrase of the commune file foresaw: words that, found together in
# one message, describe one (someone + a body in trouble; smoke + a place; water + a house).
def _any(*stems: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(stems) + r")")


# « Plus personne », « personne ne peut » is nobody.
_SOMEONE = _any(
    r"(?<!plus )personne\b(?! ne\b| n\b)", r"homme\b", r"femme\b", r"enfant", r"gamin",
    r"bebe", r"petite?\b",
    r"fils\b", r"fille\b", r"mari\b", r"mere\b", r"pere\b", r"grand mere", r"grand pere",
    r"voisine?\b", r"monsieur", r"dame\b", r"jeune\b", r"ado\b", r"adolescent", r"quelqu un",
    r"cycliste", r"pieton", r"motard", r"copine?\b", r"ami\b", r"amie\b", r"compagnon",
    r"maman", r"papa\b", r"mamie", r"papy", r"gosse", r"collegue", r"patient", r"frere",
    r"soeur", r"oncle\b", r"tante\b", r"cousine?\b", r"type\b", r"mec\b", r"gars\b",
    r"gardien",
)  # fmt: skip
_BODY = _any(
    r"inconscient", r"evanoui", r"saign", r"sang\b", r"blesse", r"respir", r"bouge plus",
    r"bouge pas", r"malaise", r"convuls", r"etouff", r"reveill", r"vomi", r"douleur",
    r"avale", r"intoxi", r"ecrase", r"se noie", r"noyad", r"paralys", r"ne repond plus",
    r"ne repond pas", r"par terre", r"au sol", r"effondr", r"perdu connaissance",
    r"tete ouverte", r"arrive (?:plus|pas) a se (?:lever|relever)", r"ne se releve",
    r"vertige", r"tete qui tourne", r"ne tient plus debout", r"somnolent",
    # Signs of a stroke, told as they are seen.
    r"visage (?:s )?affaiss", r"bouche de travers", r"parle n importe comment",
    r"n arrive (?:plus|pas) a parler", r"bras (?:ne repond|tombe)",
)  # fmt: skip
_FIRE = _any(
    r"flamme", r"fumee", r"incendie", r"en feu", r"le feu", r"prend feu", r"pris feu",
    r"crame", r"explos",
    # « ils vont venir brûler ma maison » is a threat of fire, not a fire.
    r"(?<!va )(?<!vont )(?<!venir )(?<!menace de )(?<!menacent de )brule",
)  # fmt: skip
_WATER = _any(r"eau\b", r"inond", r"crue", r"riviere", r"ruisseau", r"\bru\b", r"boue", r"torrent")
_RISING = _any(
    r"monte", r"rentre", r"envahi", r"cave", r"sous sol", r"rez de chaussee", r"maison",
    r"coince", r"emport", r"deborde", r"niveau", r"sous les portes", r"entre dans",
    r"salons?\b", r"logements?\b", r"habitations?\b", r"grossi",
)  # fmt: skip
# Water already inside homes: happening now, whatever the words of time.
_INSIDE = _any(
    r"sous les portes", r"dans les (?:salons|maisons|logements|habitations|chambres)"
)  # fmt: skip
# A fire that comes back or spreads is burning now (« j'ai jeté de l'eau mais ça repart »).
_SPREADING = _any(
    r"repart", r"reprend", r"se propage", r"s etend", r"mis a bruler", r"met a bruler"
)
_GAS = _any(
    r"gaz\b", r"gaziniere", r"chaudiere", r"chaufferie", r"chauffe eau", r"oeufs? pourris?",
    r"chou pourri", r"tuyau jaune",
)  # fmt: skip
_SMELL = _any(
    r"odeur", r"sent\b", r"pue", r"fuite", r"fuit", r"siffle", r"respire", r"empeste",
    r"schlingue", r"souffle",
)  # fmt: skip
_HURT = _any(
    # « il s'est cogné la tête » is a fall, not a blow.
    r"frapp", r"coups?\b", r"\bbat\b", r"battu", r"(?<!s est )(?<!se )cogn", r"agress",
    r"tabass", r"etrangl", r"se battent", r"bagarre", r"viol\b", r"violee", r"maltrait",
)  # fmt: skip
_THREAT = _any(
    r"menac", r"couteau", r"\barme\b", r"fusil", r"pistolet", r"tuer", r"tue\b", r"carabine",
    r"revolver", r"flingue", r"abattre", r"tirer sur",
)  # fmt: skip
# A fire announced against someone's home or things (« ils vont brûler ma voiture »).
_ARSON = re.compile(
    r"\b(?:va|vont|veut|veulent|menace de|menacent de) (?:venir )?(?:bruler|cramer|incendier|"
    r"mettre le feu a) (?:ma|mon|mes|notre|nos|chez|sa|son|ses)\b"
)
# Pills swallowed by mistake, or by a small child, are a poisoning (a malaise), not a wish
# to die.
_BY_MISTAKE = _any(
    r"par erreur", r"par accident", r"sans faire expres", r"sans le faire expres", r"croyant",
    r"bonbons?",
    r"(?:petit|petite|bebe|enfant|fils|fille|gamin|gamine) (?:de \d+ ans )?a (?:avale|pris)",
)  # fmt: skip
_DEATH_WISH = _any(
    r"suicid", r"(?:envie de|veux|voudrais|vais) mourir", r"en finir", r"plus vivre",
    r"envie de vivre", r"disparaitre", r"me tuer", r"plus la force",
    # An overdose taken on purpose (« j'ai avalé toute la boîte de somnifères »).
    r"(?:avale|pris) (?:toute (?:la|une|sa) |toutes (?:les|mes|ses) |tous (?:les|mes|ses) )"
    r"(?:boite|plaquette|flacon|tube|cachets|comprimes|medicaments|somniferes)",
)  # fmt: skip
_MISSING = re.compile(
    r"\b(?:fils|fille|enfant|gamin|mere|pere|grand mere|grand pere|mari|femme|garcon|bebe|"
    r"petit|petite|ado|adolescent|voisin|voisine|dame|monsieur|papa|maman|mamie|papy|soeur|"
    r"frere)\b(?:\s+\w+){0,6}?\s+(?:a disparu|est introuvable|a fugue|n est pas rentre|"
    r"n est pas rentree|ne rentre pas|est sortie?|est partie?(?! (?:en|au|a|pour) "
    r"(?:deplacement|vacances|voyage|mission|week end|weekend|travail|stage|courses)))|"
    r"\bon ne (?:le|la|les) (?:trouve|retrouve) (?:nulle part|plus|pas)|"
    r"\bperdu (?:mon|ma|notre) (?:fils|fille|enfant|mere|pere|garcon|bebe|petit|petite)"
)
_NOW = _any(
    r"vite", r"au secours", r"aidez", r"a l aide", r"maintenant", r"en ce moment",
    r"tout de suite", r"venez", r"appelez", r"secours", r"grave", r"urgent",
)  # fmt: skip
# Words of an ordinary request: a danger said with them is most often a figure of speech.
_ERRAND = _any(
    r"passeport", r"carte d identite", r"carte grise", r"acte de", r"rendez vous",
    r"reservation", r"reserver", r"inscri", r"procuration", r"formulaire", r"site\b",
    r"dossier", r"papiers",
)  # fmt: skip
# Figures of speech and things that hold a danger word but describe none: removed before
# anything is looked for (« un coup de fil », « la bouche d'incendie fuit », « sans blessé »).
_FIGURES = re.compile(
    r"\bcoups? de (?:fil|main|klaxon|pouce|coeur|soleil|balai|pinceau|telephone|vent|froid)\b|"
    # The resident addressing the town hall (« Bonjour madame, monsieur », « Monsieur le
    # maire ») is nobody in danger.
    r"^(?:(?:bonjour|bonsoir|cher|chere|chers)\s+)?(?:(?:madame|monsieur|mesdames|messieurs)"
    r"(?:\s+(?:le|la)\s+maire)?\s*)+|\b(?:madame|monsieur)\s+(?:le|la)\s+maire\b|"
    # « d'un coup », « tout à coup », « du coup »: suddenly, so; struck by a malaise.
    r"\bfrappee? (?:par|d) (?:un|une) (?:malaise|crise|avc)\b|"
    r"\b(?:d un|tout a|du) coup\b(?! de\b| d\b)|"
    # Knocking at a door (« elle ne répond pas quand je frappe »).
    r"\b(?:je frappe|j ai frappe|on frappe|on a frappe|frappe a (?:la|sa|ma) porte|"
    r"frapper a (?:la|sa|ma) porte)\b|"
    # Fire safety, hydrants and drills are no fire; exhaust fumes are no gas leak.
    r"\b(?:securite|normes?|consignes?|exercices?) (?:d )?incendie\b|"
    r"\bexercices? d evacuation(?: incendie)?\b|"
    r"\b(?:bouches?|bornes?|poteaux?) (?:d |a )?incendie\b|"
    r"\bdetecteurs? de (?:fumee|monoxyde)\b|"
    r"\b(?:gaz|pots?) d echappement\b|"
    # An object that knocks (« le regard cogne à chaque voiture »).
    r"\bcogne (?:a chaque|au passage|contre|quand|des qu)\b|"
    # Nobody hurt, said outright.
    r"\b(?:sans|aucun|pas de) blesses?\b|\bpersonne n (?:a ete|est) blesse\b"
)
# A joke marker: « je vais le tuer mdr » is no threat.
_JOKE = re.compile(r"\b(?:mdr|ptdr|lol|mdrr+|xd)\b")


def together(words: str) -> list[str]:
    """The situations whose words come together in the message (commune keys)."""
    words = _FIGURES.sub(" ", words)
    if _ERRAND.search(words):
        return []
    found: list[str] = []
    if _GAS.search(words) and _SMELL.search(words) and "egout" not in words:
        found.append("gaz")
    if _FIRE.search(words) and (
        _SOMEONE.search(words)
        or _NOW.search(words)
        or _RISING.search(words)
        or _SPREADING.search(words)
    ):
        found.append("feu")
    if _WATER.search(words) and (
        _INSIDE.search(words)
        or (_RISING.search(words) and (_NOW.search(words) or "coince" in words))
    ):
        found.append("inondation")
    # The cause before the harm: a threat or a blow before the injury it made, an overdose
    # before the malaise (the first situation's advice is said first).
    joking = _JOKE.search(words) is not None
    if ((_THREAT.search(words) and _SOMEONE.search(words)) or _ARSON.search(words)) and not joking:
        found.append("menace")
    if _HURT.search(words) and _SOMEONE.search(words) and not joking:
        found.append("violence")
    if _DEATH_WISH.search(words) and not _BY_MISTAKE.search(words):
        found.append("suicide")
    if _SOMEONE.search(words) and _BODY.search(words):
        found.append("malaise")
    if _MISSING.search(words):
        found.append("disparition")
    return found


# A message made only of a cry for help.
_ALARM_ONLY = re.compile(
    r"^(?:(?:urgence|urgent|urgences|au secours|secours|a l aide|aidez moi|aidez nous|aide moi|"
    r"help|sos|vite|svp|s il vous plait|please|c est grave|grave|danger|je suis en danger|"
    r"venez|venez vite|appelez les secours)\s*)+$"
)


def numbers(alarm: Alarm, safety: Safety) -> list[str]:
    """The numbers to give, those of the situations first, without repeats."""
    said: list[str] = [] if alarm.situations else list(safety.sans_precision)
    for key in alarm.situations:
        for number in safety.situations[key].numeros:
            if number not in said:
                said.append(number)
    for number in safety.toujours:
        if number not in said:
            said.append(number)
    return said


def advice(alarm: Alarm, safety: Safety) -> list[str]:
    return [
        safety.situations[key].conseil for key in alarm.situations if safety.situations[key].conseil
    ]


def situation_names(alarm: Alarm, safety: Safety) -> Mapping[str, str]:
    return {key: safety.situations[key].nom for key in alarm.situations}
