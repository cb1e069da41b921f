"""What the commune file must contain: the answer of each intent, and every message key with
example values of the {{ names }} it may use (each template is rendered once with them at start).
"""

from __future__ import annotations

from typing import Any

from bot.names import Intent

# Which answer of the file each intent gets.
ANSWERS: dict[Intent, str] = {
    Intent.ASK_HOURS: "horaires",
    Intent.ASK_HOURS_WEEKEND: "horaires_week_end",
    Intent.ASK_HOURS_LUNCH: "horaires_midi",
    Intent.ASK_WASTE_CENTRE: "dechetterie",
    Intent.ASK_BULKY_WASTE: "encombrants",
    Intent.ASK_PLANNING: "urbanisme",
    Intent.ASK_ID_DOCUMENTS: "papiers_identite",
    Intent.ASK_ID_PRICE: "prix_papiers_identite",
    Intent.ASK_BIRTH_CERTIFICATE: "acte_naissance",
    Intent.ASK_ELECTORAL_LISTS: "listes_electorales",
    Intent.ASK_VEHICLE_REGISTRATION: "carte_grise",
    Intent.ASK_CONTACT: "contact",
}
# What the other intents the assistant answers itself get.
REPLIES: dict[Intent, str] = {
    Intent.GREET: "bonjour",
    Intent.THANK: "merci",
    Intent.GOODBYE: "au_revoir",
    Intent.OUT_OF_SCOPE: "hors_sujet",
    # Yes, no or stop when nothing is under way.
    Intent.AFFIRM: "d_accord",
    Intent.DENY: "d_accord",
    Intent.STOP: "d_accord",
    Intent.SKIP_PHOTO: "d_accord",
}
# Messages that are not answers to a question.
# Messages that are not answers to a question, with example values of the {{ names }} each
# may use: every template is rendered once with them at start, so a typo is caught early.
_BOOKING = {"quoi": "la salle des fêtes", "quand": "samedi 5 décembre 2026"}
MESSAGES: dict[str, dict[str, Any]] = {
    "bonjour": {},
    "merci": {},
    "au_revoir": {},
    "hors_sujet": {},
    "reformuler": {},
    "indisponible": {},
    "interrompu": {},
    "message_trop_long": {"longueur": 5000, "maximum": 2000},
    "photo_non_recue": {"raison": "La photo n’a pas pu être récupérée."},
    "choix_perime": {},
    "sms_desinscrit": {},
    "sms_reinscrit": {},
    "urgence": {},
    "agent_va_repondre": {},
    "agent_repondra": {"quand": "lundi 30 novembre 2026 à 8h30"},
    "retour_assistant": {},
    "conversation_close": {},
    "d_accord": {},
    "demander_ressource": {},
    "demander_demandeur": {"ressource": "salle des fêtes"},
    "demander_date": {"ressource": "salle des fêtes"},
    "demander_heures": {"ressource": "salle des associations", "horaires": "de 8h à 23h"},
    "demander_creneau": {"quand": "samedi 5 décembre 2026"},
    "aucun_creneau": {"quand": "samedi 5 décembre 2026"},
    "demander_quantite": {"stock": 200},
    "non_autorise": {"raison": "Seules les associations peuvent réserver le gymnase."},
    "demander_nom": {},
    "demander_contact": {},
    "contact_invalide": {},
    "demander_situation": {},
    "demander_ants": {},
    "ants_invalide": {},
    "date_comprise": {"quand": "samedi 5 décembre 2026"},
    "date_incomprise": {},
    "heures_incomprises": {"horaires": "de 8h à 23h"},
    "alternatives": {},
    "resume": {
        **_BOOKING,
        "nom": "Marie Martin",
        "contact": "06 12 34 56 78",
        "prix": "250 €",
        "caution": "500 €",
        "validation": True,
    },
    "reservation_confirmee": {**_BOOKING, "reference": "SDF-7KQ2", "lien": "https://x/y.ics"},
    "reservation_en_attente": {**_BOOKING, "reference": "SDF-7KQ2", "lien": "https://x/y.ics"},
    "reservation_non": {},
    "reservation_abandonnee": {},
    "mes_reservations": {"reservations": ["SDF-7KQ2 : salle des fêtes, samedi 5 décembre"]},
    "aucune_reservation": {},
    "quelle_reservation": {},
    "annulation_faite": {**_BOOKING, "reference": "SDF-7KQ2"},
    "reservation_inconnue": {"reference": "SDF-7KQ2"},
    "deja_annulee": {"reference": "SDF-7KQ2"},
    # Street reports.
    "demander_categorie": {},
    "demander_lieu": {},
    "rue_inconnue": {"texte": "rue des Pivoines"},
    "rue_comprise": {"rue": "rue des Lilas"},
    "position_hors_commune": {},
    "demander_description": {},
    "demander_photo": {},
    "photo_refusee": {"raison": "Ce fichier n’est pas une image."},
    "resume_signalement": {
        "categorie": "éclairage public",
        "lieu": "rue des Lilas",
        "description": "Le lampadaire ne marche plus.",
        "photo": True,
    },
    "signalement_enregistre": {"reference": "SIG-4F7P"},
    "signalement_doublon": {"reference": "SIG-4F7P", "categorie": "éclairage public"},
    "signalement_abandonne": {},
    "signalement_etat": {
        "reference": "SIG-4F7P",
        "categorie": "éclairage public",
        "lieu": "rue des Lilas",
        "etat": "pris en compte",
        "historique": ["reçu le 28 novembre à 21h", "pris en compte le 29 novembre à 9h"],
    },
    "signalement_inconnu": {"reference": "SIG-4F7P"},
    "mes_signalements": {"signalements": ["SIG-4F7P : éclairage public, rue des Lilas (reçu)"]},
    "aucun_signalement": {},
    "signalement_rouvert": {"reference": "SIG-4F7P"},
    # Notifications of a report's progress (sent on the resident's channel).
    "signalement_pris_en_compte": {"objet": "le lampadaire signalé", "lieu": "rue des Lilas"},
    "signalement_repare": {
        "objet": "le lampadaire signalé",
        "lieu": "rue des Lilas",
        "fait": "réparé",
    },
    "signalement_rejete": {
        "objet": "le lampadaire signalé",
        "lieu": "rue des Lilas",
        "raison": "il dépend du département",
    },
}
