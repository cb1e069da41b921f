"""Several requests in one message (« votre adresse et vos horaires ? »): which clauses are
requests of their own, each then sent to Rasa as its own turn, and which only give context
(« mon passeport a été volé », « c'est pour le 12 ») and go with their neighbour."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from bot import places, topics, wish
from bot.answers import cancel_verb, plain
from bot.catalogue import ANSWERS
from bot.clauses import COUNTED, NEXT_REQUEST
from bot.commune import Commune
from bot.directory import NEIGHBOUR, Found, everywhere
from bot.emergency import plausible
from bot.names import ANSWERED_INTENTS, Intent
from calendar_store.wording import noun

QUESTIONS = ANSWERED_INTENTS - {Intent.GREET, Intent.THANK, Intent.GOODBYE, Intent.OUT_OF_SCOPE}
FAQ = frozenset(i.value for i in QUESTIONS)
# What a clause must be understood as, and how surely, to be a request of its own:
# questions and wishes, never a bare « oui », a date or small talk.
SPLITTABLE = FAQ | {
    "ask_resource",
    "ask_elsewhere",
    "book",
    "report_problem",
    "my_bookings",
    "cancel_booking",
    "report_status",
    "still_broken",
    "my_reports",
    "request_human",
}
SPLIT_CONFIDENCE = 0.5
# A question nobody here answers (« vous savez quel temps il fera dimanche ? »): a request of
# its own only when asked in its own clause and surely understood.
OUT_OF_SCOPE = "out_of_scope"
# How surely the one clause that asks a long message's request must be understood to be read
# alone (`lead`).
LEAD_CONFIDENCE = 0.8
# Below this, a service the classifier names is no match for another place the words name.
UNSURE_ELSEWHERE = 0.75
# Requests sent as their intent (with their words) when only the commune's words recognised
# them.
FORCED = FAQ | {
    "thank", "cancel_booking", "report_problem", "request_human", "still_broken", "report_status",
    "book",
}  # fmt: skip
# Requests that may come twice in one message, about two different things (« qui peut
# emprunter les chaises, et la sono est-elle gratuite ? »).
TWICE = frozenset({"ask_resource", "ask_elsewhere"})
# A question (« vos horaires ? », « les horaires svp »), and the statement of a situation
# (« mon passeport a été volé »): a frequent question counts only when asked.
ASKED = re.compile(
    r"\?|^(?:est[ -]ce|qu'est|comment|combien|quand|où|ou |quel|quelle|quels|quelles|"
    r"pourquoi|faut[ -]il|c'est quoi|c koi|c quoi|à quelle|a quelle|y a[ -]t[ -]il)|"
    r"\b(?:svp|stp|s'il vous pla[iî]t|je voudrais savoir|j'aimerais savoir|je cherche|"
    r"pouvez[ -]vous|pourriez[ -]vous|dites[ -]moi|donnez[ -]moi|indiquez[ -]moi|"
    r"combien|est[ -]ce qu|à quelle heure|a quelle heure|c'est quoi|c koi|c quoi|"
    r"vous êtes où|vous etes ou|c'est où|c'est ou|où se trouve|ou se trouve)\b|"
    r"\b(?:où|ou|quand|combien|comment|quoi|qui)\s*$|"
    # A question word left in place (« faut ramener quoi comme papiers », « j'appelle qui »).
    r"\bquoi comme\b|\b(?:dans|de|en|par|pour|sur|à|a|avec|chez) (?:quel|quelle|quels|quelles)\b|"
    r"\b(?:j'appelle|on appelle|je contacte|je m'adresse à|je vais voir) qui\b|"
    r"\bfaut quoi\b|"
    # A wish or a need is a request too (« je voudrais m'inscrire », « et refaire ma carte »).
    r"\b(?:je voudrais|je voudrai|je voudrait|jvoudrai|jaimerais|j'aimerai|j’aimerai|"
    r"je souhaiterai|j'aimerais|j’aimerais|je souhaite|je souhaiterais|je veux|je dois|"
    r"j'ai besoin|j’ai besoin|il me faut|il faut que je|je peux|puis[ -]je|on peut|"
    r"j'aurais besoin|j’aurais besoin|nous aurions besoin|on aurait besoin|il me faudrait|"
    r"il nous faudrait|"
    r"jvoudrais|jveux|je voulais|je préférerais|je prefererais|je préfèrerais|"
    # A choice made (« sinon je prends la salle des assos le 8 »).
    r"je prends|je prendrai|je vais prendre|je réserve|je reserve|on prend|je retiens|"
    # Said for a club, a family or a couple (« notre club voudrait le gymnase »).
    r"nous voudrions|nous aimerions|nous souhaitons|nous souhaiterions|nous voulons|"
    r"voudrait|aimerait|souhaiterait|on veut|il nous faut|nous avons besoin)\b|"
    # « j'ai deux demandes : réserver la sono, et signaler un dépôt d'ordures ».
    r"\bj['’]ai (?:une|deux|trois|plusieurs|quelques|d'autres|d’autres) (?:demandes?|questions?)\b|"
    r"^(?:de |d'|d’)?(?:faire|refaire|demander|obtenir|avoir|prendre|changer|renouveler|"
    r"inscrire|m'inscrire|réserver|reserver|louer|emprunter|déclarer|declarer|savoir|"
    r"connaître|connaitre|voir|signaler|annuler)\b",
    re.IGNORECASE,
)
# « merci pour l'info ! »: thanks said beside a request get their own short answer (never
# « merci de me dire… », which is a request).
# A bare « merci » after a question thanks in advance: no answer of its own.
THANKS = re.compile(r"^(?:un grand |mille )?merci(?!\s+(?:de|d'|d’)\b)", re.IGNORECASE)
THANKS_FOR = re.compile(
    r"^(?:un grand |mille )?merci(?: beaucoup| bien)? (?:pour|à toute l'équipe|à toute l’équipe|"
    r"à tous|à vous|a toute l'equipe|a tous)\b",
    re.IGNORECASE,
)
STATED = re.compile(
    r"^(?:je |j'|j’|nous |on |il |elle |ils |elles |mon |ma |mes |notre |nos |c'est pour |"
    r"ça fait |ca fait |depuis |hier |ce matin )",
    re.IGNORECASE,
)
# Requests that a statement only gives context for (« vous m'aviez prévenu que le lampadaire
# avait été réparé », « il a besoin d'un titre valide ») unless asked or with a reference.
WANTED = frozenset(
    {"book", "report_status", "my_reports", "my_bookings", "cancel_booking", "request_human"}
)
REFERENCE = re.compile(r"\b[a-z]{2,4}-(?=[a-z]*\d)[a-z0-9]{4}\b", re.IGNORECASE)
# What opens another request (« par ailleurs », « autre question », « sinon »).
_CONNECTORS = rf"(?:et )?(?:{NEXT_REQUEST}|et puis|et aussi|également|egalement)\b"
# Requests announced (« deux questions : », « j'ai plusieurs demandes »).
ANNOUNCED = re.compile(
    r"\b(?:deux|2|trois|3|plusieurs|quelques|petites|deux petites) "
    r"(?:questions|demandes|choses|renseignements|infos|informations)\b",
    re.IGNORECASE,
)
ANOTHER = re.compile(rf"^[\s,.;:!?]*{_CONNECTORS}", re.IGNORECASE)
OPENS_ANOTHER = re.compile(rf"(?:^|[\s,.;:!?]){_CONNECTORS}[\s,:]*$", re.IGNORECASE)


def together(
    pieces: Sequence[str], understood: Sequence[tuple[str | None, float]], commune: Commune
) -> list[list[int]]:
    """The clauses to read as one: two neighbours that say nothing understood alone, neither
    to the classifier nor by the commune's words — a fact and what is asked of it (« je viens
    d'hériter de la camionnette de mon oncle » + « comment elle passe à mon nom ? »)."""
    runs: list[list[int]] = []
    before = False  # whether the clause before said nothing understood, and asked nothing
    kinds = _kinds(pieces, understood, commune)
    for number, (piece, kind) in enumerate(zip(pieces, kinds, strict=True)):
        unknown = kind is None
        asks = ASKED.search(piece) is not None
        if unknown and asks and before:
            runs[-1].append(number)
            before = False
        else:
            runs.append([number])
            before = unknown and not asks
    return runs


def _asked_next(number: int, pieces: Sequence[str], kinds: Sequence[str | None]) -> bool:
    """Whether the clause after this one is a question (a question mark: « quand mon mari
    prend le relais » is no question) that names nothing of its own."""
    return number + 1 < len(pieces) and "?" in pieces[number + 1] and kinds[number + 1] is None


def _around(text: str, piece: str) -> tuple[str, str]:
    """What the message says right before and right after a clause (both empty when the
    clause was reworded)."""
    said = piece.strip()
    at = text.find(said) if said else -1
    return (text[:at], text[at + len(said) :]) if at >= 0 else ("", "")


# A booking already made (« j'avais réservé la salle », « nous avons loué les barnums »).
BOOKED_BEFORE = re.compile(
    r"\b(?:j'avais|j’avais|j'ai|j’ai|nous avions|nous avons|on avait|on a)\s+(?:déjà\s+|deja\s+)?"
    r"(?:réservé|reserve|loué|loue|emprunté|emprunte|pris)\b",
    re.IGNORECASE,
)
# « j'ai fait pas mal de signalements (tags, nids de poule…) »: reports already made.
REPORTED_BEFORE = re.compile(
    r"\b(?:j'ai|j’ai|j'avais|j’avais|on a|nous avons)\s+(?:déjà\s+|deja\s+)?"
    r"(?:fait|signalé|signale|envoyé|envoye)\b|\b(?:déjà|deja)\s+signalé",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:bonjour|bonsoir|salut|hello|coucou|madame|monsieur)\b[\s,!.]*", re.IGNORECASE
)
# After a question, a clause naming something else asks the same of it (« je souhaiterais
# connaître les horaires de la mairie ainsi que ceux de la déchetterie »).
CONTINUED = re.compile(
    r"^(?:le|la|les|l'|l’|vos|votre|ceux|celui|celle|celles|du|des)\b", re.IGNORECASE
)
# Requests answered from the question alone (the commune's facts, a list, a human); a booking
# or a report needs every word of the message (the room named in the story, the description).
ALONE = FAQ | {
    "ask_resource",
    "ask_elsewhere",
    "my_bookings",
    "my_reports",
    "request_human",
    OUT_OF_SCOPE,
}
_BY_KEY = {key: intent.value for intent, key in ANSWERS.items()}
# Asking for a person (« qu'un agent me rappelle », « me passer un conseiller »), in plain
# words: a request of its own where the classifier was unsure of the clause.
_HUMAN = re.compile(
    r"\b(?:parler|discuter) (?:a|avec) (?:un|une|quelqu|la personne|l agent)\b|"
    r"\b(?:un|une|l|le) (?:agent|agente|conseiller|conseillere|humain|personne|employe|"
    r"employee) (?:me|nous) (?:rappelle|rappellent|contacte|appelle|reponde)\b|"
    r"\b(?:me|nous) (?:passer|mettre en relation avec) (?:un|une|quelqu)\b|"
    r"\bpassez (?:moi|nous) (?:un|une|quelqu)\b|"
    r"\bqu on (?:me|nous) rappelle\b|\b(?:etre|soit) rappelee?s?\b|"
    # « expliquer tout ça à une personne du service »
    r"\b(?:expliquer|exposer|raconter) (?:\w+ ){0,3}(?:a|avec) (?:un|une|quelqu)\b"
)
# A resource asked for on the day of the booking just asked (« et la sono ce jour-là ? »).
_SAME_BOOKING = re.compile(
    r"\b(?:ce jour la|le meme jour|ce meme jour|la meme date|a cette date|a la meme date|"
    r"en meme temps|pour l occasion|pour ce jour|pour cette date)\b|"
    r"\b(?:avoir|prendre|reserver|louer|emprunter)\b(?:\s+\w+){0,4}\s+(?:aussi|egalement|en plus)\b"
)
# What joins a clause to the booking before it (« …le 12 juillet, et aussi dix tables »).
_ADDED = re.compile(r"\b(?:et |puis )?(?:aussi|egalement|en plus|ainsi que|avec ca)\W*$")
# A complaint made again (« c'est la troisième fois que je vous préviens », « je vous relance »).
_AGAIN = (
    r"(?:deuxieme|troisieme|quatrieme|cinquieme|\d+e|\d+eme|plusieurs|deux|trois|quatre|cinq|"
    r"\d+) fois que (?:je|j|on|nous) (?:vous |le |la |l |les )?(?:previen|signal|appel|ecri|"
    r"relanc|alert|di[st]\b|demand|rappel)\w*|je vous (?:relance|reecris|le redis)|"
    r"je vous ai deja (?:prevenu|signale|ecrit|alerte|appele|dit)\w*|"
    # « je vous en ai parlé il y a trois semaines », « que j'ai signalé en mars »
    r"je vous en ai (?:deja )?(?:parle|ecrit|informe)\w*|"
    r"(?:que j ai|j ai|je l ai|je vous l ai|on a) (?:deja )?signale\w* (?:il y a|en|au mois|"
    r"la semaine|le mois|depuis|des|cet|ce|cette|l an|l annee)\b"
)
_REPEATED = re.compile(rf"\b(?:{_AGAIN})")
# A report made before, said by its writer (« que j'ai signalé en mars », « signalé il y a un
# mois »).
_SAID_BEFORE = re.compile(
    rf"\b(?:{_AGAIN}|signale\w* il y a|(?:que j ai|j ai|j avais|je vous (?:l )?avais) signale|"
    r"(?:j avais|j ai|je vous avais) (?:deja )?(?:prevenu|alerte|ecrit a) (?:vos|les|la|le)\b|"
    # « je vous avais écrit pour le lampadaire de l'impasse »
    r"je vous (?:avais|ai) (?:deja )?ecrit (?:pour|au sujet|a propos)\b|"
    # A repair promised (« vous m'aviez dit que quelqu'un passerait pour le lampadaire »).
    r"(?:vous|on) m (?:aviez|avait) (?:dit|promis|assure|ecrit) qu)"
)
# The problem still there, said so outright (« il marche tjrs pas », « toujours rien »).
_STILL_THERE = re.compile(
    r"\b(?:(?:toujours|tjr?s?|encore) (?:pas|rien|en panne|casse|cassee|eteinte?|la|morte?|hs|"
    r"hors service|en rade|bouchee?|noir|que dalle)|"
    r"rien n a (?:ete )?(?:fait|repare|change|bouge)|dans le meme etat|n a pas bouge|"
    r"(?:est|sont|claque|claquent|fuit|fuient|clignote|clignotent|pend|pendent|coule|"
    r"coulent|bloque|traine|trainent|deborde|debordent) (?:toujours|encore)(?! en cours)|"
    r"n ont pas bouge|personne n est (?:venu|passe)|"
    # « … mais ce soir encore c'est tout noir devant chez moi »
    r"(?:toujours|encore) c est (?:tout )?(?:noir|eteint|casse|pareil|la meme chose))\b"
)
# A question about how one's report stands, whatever problem it names.
_WHERE_IT_STANDS = re.compile(
    r"\b(?:ou en est|ou en sont|des nouvelles de|du nouveau (?:pour|sur)|quid de) "
    r"(?:mon|ma|mes|le|la|les|notre|nos|ce|cette|ces) (?:signalements?|demandes?|reclamations?)\b|"
    # « liste de mes signalements + l'état de celui sur le lampadaire »
    r"\b(?:l etat|le suivi|l avancement) (?:de|du) (?:celui|celle|mon signalement|ma demande|"
    r"ma reclamation|ce signalement|mon dernier signalement)\b|"
    # « j'ai signalé des tags il y a quinze jours… où en est ce dossier ? »
    r"\b(?:j ai|j avais|je vous ai|je vous avais) (?:deja )?signale\b.*"
    r"\bou en (?:est|sont) (?:mon|ma|le|la|ce|cette|ces|mes) (?:dossiers?|affaires?)\b|"
    # « j'ai signalé des déchets la semaine dernière, ça en est où ? »
    r"\b(?:j ai|j avais|je vous ai|je vous avais) (?:deja )?signale\b.*"
    r"\b(?:ca|ou) en est (?:ou|on)\b|"
    # « pourriez-vous me dire si mon signalement a été pris en compte ? »
    r"\b(?:mon|ma|le|la) (?:signalement|demande|reclamation)(?: \w+){0,6}? (?:a|a t il|a t elle) "
    r"(?:bien )?"
    r"ete (?:pris en compte|prise en compte|recue?|traitee?|transmise?|enregistree?)\b"
)
# A report already made, said closed or repaired, and the problem still there.
_ALREADY = re.compile(
    rf"{_SAID_BEFORE.pattern}|\b(?:"
    r"mon signalement|ma demande|le signalement|"
    r"vous (?:m )?aviez (?:dit|ecrit|marque|annonce|repondu)|(?:est|a ete) (?:clos|cloture|"
    r"ferme|classe)|marque (?:comme )?(?:repare|regle|resolu|termine))"
)
_STILL = re.compile(
    r"\b(?:toujours|encore|jamais|pas (?:ete )?(?:repare|regle|rebouche|efface|enleve)|"
    r"recommence|revenu|c est faux|rien n a (?:ete )?(?:fait|repare|change|bouge)|"
    r"(?:exactement|strictement|toujours) (?:pareil|pareille|le meme|la meme)|comme avant|"
    r"dans le meme etat|toujours rien|tjr?s? (?:pas|rien)|"
    r"n a pas bouge|n ont pas bouge|personne n est venu|personne n est passe)\b"
)
# What a follow-up of a report may look like, clause by clause (« pouvez-vous vérifier ? »);
# another street problem or the list of one's reports is a request of its own.
_FOLLOW_UP = frozenset({"still_broken", "report_status", "my_bookings"})
# A report followed up by asking it to be pushed (« est-ce que quelqu'un peut relancer ? »):
# a follow-up too, though it asks for somebody.
_NUDGE = re.compile(
    r"^(?:est ce (?:que|qu) )?(?:quelqu un|vous|on|qqn) (?:peut|pouvez|pourriez|pourrait|peux)"
    r"(?: (?:le|la|les|ca|svp|bien))* (?:relancer|faire relancer|faire avancer les choses|"
    r"verifier|vous en occuper|faire quelque chose)\b"
)
# Something else cancelled (« la brocante est annulée ? »): no wish to cancel a booking.
_CANCELLED = re.compile(r"\b(?:est|sont|a ete|ont ete|etait|serait|sera) annule")


class Part(NamedTuple):
    """One request of a message: its words, the intent to give it when the commune's words
    recognised what Rasa was unsure of, and the other street problems the same message
    reports, each filed after this one (a report's questions would take them for answers)."""

    text: str
    intent: str | None = None
    then: tuple[str, ...] = ()


class _Group(NamedTuple):
    """One request of a message: its clauses' numbers, what it asks, the clause that asks it
    and the intent to force (see `Part`)."""

    numbers: list[int]
    kind: str
    lead: int
    force: str | None


def _groups(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> tuple[list[_Group], list[int]]:
    """The requests a message holds, and the clauses left after the last (context)."""
    asking = (
        "?" in text
        or re.search(r"\b(?:svp|stp)\b", text, re.IGNORECASE) is not None
        or COUNTED.search(text) is not None  # « 1. … 2. … »
        or ANNOUNCED.search(text) is not None  # « Deux questions : … »
    )
    groups: list[_Group] = []
    pending: list[int] = []
    was_asked = False
    kinds = _kinds(pieces, understood, commune)
    for number, (piece, (intent, confidence)) in enumerate(zip(pieces, understood, strict=True)):
        kind = kinds[number]
        if kind == "thank" and number > 0 and not THANKS_FOR.match(piece.strip()):
            kind = None
        before, after = _around(text, piece)
        if (
            kind == "ask_resource"
            and groups
            and groups[-1].kind == "book"
            and (_SAME_BOOKING.search(plain(piece)) or _ADDED.search(plain(before)))
        ):
            kind = "book"  # « … et on peut avoir la sono ce jour-là ? »: booked with it
        said = _GREETING.sub("", piece.strip())
        asked = (
            ASKED.search(said) is not None
            # « passeport ; decheterie horaire »: a bare request names what it asks.
            or (len(said.split()) <= 4 and not STATED.match(said) and intent == kind)
            # « …on me réclame la copie intégrale. Par ailleurs, vos horaires ? »: what comes
            # before « par ailleurs » was a request too.
            or ANOTHER.match(after) is not None
            # « … Sinon je suis nouveau dans le coin, la mairie est dans quelle rue »
            or (number > 0 and OPENS_ANOTHER.search(before) is not None)
            # « J'ai un fauteuil trop lourd pour ma voiture. La commune peut venir le prendre ? »:
            # the question after a fact asks about it.
            or _asked_next(number, pieces, kinds)
        )
        new = kind is not None and (kind not in [g.kind for g in groups] or kind in TWICE)
        if kind in FAQ or kind == "ask_elsewhere":
            # « hier la CAF m'a renvoyé mon dossier » tells, it does not ask about the CAF.
            new = new and (
                asked
                or (asking and not STATED.match(said))
                or (was_asked and CONTINUED.match(said) is not None)
            )
        elif kind in WANTED:
            new = new and (asked or not STATED.match(said) or REFERENCE.search(said) is not None)
            if kind == "book" and not asked:
                # « j'avais réservé les tables et les chaises pour le 18 mai »: what was booked,
                # the story of a cancellation or a question, no new booking.
                told = " ".join(pieces[n] for n in [*pending, number])
                new = new and BOOKED_BEFORE.search(told) is None
        elif kind == "ask_resource":
            # « Je vous écris au sujet de la haie le long du parking de la salle des fêtes »
            # names the room, it asks nothing about it.
            new = new and (asked or not STATED.match(said))
        elif kind == OUT_OF_SCOPE:
            new = new and asked
        elif kind == "report_problem":
            new = new or _another_problem(piece, groups, pieces, commune)
            new = new and REPORTED_BEFORE.search(said) is None
        was_asked = asked
        if (
            kind == "ask_resource"
            and not _resources(piece, commune)
            and (not groups or groups[-1].kind in ("book", "ask_resource"))
        ):
            new = False  # « quel serait le tarif ? » is about the room named before
        if new and kind is not None:
            sure = intent == kind and confidence >= SPLIT_CONFIDENCE
            force = None if sure or kind not in FORCED else kind
            groups.append(_Group([*pending, number], kind, number, force))
            pending = []
        elif groups:
            groups[-1].numbers.append(number)
        else:
            pending.append(number)
    return groups, pending


def _problem(text: str, commune: Commune, sure: bool = True, other: bool = False) -> str | None:
    """The category of street problem a clause names (`sure`: and no other; `other`: « autre »
    counts, named by its own words: « un chat écrasé »), if any."""
    territory = commune.data.signalements
    found = places.category_of(text, territory.categories, territory.rues)
    if not found or not (found[1] or not sure):
        return None
    return found[0] if other or found[0] != "autre" else None


# Where one clause may turn to another street problem: a comma, « et », « en plus »,
# « aussi »… followed by a new thing (« la balançoire est cassée, les poubelles autour
# débordent », « des ornières et en plus y a des pneus jetés dans le fossé »).
_TURNS_TO = re.compile(
    r"\s*(?:[,;]|\bet\b|\ben plus\b|\baussi\b|\bpar ailleurs\b|\bde plus\b)\s*"
    r"(?:(?:et|en plus|aussi|puis|il y a|y a|ya|y'a|y’a|il y'a|juste|"
    # « un lampadaire HS et juste en dessous un nid-de-poule »
    r"en dessous|en-dessous|au-dessous|au dessous|à côté|a cote|à coté|en face|plus loin|"
    r"derrière|derriere|pas loin)\s+)*"
    r"(?=(?:le|la|les|l'|l’|un|une|des|du|mon|ma|mes|notre|nos|ce|cet|cette|ces|plusieurs)\b)",
    re.IGNORECASE,
)


# What a problem makes people do is the same problem (« la haie déborde, les passants doivent
# marcher sur la route »).
_CONSEQUENCE = re.compile(
    r"\b(?:doi[st]|doivent|oblig\w*|march\w*|pass(?:e|ent|er)|risqu\w*|emp[eê]ch\w*|g[eê]n\w*|"
    r"bloqu\w*|cach\w*|on ne voit|on voit)\b",
    re.IGNORECASE,
)


def problems(
    pieces: Sequence[str], understood: Sequence[tuple[str | None, float]], commune: Commune
) -> tuple[list[str], list[tuple[str | None, float]]]:
    """The clauses, each one that reports two street problems of different kinds cut in two
    (each half named by the commune's words): every problem gets its own report."""
    out: list[str] = []
    read: list[tuple[str | None, float]] = []
    for piece, (intent, confidence) in zip(pieces, understood, strict=True):
        halves = [piece]
        if intent == "report_problem" and not REPORTED_BEFORE.search(piece):
            halves = _cut(piece, commune)
        out += halves
        read += [(intent, confidence)] * len(halves)
    return out, read


def _cut(piece: str, commune: Commune) -> list[str]:
    for turn in _TURNS_TO.finditer(piece):
        head, tail = piece[: turn.start()], piece[turn.end() :]
        before = _problem(head, commune, sure=False, other=True)
        after = _problem(tail, commune, sure=False, other=True)
        if (
            before
            and after
            and before != after
            and len(tail.split()) >= 3
            and not _CONSEQUENCE.search(tail)
        ):
            return [head.strip(), *_cut(tail.strip(), commune)]
    return [piece]


def _another_problem(
    piece: str, groups: Sequence[_Group], pieces: Sequence[str], commune: Commune
) -> bool:
    """Whether a clause reports a problem of another kind than every report before it (« un
    trou dans la chaussée rue Victor Hugo et un banc cassé au square »): a report of its own,
    never the same one told at more length."""
    named = _problem(piece, commune, sure=False, other=True)
    before = [
        _problem(pieces[g.lead], commune, sure=False, other=True)
        for g in groups
        if g.kind == "report_problem"
    ]
    return named is not None and bool(before) and all(b and b != named for b in before)


def requests(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> list[Part]:
    """The message as one turn, or as one turn per request it holds."""
    groups, pending = _groups(text, pieces, understood, commune)
    if len(groups) < 2:
        return [Part(text)]
    groups[-1].numbers.extend(pending)
    parts = []
    for group in groups:
        said = " ".join(pieces[n] for n in group.numbers)
        if group.kind == "ask_resource" and not _resources(said, commune):
            # « ma réservation SDF-9KL2 est-elle validée ? et c'est combien la caution ? »:
            # the price of the room the request before named.
            before = (_resources(pieces[n], commune) for n in range(group.numbers[0]))
            named = next((found for found in before if found), None)
            if named:
                said = _about(said, noun(commune.data.ressources[named[0]].nom).bare)
        parts.append(Part(said, group.force))
    # Street problems after the first are filed after it, one report each.
    reports = [n for n, group in enumerate(groups) if group.kind == "report_problem"]
    if len(reports) > 1:
        first, *later = reports
        parts[first] = parts[first]._replace(then=tuple(parts[n].text for n in later))
        groups = [g for n, g in enumerate(groups) if n not in later]
        parts = [p for n, p in enumerate(parts) if n not in later]
        if len(parts) == 1:
            return parts
    # What is answered at once goes before what opens a form: a form's question would take
    # the next request for its answer (« des gravats sur le trottoir ; et la pharmacie de
    # garde ? » reports after telling the pharmacy).
    opens = [group.kind not in ALONE for group in groups]
    return [part for _, part in sorted(zip(opens, parts, strict=True), key=lambda pair: pair[0])]


# Thanks (never « merci de me dire… », which asks), something done (« a été rebouché »,
# « ont dégagé l'arbre », « tout va bien maintenant »), and nothing still wrong.
_THANKED = re.compile(
    r"\b(?:merci|remerci\w*)\b(?!\s+(?:de|d'|d’)\b)|\bbravo\b|🙏|"
    r"\bvous (?:êtes|etes) (?:des amours|des anges|des chefs|au top|top|géniaux|geniaux|"
    r"formidables|super)\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"\b(?:a|ont) (?:été |ete )?(?:répar|repar|rebouch|remplac|nettoy|chang|refait|enlev|retir|"
    r"effac|repeint|taill|élagu|elagu|ramass|remis|rallum|débouch|debouch|dégag|degag|retrouv|"
    r"réglé|regle|résolu|resolu)|"
    r"\b(?:remarche|remarchent|fonctionne à nouveau|fonctionne de nouveau|rallumé|rallume|"
    r"tout va bien)\b",
    re.IGNORECASE,
)
_STILL_WRONG = re.compile(
    r"\b(?:mais|toujours|encore|de nouveau|à nouveau|a nouveau|recommence|reclignote)\b",
    re.IGNORECASE,
)


def still_broken(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> bool:
    """A report said repaired or closed and the problem still there, told over several
    clauses (« j'avais signalé un trou… on m'a dit que c'était réparé… rien n'a été fait.
    Pouvez-vous vérifier ? »): one follow-up, whatever each clause looks like alone."""
    words = plain(text)
    if not (_ALREADY.search(words) and _STILL.search(words)):
        return False
    groups, _ = _groups(text, pieces, understood, commune)
    # The report told again (« en janvier j'ai signalé que la grille était cassée ») is the
    # one followed up, not a new one.
    return all(
        group.kind in _FOLLOW_UP
        or (group.kind == "report_problem" and _SAID_BEFORE.search(plain(pieces[group.lead])))
        or _NUDGE.search(plain(pieces[group.lead])) is not None
        for group in groups
    )


# Something left in the street (« un vieil encombrant abandonné, un matelas »).
_LEFT = re.compile(r"\b(?:abandonnee?s?|deposee?s?|jetee?s?|trainent|laissee?s?|sauvages?)\b")


def left_in_the_street(text: str, commune: Commune) -> bool:
    """Something left at a street of the commune, told without a question (« vers le 4 ch du
    stade : un vieil encombrant abandonné, un matelas »): a report, whatever a word of the
    bulky-waste answer made the classifier think."""
    words = plain(text)
    return (
        ASKED.search(text) is None
        and _LEFT.search(words) is not None
        and _problem(text, commune) is not None
        and places.match_street(text, commune.data.signalements.rues) is not None
    )


# Where a room is named as the place of something (« le parking de la salle polyvalente »,
# « derrière le gymnase »).
_BY_A_ROOM = re.compile(
    r"\b(?:parking|devant|derriere|pres|a cote|autour|le long|abords|entree|sortie|cour|murs?|"
    r"toit|facade|pelouse|grille|portail) (?:de |du |des |d )?(?:la |le |les |l )?"
)


def told_by_a_room(text: str, commune: Commune) -> bool:
    """A street problem told, with no question, where one of our rooms stands (« ça pue la
    poubelle tout le long du parking de la salle polyvalente, y a des sacs éventrés
    partout »): a report, whatever the room's name made the classifier think."""
    if ASKED.search(text) is not None or _problem(text, commune) is None:
        return False
    words = plain(text)
    return any(
        _resources(words[m.end() : m.end() + 40], commune) for m in _BY_A_ROOM.finditer(words)
    )


def told_afresh(text: str, commune: Commune) -> bool:
    """A street problem told with no word of a report made before nor of a problem lasting
    after one (« le réverbère au coin de ma rue clignote puis s'éteint toute la nuit »): a new
    report, whatever the classifier's « still broken »."""
    words = plain(text)
    return (
        _ALREADY.search(words) is None
        and _STILL.search(words) is None
        and _problem(text, commune) is not None
    )


def complained_again(text: str) -> bool:
    """A problem reported before, said again and still there, in one sentence (« ça fait
    trois fois que je vous préviens pour le banc arraché, rien n'a bougé »): a follow-up,
    not a new report nor a question about its progress."""
    words = plain(text)
    if _REPEATED.search(words) is not None and _STILL.search(words) is not None:
        return True
    # « Toujours mort le lampadaire, je vous l'avais signalé en mars ! »: as a clause says it.
    return _SAID_BEFORE.search(words) is not None and _STILL_THERE.search(words) is not None


def asks_where_it_stands(text: str) -> bool:
    """A question about how one's report stands, in one sentence (« j'ai signalé des déchets
    la semaine dernière, ça en est où ? »), as a clause says it (`_kind`)."""
    return _WHERE_IT_STANDS.search(plain(text)) is not None


def thanks_for_a_repair(text: str) -> bool:
    """Thanks, and only the story of what they are for (« le trou que j'avais signalé a été
    rebouché en deux jours, merci ! »): thanks, not a new report — unless something is asked
    or still wrong."""
    return (
        _THANKED.search(text) is not None
        and _DONE.search(text) is not None
        and "?" not in text
        and _STILL_WRONG.search(text) is None
    )


def lead(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
    sure: float = LEAD_CONFIDENCE,
) -> tuple[str, str] | None:
    """A message of several clauses that holds one request, asked in one clause amid context
    (« hier la CAF… Ma vraie question : jusqu'à quelle heure êtes-vous ouverts ? »): that
    clause and what it asks, when the classifier is `sure` of it; the caller sends it alone if
    the whole message is read otherwise (the context led the classifier astray). The clause
    that asks may come after the one that named the request (« Son passeport est périmé…
    Quels justificatifs doit-il apporter ? »)."""
    groups, _ = _groups(text, pieces, understood, commune)
    if len(groups) != 1 or len(pieces) < 2 or groups[0].kind not in ALONE:
        return None
    group = groups[0]

    def asks(number: int) -> bool:
        intent, confidence = understood[number]
        said = _GREETING.sub("", pieces[number].strip())
        return intent == group.kind and confidence >= sure and ASKED.search(said) is not None

    first = next((n for n in (group.lead, *group.numbers) if n >= group.lead and asks(n)), None)
    if first is None:
        return None
    # Asked after it about something else (« mes réservations svp, je veux en annuler une »,
    # « … et c'est combien la caution ? »): not context, the whole message is read.
    later = zip(pieces[first + 1 :], understood[first + 1 :], strict=True)
    for piece, (other, _) in later:
        after = _GREETING.sub("", piece.strip())
        if ASKED.search(after) and other != group.kind and not THANKS.match(after):
            return None
    return pieces[first], group.kind


# Requests read with every word of their message: the reference or the street is in the
# context (« le 3 mai j'ai signalé un nid-de-poule rue Victor Hugo… où en est ce signalement ? »).
WITH_CONTEXT = frozenset({"report_status", "still_broken", "cancel_booking"})


def sole_request(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> str | None:
    """The one request of a message the classifier could not read whole, when it needs the
    whole message's words and the clause that asks it is understood; the caller gives the
    whole message that intent."""
    groups, _ = _groups(text, pieces, understood, commune)
    if len(groups) != 1 or groups[0].kind not in WITH_CONTEXT:
        return None
    intent, confidence = understood[groups[0].lead]
    return groups[0].kind if intent == groups[0].kind and confidence >= SPLIT_CONFIDENCE else None


def questions(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> list[tuple[Intent, str]]:
    """The frequent questions a message asks, in order, each with its words (« … ça sent le
    gaz, et c'est quoi le numéro de la mairie ? »): what the commune's answers say, with no
    form to open."""
    groups, _ = _groups(text, pieces, understood, commune)
    return [
        (Intent(g.kind), " ".join(pieces[n] for n in g.numbers)) for g in groups if g.kind in FAQ
    ]


def reports_beside(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
    danger: Callable[[str], bool],
) -> list[tuple[str, str]]:
    """The street problems a message reports beside a danger (« le coffret électrique fume…
    Par ailleurs le lampadaire de l'impasse des Roses est en panne »): each one's words and
    category, never the danger itself (`danger` says whether words describe one)."""
    groups, _ = _groups(text, pieces, understood, commune)
    found: list[tuple[str, str]] = []
    for group in groups:
        if group.kind != "report_problem":
            continue
        told = [n for n in group.numbers if n >= group.lead]
        safe = [n for n in told if not danger(pieces[n])]
        if len(safe) < len(told):
            # The danger opened the report (« les fils du lampadaire font des étincelles. Par
            # ailleurs deux autres lampadaires sont éteints »): the clauses told as one.
            safe = [n for n in safe if understood[n][0] == "report_problem"]
        said = " ".join(pieces[n] for n in safe)
        category = _problem(said, commune, sure=False, other=True)
        if category is not None and not danger(said):
            found.append((said, category))
    return found


# What a message may ask beside a danger that needs a conversation, not an answer read out:
# the person who takes the conversation up takes it up with the resident.
ERRANDS = frozenset(
    {
        "book", "ask_resource", "cancel_booking", "my_bookings", "my_reports", "report_status",
        "still_broken",
    }
)  # fmt: skip


def errands_beside(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
    danger: Callable[[str], bool],
) -> list[tuple[str, str]]:
    """The requests a message makes beside a danger that need a conversation (« je voulais
    réserver la salle des fêtes pour le 14 juin mais là il y a de la fumée chez mon voisin »):
    each one's topic and words, never a clause that tells the danger (`danger`), nor a
    booking told as done. Each kind once."""
    groups, _ = _groups(text, pieces, understood, commune)
    leads = {(g.lead, g.kind) for g in groups}
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    kinds = _kinds(pieces, understood, commune)
    for number, (piece, kind) in enumerate(zip(pieces, kinds, strict=True)):
        intent, confidence = understood[number]
        if kind not in ERRANDS or kind in seen or intent == "emergency" or danger(piece):
            continue
        # A request of its own, or one its clause says for sure (« … Aussi il faudrait que je
        # prenne rendez-vous pour refaire mon passeport. »).
        if (number, kind) not in leads and (intent != kind or confidence < LEAD_CONFIDENCE):
            continue
        if kind == "book" and BOOKED_BEFORE.search(piece):
            continue
        seen.add(kind)
        found.append((_errand_topic(kind, piece, commune), _GREETING.sub("", piece.strip())))
    return found


def _errand_topic(kind: str, piece: str, commune: Commune) -> str:
    """What an errand is about, as the actions tag their answers (« book:tables+chaises »,
    « resource_info:gymnase », « cancel_booking »)."""
    named = _resources(piece, commune)
    if kind == "book":
        return "book:" + "+".join(named) if named else "book"
    if kind == "ask_resource":
        return f"resource_info:{named[0]}" if named else "resource_info"
    return kind


def reported(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> bool:
    """A message of several clauses whose one request is a street problem told amid its story
    (« mon fils prend le car… En revanche, l'abribus a perdu son banc… Pourriez-vous le faire
    remplacer ? »): the problem is surely a report, by the classifier or by the commune's
    words; the caller sends the whole message as a report (every word describes it) if the
    whole is read otherwise."""
    groups, _ = _groups(text, pieces, understood, commune)
    if len(groups) != 1 or len(pieces) < 2 or groups[0].kind != "report_problem":
        return False
    intent, confidence = understood[groups[0].lead]
    sure = intent == "report_problem" and confidence >= LEAD_CONFIDENCE
    return sure or _problem(pieces[groups[0].lead], commune) is not None


def asks_for_human(text: str) -> bool:
    """Whether a message asks, in plain words, for a person (« parler à une vraie personne »)."""
    return _HUMAN.search(plain(text)) is not None


# What the classifier may take a question about another place for: one of our own services
# the resident has with us (« à la mairie de Bellerive ils font les passeports sans rendez-vous ? »
# read as « mes réservations »).
_MISLED = frozenset(
    {"book", "my_bookings", "cancel_booking", "request_human", "my_reports", "report_status"}
    # « Mon fils mange à la cantine de l'école, à qui je dois dire qu'il est allergique ? »
    | {"report_problem"}
)


def other_places(text: str, commune: Commune) -> list[Found]:
    """The other places and services a message names, never the resident's own town."""
    return [f for f in everywhere(text, commune.data.annuaire, commune.name) if not f.lives]


def asked_elsewhere(
    text: str, places: Sequence[Found], whole: str | None, confidence: float
) -> bool:
    """Whether a question the classifier read as one of our services asks about another
    place (`places`, from `other_places`): another town or a service named for sure, or any
    other place when the classifier is unsure (« le collège fait cantine le mercredi ? » read
    as a booking)."""
    if "?" not in text or whole not in _MISLED or confidence >= LEAD_CONFIDENCE:
        return False
    return any(f.sure or confidence < UNSURE_ELSEWHERE for f in places)


def astray(text: str, whole: str | None, question: str, asked: str, commune: Commune) -> bool:
    """Whether the whole message, read as `whole`, was led astray from what its one question
    (`question`, read as `asked`) asks; never when it may be a danger, which the question alone
    would hide (« ma mère est hospitalisée… j'aurais besoin d'expliquer tout ça à une
    personne » is none), nor when it asks about the other service its story names (« ma
    demande d'aide au logement est bloquée… Qui dois-je relancer ? »: the question alone names
    nobody) — unless it asks outright how to reach us (« … Ma femme s'occupe de France
    Travail. Moi je voudrais savoir comment vous joindre »)."""
    if whole == "emergency" and plausible(text):
        return False
    if (
        whole == "ask_elsewhere"
        and _TO_US.search(plain(question)) is None
        and any(f.sure for f in everywhere(text, commune.data.annuaire, commune.name))
    ):
        return False
    return whole != asked


# A question of how to reach us or when we are open, said to us (« comment vous joindre »,
# « vos horaires »).
_TO_US = re.compile(
    r"\b(?:vous (?:joindre|contacter|appeler|ecrire|trouver)|votre (?:numero|adresse|mail|"
    r"telephone|courriel)|vos (?:horaires|coordonnees)|etes vous ouverts?|vous etes ouverts?)\b"
)


def _kinds(
    pieces: Sequence[str], understood: Sequence[tuple[str | None, float]], commune: Commune
) -> list[str | None]:
    """What each clause asks (see `_kind`)."""
    return [
        _kind(piece, intent, confidence, commune)
        for piece, (intent, confidence) in zip(pieces, understood, strict=True)
    ]


def _kind(piece: str, intent: str | None, confidence: float, commune: Commune) -> str | None:
    """What a clause asks: Rasa's intent when sure, else what the commune's words say."""
    # « merci pour… », « je voulais simplement vous dire merci »; never a problem told with a
    # sour « bravo » (« quelqu'un a déposé des gravats dessous, bravo la commune »).
    thanked = intent == "thank" and confidence >= SPLIT_CONFIDENCE
    if thanked and _problem(piece, commune, other=True):
        thanked, intent = False, None
    if (THANKS.match(piece.strip()) or thanked) and "?" not in piece:
        return "thank"
    found = everywhere(piece, commune.data.annuaire, commune.name)
    if intent == "ask_elsewhere" and not found:
        intent = None  # no other place named: our own facts, by the commune's words
    if any(f.key == NEIGHBOUR and f.sure for f in found) and ASKED.search(piece):
        # « La mairie de Montreuil est ouverte le samedi ? »: asked of another town, whatever
        # the words of our own answers (« Et la vôtre ? » asks the same of ours).
        return "ask_elsewhere"
    if intent in FAQ and any(f.sure and f.key != NEIGHBOUR for f in found) and "?" in piece:
        # « Vous avez l'adresse de France Travail ? »: their contact, not ours.
        return "ask_elsewhere"
    words = plain(piece)
    if intent in ("report_problem", "report_status", None, "nlu_fallback") and (
        _SAID_BEFORE.search(words) and _STILL_THERE.search(words)
    ):
        return "still_broken"  # « le lampadaire que j'ai signalé en mars marche tjrs pas »
    if _WHERE_IT_STANDS.search(words):
        return "report_status"  # « où en est mon signalement pour la fontaine qui fuit »
    if intent in SPLITTABLE and confidence >= SPLIT_CONFIDENCE:
        return intent
    if intent == OUT_OF_SCOPE and confidence >= LEAD_CONFIDENCE and ASKED.search(piece):
        return OUT_OF_SCOPE
    unsure = intent in _UNSURE or confidence < SPLIT_CONFIDENCE
    if unsure and _ALREADY.search(plain(piece)) and _STILL.search(plain(piece)):
        return "still_broken"  # « mon signalement est clos mais le trou est toujours là »
    if unsure and not ASKED.search(piece) and _problem(piece, commune, other=True):
        return "report_problem"  # « le banc en face de la poste a perdu deux lattes. »
    if unsure and _REPORTING.search(plain(piece)) and _problem(piece, commune, sure=False):
        return "report_problem"  # « je vous signale un dépôt de pneus… la plaque du camion »
    wished = _BOOKING.search(words) and not _ABOUT.search(piece)
    if unsure and wished and _resources(piece, commune):
        return "book"  # « …et réservez-moi 4 tables », « et réserver la salle à la place »
    if _HUMAN.search(plain(piece)):
        return "request_human"
    if found and (any(f.sure for f in found) or ASKED.search(piece)):
        return "ask_elsewhere"  # « perdu dans le train » names no place to ask about
    if cancel_verb(piece) and ASKED.search(piece) and not _CANCELLED.search(plain(piece)):
        return "cancel_booking"  # « je veux en annuler une », not « le marché est annulé ? »
    key = topics.best(piece, commune.data.mots_des_reponses)
    return _BY_KEY.get(key) if key else None


# A booking asked for outright (« réservez-moi 4 tables », « il me faudrait la sono »).
_BOOKING = re.compile(
    r"\b(?:reservez|reserver|louez|louer|pretez|preter|mettez moi|gardez moi|"
    r"il (?:me|nous) (?:faut|faudrait)|je voudrais|nous voudrions|on voudrait)\b"
)
# What a clause is not sure to ask: nothing, an answer to a form (none is asked in a first
# message), or a danger the safety layer, which reads every message first, did not find.
_UNSURE = (None, "nlu_fallback", "inform", "emergency")
# A question about a resource rather than the wish to book it (« combien pour louer la
# salle ? »).
_ABOUT = re.compile(
    r"\?|\b(?:combien|comment|quel|quelle|quels|quelles|est-ce|est ce|pourquoi|quand|tarifs?|"
    r"prix|caution|possible|faut-il|faut il)\b",
    re.IGNORECASE,
)
# A report said as one (« je vous signale », « je voudrais signaler »).
_REPORTING = re.compile(
    r"^(?:bonjour |bonsoir |madame |monsieur )*(?:je (?:vous )?(?:signale|voudrais signaler|"
    r"souhaite signaler|veux signaler|voulais signaler)|j aimerais signaler|signalement)\b"
)


def _resources(piece: str, commune: Commune) -> list[str]:
    """The resources a clause names, by their words or by a booking reference's letters
    (« ma réservation SDF-9KL2 » is the salle des fêtes)."""
    named = [
        wish.Named(slug, (noun(e.nom).bare, *e.synonymes))
        for slug, e in commune.data.ressources.items()
    ]
    found = wish.items_in(piece, named)
    for reference in REFERENCE.finditer(piece):
        letters = reference.group().split("-")[0].upper()
        found += [
            slug
            for slug, e in commune.data.ressources.items()
            if e.prefixe == letters and slug not in found
        ]
    return found


# Answers whose words say what is asked (opening hours, a price, an address), not about what.
_ASKING_KEYS = frozenset({"horaires", "contact", *topics.REFINES})


def completed(
    pieces: Sequence[str], understood: Sequence[tuple[str | None, float]], commune: Commune
) -> list[str]:
    """Each clause, with what it is about borrowed from those before when it asks without
    saying (« combien coûte un passeport et faut-il prendre rendez-vous ? », « mon passeport a
    été volé… pouvez-vous me donner un rendez-vous jeudi ? »)."""
    out = list(pieces)
    kinds = _kinds(pieces, understood, commune)
    for number in range(1, len(pieces)):
        piece = pieces[number].strip()
        kind = kinds[number]
        unsure = kind is None and ASKED.search(piece) is not None
        if not unsure and not (kind == "book" and not _resources(piece, commune)):
            continue
        if unsure and _SAID_FIRST.match(piece):
            # « le document qu'on montre à la frontière, ça se demande chez vous ? »: asked of
            # what it names first, not of an earlier question.
            continue
        before = (subject(p, commune) for p in reversed(pieces[:number]))
        about = next((found for found in before if found), None)
        if about is not None and plain(about) not in plain(piece):
            out[number] = _about(piece, about)
    return out


# What a question names before asking of it (« le document qu'on montre à la frontière, ça se
# demande chez vous ? »).
_SAID_FIRST = re.compile(
    r"^(?:le|la|les|l'|l’|un|une|des|mon|ma|mes|notre|nos)\b[^,?]{6,},\s*"
    r"(?:ça|ca|c'est|c’est|on|il|elle|ils|elles|je|j'|j’|vous)\b",
    re.IGNORECASE,
)


# One question about two things (« ma carte grise et mon passeport, je fais ça où ? », « prix
# des barnums et des chaises ? », « tel mairie / tel police municipale »): where they join,
# what both share after them (« , je fais ça où ? ») and what both share before (« prix des »).
# A question of what something has (« c quoi les horaires de la poste »), up to its « de ».
_ASKED_OF = re.compile(
    r"^(.*\b(?:horaires?|numéros?|numeros?|adresses?|prix|tarifs?|coordonnées|coordonnees|"
    r"téléphone|telephone|tél|tel|mails?))\s+(?:de la|de l'|de l’|du|des|de|d'|d’)\s*\S",
    re.IGNORECASE,
)
# The same asked of another (« … et de la mairie »).
_OF_ANOTHER = re.compile(r"^(?:de la|de l'|de l’|du|des|de|d'|d’)\s*\S", re.IGNORECASE)
_AND = re.compile(r"\s+(?:et|\+|/|&|ainsi que)\s+|\s*[+/]\s*", re.IGNORECASE)
_SHARED_AFTER = re.compile(r",\s*[^,]*$|\s+(?:svp|stp|s'il vous pla[iî]t)\s*[?!.]*$", re.IGNORECASE)
_SHARED_BEFORE = re.compile(
    r"^(?:(?:le |les |la |l'|l’)?(?:prix|tarifs?|horaires?|numéros?|numeros?|tél|tel|"
    r"téléphone|telephone|adresses?|mails?|coordonnées|coordonnees)\s+(?:de la |de l'|de l’|"
    r"des |du |de |d'|d’)?)",
    re.IGNORECASE,
)


def conjoined(text: str) -> tuple[str, str] | None:
    """The two questions a message asks of two things joined by « et », « + », « / » (each
    with what both share), or None when nothing is joined that way; whether they are two
    requests is for the caller to ask (« les tables et les chaises » is one booking)."""
    if len(text.split()) > 16 or (ASKED.search(text) is None and len(text.split()) > 8):
        return None  # a story, or « dépôt de bidons et de vieux extincteurs… »: one thing
    found = [m for m in _AND.finditer(text) if not _BETWEEN_NUMBERS.search(text[: m.start()])]
    if len(found) != 1:
        return None
    join = found[0]
    one, two = text[: join.start()].strip(), text[join.end() :].strip()
    head = _ASKED_OF.match(one)
    if head and _OF_ANOTHER.match(two) and len(two.split()) <= 4 and len(one.split()) <= 10:
        # « c quoi les horaires de la poste et de la mairie »: the same asked of the second.
        asked = " ?" if "?" in two and "?" not in one else ""
        return f"{one.rstrip(' ?!.')}{asked}" if asked else one, f"{head.group(1)} {two}"
    if not one or not two or len(one.split()) > 6 or "," in _GREETING.sub("", one):
        return None  # a long story, or a list of three or more: left whole
    after = _SHARED_AFTER.search(two)
    shared_after = after.group() if after and after.start() > 0 else ""
    if shared_after and not one.endswith(shared_after):
        one = f"{one.rstrip(' ?!.')}{shared_after}"
    elif "?" in two and "?" not in one:
        one = f"{one.rstrip(' ?!.')} ?"
    said = _TOO.sub("", two).strip()
    if said and len(said.split()) <= 3 and said != two:
        # « déchetterie ouverte dimanche et mairie aussi ? »: the same asked of the mairie.
        two = _instead(one, said)
    before = _SHARED_BEFORE.match(one)
    if before and not _SHARED_BEFORE.match(two):
        two = f"{before.group()}{_ARTICLE_LEFT.sub('', two)}"
    return one, two


_TOO = re.compile(
    r"\s*\b(?:aussi|également|egalement|pareil|idem|itou)\b\s*|\s*(?:svp|stp)?\s*[?!.]+\s*$",
    re.IGNORECASE,
)


def _instead(question: str, other: str) -> str:
    """The question asked of `other` in place of its first words that name a thing (« la
    déchetterie ouverte dimanche ? » of « mairie »: « mairie ouverte dimanche ? »)."""
    words = question.split()
    for size in (3, 2, 1):
        for at in range(len(words) - size + 1):
            if is_named(" ".join(words[at : at + size])):
                return " ".join([*words[:at], other, *words[at + size :]])
    return f"{other} ?"


def is_named(words: str) -> bool:
    """Whether words name one of the commune's places or answers (« déchetterie »)."""
    return bool(_OUR_PLACES.fullmatch(plain(words).strip()))


# « entre 12h et 14h », « du 3 et 4 »: no two things.
_BETWEEN_NUMBERS = re.compile(r"(?:\bentre\b(?:\s+\S+){0,3}|\d\s*h?\s*\d*)\s*$", re.IGNORECASE)
_ARTICLE_LEFT = re.compile(r"^(?:de la |de l'|de l’|des |du |de |d'|d’)", re.IGNORECASE)


def two_things(
    pair: tuple[str, str], understood: Sequence[tuple[str | None, float]], commune: Commune
) -> bool:
    """Whether the two questions of `conjoined` are two requests: each understood, and not
    the same one (except two places or two resources asked the same of)."""
    kinds = _kinds(pair, understood, commune)
    if None in kinds or kinds[0] in ("thank", "book") or kinds[1] in ("thank",):
        return False
    if kinds[0] != kinds[1]:
        return True
    if kinds[0] == "ask_resource":
        return _resources(pair[0], commune) != _resources(pair[1], commune)
    if kinds[0] == "ask_elsewhere":
        where = [everywhere(p, commune.data.annuaire, commune.name) for p in pair]
        return bool(where[0] and where[1]) and where[0][0] != where[1][0]
    return False


def _about(piece: str, about: str) -> str:
    """A clause that asks without saying about what, said about `about`."""
    return f"{piece.rstrip(' ?.!')} pour {about}{' ?' if piece.endswith('?') else ''}"


# An answer's words that ask rather than name (« quelles pièces »): no subject.
_ASKING = re.compile(r"(?:quel|quelle|quels|quelles|autres?|combien|comment|ou)\b")


def subject(text: str, commune: Commune) -> str | None:
    """What a clause is about, in the commune's words: an answer's noun, else a resource."""
    said = f" {plain(text)} "
    found = [
        phrase
        for key, phrases in commune.data.mots_des_reponses.items()
        if key not in _ASKING_KEYS
        for phrase in phrases
        if f" {plain(phrase)} " in said and not _ASKING.match(plain(phrase))
    ]
    if found:
        return max(found, key=len)
    named = _resources(text, commune)
    return noun(commune.data.ressources[named[0]].nom).bare if named else None


# The town hall and the commune's own places that residents ask the hours of.
_OUR_PLACES = re.compile(
    r"\b(?:mairie|dechetterie|decheterie|accueil|guichet|cimetiere|mediatheque|bibliotheque)\b"
)


def is_place(words: str, commune: Commune) -> bool:
    """Whether words name a place: one of our resources, the town hall, or another place."""
    if _OUR_PLACES.search(plain(words)) or _resources(words, commune):
        return True
    return bool(everywhere(words, commune.data.annuaire, commune.name))


# SMS shorthand without a vowel that residents really write (« bjr », « stp », « ptdr »).
_SHORTHAND = frozenset(
    [
        "bjr",
        "bsr",
        "slt",
        "stp",
        "svp",
        "mrc",
        "mrci",
        "dsl",
        "cc",
        "pk",
        "pq",
        "bcp",
        "tt",
        "ds",
        "pr",
        "ns",
        "vs",
        "ms",
        "rdv",
        "jms",
        "qd",
        "dc",
        "jsp",
        "tkt",
        "mdr",
        "ptdr",
        "xd",
        "thx",
        "pls",
        "plz",
        "nn",
        "ctb",
        "srx",
        "st",
        "tjs",
        "bcp",
        "wknd",
    ]
)
_LETTERS = re.compile(r"[a-z]+")


def mashed(text: str) -> bool:
    """Keys struck at random (« zqxj wvpk bnrt »): words, none with a vowel, that are not
    shorthand residents use."""
    words = _LETTERS.findall(plain(text))
    if not words or any(ch.isdigit() for ch in text):
        return False
    return all(not set(w) & set("aeiouy") for w in words) and any(
        len(w) >= 4 and w not in _SHORTHAND for w in words
    )
