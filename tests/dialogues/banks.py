"""Banks of French answers, written from how residents talk at a town-hall desk, not from data/."""

from __future__ import annotations

from tests.dialogues import banks_apart as _apart
from tests.dialogues import banks_apart2 as _apart2

# -- yes, no, giving up ----------------------------------------------------------------------

YES: tuple[str, ...] = (
    "oui",
    "ouais",
    "ok",
    "ok merci",
    "d'accord",
    "c'est bon",
    "parfait",
    "je confirme",
    "vas-y",
    "yes",
    "oui oui",
    "ça marche",
    "oui c'est ça",
    "oui merci",
    "c'est parfait",
    "oui je confirme",
    "nickel",
    "très bien",
    "allez-y",
    "tout à fait",
    "oui, c'est tout bon",
    "exactement",
    "ok pour moi",
    "oui, parfait merci",
)
YES_TERSE = ("oui", "ok", "ouais", "yes", "oui oui", "ok merci", "go")
YES_POLITE = (
    "Oui, je vous confirme, merci beaucoup.",
    "Oui c'est bien ça, vous pouvez valider s'il vous plaît.",
    "Parfait, c'est exactement ça. Merci !",
    "Oui, tout est correct, je confirme.",
)
# To "voulez-vous réserver… ?" and "je mets votre réservation de côté ?".
YES_OFFER = ("oui", "oui je veux bien", "ok", "oui volontiers", "d'accord", "oui s'il vous plaît")
YES_AGAIN_BOOKING = ("oui, je confirme la réservation", "oui je veux bien réserver")
YES_AGAIN_REPORT = ("oui, envoyez le signalement", "oui vous pouvez l'envoyer")
NO = ("non", "non merci", "nan", "non c'est pas ça")
NO_PHOTO: tuple[str, ...] = (
    "non merci",
    "j'en ai pas",
    "pas de photo dispo",
    "pas de photo",
    "non",
    "nan pas de photo",
    "je n'ai pas de photo",
    "non j'ai pas pris de photo",
    "pas pour l'instant",
    "sans photo",
    "non ça ira",
    "je n'en ai pas sous la main",
)
ABANDON: tuple[str, ...] = (
    "laisse tomber",
    "annule",
    "stop",
    "oublie",
    "tant pis finalement",
    "non finalement laissez tomber",
    "annule tout",
    "on arrête là",
    "c'est bon j'abandonne",
    "oublie ça",
    "finalement non, je laisse tomber",
    "laissez tomber, merci",
)
DONT_KNOW: tuple[str, ...] = (
    "je ne sais pas",
    "je sais pas",
    "aucune idée",
    "j'en sais rien",
    "je ne suis pas sûr",
    "euh je sais pas trop",
)
# After an offer of an agent the resident did not ask for: they try again.
DECLINE_AGENT = (
    "non merci, je réessaie",
    "non ça va, je vais reformuler",
    "pas besoin, je recommence",
)

# -- who the booking is for ------------------------------------------------------------------

REQUESTER: dict[str, tuple[str, ...]] = {
    "resident": (
        "moi",
        "pour moi",
        "je suis habitant",
        "perso",
        "c'est pour moi",
        "moi-même",
        "pour moi, j'habite à Clairval",
        "un particulier",
        "c'est perso",
        "j'habite la commune",
        "je suis habitante de Clairval",
    ),
    "association": (
        "c'est pour mon asso",
        "pour le club de foot",
        "pour une association",
        "association",
        "c'est pour l'association des parents d'élèves",
        "pour le comité des fêtes",
        "au nom de mon association",
        "pour notre association",
    ),
    "exterieur": (
        "j'habite pas la commune",
        "je suis pas de Clairval",
        "je suis extérieur à la commune",
        "j'habite à Montreuil",
        "je ne suis pas habitant de Clairval",
        "extérieur",
    ),
}

# -- names and associations ------------------------------------------------------------------

# (what the resident writes, the part that must end up in the booking)
PEOPLE = (
    ("Dupont", "Dupont"),
    ("Marie Martin", "Martin"),
    ("c'est au nom de Jean Durand", "Durand"),
    ("M. Petit", "Petit"),
    ("Mme Lefèvre", "Lefèvre"),
    ("Sophie Bernard", "Bernard"),
    ("au nom de Lucas Moreau", "Moreau"),
    ("Nadia Benali", "Benali"),
    ("Durand Jean-Pierre", "Durand"),
    ("Thomas Girard", "Girard"),
    ("Camille Roux", "Roux"),
    ("Mr Nguyen", "Nguyen"),
)
ASSOCIATIONS = (
    ("FC Clairval", "FC Clairval"),
    ("le comité des fêtes", "comité des fêtes"),
    ("Les Amis de Clairval", "Amis de Clairval"),
    ("APE Clairval", "APE Clairval"),
    ("Club de judo de Clairval", "judo"),
    ("Chorale La Clé des Chants", "Clé des Chants"),
    ("c'est au nom de l'association Clairval Basket", "Clairval Basket"),
    ("Association Cultur'Elles", "Cultur'Elles"),
)

# -- questions in the middle of a form (with what the answer must contain) -------------------

FAQ_MID = (
    ("au fait vous êtes ouverts samedi matin ?", r"9\s?h"),
    ("la mairie ouvre à quelle heure ?", r"8\s?h\s?30"),
    ("c'est quoi le numéro de la mairie déjà ?", r"01 99 00 12 34"),
    ("au fait la déchetterie elle ouvre quand ?", r"sablons|14\s?h"),
    ("et les encombrants c'est quel jour ?", r"premier mardi"),
    ("vous êtes ouverts le dimanche ?", r"dimanche"),
)

# -- follow-ups in the same conversation -----------------------------------------------------

MY_BOOKINGS: tuple[str, ...] = (
    "mes réservations",
    "je peux voir mes réservations ?",
    "qu'est-ce que j'ai comme réservations ?",
    "vous pouvez me rappeler mes réservations",
)
CANCEL_REFERENCE: tuple[str, ...] = (
    "annuler ma réservation {ref}",
    "je veux annuler la réservation {ref}",
    "annulez la {ref} svp",
    "finalement je dois annuler {ref}",
)
CANCEL_LAST: tuple[str, ...] = (
    "annule celle que je viens de faire",
    "en fait annulez-la",
    "finalement j'annule cette réservation",
    "je voudrais annuler la réservation que je viens de faire",
)
REPORT_STATUS: tuple[str, ...] = (
    "où en est mon signalement ?",
    "où en est mon signalement {ref} ?",
    "et mon signalement il en est où ?",
    "du nouveau pour {ref} ?",
)
MY_REPORTS = ("mes signalements", "je peux voir mes signalements ?")
RESUME_BOOKING = ("on peut reprendre ma réservation ?", "et pour ma réservation du coup ?")

# -- corrections (the {…} are filled with the new value) -------------------------------------

CORRECT_DAY: tuple[str, ...] = (
    "non plutôt {day}",
    "ah non plutôt {day}",
    "non, ce n'est pas ça : {day}",
    "je me suis trompé, c'est {day}",
    "finalement {day}",
)
CORRECT_HOURS: tuple[str, ...] = (
    "en fait {hours}",
    "finalement {hours}",
    "non plutôt {hours}",
    "ah non, ce serait {hours}",
)
CORRECT_BOTH = ("non, ce n'est pas ça : {day} {hours}", "je me suis trompé : {day} {hours}")
CORRECT_QUANTITY = ("finalement il m'en faut {quantity}", "en fait plutôt {quantity}")
# When the summary does not say what was asked.
SUMMARY_WRONG = {
    "day": ("non, c'est pour {value}", "non ce n'est pas la bonne date, c'est {value}"),
    "hours": ("non, c'est {value}", "non, je voulais {value}"),
    "quantity": ("non, il me faut {value}", "non, c'est {value}"),
    "name": ("non, c'est au nom de {value}", "le nom n'est pas bon : {value}"),
    "resource": ("non, c'est {value} que je veux", "non, je voulais {value}"),
    "category": ("non, c'est un problème de {value}", "ce n'est pas la bonne catégorie : {value}"),
    "street": ("non, c'est {value}", "ce n'est pas la bonne rue, c'est {value}"),
}
WRONG_SUMMARY_GIVE_UP = "laisse tomber, ce n'est pas ce que j'ai demandé"

# -- vague hours (a precise answer follows when the assistant asks again) --------------------

VAGUE_HOURS = (("l'après-midi", (14, 18)), ("le soir", (19, 22)), ("en fin de journée", (18, 20)))
WHOLE_DAY: tuple[str, ...] = ("toute la journée", "la journée entière", "toute la journee svp")

# -- what residents call each resource -------------------------------------------------------

RESOURCE_NAMES = {
    "salle-des-fetes": ("la salle des fêtes", "la grande salle", "la salle polyvalente"),
    "salle-des-associations": (
        "la salle des associations",
        "la salle des assos",
        "la petite salle",
    ),
    "gymnase": ("le gymnase", "le gymnase municipal", "la salle de sport"),
    "tables": ("des tables", "les tables"),
    "chaises": ("des chaises", "les chaises"),
    "barnums": ("des barnums", "un barnum", "des tentes de réception"),
    "sonorisation": ("la sono", "la sonorisation", "le matériel de sono"),
    "rdv-titres": ("un rendez-vous carte d'identité", "un rendez-vous passeport"),
}
# How an item is counted in a request ("10 tables", "2 barnums").
NOUNS = {"tables": "tables", "chaises": "chaises", "barnums": "barnums", "sonorisation": "sono"}
NOUN_ONE = {"tables": "table", "chaises": "chaise", "barnums": "barnum", "sonorisation": "sono"}
BOOK_OPENINGS: tuple[str, ...] = (
    "je voudrais réserver {what}",
    "bonjour, je souhaiterais réserver {what}",
    "est-ce que je peux réserver {what}",
    "je veux réserver {what}",
    "il me faudrait {what}",
    "c'est pour réserver {what}",
)
BORROW_OPENINGS: tuple[str, ...] = (
    "il me faudrait {what}",
    "je voudrais emprunter {what}",
    "est-ce que je peux avoir {what}",
    "je voudrais réserver {what}",
)
APPOINTMENT_OPENINGS: tuple[str, ...] = (
    "je voudrais prendre rendez-vous pour un passeport",
    "je voudrais un rendez-vous pour ma carte d'identité",
    "c'est pour un rendez-vous carte d'identité",
    "bonjour, il me faut un rendez-vous pour refaire mon passeport",
    "je dois faire ma carte d'identité, il faut prendre rendez-vous ?",
    "rdv passeport svp",
)
# Questions before any form: (question, resource, what the answer must say).
QUESTIONS_FIRST = (
    ("vous prêtez des barnums ?", "barnums"),
    ("c'est possible d'emprunter des tables ?", "tables"),
    ("on peut louer la salle des fêtes ?", "salle-des-fetes"),
    ("la mairie prête des chaises ?", "chaises"),
    ("est-ce que vous prêtez une sono ?", "sonorisation"),
    ("c'est possible de réserver la salle des associations ?", "salle-des-associations"),
)

# -- appointments ----------------------------------------------------------------------------

ID_CASES = {
    "premiere": ("c'est une première demande", "première demande", "c'est la première fois"),
    "renouvellement": ("renouvellement", "c'est un renouvellement", "l'ancien est périmé"),
    "perte_vol": ("c'est suite à une perte", "on me l'a volé", "perte"),
    "mineur": (
        "c'est pour mon fils de 12 ans",
        "pour ma fille, elle est mineure",
        "pour un mineur",
    ),
}
FIRST_SLOT: tuple[str, ...] = (
    "le premier",
    "le premier créneau",
    "le plus tôt possible, le premier",
)
SLOT_CHOICE: tuple[str, ...] = (
    "{hour}",
    "à {hour}",
    "{hour} svp",
    "celui de {hour}",
    "je prends {hour}",
)

# -- street reports --------------------------------------------------------------------------

# Misspellings a clerk would read without hesitation, for each street of Clairval.
STREETS = {
    "rue des Lilas": ("rue des lila", "rue des lilas", "rue des lillas", "r des lilas"),
    "rue des Écoles": ("rue des ecoles", "rue des écolles", "rue des ecole"),
    "avenue des Tilleuls": ("avenue des tilleul", "av des tilleuls", "avenue des tileuls"),
    "place de l'Église": ("place de l'eglise", "pl de l eglise", "place de l'églize"),
    "rue du Moulin": ("rue du moulin", "rue du moullin", "rue du mouin"),
    "chemin du Stade": ("chemin du stade", "ch du stade", "chemin du stad"),
    "rue des Sablons": ("rue des sablon", "rue des sablons", "rue des sablonds"),
    "rue Victor Hugo": ("rue victor hugo", "rue victor ugo", "rue v hugo"),
    "rue Jean Jaurès": ("rue jean jaures", "rue jean jaurés", "rue jean-jaurès"),
    "allée des Peupliers": ("allee des peupliers", "allée des peuplier", "allée des peupilers"),
    "impasse des Vignes": ("impasse des vignes", "imp des vignes", "impasse des vigne"),
    "route de Montreuil": ("route de montreuil", "rte de montreuil", "route de montreuille"),
}
AT_STREET: tuple[str, ...] = (
    "{street}",
    "c'est {street}",
    "devant le 12 {street}",
    "{street}, au coin",
    "vers le 4 {street}",
)
AT_STREET_IN_TEXT = (
    "{street}",
    "devant le 12 {street}",
    "vers le 4 {street}",
    "en face du 8 {street}",
)
# Descriptions in plain words; none names another category's object or a street.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "eclairage": (
        "le lampadaire ne marche plus",
        "il fait noir complet le soir, plus aucun éclairage",
        "l'ampoule du réverbère est grillée",
        "le lampadaire clignote toute la nuit",
        "plus de lumière depuis trois jours",
    ),
    "voirie": (
        "il y a un gros trou dans la chaussée",
        "un nid de poule énorme",
        "le goudron est complètement défoncé",
        "la route s'est affaissée",
        "une plaque d'égout qui bouge quand les voitures passent",
    ),
    "proprete": (
        "quelqu'un a laissé des sacs poubelle partout",
        "un dépôt sauvage de gravats",
        "des déchets partout par terre",
        "un vieil encombrant abandonné, un matelas",
        "les ordures s'entassent depuis une semaine",
    ),
    "tags": (
        "un tag énorme sur le mur",
        "des graffitis sur la façade",
        "quelqu'un a fait des inscriptions à la bombe",
        "des tags partout sur le muret",
    ),
    "espaces_verts": (
        "une grosse branche est tombée",
        "l'herbe n'a pas été tondue depuis des semaines",
        "un arbre penche beaucoup, il va finir par tomber",
        "la haie n'est plus taillée, elle déborde",
        "la pelouse est devenue une jungle",
    ),
    "mobilier": (
        "le banc est cassé",
        "l'abribus a une vitre brisée",
        "un panneau est tombé par terre",
        "la barrière est arrachée",
        "la fontaine fuit",
    ),
    "autre": (
        "une voiture abandonnée depuis des mois",
        "un câble téléphonique qui pend",
        "un nid de frelons sous le toit de l'arrêt",
        "une fuite d'eau qui coule depuis hier",
    ),
}
# To "de quel type de problème s'agit-il ?".
CATEGORY_ANSWERS = {
    "eclairage": ("l'éclairage", "c'est un lampadaire", "un problème d'éclairage public"),
    "voirie": ("la voirie", "un nid de poule", "c'est la chaussée"),
    "proprete": ("un dépôt sauvage", "c'est de la propreté, des déchets", "des ordures"),
    "tags": ("des tags", "un graffiti", "tags"),
    "espaces_verts": ("les espaces verts", "c'est un arbre", "espaces verts"),
    "mobilier": ("du mobilier urbain", "un banc cassé", "mobilier urbain"),
    "autre": ("autre chose", "autre", "aucun de ceux-là"),
}
REPORT_OPENINGS: tuple[str, ...] = (
    "{description} {at}",
    "bonjour, {description} {at}",
    "je voudrais signaler que {description} {at}",
    "{at} : {description}",
)
VAGUE_REPORT = (
    "je voudrais signaler un problème",
    "je veux faire un signalement",
    "il y a un souci dans ma rue",
    "signaler un problème dans la rue",
)
SWITCH_TO_REPORT = ("au fait {description} {at}", "ah et sinon {description} {at}")
SWITCH_TO_BOOKING = ("au fait je voudrais aussi réserver {what} {day}",)
PHOTO_CAPTION = ("Photo jointe", "voilà la photo", "")

# -- wordings written apart (tests/dialogues/banks_apart.py, banks_apart2.py), drawn from with
# the ones above --

YES = YES + _apart.YES
NO_PHOTO = NO_PHOTO + _apart.NO_PHOTO
ABANDON = ABANDON + _apart.ABANDON
DONT_KNOW = DONT_KNOW + _apart.DONT_KNOW
REQUESTER = {
    "resident": REQUESTER["resident"] + _apart.REQUESTER_RESIDENT,
    "association": REQUESTER["association"] + _apart.REQUESTER_ASSOCIATION,
    "exterieur": REQUESTER["exterieur"] + _apart.REQUESTER_OUTSIDE,
}
MY_BOOKINGS = MY_BOOKINGS + _apart.MY_BOOKINGS
CANCEL_REFERENCE = CANCEL_REFERENCE + _apart.CANCEL_REFERENCE
CANCEL_LAST = CANCEL_LAST + _apart.CANCEL_LAST
REPORT_STATUS = REPORT_STATUS + _apart.REPORT_STATUS
CORRECT_DAY = CORRECT_DAY + _apart.CORRECT_DAY
CORRECT_HOURS = CORRECT_HOURS + _apart.CORRECT_HOURS
BOOK_OPENINGS = BOOK_OPENINGS + _apart2.BOOK_OPENINGS
BORROW_OPENINGS = BORROW_OPENINGS + _apart2.BORROW_OPENINGS
APPOINTMENT_OPENINGS = APPOINTMENT_OPENINGS + _apart2.APPOINTMENT_OPENINGS
SLOT_CHOICE = SLOT_CHOICE + _apart2.SLOT_CHOICE
FIRST_SLOT = FIRST_SLOT + _apart2.FIRST_SLOT
WHOLE_DAY = WHOLE_DAY + _apart2.WHOLE_DAY
AT_STREET = AT_STREET + _apart2.AT_STREET
REPORT_OPENINGS = REPORT_OPENINGS + _apart2.REPORT_OPENINGS
DESCRIPTIONS = {
    key: wordings + _apart2.DESCRIPTIONS.get(key, ()) for key, wordings in DESCRIPTIONS.items()
}
