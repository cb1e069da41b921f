"""Independently written resident phrasings for the Guichet simulated-resident tests.

These banks were written apart from the main phrasing banks, without looking at
them, so that tests can check the assistant copes with wordings it was not tuned
on. Each tuple holds replies a real resident of (or visitor to) Clairval might
type on SMS, Telegram or the web chat, in mixed registers (polite, terse,
SMS-style without accents, small typos), each with a single clear meaning.

Placeholders: CANCEL_REFERENCE uses {ref}; REPORT_STATUS uses {ref} in half of
its entries; CORRECT_DAY uses {day}; CORRECT_HOURS uses {hours}. No other
braces appear in any string.
"""

from __future__ import annotations

# Plain yes to « Je confirme la réservation ? » / « J'envoie le signalement ? »
YES = (
    "oui c bon",
    "Oui, merci de valider",
    "parfait allez-y",
    "oui je confirme",
    "ouais vas-y",
    "d'accord, validez svp",
    "oui merci beaucoup, bonne journée",
    "Oui, c'est parfait, merci à vous !",
    "ok ça me va",
    "oui oui allez y",
    "c'est tout bon, je confirme 👍",
    "yes go",
    "Oui s'il vous plaît, merci bien",
    "exactement, vous pouvez valider",
)

# Plain no to a yes/no question that is not about a photo.
NO = (
    "non",
    "non merci",
    "nan",
    "Non, merci.",
    "non pas besoin",
    "non ça ira",
    "pas du tout",
    "non non",
    "Non, je ne pense pas, merci",
    "nn merci",
    "Non, ce n'est pas nécessaire.",
    "négatif",
)

# No to « Voulez-vous ajouter une photo ? »
NO_PHOTO = (
    "pas de photo désolé",
    "non j'ai pas de téléphone qui fait des photos",
    "nope",
    "non, pas la peine",
    "non pas de photo",
    "j'en ai pas pris dsl",
    "Non, je n'ai pas de photo à joindre.",
    "non sans photo svp",
    "pas de photo merci",
    "non jai pas d'appareil photo",
    "Non merci, je n'ai pas pensé à en prendre une",
    "non c'est pas possible la je suis plus sur place",
)

# The resident gives up the current booking or report mid-way.
ABANDON = (
    "bon laissez tomber",
    "j'annule, merci quand même",
    "finalement je préfère arrêter là",
    "oubliez, c'est plus la peine",
    "laisse tomber stp",
    "en fait on arrête tout, merci",
    "Tant pis, je ferai ma demande autrement. Au revoir.",
    "je renonce, c'est trop compliqué",
    "stop j'abandonne",
    "non en fait laissez tomber la demande",
    "Je préfère abandonner pour aujourd'hui, merci.",
    "bof oublie, je passerai directement a la mairie",
)

# The resident does not know the answer to the question asked.
DONT_KNOW = (
    "je sais pas",
    "aucune idée",
    "jsp",
    "chais pas trop",
    "Je ne sais pas du tout, désolé.",
    "euh aucune idée dsl",
    "bonne question, je sais pas",
    "j'en ai aucune idée",
    "Je l'ignore, malheureusement.",
    "ah ça je sais pas",
    "je connais pas la réponse",
    "Aucune idée, je ne m'en souviens pas.",
)

# Answer to « Pour qui est cette réservation ... ? » meaning "me, a Clairval resident".
REQUESTER_RESIDENT = (
    "moi-même, j'habite Clairval",
    "pour moi, je suis de Clairval",
    "c pour moi j'habite ici",
    "Pour moi-même, habitante de Clairval.",
    "moi, habitant de la commune",
    "pour moi perso, j'habite à Clairval depuis 10 ans",
    "c'est pour moi, je suis clairvalois",
    "moi ! j'habite rue des tilleuls à clairval",
    "Pour moi, je réside à Clairval.",
    "à titre perso, je suis habitant de Clairval",
    "moi meme jsuis de clairval",
)

# Same question, meaning "for an association / club".
REQUESTER_ASSOCIATION = (
    "pour une association",
    "c'est pour le club de foot de Clairval",
    "pour l'asso des parents d'élèves",
    "association : le comité des fêtes",
    "pour notre asso de théâtre, Les Tréteaux de Clairval",
    "c pour le club de judo",
    "Je suis présidente de l'association Clairval Rando, c'est pour l'asso.",
    "au nom de l'amicale des anciens de Clairval",
    "une asso, la chorale La Clé des Chants",
    "Pour l'association sportive du collège.",
    "pour le club de scrabble, on est une association",
)

# Same question, meaning "I don't live in Clairval".
REQUESTER_OUTSIDE = (
    "je suis pas de Clairval, j'habite à Tours",
    "personne extérieure",
    "Je n'habite pas la commune.",
    "extérieur, je vis à Saint-Aubin",
    "je viens de la commune d'à côté, pas de Clairval",
    "moi mais j'habite pas a clairval",
    "Pour moi, mais je réside à Lyon.",
    "je suis extérieure à la commune",
    "c pour moi, j'habite à Orléans",
    "Une personne extérieure : moi, je suis domicilié à Bourges.",
    "pas habitant de Clairval, je suis de Nantes",
)

# Asking to see one's bookings.
MY_BOOKINGS = (
    "je peux voir mes réservations ?",
    "mes résas stp",
    "Quelles sont mes réservations en cours ?",
    "afficher mes reservations",
    "j'ai réservé quoi déjà ?",
    "montrez-moi ce que j'ai réservé svp",
    "liste de mes réservations",
    "Pouvez-vous me rappeler mes réservations ?",
    "Je voudrais consulter mes réservations, s'il vous plaît.",
    "c quoi mes reservations",
    "est ce que j'ai des résas en cours ?",
)

# Asking to cancel the booking just made (no reference).
CANCEL_LAST = (
    "annulez la réservation que je viens de faire",
    "je veux annuler ce que je viens de réserver",
    "en fait annule la résa que je viens de faire stp",
    "oups, annulez ma dernière réservation svp",
    "J'ai réservé par erreur, vous pouvez annuler cette réservation ?",
    "Pouvez-vous annuler la réservation que je viens d'effectuer ?",
    "finalement j'annule la resa de tout a l'heure",
    "annuler ma derniere reservation",
    "je me suis trompé, annulez la résa que vous venez de confirmer",
    "Merci d'annuler la réservation que nous venons de faire.",
)

# Asking to cancel a booking by reference; each contains {ref} exactly once.
CANCEL_REFERENCE = (
    "svp annulez {ref}",
    "je souhaite annuler la réservation {ref}",
    "annuler resa {ref} merci",
    "Pouvez-vous annuler ma réservation n° {ref} ?",
    "annulation de {ref} stp",
    "la résa {ref} c'est plus la peine, annulez-la svp",
    "Bonjour, merci d'annuler la réservation référence {ref}.",
    "annule {ref}",
    "je voudrais annuler {ref} s'il vous plait",
    "ref {ref} : à annuler svp",
)

# Asking about progress of one's street report; 4 of 8 contain {ref} once.
REPORT_STATUS = (
    "où en est mon signalement ?",
    "des nouvelles du signalement {ref} ?",
    "Le signalement {ref} a-t-il été traité ?",
    "quoi de neuf pour mon signalement ?",
    "suivi signalement {ref} svp",
    "Est-ce que quelqu'un s'est occupé de mon signalement ?",
    "je voudrais savoir où en est le signalement {ref}",
    "mon signalement ça avance ?",
)

# Correcting the day just given; each contains {day} exactly once.
CORRECT_DAY = (
    "oups je voulais dire {day}",
    "non pardon, {day}",
    "Erreur de ma part, c'est pour {day}.",
    "je me suis trompé, plutôt {day}",
    "correction : {day}",
    "ah non pas ce jour-là, {day}",
    "dsl je me suis trompée de jour, c {day}",
    "Rectification : ce sera {day}, pas l'autre date.",
    "plutot {day} svp",
    "attendez, en fait c'est {day}",
)

# Correcting the hours; each contains {hours} exactly once.
CORRECT_HOURS = (
    "pardon, plutôt {hours}",
    "je me suis trompée d'horaire, c'est {hours}",
    "correction : {hours}",
    "oups les horaires c'est {hours}",
    "Erreur, je voulais dire {hours}.",
    "non en fait ce sera {hours}",
    "dsl mauvais horaire, {hours}",
    "Pouvez-vous corriger l'horaire ? C'est {hours}.",
    "rectif : {hours} stp",
    "ah non pas a cette heure la, {hours}",
)

# Closing thanks at the end of a conversation.
THANKS_END = (
    "merci bcp bonne soirée",
    "top merci !",
    "Merci beaucoup, bonne journée.",
    "super merci 👍",
    "Parfait, merci pour votre aide !",
    "mrc bcp",
    "merci, au revoir",
    "nickel merci bonne journée",
    "c'est gentil, merci",
    "Merci à vous, bonne fin de journée.",
    "cool merci",
    "merci bien, a bientot",
)
