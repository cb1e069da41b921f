"""What a resident's message says about a booking, besides dates: which resource, for whom,
how many, how to reach them, and for ID appointments the ANTS number and the situation.

Rasa recognises that a message is about booking; these plain rules read the details, so a
resident can give several at once ("50 chaises samedi, c'est pour mon association").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from bot.answers import fold
from calendar_store.spec import Requester

# Number words residents type for quantities.
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "cent": 100, "dizaine": 10,
    "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "cinquantaine": 50,
    "centaine": 100, "quarantaine": 40, "soixantaine": 60, "soixante": 60,
    "quatre vingt": 80, "quatre vingts": 80, "deux cents": 200, "cent cinquante": 150,
}  # fmt: skip
_COUNT = r"(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
# How many people a gathering is for (« pour 25 personnes », « on serait 120 », « une
# cinquantaine d'invités »).
_HEADCOUNT = re.compile(
    rf"\b{_COUNT}\s+(?:de\s+|d\s+)?(?:personnes|invites|participants|convives|adultes|gens|"
    r"membres|coproprietaires|adherents|familles)\b|"
    r"\b(?:on (?:serait|sera|est|va etre)|nous (?:serons|serions|sommes|allons etre))\s+"
    rf"(?:environ |a peu pres |pres de |autour de |une |un )?{_COUNT}\b"
)
# A gathering that needs a room, or a place asked for.
_GATHERING = re.compile(
    r"\b(?:salle|lieu|endroit|piece|local|espace|batiment|quelque part|se reunir|fete|soiree|"
    r"reunion|assemblee|anniversaire|mariage|repas|reception|conference|ag|pot|buffet|"
    r"bapteme|communion|seminaire|spectacle|loto|concert)\b"
)
_REQUESTERS: tuple[tuple[Requester, tuple[str, ...]], ...] = (
    (Requester.ASSOCIATION, ("association", "asso", "club", "comite", "amicale", "collectif")),
    (
        Requester.EXTERIEUR,
        (
            "exterieur",
            "pas de la commune",
            "n habite pas",
            "hors commune",
            "autre commune",
            "habite pas",
            "pas de clairval",
            "pas d ici",
            "pas habitant",
            "commune voisine",
            "ville voisine",
            "village voisin",
        ),
    ),
    (
        Requester.RESIDENT,
        ("habitant", "resident", "j habite", "particulier", "de la commune", "pour moi"),
    ),
)
# Where the resident says they live (« je réside à Lyon », « jsuis de clairval »): the first
# word of the place.
_HOME = re.compile(
    r"\b(?:j habite|jhabite|je reside|je vis|je demeure|je suis domiciliee?|domiciliee?|"
    r"je suis de|jsuis de|chui de|on habite|nous habitons|nous vivons|on vit) "
    r"(?:a |au |en |sur |dans |pres de |du cote de )?([a-z]+)"
)
_NOT_A_TOWN = frozenset(
    {
        "ici", "la", "le", "les", "l", "rue", "avenue", "chemin", "impasse", "allee", "place",
        "route", "boulevard", "quartier", "centre", "commune", "ville", "village", "un", "une",
        "pas", "plus", "depuis", "juste", "pres", "seul", "seule", "chez", "en", "face",
        "derriere", "devant", "cote", "residence", "lotissement", "hameau", "bourg", "meme",
        "memes", "mon", "ma", "nos", "notre", "son", "sa", "leur", "toujours", "encore",
        "maintenant", "bien", "clairvalois", "clairvaloise", "d", "du", "des", "de",
        # « je suis de passage », « de garde », « de retour »
        "passage", "retour", "garde", "service", "permanence", "repos", "sortie", "nouveau",
        "bonne", "mauvaise", "tout", "toute", "avis", "ceux", "celles", "loin", "ensemble",
        "seuls", "seules", "avec", "tous", "toutes",
    }
)  # fmt: skip
_ID_CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mineur", ("mineur", "enfant", "mon fils", "ma fille", "ans", "bebe", "ado")),
    ("perte_vol", ("perdu", "perte", "vol", "egare", "plus retrouve")),
    ("renouvellement", ("renouvel", "refaire", "expir", "perime", "plus valable", "change")),
    ("premiere", ("premiere", "premier", "jamais eu", "nouvelle", "nouveau")),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|00)?\d[\d .\-/]{7,}\d")
_ANTS = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{10}\b")
# Without its dash a reference holds a digit: « je vous signale » is no SIG-NALE.
_REFERENCE = re.compile(r"\b([A-Z]{2,4})(?:[- ]([A-Z0-9]{4})|(?=[A-Z]*\d)([A-Z0-9]{4}))\b")
_NAME_PREFIX = re.compile(
    r"^(?:c'est|c est|ce sera|ça sera|ca sera|je suis|je m'appelle|moi c'est|mon nom est|"
    r"mon nom c'est|le nom c'est|le nom est|au nom de|à ce nom|a ce nom|nom|pour|alors|"
    r"oui|ok|bonjour|euh)(?:\s+|\s*:\s*|\s*,\s*)|^au nom d'|^à l'ordre de\s+",
    re.IGNORECASE,
)
_NAME_POLITENESS = re.compile(
    r"[\s,]+(?:merci(?: beaucoup| bien)?|svp|stp|s'il vous pla[iî]t|cordialement)[\s.!]*$",
    re.IGNORECASE,
)
# An ANTS number typed in groups: "7FQ2 K9LM 3T".
_GROUPS = re.compile(r"\b[A-Z0-9]{1,5}(?:[ -][A-Z0-9]{1,5}){1,4}\b")


def plain(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces: how the rules compare words."""
    return " ".join(re.sub(r"[^\w@+.-]", " ", fold(text)).split())


def _has(words: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}", words) is not None


@dataclass(frozen=True)
class Named:
    """A resource and the ways residents name it."""

    slug: str
    names: tuple[str, ...]


def resource_in(text: str, resources: Iterable[Named]) -> str | None:
    """The resource the text names; the longest name wins ("salle des fêtes" over "salle")."""
    words = plain(text)
    best: tuple[int, str] | None = None
    for resource in resources:
        for name in resource.names:
            name = plain(name)
            if name and _has(words, name) and (best is None or len(name) > best[0]):
                best = (len(name), resource.slug)
    return best[1] if best else None


_LINKS = frozenset({"de", "des", "du", "la", "le", "les", "l", "d", "a", "au", "aux"})


# A name said right after a subject pronoun is a verb (« je tente ma chance »).
_NOT_A_VERB = r"(?<! je )(?<! tu )(?<! on )(?<! il )(?<! elle )"


def _key(text: str) -> str:
    """Words without articles and plural marks: « salle fetes » names « la salle des fêtes »."""
    words = [w for w in re.sub(r"[^\w\s]", " ", plain(text)).split() if w not in _LINKS]
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


def items_in(text: str, resources: Iterable[Named]) -> list[str]:
    """Every resource the text names, in the order it names them (« 10 tables et 60 chaises »)."""
    words = f" {_key(text)} "
    found: list[tuple[int, int, int, str]] = []  # (-length as written, position, end, slug)
    for resource in resources:
        for name in resource.names:
            key = _key(name)
            if not key:
                continue
            for match in re.finditer(rf"{_NOT_A_VERB}(?<![\w]){re.escape(key)}(?![\w])", words):
                found.append((-len(plain(name)), match.start(), match.end(), resource.slug))
    # The longest names first: « salle des fêtes » holds « salle », and « la grande salle de
    # sport » is the gymnase's « salle de sport », not the salle des fêtes' « grande salle ».
    found.sort()
    taken: list[tuple[int, int, str]] = []
    for _, start, end, slug in found:
        if not any(a < end and start < b for a, b, _ in taken):
            taken.append((start, end, slug))
    slugs: list[str] = []
    for _, _, slug in sorted(taken):
        if slug not in slugs:
            slugs.append(slug)
    return slugs


# How residents say who a booking is for, when asked (« moi », « c'est perso »).
_SELF = re.compile(
    r"^(?:(?:c est|c|cest|ce sera|ca sera|c sera|ben|bah|euh) )?(?:pour )?"
    r"(?:moi|moi meme|nous|nous memes|perso|personnel|a titre perso|"
    r"a titre personnel|particulier|un particulier|en tant que particulier|pour ma famille|"
    r"ma famille|la famille|famille|prive|a titre prive|je suis d ici|j habite ici|"
    r"j habite la|d ici|habitant|une habitante|un habitant|citoyen|moi je suis habitant)"
    r"(?: (?:c est (?:pour )?)?(?:un |une |l )?(?:anniversaire|mariage|bapteme|fete|repas|"
    r"communion|reunion de famille|fete de famille|soiree))?$"
)
_FAMILY_EVENTS = re.compile(
    r"\b(?:anniversaire|mariage|bapteme|communion|fete de famille|reunion de famille|"
    r"cousinade|pot de depart|crémaillere|cremaillere)\b"
)


def requester_answer(
    text: str, resources: Iterable[Named] = (), ours: str = ""
) -> Requester | None:
    """Who the booking is for, read as the answer to « pour qui ? »: the cues of
    requester_in, and the ways people say « for myself »."""
    said = requester_in(text, resources, ours)
    if said is not None:
        return said
    words = f" {plain(text).replace('-', ' ')} ".replace(" pr ", " pour ").strip()
    if _SELF.match(words) or _FAMILY_EVENTS.search(words):
        return Requester.RESIDENT
    return None


def requester_in(text: str, resources: Iterable[Named] = (), ours: str = "") -> Requester | None:
    """Who the booking is for, when the text says it ("salle des associations" does not).
    With `ours` (the commune's name), where the resident says they live decides whether they
    are one of its residents (« c'est pour moi, j'habite à Orléans »)."""
    words = f" {plain(text)} "
    for resource in resources:
        for name in resource.names:
            words = words.replace(f" {plain(name)} ", " ")
    home = _HOME.search(words) if ours else None
    if home is not None and home.group(1) not in _NOT_A_TOWN and not _has(words, "association"):
        here = home.group(1) == plain(ours).split()[0]
        return Requester.RESIDENT if here else Requester.EXTERIEUR
    for requester, cues in _REQUESTERS:
        if any(_has(words, cue) for cue in cues):
            return requester
    return None


def quantity_in(text: str, names: Iterable[str] = (), *, alone: bool = False) -> int | None:
    """A quantity next to the item's name ("50 chaises"), or any number when `alone`."""
    text = re.sub(r"(?<=\d)[ .\u00a0\u202f](?=\d{3}\b)", "", text)  # "10 000" is one number
    words = plain(text).split()
    item_words = {plain(n).split()[0] for n in names if plain(n)}
    for index, word in enumerate(words):
        value = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if value is None or value == 0:
            continue
        following = words[index + 1 : index + 3]
        if any(w.rstrip("s") in {i.rstrip("s") for i in item_words} for w in following):
            return value
        if following[:1] == ["de"] and any(
            w.rstrip("s") in {i.rstrip("s") for i in item_words} for w in following[1:]
        ):
            return value
    if alone:
        numbers = [w for w in words if w.isdigit() or w in _NUMBER_WORDS]
        if len(numbers) == 1:
            word = numbers[0]
            return int(word) if word.isdigit() else _NUMBER_WORDS[word]
    return None


def email_in(text: str) -> str | None:
    """An e-mail address in the text, lower-cased."""
    match = _EMAIL.search(text)
    return match.group(0).lower().rstrip(".") if match else None


def is_email(value: str) -> bool:
    """Whether the whole value is one e-mail address."""
    return _EMAIL.fullmatch(value) is not None


# A date written with figures (« 10/02/2027 9h »): no phone number, whatever its digits.
_NUMERIC_DATE = re.compile(
    r"(?<![\d./])(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])(?:[/.](?:\d{4}|\d{2}))?(?![\d./])"
)


def _without_dates(text: str) -> str:
    return _NUMERIC_DATE.sub(" ", text)


def phone_in(text: str) -> str | None:
    """A valid phone number in the text (French by default), as E.164; None if none is valid."""
    for match in _PHONE.finditer(_without_dates(text)):
        number = normalise_phone(match.group(0))
        if number:
            return number
    return None


def looks_like_phone(text: str) -> bool:
    """Whether the text holds something meant as a phone number (valid or not)."""
    found = _PHONE.finditer(_without_dates(text))
    return any(len(re.sub(r"\D", "", m.group(0))) >= 8 for m in found)


# Overseas departments and collectivities share France's ten-digit national numbering: from
# anywhere in France, 06 90 12 34 56 is a mobile in Guadeloupe (+590), 06 93… one in La Réunion.
_OVERSEAS = ("GP", "MQ", "GF", "RE", "YT", "BL", "MF")


def normalise_phone(raw: str) -> str | None:
    """E.164 for a valid number (French national numbering when no country code), else None."""
    for region in ("FR", *_OVERSEAS):
        try:
            number = phonenumbers.parse(raw, region, keep_raw_input=True)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if number.country_code_source != phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY:
            return None  # written with its country code: no other reading
    return None


def say_phone(e164: str) -> str:
    """A phone number as the French write it: "06 12 34 56 78"."""
    number = phonenumbers.parse(e164, "FR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def ants_number_in(text: str) -> str | None:
    """An ANTS pre-application number: 10 letters and digits (both present)."""
    upper = text.upper()
    match = _ANTS.search(upper)
    if match:
        return match.group(0)
    for group in _GROUPS.finditer(upper):
        joined = re.sub(r"[ -]", "", group.group(0))
        if _ANTS.fullmatch(joined):
            return joined
    return None


def id_case_in(text: str) -> str | None:
    """The ID situation: premiere, renouvellement, perte_vol or mineur."""
    words = plain(text)
    for case, cues in _ID_CASES:
        if any(_has(words, cue) for cue in cues):
            return case
    return None


def headcount_in(text: str) -> int | None:
    """How many people a room is wanted for, when the message says it of a gathering."""
    words = plain(text)
    found = _HEADCOUNT.search(words)
    if found is None or _GATHERING.search(words) is None:
        return None
    said = found.group(1) or found.group(2)
    return int(said) if said.isdigit() else _NUMBER_WORDS.get(said)


def reference_in(text: str, prefixes: Iterable[str]) -> str | None:
    """A booking reference such as SDF-7KQ2, whatever the case or the dash."""
    known = set(prefixes)
    for match in _REFERENCE.finditer(text.upper()):
        if match.group(1) in known:
            return f"{match.group(1)}-{match.group(2) or match.group(3)}"
    return None


_CORRECTION = re.compile(
    r"^(?:non|plutot|finalement|en fait|changer|changez|pas le|erreur|oups|correction|"
    r"rectif|rectification|attendez|ah non)\b"
)
# « dsl je me suis trompée de jour », « erreur de ma part, je voulais dire 8h »
_TAKEN_BACK = re.compile(
    r"\b(?:je voulais dire|je me suis trompee?|erreur de ma part|je me suis mal exprimee?)\b"
)


def corrects(text: str) -> bool:
    """Whether the message takes back an earlier answer ("non, plutôt dimanche")."""
    words = plain(text)
    return _CORRECTION.match(words) is not None or _TAKEN_BACK.search(words) is not None


def name_in(text: str) -> str | None:
    """A person's or association's name given as an answer ("c'est au nom de Marie Martin")."""
    name, before = text.strip().replace("’", "'"), ""
    if ":" in name and "nom" in name.split(":")[0].lower():
        name = name.split(":", 1)[1]  # « c'est à ce nom : Mr Nguyen »
    while name != before:  # "c'est au nom de Marie Martin, merci"
        before, name = name, _NAME_PREFIX.sub("", _NAME_POLITENESS.sub("", name.strip()))
    name = name.strip(" .!,:")
    if not name or len(name) > 120 or not re.search(r"[^\W\d_]", name):
        return None
    if _EMAIL.search(name) or looks_like_phone(name):
        return None
    return name[0].upper() + name[1:]
