"""Independent bank of French resident phrasings for simulated-resident tests of Guichet.

Written apart from the other banks, to check that the assistant copes with
wordings it was not tuned on (mixed registers: SMS, Telegram, web chat).
"""

from __future__ import annotations

BOOK_OPENINGS = (
    "bonjour je cherche à louer {what}",
    "Bonjour, est-il possible de réserver {what}",
    "slt je voudrais reserver {what}",
    "Bonsoir, nous organisons un anniversaire et souhaiterions louer {what}",
    "Madame, Monsieur, je souhaiterais effectuer une réservation pour {what}",
    "hello, on peut avoir {what}",
    "Bonjour ! Pour notre association, je voudrais réserver {what}",
    "bjr dispo {what}",
    "Bonjour, je voudrais savoir si je peux louer {what}",
    "coucou, c'est pour réserver {what}",
)

BORROW_OPENINGS = (
    "bonjour je voudrais emprunter {what}",
    "Bonjour, est-ce que la mairie prête {what}",
    "slt c possible d'emprunter {what}",
    "Bonsoir, pour une fête de quartier nous aurions besoin de {what}",
    "Madame, Monsieur, je souhaiterais faire une demande de prêt pour {what}",
    "bjr on aurait besoin qu'on nous prête {what}",
    "Bonjour ! Notre club voudrait vous emprunter {what}",
    "hello, je peux vous emprunter {what}",
)

APPOINTMENT_OPENINGS = (
    "rdv cni svp",
    "Bonjour, je souhaiterais prendre rendez-vous pour refaire ma carte d'identité.",
    "bjr il me faut un rdv pour un passeport",
    "Bonjour, comment obtenir un rendez-vous pour une demande de passeport ?",
    "slt ma carte d'identité est périmée, je voudrais un rdv pour la renouveler",
    "Madame, Monsieur, je sollicite un rendez-vous afin de déposer une demande de carte "
    "nationale d'identité.",
    "Bonsoir, c'est pour un rendez-vous passeport pour mon fils",
    "hello, vous avez des créneaux pour faire une carte d'identité ?",
)

SLOT_CHOICE = (
    "{hour} svp",
    "Je prends celui de {hour}",
    "{hour} ça m'arrange",
    "Le créneau de {hour} me convient, merci.",
    "va pour {hour}",
    "je préfère {hour} si c'est possible",
    "ok {hour}",
    "Je vais réserver celui de {hour}, merci beaucoup.",
)

FIRST_SLOT = (
    "le premier",
    "Le premier créneau me convient.",
    "le plus tôt possible svp",
    "je prends le 1er",
    "Le plus tôt sera le mieux, je prends le premier proposé.",
    "le premier dispo",
)

WHOLE_DAY = (
    "toute la journée",
    "Pour la journée entière, s'il vous plaît.",
    "la journée complète",
    "du matin au soir",
    "tte la journée svp",
    "Toute la journée, de l'ouverture à la fermeture.",
)

AT_STREET = (
    "au niveau du 15 {street}",
    "{street}",
    "devant le 8 {street}",
    "c'est {street}, en face de la boulangerie",
    "{street}, à côté de la pharmacie",
)

REPORT_OPENINGS = (
    "Bonsoir, {description}, c'est {at}",
    "Bonjour, je vous signale que {description} {at}.",
    "slt {description} {at}",
    "Bonjour, petit signalement : {description}, {at}. Merci !",
    "Madame, Monsieur, je me permets de vous informer que {description}, {at}.",
    "bjr, {at} {description}",
)

DESCRIPTIONS = {
    "eclairage": (
        "le lampadaire ne marche plus",
        "l'éclairage public est éteint depuis plusieurs soirs",
        "un réverbère clignote toute la nuit",
        "plus aucune lumière ne s'allume dans le quartier le soir",
        "le lampadaire reste allumé en plein jour",
    ),
    "voirie": (
        "il y a un gros nid-de-poule sur la chaussée",
        "le trottoir est complètement défoncé",
        "la route s'affaisse et il y a des fissures partout",
        "des pavés se sont descellés sur le trottoir",
        "le bitume est arraché sur plusieurs mètres",
    ),
    "proprete": (
        "des sacs poubelle ont été abandonnés sur le trottoir",
        "il y a un dépôt sauvage de gravats et de vieux meubles",
        "la poubelle publique déborde depuis des jours",
        "il y a des crottes de chien partout",
        "des déchets et des canettes traînent par terre",
    ),
    "tags": (
        "il y a des tags sur le mur",
        "quelqu'un a fait des graffitis sur la façade",
        "un grand tag a été peint sur le mur d'un immeuble cette nuit",
        "des inscriptions à la bombe sont apparues sur un muret",
        "il y a des graffitis sur le portail",
    ),
    "espaces_verts": (
        "une grosse branche d'arbre est tombée dans le parc",
        "la haie déborde et n'a pas été taillée",
        "la pelouse du square n'a pas été tondue depuis longtemps",
        "un arbre du jardin public est en train de mourir",
        "les massifs de fleurs sont envahis de mauvaises herbes",
    ),
    "mobilier": (
        "un banc est cassé",
        "le panneau de signalisation est tordu",
        "la vitre de l'abribus est brisée",
        "le toboggan de l'aire de jeux est abîmé",
        "un panneau d'affichage municipal est arraché",
    ),
}
