"""Other places and institutions (« numéros utiles »): a question about the gendarmerie, La
Poste, the tax office or another town's town hall gets that entry of the commune file's
directory, or an honest « ce n'est pas de mon ressort » with where to ask — never the
commune's own facts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field

from bot.answers import plain
from bot.schema import Strict

NEIGHBOUR = "mairie_voisine"
NOT_OURS = "not_ours"


class Entry(Strict):
    """One useful contact: who, the words that name it, and what to say."""

    nom: str
    mots: tuple[str, ...] = Field(min_length=1)
    texte: str
    # Our own answers (keys of `mots_des_reponses`) it does not take over: « on m'a volé mon
    # portefeuille, que faut-il pour refaire mes papiers ? » asks for ours, the theft is the
    # story.
    pas_pour: tuple[str, ...] = ()


class Directory(Strict):
    """The commune file's `annuaire`, and the answer when nothing in it fits."""

    entrees: dict[str, Entry]
    ailleurs: str  # another town: {{ lieu }} is what the resident named
    # Places that are nobody's public service (a bank, a shop, a notary): « not ours ».
    pas_nous: tuple[str, ...] = ()
    # The towns around, named alone (« à Montreuil, les encombrants c'est quand ? »).
    voisines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """A directory entry, or another place (`key` is NEIGHBOUR, `place` what was named)."""

    key: str
    place: str = ""
    sure: bool = False  # named by several words (« permis de conduire »), or another town
    lives: bool = False  # where the resident lives (« j'habite à Bagnolet »), not asked about


# A town's name as the plain words say it (« saint ouen », « rosny sous bois »).
_TOWN = (
    r"((?:saint |sainte )?[a-z0-9]+"
    r"(?: (?:sur|sous|les|en|le|la|a) (?!commune\b|ville\b|village\b|mairie\b)[a-z]+)?)"
)
_TOWN_HALL = r"(?:mairie|commune|ville|village|dechetterie)"
# « la mairie de Montreuil », « la déchetterie de Bagnolet », « à Rosny, la piscine ».
_PLACES = (
    r"mairie|mairies|dechetterie|decheterie|dechetteries|hotel de ville|ville|commune|"
    r"piscine|mediatheque|bibliotheque|cimetiere|centre social|ccas|encombrants|"
    r"salle des fetes|salle polyvalente|gymnase|police municipale|ecole|services techniques"
)
_OTHER_TOWN = re.compile(
    rf"\b(?:{_PLACES})(?: annexe)? (?:de|d|du|a) (?!la commune|ma |mon |notre |votre )" + _TOWN
)
# Another town said without its name (« la mairie d'à côté », « une commune voisine »).
_NEIGHBOURLY = re.compile(
    r"\b(?:(?:mairie|commune|ville|dechetterie|decheterie|village)s? (?:d a cote|voisine|d avant|"
    r"de mon ancienne ville|de ma ville d avant)|(?:autre|ancienne) (?:commune|mairie|ville))\b"
)
# A town named first (« à Bondy, … ») or a question about its services or about « them »
# asks about it; otherwise it is the story (« je travaille à Montreuil, vous ouvrez samedi ? »).
_LEADS = re.compile(r"^\s*(?:(?:et|mais|sinon|bonjour|bjr|slt)\s+)?(?:a|pour|sur|a cote de)?\s*$")
_THEIRS = re.compile(r"\b(?:leurs?|ils|elles|la bas|chez eux|y aller)\b")
# « la déchetterie intercommunale de Rosny »: one of its services, a word or two between.
_OF_TOWN = re.compile(rf"\b(?:{_PLACES})(?:\s+\w+){{0,2}}\s+(?:de|d|du|a)\s+$")
# Coming from a town is no question about it (« je viens de Montreuil en voiture »).
_FROM = re.compile(
    r"\b(?:viens|venons|venant|arrive|arrivons|originaire|provenance|depuis|partant|pars|"
    r"je suis|nous sommes|on est)\s+"
    r"(?:\w+\s+){0,2}$"
)
# « j'habite à Bagnolet, c'est quand les encombrants ? »: the resident lives elsewhere.
_LIVES = re.compile(
    r"\b(?:j habite|je vis|je reside|je demeure|on habite|nous habitons|nous vivons|"
    r"j habite maintenant|je viens d emmenager|on vient d emmenager|domicilie|domiciliee) "
    r"(?:a|sur|en) " + _TOWN
)
# Where the resident's family lives (« mes parents habitent Vernay »): asked about when the
# question is about « them » (« leur mairie est ouverte le samedi ? »).
_THEY_LIVE = re.compile(
    r"\b(?:(?:mes|nos|ses) (?:parents|enfants|grands parents|beaux parents|fils|filles|soeurs|"
    r"freres|cousins|amis|voisins)|(?:mon|ma) (?:pere|mere|fils|fille|soeur|frere|grand mere|"
    r"grand pere|belle mere|beau pere|tante|oncle|cousine?|amie?|copine?)) "
    r"(?:habitent|habite|vivent|vit|resident|reside|demeure|demeurent) (?:(?:a|sur|en) )?" + _TOWN
)
# The resident's own town, named as where they come from (« je suis de Vernay, les horaires
# de MA mairie ? »), or the town where relatives do something (« ma sœur se marie à Vernay,
# c'est à leur mairie ? »): asked about with « ma mairie », « leur mairie ».
_ORIGIN = re.compile(
    r"\b(?:(?:je suis|nous sommes|on est|je viens|nous venons) (?:de|d|a)|"
    r"(?:j habite|nous habitons|on habite)(?: a| de| d)?) " + _TOWN
)
# « ma mairie », « la salle des fêtes de chez nous » (« j'habite Vernay »).
_MINE = re.compile(rf"\b(?:ma|notre|mon) {_TOWN_HALL}\b|\bde chez nous\b")
_AT_TOWN = re.compile(r"\b(?:à|a|de) ((?:Saint|Sainte|Le|La|Les)?-?[A-Z][\w'’-]+)")
# « leur mairie », « leur salle polyvalente » with « à X » in the message: that town's.
_YOURS = re.compile(rf"\bleurs? (?:{_TOWN_HALL}|salle)\b")
_GENERIC = frozenset(
    {
        "la", "le", "les", "chez", "ici", "quartier", "ville", "commune", "garde", "service",
        "secteur", "centre", "proximite", "residence", "naissance", "deces", "mariage",
        "rendez", "rdv", "demain", "aujourd", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
        "samedi", "dimanche", "midi", "quelle", "quel", "combien", "l", "heure", "ouverture",
        "qui", "quoi", "ou", "mon", "ma", "mes", "votre", "vos", "notre", "nos", "cette", "ce",
        "fetes", "fete", "sport", "reunion", "associations", "assos", "environ", "nuit", "week",
        "clairval", "village", "bourg", "coin", "un", "une", "des", "son", "sa", "ses",
        "cote", "etage", "rez", "deux", "cent", "present", "nouveau", "nouveaux",
        # Words that follow « la mairie de », « la salle des fêtes à » without naming a town
        # (« joindre la mairie de vive voix », « la salle des fêtes à disposition »).
        "vive", "disposition", "suite", "partir", "propos", "cause", "distance", "pied",
        "toute", "tout", "tous", "janvier", "fevrier", "mars", "avril", "mai", "juin",
        "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "louer", "reserver",
        "prix", "tarif", "telephone", "soir", "matin", "apres", "avant", "a", "voisine",
        "ancienne", "autre", "depuis", "pres", "loin", "toujours", "encore", "dans", "au",
        "aux", "avec", "seul", "seule", "seuls", "ensemble", "juste", "rue", "maintenant",
        "plus", "pas", "en", "sur", "avenue", "route", "chemin", "impasse",
        # Where in town (« j'habite derrière l'église »).
        "derriere", "devant", "vers", "entre", "face", "pile", "place", "allee", "lotissement",
        "immeuble", "maison", "appartement", "studio", "hlm", "cite", "hameau",
    }
)  # fmt: skip


def elsewhere(text: str, directory: Directory, commune: str) -> Found | None:
    """The other place or institution the text asks about first, or None if it is ours."""
    found = everywhere(text, directory, commune)
    return found[0] if found else None


# A sentence, and its end: a question ends with a question mark.
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
# A question that points back at what the story named (« vous avez leur numéro ? »).
_POINTS_BACK = re.compile(
    r"\b(?:leurs?|son numero|ses horaires|son adresse|ce numero|cette adresse|ces horaires|"
    r"chez eux|chez lui|chez elle|celui|celle|"
    # « ça, cela » point back, not « combien ça coûte », « comment ça se passe ».
    r"(?:ca|cela)(?! (?:coute|coutera|couterait|fait|marche|prend|se passe|va)\b)|y aller|"
    r"les joindre|le joindre|"
    r"la joindre|me le|me la|me les|me l|nous le|nous la|nous les|nous l|l avez|l avoir|"
    r"les avez|les avoir|le donner|la donner|les donner|"
    # Whom to turn to, the need told before (« ma fille a de la fièvre… Qui peut la voir ? »).
    r"qui peut (?:la|le|les|l|nous|m|me) \w+|"
    r"qui (?:peut|doit|va|pourrait) (?:intervenir|agir)|"
    r"a qui|aupres de qui|vers qui|qui dois je|pour chacun|pour chacune|pour les deux|"
    r"qui (?:contacter|appeler|joindre)|(?:j|on) appelle qui|iran? ou|iront ou|"
    r"qui (?:il |qu il )?faut(?: il)? (?:contacter|appeler|joindre|voir|prevenir)|"
    r"c est qui|je m adresse a qui|(?:on|je) (?:peut|peux) (?:les|le|la) joindre|"
    # Who stands in for the one the story said closed (« notre médecin est fermé… Qui est
    # de garde ? »).
    r"qui (?:est|sont) de garde|qui (?:assure|fait) la garde|qui (?:est|sont) ouverte?s?|"
    # What the story named, done (« mon titre de séjour expire… Pour le renouveler, je vais
    # où ? »), or chosen among (« les pharmacies sont fermées. Laquelle est ouverte ? »).
    r"(?:le|la|les|l) (?:renouveler|refaire|obtenir|demander|changer|declarer|deposer|"
    r"recuperer|acheter|faire enlever)|laquelle|lequel|lesquelles|lesquels)\b"
)
# A street is no place asked about (« la salle de la rue des Écoles », « route de la Gare »).
_STREET = re.compile(
    r"\b(?:rue|avenue|place|chemin|impasse|allee|boulevard|route|square|quai|sentier|ruelle|"
    r"quartier) "
    r"(?:de la|de l|des|du|de|d) [a-z0-9]+"
)

# A landmark that says where something is (« le banc devant la poste », « près de l'école »),
# unless the message asks when it opens or how to reach it.
_LANDMARK = re.compile(
    r"\b(?:devant|derriere|pres de|a cote de|en face de|au coin de|le long de|face a|"
    r"a l angle de|sur le parking de|a la sortie de|a l entree de) "
    r"(?:la |le |l |les |du |des )?[a-z0-9]+|"
    # Where one waits for it (« l'endroit où on attend le car n'a plus de toit »).
    r"\b(?:ou|quand) (?:on|j|je|nous|les enfants) (?:attend|attends|attendons|prend|prends|"
    r"prenons|descend|descends) (?:le|la|les|l) [a-z0-9]+|"
    # Where the resident works (« je travaille de nuit à l'hôpital »): no place asked about.
    r"\b(?:je|j) (?:travaille|bosse|suis employee?|suis infirmiere?|suis aide soignante?)"
    r"(?: de nuit| de jour)? (?:a|au|dans|chez) (?:la |le |l |les |une |un )?[a-z0-9]+"
)
_OPENING_OR_CONTACT = re.compile(
    r"\b(?:horaires?|ouvert|ouverte|ouvre|ouvrent|ferme|fermee|numero|telephone|adresse|"
    r"joindre|contacter|appeler|mail|quand|heure)\b"
)


# Another institution that asks the resident for a paper (« la banque me réclame la feuille
# qui… »), or a complaint already filed (« j'ai déjà porté plainte »): the story, not asked.
_TOLD_BY = re.compile(
    r"\b(?:la |le |l |ma |mon |leur |notre )?[a-z]+ (?:me|nous|lui) "
    r"(?:reclame|reclament|demande|demandent|exige|exigent|veut|veulent) "
    r"(?:un|une|le|la|les|des|mon|ma|mes|l) (?:\w+ ){0,2}?"
    r"(?:acte|papier|document|feuille|justificatif|certificat|attestation|copie|extrait|livret)|"
    r"\b(?:j ai|j avais|on a|on avait|nous avons|nous avions) (?:deja |bien |aussi )?"
    r"(?:porte|depose) plainte\b"
    # … and where (« j'ai déjà porté plainte au commissariat de Lyon »).
    r"(?: (?:au|a la|a l|chez les|aupres de la|aupres du|aupres des) "
    r"(?:commissariat|gendarmerie|police|gendarmes|policiers)(?: (?:de|d|du) [a-z]+)?\b)?"
)


# The post as a way to send something to us (« vous envoyer une lettre par la poste »): no
# question about the post office.
_BY_POST = re.compile(r"\b(?:par|via) (?:la )?poste\b")


def asked(text: str) -> str:
    """The part of a message that asks: its questions when it tells a story around them
    (« je suis infirmière de nuit… le dossier de cantine… Pourriez-vous me rappeler vos heures
    d'ouverture ? » asks nothing about the school). The whole text when no sentence or every
    sentence ends with a question mark, or when a question points back at the story (« je
    cherche la gendarmerie. Vous avez leur numéro ? »)."""
    sentences = [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()]
    questions = [s for s in sentences if s.endswith("?")]
    if not questions or len(questions) == len(sentences):
        return text
    part = " ".join(questions)
    if _POINTS_BACK.search(plain(part)):
        return text
    return part


def everywhere(text: str, directory: Directory, commune: str) -> list[Found]:
    """Every other place or institution the text asks about, in the order it names them:
    looked for in what it asks (`asked`), where the resident lives in all of it."""
    whole = plain(text)
    words = _BY_POST.sub(" ", _TOLD_BY.sub(" ", _STREET.sub(" ", plain(asked(text)))))
    if not _OPENING_OR_CONTACT.search(words):
        words = _LANDMARK.sub(" ", words)
    hits: list[tuple[int, int, Found]] = []
    for key, entry in directory.entrees.items():
        best: tuple[int, int] | None = None
        for phrase in entry.mots:
            at = _find(words, phrase)
            if at is not None and (best is None or len(phrase) > best[1]):
                best = (at, len(phrase))
        if best is not None:
            sure = any(
                len(plain(p).split()) > 1 and _find(words, p) is not None for p in entry.mots
            )
            hits.append((best[0], -best[1], Found(key, sure=sure)))
    ours = plain(commune)
    towns = (*_OTHER_TOWN.finditer(words), *_LIVES.finditer(whole), *_THEY_LIVE.finditer(whole))
    for town in towns:
        place = town.group(1)
        if not _names_a_town(place, ours):
            continue
        lives = town.re is _LIVES or (town.re is _THEY_LIVE and not _THEIRS.search(words))
        lives = lives and not _YOURS.search(whole)  # « j'habite à X… leur salle ? »
        hits.append((town.start(), 0, Found(NEIGHBOUR, place, sure=not lives, lives=lives)))
        break
    if not any(found.key == NEIGHBOUR for _, _, found in hits):
        hits += _own_town(text, whole, ours)
    if not any(found.key == NEIGHBOUR for _, _, found in hits):
        hits += _neighbour(words, hits, directory.voisines)
    if not hits:
        for phrase in directory.pas_nous:
            where = _find(words, phrase)
            if where is not None:
                hits.append((where, 0, Found(NOT_OURS)))
                break
    # A service named in several words (« porter plainte ») before one named in a word
    # (« la gare »), then in the order they come.
    return [found for _, _, found in sorted(hits, key=lambda h: (not h[2].sure, h[0], h[1]))]


def _own_town(text: str, whole: str, ours: str) -> list[tuple[int, int, Found]]:
    """The resident's or their relatives' town, asked about as « ma mairie », « leur
    mairie »."""
    towns: list[str] = []
    if _MINE.search(whole):
        towns += [m.group(1) for m in _ORIGIN.finditer(whole)]
    if _YOURS.search(whole):
        towns += [plain(m.group(1)) for m in _AT_TOWN.finditer(text)]
    for place in towns:
        if _names_a_town(place, ours):
            return [(0, 0, Found(NEIGHBOUR, place, sure=True))]
    return []


def _names_a_town(place: str, ours: str) -> bool:
    """Whether words after « de », « à » name another town (« du 20 » is a date, « de la
    commune » none, « de Clairval » ours)."""
    first = place.split()[0]
    return not (first in _GENERIC or first.isdigit() or place.startswith(ours))


def _neighbour(
    words: str, hits: list[tuple[int, int, Found]], towns: tuple[str, ...]
) -> list[tuple[int, int, Found]]:
    """Another town named alone (one of the commune file's neighbours) or said without its
    name (« la mairie d'à côté »), when nothing of the directory was named."""
    named = [
        (at, town)
        for town in towns
        if (at := _find(words, town)) is not None
        and not _FROM.search(words[:at])
        and (_LEADS.match(words[:at]) or _OF_TOWN.search(words[:at]) or _THEIRS.search(words))
    ]
    said = _NEIGHBOURLY.search(words)
    if hits or not (named or said):
        return []
    at, place = min(named) if named else (said.start() if said else 0, "")
    return [(at, 0, Found(NEIGHBOUR, place, sure=True))]


def _find(words: str, phrase: str) -> int | None:
    """Where the phrase is said, each of its words in the singular or the plural
    (« allocation logement » in « les allocations logement »)."""
    said = plain(phrase)
    if not said:
        return None
    each = r" ".join(rf"{re.escape(word)}[sx]?" for word in said.split())
    match = re.search(rf"(?<!\w){each}(?!\w)", words)
    return match.start() if match else None
