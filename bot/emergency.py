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

from bot.answers import fold, plain
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
        # Every word may take the plural or the feminine (« courriers », « inondée de »).
        inner = [w if w == "etoile0" or len(w) < 3 else w + r"(?:s|e|es)?" for w in words[:-1]]
        body = r" ".join([*inner, words[-1]]).replace("etoile0", r"(?:\w+ ){0,2}\w+")
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


# What burns (a gas appliance's flame does not).
_BURNING = re.compile(r"\b(?:fumee|incendie|en feu|brule|brulent|flambe|embrase|pris feu|crame)")
# Situations that cause the others: said first when the words tell them.
_MISSING_KEY = "disparition"
# The harm that other situations cause (gas, fire, blows, a live wire…): said after them.
_HARM = "malaise"


# What the writer takes back at once (« Au feu les pompiers ! Non je rigole »), not « je
# rigole pas ».
_TAKEN_BACK = re.compile(r"\b(?:non )?je (?:rigole|plaisante|blague)\b(?! pas\b)")


def alarm(text: str, safety: Safety) -> Alarm | None:
    """The danger or grief a message describes, or None for an ordinary message."""
    words = _FIGURES.sub(" ", plain(text.replace("-", " ")))
    if _TAKEN_BACK.search(words):
        return None
    if _HURRY.search(fold(text)) and _ERRAND.search(words) and not _FIRE_SIGN.search(words):
        # « Il y a le feu ! On doit réserver la salle… »: a hurry.
        words = re.sub(r"\b(?:il )?y a le feu\b", " ", words)
    found: list[tuple[int, str]] = []
    excluded: set[str] = set()
    for key, pattern, unless in _compiled(safety):
        # « son vélo n'est plus à la grille » beside a child not come home: the things that
        # go missing excuse nobody.
        if (
            unless is not None
            and unless.search(words) is not None
            and not _person_missing(key, text, words, unless)
        ):
            excluded.add(key)  # « il va bien »: neither its phrases nor its words together
            continue
        match = pattern.search(words)
        if match is not None:
            found.append((match.start(), key))
    # A danger told as past or as fiction is none, unless something says it is happening now.
    # « au secours, ma carte d'identité a brûlé l'an dernier »: a past danger behind an errand
    # stays past, whatever cry comes with it.
    past = _told(words) or (
        _SAFE.search(words) is not None and _BEFORE_TODAY.search(words) is not None
    )
    told = (
        past
        and (_NOW.search(words) is None or _ERRAND.search(words) is not None)
        # « les pompiers sont venus mais ça repart », never « louer la salle de nouveau »
        and _AGAIN.search(_ERRAND_AGAIN.sub(" ", words)) is None
        and _COMING.search(words) is None  # « … il m'a serrée au cou et il rentre dans une heure »
        and _STILL_HURT.search(words) is None  # « le feu est éteint mais il ne respire plus »
    )
    # A wish to die is never told as past (« elle va rejoindre sa mère, morte l'an dernier »).
    together_ = [
        k
        for k in _together_anywhere(text, words)
        if k in safety.situations and k not in excluded and (not told or _wish_now(k, words))
    ]
    if _over(words):  # « le feu de poubelle d'hier a fondu le conteneur, il faut le remplacer »
        found = [(at, key) for at, key in found if key not in _EVENTS]
        together_ = [key for key in together_ if key not in _EVENTS]
    if _in_jest(words, text):  # « je vais tuer mon voisin… mdr »
        # « … mdr. ce soir jvais sur le pont, personne va me chercher »: a wish to die is
        # taken back only beside an errand (« ce formulaire, je vais me tuer mdr »).
        jest = _SAID_IN_JEST if _WANTS.search(words) else _SAID_IN_JEST - {"suicide"}
        found = [(at, key) for at, key in found if key not in jest]
        together_ = [key for key in together_ if key not in jest]
    if found and not told:
        said = [key for _, key in sorted(found)]
        # What causes the harm goes first, even when only its words tell it (« se fait
        # cogner… le nez en sang » is violence before it is an injury).
        first = [k for k in together_ if k != _HARM and k not in said]
        if "feu" in said:  # a fire is the danger, whatever appliance started it
            first = [k for k in first if k != "electricite"]
        keys = [*first, *said]
        if "feu" in keys and not _POWER.search(words):
            # « la cheminée crache des étincelles »: sparks of a fire, no live wire.
            said = [k for k in said if k != "electricite"]
        if "gaz" in keys and not _BURNING.search(words):
            # « le chauffe-bain fait une flamme orange »: carbon monoxide, no fire.
            first = [k for k in first if k != "feu"]
            said = [k for k in said if k != "feu"]
        if grief_past(words, safety) and "suicide" not in [*first, *said]:
            return Alarm("grief")
        return Alarm("danger", _cause_first([*first, *said]))
    if _ALARM_ONLY.match(words):
        return Alarm("danger")  # « au secours ! » and nothing else: every number, and a person
    if "suicide" in together_:  # a wish to die beside a death told: the danger, not the grief
        return Alarm("danger", _cause_first(together_))
    grief, unless = _grief(safety.deuil, safety.deuil_sauf)
    if (
        grief is not None
        and grief.search(words)
        and not (unless and unless.search(words))
        and not (_FOR_A_FUNERAL.search(words) and _WANTS.search(words))
    ):
        return Alarm("grief")
    if together_:
        return Alarm("danger", _cause_first(together_))
    distress, _ = _grief(safety.detresse, ())
    if distress is None or _ERRAND.search(words) or not distress.search(words):
        return None
    return Alarm("distress")


def _together_anywhere(text: str, words: str) -> list[str]:
    """The situations whose words come together in the message, and the blows, threats and
    wishes to die of one of its sentences read alone: an errand in another sentence makes no
    figure of them (« Je veux m'inscrire sur les listes électorales. Et il y a un homme qui
    cogne une femme sur le parking »). A body in trouble beside an errand is more often the
    story behind it (« ma maman vit chez moi depuis sa chute. Sa carte d'identité… »)."""
    found = together(words)
    sentences = _sentences(text)
    for said in sentences if len(sentences) > 1 else []:
        found += [k for k in together(said) if k in _FIGURATIVE_KINDS and k not in found]
    return found


# What an errand in the same sentence makes a figure of (« ces papiers me tuent »).
_FIGURATIVE_KINDS = frozenset({"violence", "menace", "suicide"})


def _person_missing(key: str, text: str, words: str, unless: re.Pattern[str]) -> bool:
    """Someone missing, told before the thing that excuses the words (« ma fille devait rentrer
    à 16h30… son vélo n'est plus à la grille ») or in a sentence of its own after it (« il me
    faut un acte de naissance pour mon dossier. Autre chose, mon fils n'est pas rentré depuis
    hier soir »); the thing named first in the same sentence is what went missing (« la carte
    de ma fille pour le car a disparu »)."""
    missing = _MISSING.search(words) if key == _MISSING_KEY else None
    if missing is None or _SOMEONE.search(words) is None:
        return False
    excuse = unless.search(words)
    if excuse is not None and missing.start() < excuse.start():
        return True
    sentences = _sentences(text)
    first = next((n for n, said in enumerate(sentences) if _MISSING.search(said)), None)
    return first is not None and not any(unless.search(said) for said in sentences[first:])


# Where a sentence ends, and another request begins.
_SENTENCE_END = re.compile(r"[.!?;\n]+\s*|\bautre chose\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """The message's sentences, each in plain words."""
    return [plain(said.replace("-", " ")) for said in _SENTENCE_END.split(text) if said.strip()]


def _wish_now(key: str, words: str) -> bool:
    """A wish to die said now (« elle va rejoindre sa mère »), not a suicide told as past
    (« mon mari s'est suicidé l'an dernier »)."""
    wish = _DEATH_WISH.search(words) if key == "suicide" else None
    return wish is not None and not wish.group().startswith("suicid")


def _cause_first(keys: list[str]) -> tuple[str, ...]:
    """The situations in the order they were found, the harm they cause last."""
    return tuple(sorted(keys, key=lambda key: key == _HARM))


# When a death was: before today (« mort d'une crise cardiaque la semaine dernière »).
_BEFORE_TODAY = re.compile(
    r"\b(?:la semaine derniere|hier|avant hier|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|le mois dernier|l an dernier|il y a (?:\d+|deux|trois|quatre|cinq|six|huit|dix|"
    r"quinze|quelques|plusieurs) (?:jours|semaines|mois|ans))\b"
)


# Someone alive and in trouble now (« mon père est mort hier, ma mère ne respire plus »).
_ALIVE = re.compile(
    r"\b(?:ne respire|respire mal|ne bouge|inconscient|saigne|ne repond|convuls|etouff|"
    r"evanoui|vomi|tremble|par terre|au sol|ne se releve|angle bizarre|de douleur|a mal partout)"
)


# Someone's body in trouble now, whatever was dealt with before (never « par terre », which a
# fallen sign is too).
_STILL_HURT = re.compile(
    r"\b(?:ne respire|respire mal|inconscient|saigne|convuls|etouff|evanoui|"
    r"ne (?:repond|bouge) plus)"
)


def grief_past(words: str, safety: Safety) -> bool:
    """A death told as past (« mon mari est mort d'une crise cardiaque la semaine dernière »):
    grief, whatever words of a malaise it holds, unless help is asked for now."""
    grief, unless = _grief(safety.deuil, safety.deuil_sauf)
    return (
        grief is not None
        and grief.search(words) is not None
        and not (unless and unless.search(words))
        and _BEFORE_TODAY.search(words) is not None
        and _NOW.search(words) is None
        and _ALIVE.search(words) is None
    )


# What happens and is over (a fall, a fire, blows); a live wire or a leak is still there.
_EVENTS = frozenset({"malaise", "feu", "accident", "violence"})
# Something to mend, said after a danger that is over.
_MENDING = re.compile(
    r"\b(?:il faudrait|faudrait|faut le|faut les|remplacer|reparer|refixer|reboucher|nettoyer|"
    r"securiser|elaguer|tailler|combler|redresser|refaire|remettre|faire quelque chose|"
    r"(?:toujours|est|sont) cassee?s?|fondue?s?|abimee?s?|degoutant|"
    r"(?:est|sont) (?:restee?s? )?(?:pliee?s?|tordue?s?|arrachee?s?|couchee?s?|endommagee?s?)|"
    # « l'accident de samedi a tordu le panneau », « la bagarre a laissé des bouteilles »
    r"(?:a|ont) (?:tordu|plie|arrache|defonce|abime|laisse des)|nettoy\w*|defoncee?s?|penche)\b"
)
_OLD = re.compile(
    rf"{_BEFORE_TODAY.pattern}|\bdepuis (?:une|deux|trois|\d+|plusieurs|quelques) "
    r"(?:jours|semaines?|mois)\b|\bl autre jour\b|\bla derniere fois\b|"
    r"\bdeja (?:deux|trois|plusieurs|\d+) (?:personnes|enfants|fois|chutes|accidents)\b"
)


def _over(words: str) -> bool:
    """A danger told as past, and what it left to mend (« ma voisine a fait une chute la
    semaine dernière, il faudrait refixer les pavés »): a report, unless someone is still in
    trouble or help is asked for now."""
    return (
        _OLD.search(words) is not None
        and _MENDING.search(words) is not None
        and _HAPPENING.search(words) is None  # « il penche maintenant » is no call for help
        and _ALIVE.search(words) is None
    )


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
    # « le petit est tombé », never « un petit signalement », « une petite fuite ».
    r"bebe", r"petite?\b(?! (?:signalement|souci|soucis|probleme|message|mot|question|trou|"
    r"trous|nid|coin|chemin|banc|mur|muret|tag|tags|depot|tas|morceau|peu|bout|detail|rappel|"
    r"point|service|parc|square|jardin|arbre|arbuste|panneau|poteau|lampadaire|carton|sac|"
    r"sachet|papier|dechet|dechets|affaissement|fissure|fuite|travaux|chantier|route|rue|place|"
    r"pont|salle|table|tables|chaise|chaises|marche|geste|creux|bosse|caillou|gravier|"
    r"reverbere|ampoule|haie|pelouse|massif|portail|abribus|toboggan|jeu|jeux|passage|"
    r"allee|impasse|parking|tache|taches|graffiti|dessin|inscription|deformation)\b)",
    r"fils\b", r"fille\b", r"mari\b", r"mere\b", r"pere\b", r"grand mere", r"grand pere",
    r"voisine?\b", r"monsieur", r"dame\b", r"jeune\b", r"ado\b", r"adolescent", r"quelqu un",
    r"cycliste", r"pieton", r"motard", r"copine?\b", r"ami\b", r"amie\b", r"compagnon",
    r"maman", r"papa\b", r"mamie", r"papy", r"gosse", r"collegue", r"patient", r"frere",
    r"soeur", r"oncle\b", r"tante\b", r"cousine?\b", r"type\b", r"mec\b", r"gars\b",
    r"gardien", r"copain", r"pote\b", r"epoux", r"epouse", r"\bbb\b", r"passant", r"vieux\b",
    r"vieille\b", r"personne agee", r"papi\b", r"mamy\b", r"eleve", r"collegien", r"bambin",
    r"nourrisson", r"mari\b", r"conjoint", r"ouvrier", r"(?:mon|son|ton|ma|sa) ex\b", r"mme\b",
    r"chauffeur", r"conducteur", r"conductrice", r"passagere?s?\b",
    r"sans abri", r"joggeu", r"promeneu", r"papi\b",
)  # fmt: skip
_BODY = _any(
    r"inconscient", r"evanoui", r"saign", r"sang\b", r"blesse", r"respir", r"bouge plus",
    r"bouge pas", r"malaise", r"convuls", r"etouff",
    r"(?:ne|n|pas a|plus a|impossible de) (?:se |le |la |l )?reveill", r"vomi", r"douleur",
    r"avale", r"intoxi", r"ecrase", r"se noie", r"noyad", r"paralys", r"par terre", r"au sol",
    r"effondr", r"(?:perdu|perdre|perd) connaissance", r"perds? (?:\w+ )?(?:de )?sang",
    r"enceinte", r"ne revient pas", r"coupe le doigt", r"le bout est parti",
    # « ne répond plus » is a body that does not, not messages left unanswered.
    r"(?:ne )?repond (?:plus|pas)(?! (?:a mes|a ma|a nos|a vos|aux|au telephone|a ses|a sa))",
    r"tete ouverte", r"arrive (?:plus|pas) a se (?:lever|relever)", r"ne se releve",
    r"vertige", r"tete qui tourne", r"ne tient plus debout", r"somnolent",
    # Signs of a stroke, told as they are seen.
    r"visage (?:s )?affaiss", r"bouche de travers", r"parle n importe comment",
    r"n arrive (?:plus|pas) a parler", r"bras (?:ne repond|tombe)",
    r"visage (?:qui )?tombe", r"bouche (?:est )?(?:tordue|de travers)", r"parle bizarre",
    r"engourdi", r"former ses phrases", r"bouche qui tombe", r"lever le bras",
    r"levres? (?:\w+ ){0,2}bleu", r"sueurs? froides?", r"tombee? dans les pommes",
    r"(?:tient|serre|mal a|mal dans) la poitrine", r"dit n importe quoi",
    r"main crispee sur (?:le|son) coeur", r"ouvrir les yeux",
    r"ne (?:parvient|peut) plus a se (?:lever|relever)",
    r"chut", r"pile bouton", r"javel", r"produit menager", r"a bu du", r"a bu de l",
    r"s affaiss", r"\bperd (?:\w+ )?(?:de )?sang",
    r"(?:hurle|crie|gemit|pleure) de douleur", r"angle bizarre", r"os qui (?:sort|depasse)",
    # A fall from a height, a body gone limp, a deep wound, a child in a trap.
    r"(?:est|suis|sont|es) tombee?s? "
    r"(?:de|du|d un|d une|dans l escalier|sur (?:la|le|sa|son) tete)\b",
    r"toute? mou", r"toute molle", r"en sueur", r"ne comprend plus rien",
    r"jusqu a l os", r"ouvert (?:la|le) (?:jambe|bras|tete|crane|main)",
    r"rebord de la fenetre", r"a travers la glace", r"enferme dans (?:une|la|sa) voiture",
    r"coince sous", r"tombe sur (?:des|un|une|les) (?:passants|gens|personnes|enfants|voiture)",
    r"tombee?s? dedans", r"(?:est|sont) tombee?s? dans (?:le|un|une|la) (?:trou|regard|puits|"
    r"fosse|egout|bouche|tranchee|bassin|canal)\b",
    r"n ouvre (?:plus|pas) (?:depuis|sa porte)", r"poitrine ne se souleve",
    r"allongee? sous (?:l|le|la|un|une)\b", r"ne donne plus (?:de )?signe de vie",
    # Cold and absent (« toute froide, elle ne me reconnaît pas »).
    r"toute? froide?\b", r"ne (?:me |nous |la |le )?reconnait (?:pas|plus)",
    r"n arrive (?:pas|plus) a (?:me |nous |lui )?repondre",
)  # fmt: skip
_FIRE = _any(
    r"flamme", r"fumee", r"incendie", r"en feu", r"le feu", r"prend feu", r"pris feu",
    r"feu d(?:e|es)? (?:broussailles|foret|herbe|champ|haie|jardin|garage|grange)",
    # « un coup de feu dans la rue » is a shot, not a fire.
    r"conduit de (?:la )?cheminee", r"mur (?:est )?brulant",
    r"(?<!coup de )(?<!coups de )feu dans (?:le|la|les|l|un|une|des|mon|ma|notre)\b",
    r"embrase",
    r"crame", r"explos", r"flamb", r"friteuse", r"lech",
    # « ils vont venir brûler ma maison » is a threat of fire, not a fire.
    r"(?<!va )(?<!vont )(?<!venir )(?<!menace de )(?<!menacent de )brule",
)  # fmt: skip
_BURNING_PLACE = re.compile(
    r"\b(?:cuisine|toit|grenier|garage|appartement|immeuble|grange|hangar|cheminee|poubelle|"
    r"foret|champ|haie|batiment|entrepot|magasin|ecole|broussailles|herbes?|talus|conteneur|"
    r"benne|voiture|scooter|cabane|abri|local|container)\b(?:\s+\w+){0,8}?\s+"
    r"(?:brule|brulent|flambe|flambent|fume|fument|crame|cramment)\b|\bfeu de cheminee\b|"
    # Smoke out of a building (« ça fume sous la porte de la boulangerie »).
    r"\b(?:fume|fument|fumee)\b(?:\s+\w+){0,3}?\s+(?:sous|par) (?:la |les |l )?"
    r"(?:porte|fenetres?|volets?|toit|toiture|garage|grenier)\b|"
    # What caught in a home (« le bas du rideau a pris »).
    r"\b(?:rideaux?|canape|matelas|sapin|nappe|couette|friteuse|casserole|huile) (?:\w+ )?"
    r"(?:a|ont) pris\b(?! (?:sa|son|ses|le|la|les|l|un|une|des|du|de|rendez|rdv)\b)|"
    # Smoke coming out of a building (« de la fumé noir qui sort du toit »).
    r"\b(?:fumee?s?|fume)\b(?:\s+\w+){0,3}?\s+(?:qui )?(?:sort|sortent|s echappe|s echappent)\s+"
    r"(?:du|de la|de l|des|par)\s+(?:\w+ )?(?:toit|toiture|fenetres?|maison|immeuble|"
    r"appartement|garage|grenier|cave|batiment|cuisine|porte|volets?|cheminee)\b"
)
_WATER = _any(
    r"eau\b",
    r"[ld]eau\b",
    r"niveau (?:de l eau )?(?:monte|grimpe)",
    r"digue",
    r"inond",
    r"crue",
    r"riviere",
    r"ruisseau",
    r"\bru\b",
    r"boue",
    r"torrent",
)
_RISING = _any(
    r"monte", r"rentre", r"envahi", r"cave", r"sous sol", r"rez de chaussee", r"maison",
    r"coince", r"emport", r"deborde", r"niveau", r"sous les portes", r"entre dans",
    r"salons?\b", r"logements?\b", r"habitations?\b", r"grossi",
    r"prend (?:deja )?l eau", r"prennent (?:deja )?l eau", r"par dessus", r"nos portes",
    r"ca continue",
)  # fmt: skip
# Water already inside homes: happening now, whatever the words of time.
_INSIDE = _any(
    r"sous (?:les|la) portes?", r"dans les (?:salons|maisons|logements|habitations|chambres)",
    r"dans (?:(?:le|la|mon|ma|notre) )?(?:salon|sejour|cuisine|chambre|maison|garage)\b",
    r"(?:rentre|entre|monte) partout", r"jusqu aux (?:chevilles|genoux|mollets)", r"a mi hauteur",
    r"pleine? d eau", r"envahi",
)  # fmt: skip
# People caught by water, whatever the words of time.
_CAUGHT = _any(
    r"bloque", r"piege", r"coince", r"emport", r"flott", r"cede", r"s accroche", r"partir avec",
    r"glisse dedans", r"monte sur le toit", r"entoure", r"coule vers", r"laisse passer",
    r"d un coup",
)  # fmt: skip
# A fire that comes back or spreads is burning now (« j'ai jeté de l'eau mais ça repart »).
_SPREADING = _any(
    r"repart",
    r"reprend",
    r"se propage",
    r"s etend",
    r"mis a bruler",
    r"traverse",
    r"(?:on ne|on) voit plus rien",
    r"met a bruler",
    r"avance",
    r"descend vers",
    r"lecher",
    r"fenetres?\b",
    r"volets?\b",
    r"toit\b",
    r"personne autour",
    r"s approche",
    r"se rapproche",
    r"gagne",
)
_GAS = _any(
    r"gaz\b", r"gaziniere", r"l?oeufs? pourris?", r"chou pourri", r"tuyau jaune", r"butane",
    r"propane", r"bouteille de gaz", r"soufre", r"(?:du|de|le) souffre",
    # A rotten smell and a hiss (« une odeur de pourri et comme un souffle sous la plaque »).
    r"pourri\w*(?:\s+\w+){0,16}?\s+(?:souffle|siffle|sifflement)",
    r"(?:souffle|siffle|sifflement)\w*(?:\s+\w+){0,16}?\s+pourri",
)  # fmt: skip
# What may hold gas, or water: a smell, not a leak, says it is gas (« le tuyau fuit » is water).
_GAS_OR_WATER = _any(
    r"chaudiere", r"chaufferie", r"chauffe eau", r"compteur", r"cuisiniere", r"tuyau",
    r"canalisation", r"bouteille sous l evier", r"conduite",
)  # fmt: skip
# Carbon monoxide: a heater or an engine indoors, and the whole household unwell.
_HEATER = _any(
    r"chauffe bain", r"detecteur de monoxyde", r"detecteur de co\b", r"chaudiere",
    r"chauffage d appoint", r"poele", r"chauffe eau", r"brasero", r"barbecue",
    r"groupe electrogene", r"monoxyde", r"cheminee", r"insert", r"chauffage au petrole",
)  # fmt: skip
_POISONED = _any(
    r"(?:bipe|sonne|hurle|s est declenche)", r"flamme (?:orange|jaune)", r"mal a la tete",
    r"maux de tete", r"nausee", r"vomi", r"tete qui tourne", r"vertige",
    r"endormie?", r"somnolent", r"malaise", r"tout mou", r"toute molle",
)  # fmt: skip
_ODOUR = _any(
    r"odeur", r"sent(?:ai[st]?|ait|ent|i|ir)?\b", r"pue", r"pu\b", r"siffle", r"empeste",
    r"schlingue", r"sifflement",
    r"pique le nez", r"pschh",
)  # fmt: skip
_SMELL = re.compile(rf"{_ODOUR.pattern}|\b(?:fuite|fuit|respire|souffle)")
_HURT = _any(
    # « il s'est cogné la tête » is a fall, not a blow.
    r"frapp", r"coups?\b", r"\bbat\b", r"battu", r"(?<!s est )(?<!se )cogn", r"agress",
    r"tabass", r"etrangl", r"se battent", r"bagarre", r"viol\b", r"violee", r"maltrait",
    r"claques?\b", r"gifl", r"(?:se fait|se font|se faire|s est fait) defonc",
    r"tape (?:sa|ma|son|mon|sur|les|des)\b",
    r"supplie(?:r)? d arreter", r"hurle(?! de douleur)", r"leve la main sur", r"serre le cou",
    r"casse le bras", r"appelle a l aide", r"tape dans la porte", r"me faire payer",
    r"(?:crie|crient|hurle|hurlent|appelle|appellent) au secours",
    r"s en prenn?ent? a", r"bouscul", r"arrach\w* (?:son|sa|ses|le|la) (?:sac|telephone|collier)",
    r"racket", r"par les cheveux", r"coups? de pied", r"donnent des coups",
    r"secou\w* violemment",
    # Heard through a wall (« crier "arrête", des bruits sourds »); pushed, bruised.
    r"cri\w* arrete", r"bruits? sourds?", r"des bleus sur",
    r"(?:la|le|me|les|nous) pousse(?:nt)? (?:quand|contre|par terre|dans l escalier)",
)  # fmt: skip
# Harm an animal does as well as a person: no violence when an animal attacks.
_BEASTLY = re.compile(r"s en prenn|bouscul|agress|coups? de pied")
# A fight is people already (« bagarre au couteau devant le stade »).
_FIGHT = _any(
    r"bagarre", r"rixe", r"on se bat", r"se battent", r"se tapent dessus", r"baston",
    r"castagne", r"se bastonnent", r"reglement de comptes?",
)  # fmt: skip
_THREAT = _any(
    r"menac", r"couteau", r"\barme\b", r"fusil", r"pistolet", r"tuer", r"tue\b", r"carabine",
    r"revolver", r"flingue", r"abattre", r"tirer sur", r"egorg", r"planter\b",
    r"faire du mal", r"traque", r"me suit\b", r"nous suit\b", r"faire peter", r"faire sauter",
    r"forcer (?:ma|la|notre|sa) porte", r"essa\w* d (?:entrer|rentrer) chez",
    r"tout casser", r"jeter contre", r"est entre chez",
    r"sai[st] ou (?:je|j|tu|il|elle|on|nous|vous) (?:dors|dort|habite|habites|vis|vit|bosse|"
    r"bosses|travaille|travailles)",
    r"ce qui va (?:t|te|vous|lui) arriver",
    r"(?:connait|connaitre|sait) (?:notre|ton|votre|mon) adresse",
    r"hache\b", r"machette", r"batte\b", r"barre de fer",
    r"(?:essai\w*|tent\w*|voulu|veut) d?\s?emmener (?:un|une|mon|ma|les|des) "
    r"(?:enfant|petit|petite|gamin|fille|fils|eleve)",
    r"monter dans sa voiture", r"a suivi (?:ma|mon|les|des)", r"me faire payer",
    r"s approche (?:des|d un|d une|de mon|de ma) (?:enfants?|gamins?|petits?|eleves?|fille)",
    r"d en emmener", r"lettres? anonymes?", r"(?:tous|toutes) y passer",
    r"(?:vas|allez|va|vont) y passer", r"faire la peau", r"\bbuter\b", r"te crever",
)  # fmt: skip
# Who threatens at home (« elle dit que son mari va la tuer »).
_PARTNER = _any(
    r"mari\b", r"conjoint", r"compagnon", r"(?:mon|son|ton|ma|sa) ex\b", r"copain\b",
    r"petit ami", r"concubin", r"epoux",
)  # fmt: skip
# A fire announced against someone's home or things (« ils vont brûler ma voiture »).
_ARSON = re.compile(
    r"\b(?:va|vont|veut|veulent|menace de|menacent de|viendrait|viendra|viendront|allait|"
    r"allaient|reviendrait|reviendra|reviendront|revenir) (?:venir )?(?:\w+ ){0,2}?"
    r"(?:bruler|cramer|incendier|mettre le feu a) (?:ma|mon|mes|notre|nos|chez|sa|son|ses|"
    r"la|le|les)\b|"
    r"\b(?:mettrait|mettra|mettront|mettraient|brulerait|brulera|bruleront|incendierait|"
    r"incendiera) (?:le feu a )?(?:ma|mon|mes|notre|nos|chez|sa|son|ses|la|le|les)\b"
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
    r"(?:dire|dit|dis|message d|lettre d|mot d) adieu", r"(?:me|se) supprimer",
    r"mettre fin a (?:mes|ses|tes) jours", r"(?:me|se) foutre en l air",
    r"(?:plus|pas) envie de continuer", r"plus besoin de rien (?:apres|a partir de) ce soir",
    r"(?:une )?lettre (?:pour|a) chacun", r"personne (?:ne )?(?:le |la )?remarquera",
    r"(?:veux|vais|veut|va) sauter\b(?! (?:le|la|les|un|une|des|au dessus)\b)",
    r"faire une betise", r"parle de mourir",
    r"(?:donne|distribue) (?:toutes )?(?:mes|ses) affaires",
    r"si quelqu un lit (?:ca|ce message|ces mots)",
    # Farewells told by a relative (« merci pour tout, prenez soin de maman », his dog given).
    r"prenez soin de (?:maman|papa|mon|ma|mes)\b", r"(?:donne|confie) (?:son|mon) (?:chien|chat) a",
    r"(?:veux|voudrais) plus (?:jamais )?me reveiller", r"ecrit mes lettres",
    r"j ai sorti (?:le|mon) (?:fusil|revolver|pistolet|flingue)",
    r"personne (?:ne )?va me (?:chercher|regretter)", r"personne (?:ne )?me regrettera",
    r"(?:je suis|suis|jsuis|chui|je me trouve) (?:monte |montee )?"
    r"(?:sur le (?:toit|parapet|rebord|pont)|"
    r"au bord du (?:vide|toit|pont|quai))",
    r"plus (?:de|aucune) raison de (?:vivre|continuer)",
    r"(?:coup|ouvr|taillad)\w* les (?:bras|veines|poignets)",
    r"entaille", r"jambes dans le vide", r"regarde en bas", r"avec une corde",
    r"(?:se|me) mettre sous (?:le|un) train", r"fini avec la vie", r"que tout s arrete",
    r"(?<!parti )(?<!partie )rejoindre (?:sa|ma|son|mon) (?:mere|pere|femme|mari|fils|fille)",
    r"(?:ne )?ser(?:ai|a|ais|ait) plus (?:la|de ce monde)",
    r"(?:se|me) jeter (?:sous|du|d un|par)", r"plus etre la", r"etre un poids",
    r"ne passer(?:a|ai|ait) pas la nuit", r"(?:envie de|vais|va) tout avaler",
    # Farewells (« je pars pour de bon, je n'en peux plus », « je m'excuse pour tout »).
    r"(?:je pars|partir|m en vais|m en aller) pour de bon(?! (?:de|d|a|au|en|pour|dans)\b)",
    r"(?:m excuse|pardon|excusez moi|pardonnez moi) pour tout(?! (?:le|la|les|ce|ca|cela|ces)\b)",
    r"(?:avaler|prendre) (?:toute la boite|tous (?:les|mes) (?:cachets|medicaments|medocs))",
    # An overdose taken on purpose (« j'ai avalé toute la boîte de somnifères »).
    r"(?:avale|pris|sorti|prepare|aligne|mis de cote) "
    r"(?:toute (?:la|une|sa|ma) |toutes (?:les|mes|ses) |tous (?:les|mes|ses) )"
    r"(?:boite|plaquette|flacon|tube|cachets|comprimes|medicaments|medocs|pilules|gelules|"
    r"somniferes)",
)  # fmt: skip
_MISSING = re.compile(
    # « depuis que ma femme est partie » is a separation or a death, not a disappearance.
    r"(?<!depuis que )(?<!depuis que ma )(?<!depuis que mon )(?<!depuis que sa )"
    r"(?<!depuis que son )\b(?:fils|fille|enfant|gamin|mere|pere|grand mere|grand pere|mari|"
    r"femme|garcon|bebe|"
    r"petit|petite|ado|adolescent|voisin|voisine|dame|monsieur|papa|maman|mamie|papy|soeur|"
    r"frere)\b(?:\s+\w+){0,6}?\s+(?:a disparu(?! (?:de la liste|des listes|du fichier|du site))|"
    r"est introuvable|a fugue|n est pas rentre|"
    r"n est pas rentree|ne rentre pas|est sortie?|est partie?(?! (?:en|au|a|pour) "
    r"(?:deplacement|vacances|voyage|mission|week end|weekend|travail|stage|courses))"
    # « maman est partie rejoindre papa »: a death said softly, not a disappearance.
    r"(?<!rejoindre)\b(?! rejoindre))|"
    r"\bon ne (?:le|la|les) (?:trouve|retrouve) (?:nulle part|plus|pas)|"
    r"\b(?:je|on) ne (?:le|la|les) (?:vois|voit) plus nulle part|\bintrouvable\b|"
    r"\bne retrouve(?:nt|ns)? plus (?:mon|ma|notre|nos) "
    r"(?:fils|fille|enfant|petit|petite|bebe|mere|pere)|"
    r"\balzheimer\b(?:\s+\w+){0,8}?\s+(?:a quitte|est parti|est sorti|s est echappe|introuvable)|"
    r"\bperdu (?:mon|ma|notre) (?:fils|fille|enfant|mere|pere|garcon|bebe|petit|petite|"
    r"neveu|niece|frere|soeur|petit fils|petite fille)|"
    r"\b(?:jamais|pas) revenue?s?\b|\btoujours pas rentree?s?\b|"
    r"\ben chaussons\b(?:\s+\w+){0,3}?\s+(?:dans la rue|sur la route|au bord|le long)|"
    r"\bne sai[st] (?:pas|plus) ou (?:il|elle) est\b|"
    r"\b(?:on|je|j) (?:ne )?(?:retrouve|trouve) plus (?:mon |ma |notre |nos )?(?:papi|papy|mamie|"
    r"papa|maman|fils|fille|enfant|petit|petite|bebe|mere|pere|grand mere|grand pere)\b|"
    r"\bn est plus dans (?:le|la|sa|son) (?:jardin|chambre|lit|cour|poussette|maison)|"
    r"\b(?:on|je|nous) cherch\w* (?:notre|mon|ma|nos|mes) (?:fils|fille|enfant|enfants|petit|"
    r"petite|bebe|mere|pere|grand mere|grand pere|ado)\b(?:\s+\w+){0,4}?\s+depuis\b|"
    # Late and nowhere (« il devait rentrer à 16h30, il est 18h15, il n'est chez aucun copain »).
    r"\b(?:devait|aurait du) (?:rentrer|etre rentree?|revenir|arriver)\b(?:\s+\w+){0,15}?\s+"
    r"(?:il est \d+|toujours pas|n est (?:chez aucun|nulle part|pas la|pas rentree?)|"
    r"personne ne l a vue?)"
)
_POWER = _any(
    # « mon vélo électrique » is no live wire.
    r"(?<!velo )(?<!voiture )(?<!trottinette )(?<!vehicule )(?<!scooter )electri",
    r"\bedf\b", r"enedis", r"haute tension", r"transformateur",
    r"\bcables?\b(?! (?:telephoniques?|internet|fibre|de la fibre|de telephone|du telephone|"
    r"tele|tv|d antenne))",
    r"\bfils?\b(?= (?:electriques?|haute|du poteau|tombe|dessus|au sol|par terre|qui|pendent|"
    r"trempe|sont a nu|a nu|denudes))",
    r"poteau (?:electrique|edf|enedis|(?:est |s est )?tombe)", r"pris une decharge", r"electrocut",
    r"(?:arrache|coupe|casse) (?:les |des |le |un )?fils\b", r"fils?\b(?:\s+\w+){0,4}\s+pendent\b",
    r"\bprises?\b(?= (?:electrique|de courant|de la|du|est|qui|toute))",
    r"dans la prise", r"la ligne\b",
)  # fmt: skip
_LIVE_WIRE = _any(
    r"crepit", r"gresill", r"etincel", r"petill", r"fume", r"fumee", r"tombe", r"au sol",
    r"par terre",
    r"decharge", r"electrifi", r"flamme", r"touchent", r"a touche", r"pendent (?:du|jusqu)",
    r"trempe",
    r"reste colle", r"arrache", r"noire et", r"a nu\b", r"denudes?\b", r"pendent",
)  # fmt: skip
_BEAST = _any(
    r"chiens?\b", r"molosses?", r"pitbull", r"sangliers?", r"bete\b", r"loups?\b",
    r"taureau", r"serpent", r"frelons", r"guepes", r"rottweiler", r"berger allemand",
    r"vaches?\b", r"moutons?\b", r"chevaux", r"cheval\b", r"essaim", r"abeilles",
    r"chiens? errants?", r"laie\b", r"marcassins?", r"chevreuils?", r"cerfs?\b", r"daims?\b",
)  # fmt: skip
_ATTACKS = _any(
    r"mord", r"attaqu", r"charge\b", r"chargent", r"grogn", r"poursui", r"fonce", r"enrag",
    r"agressi", r"divague", r"a attrape", r"encercl", r"courent apres", r"sur la route",
    r"(?:sur|(?:au|en plein|en) milieu de) la (?:chaussee|departementale|nationale|voie|rocade|"
    r"rue|route)\b",
    r"sur l autoroute", r"echappee?s?\b", r"sur la [dnr] ?\d+\b",
    r"(?:entree?s?|rentree?s?) dans (?:la cour|l ecole|le jardin|la classe|le college)",
    r"dans la cour (?:de l ecole|du college|de la creche)", r"(?:tres )?enervee?s?\b",
    r"voie ferree", r"enroule", r"s en prenn?ent? a", r"venimeux", r"entre dans la classe",
    r"panique",
    r"(?<!personne n )(?:se sont|s est|ont ete|a ete|sont|est) (?:deja )?(?:fait )?"
    r"piqu(?:e|ee|es|ees|er)\b",
)  # fmt: skip
_VEHICLE = _any(
    r"voiture", r"camion", r"\bcar\b", r"bus\b", r"moto", r"scooter", r"velo", r"tracteur",
    r"motard", r"cycliste", r"vehicule", r"bagnole",
)  # fmt: skip
_CRASH = _any(
    r"sous les roues", r"passe sous (?:un|une|le|la|les)\b",
    r"a renverse", r"renvers", r"percut", r"quitt\w* la route", r"dans le fosse", r"a terre",
    r"au sol", r"s est encastre", r"tonneau", r"fauch", r"glisse", r"derape", r"fonce dans",
    r"allongee? sur (?:la route|la chaussee|le bitume)", r"par terre",
)  # fmt: skip
_ON_THE_GROUND = frozenset({"par terre", "au sol", "a terre"})
# A cry for help (« vite », « au secours », « venez »): a danger happening now.
_CRY_WORDS = (
    r"vite",
    r"urgence vitale",
    r"au secours?\b",
    r"aidez",
    r"a l aide",
    r"tout de suite",
    r"appelez",
    r"secours?\b",
    r"urgent",
    # « venez ! », not « vous venez parfois récupérer les vieux meubles ? »
    r"venez(?! (?:parfois|souvent|\w+(?:er|ir|re)\b))",
    # « c'est grave », not « on m'a volé mon vélo cette nuit, c'est grave, je fais quoi ? »
    r"(?<!c est )(?<!c etait )grave",
    r"c est grave(?! je fais| on fait| que faire)",
)
_CRY = _any(*_CRY_WORDS)
# Said of now: a cry, or only a word of time (« en ce moment »).
_NOW = _any(*_CRY_WORDS, r"maintenant", r"en ce moment", r"en train de")
# Happening as it is told; « maintenant » alone may only say how things stand.
_HAPPENING = _any(*_CRY_WORDS, r"en ce moment", r"en train de")
# Words of an ordinary request: a danger said with them is most often a figure of speech.
_ERRAND = _any(
    r"passeport", r"carte d identite", r"carte grise", r"acte de", r"rendez vous",
    r"reservation", r"reserver", r"inscri", r"procuration", r"formulaire", r"site\b",
    r"dossier", r"papiers",
)  # fmt: skip
# A funeral as the reason for an ordinary request (« la salle pour un verre après les
# obsèques », « un rendez-vous passeport, je pars pour un enterrement »): the request is
# answered, not handed to an agent as grief.
_FOR_A_FUNERAL = re.compile(
    r"\b(?:pour|apres|a la suite de|avant) (?:un|une|l|les|des|son|sa|ses|mon|ma|notre) "
    r"(?:enterrement|obseques|funerailles|inhumation|ceremonie)"
)
_WANTS = re.compile(
    rf"{_ERRAND.pattern}|\b(?:salles?|tables?|chaises?|sono|barnums?|gymnase|louer|emprunter)\b"
)
# « Il y a le feu » said of a hurry: a figure when an errand follows and nothing burns.
_HURRY = re.compile(r"\by a le feu\s*(?:[!.,;:]|$)")
_FIRE_SIGN = re.compile(
    r"\b(?:fumee|flammes?|brul\w*|pompiers|incendie|crame|embrase|en feu|pris feu|prend feu|"
    r"au feu|explos\w*|chez|maison|appartement|immeuble|cuisine|garage|voiture|foret|poubelle|"
    r"secours|a l aide|vite|evacu\w*|sortir|coinc\w*|bloque\w*|ecole|rue)"
)
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
    # A defeat (« mon fils s'est fait écraser au match, 8-0 »), a treasurer who « will kill me
    # if I go over the budget ».
    r"\becras\w*(?:\s+\w+){0,4}?\s+(?:match|tournoi|finale|championnat|coupe)\b|"
    r"\b(?:tresoriere?|patronne?|chef|comptable|president|presidente|directeur|directrice|"
    r"boss|banquier|banquiere|prof)\b(?:\s+\w+){0,3}?\s+(?:va|vont|allait) me tuer\b|"
    # A bill that nearly killed (« crise cardiaque en ouvrant l'avis de taxe foncière »), a
    # pet run over (grief, not a malaise).
    r"\b(?:crise cardiaque|infarctus|attaque) en (?:ouvrant|voyant|lisant|recevant|decouvrant)\b|"
    r"\b(?:chat|chaton|chien|chiot|lapin|hamster|oiseau|tortue)\b(?:\s+\w+){0,3}?\s+"
    r"s est fait (?:ecraser|renverser|tuer)\b|"
    # Knocking at a door (« elle ne répond pas quand je frappe »).
    r"\b(?:je frappe|j ai frappe|on frappe|on a frappe|frappe a (?:la|sa|ma) porte|"
    r"frapper a (?:la|sa|ma) porte)\b|"
    # Fire safety, hydrants and drills are no fire; exhaust fumes are no gas leak.
    r"\b(?:securite|normes?|consignes?|exercices?) (?:d )?incendie\b|"
    r"\bexercices? d evacuation(?: incendie)?\b|\b(?:exercices? d )?alerte incendie\b|"
    r"\b(?:bouches?|bornes?|poteaux?) (?:d |a )?incendie\b|"
    r"\bdetecteurs? de (?:fumee|monoxyde)\b(?! (?:bipe|sonne|hurle|s est declenche))|"
    # Burnt electricity, a hot sauce, cardboard flames, a road « suicidal » to ride.
    r"\bbrule (?:de l electricite|pour rien)\b|\bmet le feu a la bouche\b|"
    # Something ugly or bright (« ça brûle les yeux tellement c'est moche »).
    r"\b(?:ca |qui |me |nous )?brul(?:e|ent) les yeux\b|\bsaigner les yeux\b|"
    r"\bfausses? (?:flammes|fumee|feu)\b|\bc est suicidaire\b|"
    # Painted words (« des menaces de mort à la bombe », « des graffitis avec des flammes »).
    r"\b(?:menaces?|insultes|flammes)\b(?:\s+\w+){0,3}?\s+(?:a la bombe|en graffiti|tague)|"
    r"\b(?:graffitis?|tags?|dessins?)\s+(?:avec|de)\s+(?:des\s+)?(?:flammes|menaces)\b|"
    # What nearly happened, and what did not (« j'ai failli me tuer », « pas d'inondation »).
    r"\bfailli\b(?:\s+\w+){1,3}|\b(?:pas d|aucune?|sans) (?:inondation|incendie|danger)\b|"
    r"\b(?:gaz|pots?) d echappement\b|"
    # An object that knocks (« le regard cogne à chaque voiture »).
    r"\bcogne (?:a chaque|au passage|contre|quand|des qu)\b|"
    # Traffic lights and festive fires; harm only feared (« un accident va finir par arriver »,
    # « les enfants vont se blesser »).
    r"\bfeux? (?:tricolores?|rouges?|verts?|oranges?|clignotants?|de signalisation|"
    r"de circulation|du carrefour|(?:pour |des )?(?:les )?pietons?|d artifice|de camp|"
    r"de la saint jean)\b|"
    # A threat of a lawsuit, a wall or a bill (« mon voisin menace de construire un mur »).
    r"\bmenac\w* de (?:nous |me |m |vous |les )?(?:construire|batir|porter plainte|vendre|"
    r"couper (?:l eau|le courant|l electricite|le gaz|internet|la ligne|les vivres)|"
    r"demenager|resilier|augmenter|fermer|denoncer|signaler|faire un proces|prendre un avocat|"
    r"attaquer en justice|appeler la police|appeler les gendarmes|expulser|saisir|verbaliser|"
    r"mettre une amende|elaguer|abattre (?:l|les|le|la|mon|son|leur) (?:arbre|haie|mur|cabane))\w*|"
    # A go-ahead (« il a eu le feu vert de chez vous ? »).
    r"\b(?:le|un|son|leur|votre) feu vert\b|"
    # No hurry (« y a pas le feu (au lac) »).
    r"\b(?:il n y a|y a) pas le feu(?: au lac)?\b|"
    r"\b(?:(?:un |l )?(?:accident|drame|malheur) )?"
    r"(?:va|vont|pourrait|pourraient|risque de|risquent de) (?:finir par )?(?:se blesser|"
    r"se tuer|tomber|trebucher|se faire mal|arriver|se faire (?:ecraser|renverser|tuer))\b|"
    r"\bavant qu il (?:y ait|arrive) (?:un accident|un drame|un malheur)\b|"
    r"\b(?:peur|crainte|crains|avant) (?:qu|que) (?:un|une|des|les|mon|ma|quelqu un|qqn)"
    r"(?: \w+){0,2} (?:ne )?(?:se blesse|tombe|chute|se fasse mal|se tue|se coupe|se casse)\w*|"
    r"\bun accident (?:est )?vite arrive\b|\bva finir en (?:accident|drame)\b|"
    # Nothing happened, said outright (« personne de blessé », « pas de fuite hein »).
    r"\b(?:sans|aucun|pas de|personne de) blesses?\b|\bpersonne n (?:a ete|est) blesse\b|"
    r"\brien de grave\b|\bje n ai rien\b|\bplus de peur que de mal\b|"
    r"\bpas (?:de|d) (?:fuite|cable tombe|fil tombe|flammes?|fumee|odeur)\b|\bpas electrique\b|"
    # Shaking someone who does not wake, a wire that crackles, a burnt hand: no blows, no fire.
    r"\b(?:quand |si |meme si )?(?:on|je|j) (?:la|le|l) (?:secoue|ai secouee?|a secouee?)\b|"
    r"\bca claque\b|\b(?:main|bras|jambe|doigts?|pied|visage|peau) (?:est |toute? )?brulee?s?\b|"
    # Exasperation (« ça va me tuer », « ce robot me tue »), dried blood, a tag's words.
    r"\b(?:ca|cela|ce \w+|cette \w+|ces \w+) (?:va me tuer|me tue|vont me tuer|me tuent)\b|"
    r"\bsang seche\b|"
    # A pet gone (« mon chat a disparu depuis hier soir, quelqu'un l'a vu ? »).
    r"\b(?:mon|ma|notre|nos|le|la|les) (?:chat|chatte|chats|chaton|chien|chienne|chiens|lapin|"
    r"perroquet|perruche|tortue|hamster)(?: \w+){0,3}? (?:a disparu|ont disparu|s est (?:echappee?|"
    r"sauvee?|perdue?)|est perdue?|a fugue)\b|"
    # A chore that makes one cross (« je vais tuer mon frère s'il oublie encore le canapé »).
    r"\bje vais (?:le |la |les |te )?tuer\b(?:\s+\w+){0,3}?\s+s (?:il|ils|elle|elles)\b|"
    r"\bme tuer si (?:j|je) (?:arrive (?:encore )?en retard|oublie|rate|perds|suis en retard)|"
    # An animal no one fears (« il n'est pas méchant du tout mais il va finir sous une voiture »).
    r"\bpas (?:du tout )?(?:mechant|agressif|dangereux)\b|"
    r"\b(?:va|vont|risque de|pourrait) finir (?:sous (?:une|un|les|la) \w+|ecrasee?s?)\b|"
    # Heat, not fire (« ça brûle là-dedans, il faisait 38 degrés »); a breath that is fine.
    r"\bca brule\b(?=(?:\s+\w+){0,10}?\s+(?:\d+ degres|chaleur|canicule|clim))|"
    r"\brespire (?:normalement|bien|correctement|sans difficulte)\b|"
    # Broken glass or tyres (« une épave aux vitres explosées »): no explosion.
    r"\b(?:vitres?|pare brise|pneus?|retros?|retroviseurs?)\s+(?:\w+\s+)?explosee?s?\b|"
    r"\b(?:tags?|graffitis?|inscriptions?)\b(?:\s+\w+){0,2}?\s+(?:au feu|au secours|a l aide)\b|"
    # Piles of boxes, laughter, a record broken: no breath lost, no explosion.
    r"\betouffee?s? (?:sous|par) (?:les|des|mes) \w+|\betouffee?s? de rire\b|"
    r"\bexplose (?:son|mon|ton|le|leur|notre) (?:record|score|budget|compteur|chrono)\b|"
    r"\bcommission de securite\b|\balarme incendie\b(?! (?:sonne|hurle|s est declenchee?))|"
    # A plan that falls through, a lid that slams (« la vente tombe à l'eau », « la plaque
    # d'égout qui claque »).
    r"\b(?:tombe|tombent|tomber|tomberait|tombee?) a l eau\b|"
    r"\b(?:qui|ca) claquen?t?\b|"
    # A hole full of rain on the road is no flood (« un creux… il est rempli d'eau »).
    r"\b(?:creux|trous?|nids? de poules?|ornieres?|flaques?)\b(?:\s+\w+){0,12}?\s+"
    r"(?:rempli|remplie|plein|pleine)s? d eau\b"
)
# A danger told as past or as fiction (« l'incendie de l'usine l'an dernier », « le film où la
# tour prend feu »): no alarm unless something says it is happening now.
_TOLD = re.compile(
    r"\b(?:l an dernier|l annee derniere|(?<!depuis )le mois dernier|(?:en|de|d) (?:19|20)\d\d|"
    r"catastrophe naturelle|a la tele\w*|aux infos|au journal|dans le journal|"
    r"il y a (?:\d+|deux|trois|quelques|plusieurs) (?:ans|annees|mois)|j ai reve|un reve|"
    r"films?|jeu video|la serie|un roman|raconte toujours|"
    # Dealt with already (« les pompiers sont intervenus », « après les inondations de
    # novembre »).
    # A leak or a fire over (« la fuite de gaz a été réparée mardi par GRDF »).
    r"(?:fuite|incendie|feu)(?: \w+){0,8} (?:a ete|est|etait) (?:reparee?|eteinte?|maitrisee?|"
    r"colmatee?)|"
    r"(?:pompiers|secours|gendarmes) (?:sont|etaient|ont ete) (?:deja )?"
    r"(?:intervenus|venus|passes|repartis)|"
    r"(?:apres|depuis) (?:les|l|la|le) (?:inondations?|incendie|crues?|orages?|tempete)"
    r"(?: \w+){0,2} (?:de|d|du) (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|"
    r"septembre|octobre|novembre|decembre|l hiver|l ete|l automne|printemps))\b"
)
# A danger that comes back with the weather is a report to make, not a call to make now —
# unless a live wire is bare (« les fils pendent et ça grésille quand il pleut »).
_WEATHER = re.compile(
    r"\b(?:a chaque (?:pluie|orage|averse)|quand il pleut|des qu il pleut|"
    r"chaque fois qu il pleut)\b"
)
_BARE_WIRE = re.compile(
    r"\b(?:fils?|cables?)\b(?:\s+\w+){0,3}?\s+(?:pendent|pend|a nu|denudes?|a l air)\b|"
    r"\bgresill|\betincel"
)
# Someone who hurt coming back soon (« il rentre dans une heure »): the danger is ahead.
_COMING = re.compile(
    r"\b(?:il|elle) (?:rentre|revient|arrive|sera la) (?:dans (?:une|\d+|deux|trois|quelques|"
    r"une demi) (?:heure|heures|minutes|min)|ce soir|tout a l heure|bientot)\b"
)


def _told(words: str) -> bool:
    """A danger told as past, as fiction or as something that comes back with the weather."""
    if _TOLD.search(words) is not None or _WAS_ON_FIRE.search(words) is not None:
        return True
    return _WEATHER.search(words) is not None and _BARE_WIRE.search(words) is None


# On fire a day gone by (« la salle était en feu hier soir, meilleure soirée de l'année »): a
# party, or a fire long out.
_WAS_ON_FIRE = re.compile(
    r"\b(?:etait|etaient) en feu(?: \w+){0,3} (?:hier|avant hier|samedi|dimanche|vendredi|"
    r"la semaine derniere|le week end dernier|ce week end)\b"
)


# Everyone safe, said of a day gone by (« un feu de cave hier soir, tout le monde va bien »);
# said of now (« on est sortis, tout le monde va bien ») the fire may still burn.
_SAFE = re.compile(r"\b(?:tout le monde va bien|tout va bien|tout est rentre dans l ordre)\b")
# An errand done again (« on voudrait la réserver de nouveau »).
_ERRAND_AGAIN = re.compile(
    r"\b(?:reserver|louer|emprunter|prendre|redemander|refaire)(?: \w+){0,3} (?:de|a) nouveau\b"
)
# A danger said again after it was dealt with.
# (« les pompiers sont repartis » is help gone home, not a fire starting again.)
_AGAIN = re.compile(
    r"\b(?:recommence|(?<!pompiers sont )(?<!secours sont )(?<!gendarmes sont )repart|reprend|"
    r"de nouveau|a nouveau|ca continue)\b"
)
# What a joke marker takes back (« je vais le tuer mdr »); a fire or a fall is no joke.
_SAID_IN_JEST = frozenset({"menace", "violence", "suicide"})
# A joke marker: « je vais le tuer mdr » is no threat.
_JOKE = re.compile(r"\b(?:mdr|ptdr|lol|mdrr+|xd|morte? de rire)\b")
# The same said with a face (« mon fils va me tuer 😅 »): read on the text as written.
_JOKING_FACE = re.compile(
    "[\U0001f602\U0001f605\U0001f606\U0001f923\U0001f61c\U0001f61d\U0001f643]"
)


# The writer's exasperation beside a question (« je vais tuer mon mari, il a jeté les clés !
# La déchetterie ouvre à quelle heure ? »): no blow, no weapon, a question asked.
_EXASPERATED = re.compile(r"\bje vais (?:le |la |les |l )?(?:tuer|etrangler|trucider|massacrer)\b")
_WEAPON = re.compile(r"\b(?:couteau|arme|fusil|pistolet|carabine|hache|cutter)\b")


def _in_jest(words: str, text: str) -> bool:
    """A joke marker in the plain words, a laughing face in the text as written, or the
    writer's exasperation beside a question."""
    if _JOKE.search(words) is not None or _JOKING_FACE.search(text) is not None:
        return True
    return (
        _EXASPERATED.search(words) is not None
        and "?" in text
        and _HURT.search(words) is None
        and _WEAPON.search(words) is None
    )


def together(words: str) -> list[str]:
    """The situations whose words come together in the message (commune keys)."""
    words = _FIGURES.sub(" ", words)
    if _JOKE.search(words):
        # « je suis morte de rire, le gâteau a explosé »; but a wish to die said with « mdr »
        # and no errand is no joke (« jsp pk j'écris mdr. ce soir jvais sur le pont »).
        wish = _DEATH_WISH.search(words) is not None and _WANTS.search(words) is None
        return ["suicide"] if wish else []
    # « ces papiers me tuent »: with an errand, words of blows, threats, despair or a body are
    # most often figures — unless the message turns to something happening (« je voulais des
    # renseignements pour ma carte d'identité, mais ma mère vient de perdre connaissance »).
    figurative = _ERRAND.search(words) is not None and not _TURN.search(words)
    found: list[str] = []
    gas = (_GAS.search(words) and _SMELL.search(words)) or (
        _GAS_OR_WATER.search(words) and _ODOUR.search(words)
    )
    if (gas or (_HEATER.search(words) and _POISONED.search(words))) and "egout" not in words:
        found.append("gaz")  # a leak, or carbon monoxide
    # « il viendrait mettre le feu à ma maison » is a threat, not a fire.
    unthreatened = _ARSON.sub(" ", words)
    if _BURNING_PLACE.search(words) or (
        _FIRE.search(unthreatened)
        and (
            _SOMEONE.search(words)
            or _NOW.search(words)
            or _RISING.search(words)
            or _SPREADING.search(words)
        )
    ):
        found.append("feu")
    if _WATER.search(words) and (
        _INSIDE.search(words)
        or _CAUGHT.search(words)
        or (_RISING.search(words) and _NOW.search(words))
    ):
        found.append("inondation")
    # The cause before the harm: a threat or a blow before the injury it made, an overdose
    # before the malaise (the first situation's advice is said first).
    people = _SOMEONE.search(words) or _FIGHT.search(words)
    if ((_THREAT.search(words) and people) or _ARSON.search(words)) and not figurative:
        found.append("menace")
    hurt = _HURT.search(words)
    # « deux chiens s'en prennent aux enfants »: the dogs attack, nobody hits.
    beast = _BEAST.search(words) is not None and _ATTACKS.search(words) is not None
    crash = _CRASH.search(words)
    # « il hurle » under a lorry's wheels is the crash's victim, not someone beaten.
    crashed = crash is not None and _VEHICLE.search(words) is not None
    blows = hurt is not None and not (beast and _BEASTLY.match(hurt.group()))
    if hurt is not None and crashed and hurt.group() == "hurle":
        blows = _HURT.search(words, hurt.end()) is not None  # a blow besides the cry
    if (blows or _FIGHT.search(words)) and people and not figurative:
        found.append("violence")
    elif "menace" in found and _PARTNER.search(words):
        found.append("violence")  # « son mari va la tuer »: violence at home, its numbers too
    if (
        _DEATH_WISH.search(words)
        and not _BY_MISTAKE.search(words)
        and (not figurative or _ARMED.search(words))
    ):
        found.append("suicide")
    body = (_SOMEONE.search(words) and _BODY.search(words)) or _SELF_BODY.search(words)
    if body and not figurative:
        found.append("malaise")
    if _MISSING.search(words) and not (_GONE_DAYS_AGO.search(words) and not _WORRY.search(words)):
        found.append("disparition")
    if _POWER.search(words) and _LIVE_WIRE.search(words):
        found.append("electricite")
    if beast:
        found.append("animal")
    # « des étincelles par terre »: on the ground is the wire, not a crash.
    fallen = crash is not None and crash.group() in _ON_THE_GROUND and "electricite" in found
    if _VEHICLE.search(words) and crash and _SOMEONE.search(words) and not fallen:
        found.append("accident")
    return found


# « mon papa est parti dimanche », « ma femme est partie la semaine dernière après 52 ans de
# mariage »: gone days ago, with nothing of a search (`_WORRY`), is a death said softly.
_GONE_DAYS_AGO = re.compile(
    r"\best partie? (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|la semaine derniere|"
    r"le mois dernier|il y a (?:deux|trois|quatre|cinq|six|huit|dix|quinze|\d+) "
    r"(?:jours|semaines|mois))\b"
)
_WORRY = re.compile(
    r"\b(?:nouvelles?|repond\w*|inquiet\w*|cherch\w*|sans rien dire|trouv\w*|revenue?|"
    r"rentree?|sai[st] ou|disparu\w*|fugue|police|gendarmes?|gendarmerie|portable|telephone)\b"
)


# « je voulais vous demander… mais là… »: the message turns to what is happening.
_TURN = re.compile(
    r"\b(?:je|j)\s?(?:voulais|venais|comptais|allais|devais)\b.*\bmais\b|"
    # « je dois annuler mon rendez-vous : ma femme vient de tomber dans l'escalier »
    r"\b(?:vient|viennent) (?:de|d) (?:tomber|faire|se|s|perdre|avaler|chuter|etre)\b|"
    # « … quelles pièces faut-il ? Autre chose, ma mère a la bouche de travers »
    r"\b(?:autre chose|par ailleurs|d autre part|rien a voir|au passage|et sinon)\b"
)
# The writer's own body in trouble (« je perds beaucoup de sang »).
_SELF_BODY = re.compile(
    r"\bje (?:perds (?:\w+ )?(?:de )?sang|saigne|respire mal|n arrive plus a respirer|"
    r"vais m evanouir|fais un malaise|me sens partir|suis en train de m evanouir)\b"
)


# A gun taken out by the writer (« j'ai mis de l'ordre dans mes papiers… j'ai sorti le
# fusil »): no errand makes it a figure.
_ARMED = re.compile(r"\bj ai sorti (?:le|mon) (?:fusil|revolver|pistolet|flingue)")


# A message made only of a cry for help.
_ALARM_ONLY = re.compile(
    r"^(?:(?:urgence|urgent|urgences|au secours|secours|a l aide|aidez moi|aidez nous|aide moi|"
    r"help|sos|vite|svp|s il vous plait|please|c est grave|grave|danger|je suis en danger|"
    r"venez|venez vite|appelez les secours)\s*)+$"
)


_ANY_DANGER = (
    # A cry, not only a word of time (« les branches touchent maintenant les fenêtres »).
    _FIRE, _GAS, _POWER, _DEATH_WISH, _THREAT, _HURT, _CRY, _SELF_BODY, _MISSING,
)  # fmt: skip


def plausible(text: str) -> bool:
    """Whether a message the classifier alone took for a danger may be one: not told as past,
    as a joke or as something to mend, and with someone in it or something of a danger (a
    body in trouble, fire, gas, water coming in, a live wire, an animal, a crash, a cry for
    help). « Le marronnier a l'air bien malade » or « le conteneur déborde et plus personne
    ne vient le vider » is no emergency, whatever the classifier guessed."""
    words = _FIGURES.sub(" ", plain(text.replace("-", " ")))
    if _TAKEN_BACK.search(words):
        return False
    jest = _in_jest(words, text)
    if _DEATH_WISH.search(words) and not (jest and _WANTS.search(words)):
        return True  # « elle va rejoindre sa mère, morte l'an dernier »: the past is the mother's
    told = _told(words) and not (_NOW.search(words) or _STILL_HURT.search(words))
    if jest or _over(words) or told:
        return False
    if (_SOMEONE.search(words) or _PERSON.search(words)) and (
        _BODY.search(words) or _FEAR.search(words)
    ):
        return True
    if _WATER.search(words) and (_RISING.search(words) or _CAUGHT.search(words)):
        return True
    if _SOMEONE.search(words) and _NOW.search(words):
        return True  # somebody, now (« le bébé… maintenant »); a branch « now » is no danger
    if _VEHICLE.search(words) and _CRASH.search(words):
        return True
    if _BEAST.search(words) and _ATTACKS.search(words):
        return True  # a stray dog that frightens nobody is no danger
    dangers = [pattern for pattern in _ANY_DANGER if pattern.search(words)]
    if dangers == [_GAS] and _GAS_BUSINESS.search(words) and not _GAS_SIGN.search(words):
        return False  # « qui vient relever les compteurs de gaz ? »: the gas company's business
    return bool(dangers) or bool(_ALARM_ONLY.match(words))


# What the gas company does, asked about without a sign of a leak.
_GAS_BUSINESS = re.compile(
    r"\b(?:compteurs?|relev\w*|factur\w*|abonnement|contrat|fournisseur|index|raccordement|"
    r"mise en service|tarifs?|prix)\b"
)
_GAS_SIGN = re.compile(
    r"\b(?:odeurs?|sent|sens|senti|pue|fuit|fuite|siffl\w*|souffl\w*|flamm\w*|explos\w*|"
    r"feu|fum\w*|mal a la tete|vertiges?|malaise|respir\w*)\b"
)


# Someone afraid or in distress now (« j'ai peur », « il hurle », « elle pleure »).
_FEAR = _any(
    r"peur", r"hurl", r"cri(?:e|ent|s)?\b", r"pleur", r"panique", r"terroris", r"danger",
    r"menac", r"enferm", r"coinc", r"bloque", r"tomb", r"chut", r"mal\b", r"souffr", r"accroch",
    # Someone missing (« on le cherche partout », « pas rentrée »).
    # « qui vient le chercher ? » fetches; « on le cherche partout » searches.
    r"(?:on|je|nous|j) (?:le |la |les )?cherch", r"cherch\w* partout",
    # « il l'a perdu » is a thing lost, « un chien perdu » a pet.
    r"(?<!l a )(?<!l ai )(?<!chien )(?<!chat )perdu", r"disparu", r"retrouv",
    # « elle n'est toujours pas rentrée », not « je rentre du travail à 18h »
    r"pas (?:encore |toujours |)rentre", r"jamais rentre",
    r"inquie", r"angoiss", r"seule?\b",
)  # fmt: skip


# Someone in the message, said with a pronoun or a role (« il perd du sang », « des gens »).
_PERSON = re.compile(
    r"\b(?:je|j|jai|jsuis|chui|moi|me|m|il|elle|ils|elles|on|nous|gens|chauffeur|conducteur|"
    r"conductrice|"
    r"diabetique|quelqu un)\b"
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
