"""Names shared by the Rasa domain and the action server: intents, slots and actions."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """Every intent the NLU model predicts; `domain.yml` must list exactly these."""

    GREET = "greet"
    THANK = "thank"
    GOODBYE = "goodbye"
    ASK_HOURS = "ask_hours"
    ASK_HOURS_WEEKEND = "ask_hours_weekend"
    ASK_HOURS_LUNCH = "ask_hours_lunch"
    ASK_WASTE_CENTRE = "ask_waste_centre"
    ASK_BULKY_WASTE = "ask_bulky_waste"
    ASK_PLANNING = "ask_planning"
    ASK_ID_DOCUMENTS = "ask_id_documents"
    ASK_ID_PRICE = "ask_id_price"
    ASK_BIRTH_CERTIFICATE = "ask_birth_certificate"
    ASK_ELECTORAL_LISTS = "ask_electoral_lists"
    ASK_VEHICLE_REGISTRATION = "ask_vehicle_registration"
    ASK_CONTACT = "ask_contact"
    REQUEST_HUMAN = "request_human"
    OUT_OF_SCOPE = "out_of_scope"
    # Produced by Rasa's FallbackClassifier, never trained on.
    NLU_FALLBACK = "nlu_fallback"


class Slot(StrEnum):
    """Slots the actions read or set."""

    MISUNDERSTANDINGS = "misunderstandings"


class Action(StrEnum):
    """Custom actions served by the action server."""

    ANSWER = "action_answer"
    FALLBACK = "action_fallback"
    HUMAN = "action_human"


# Intents answered by `action_answer` with the commune's wording.
ANSWERED_INTENTS: frozenset[Intent] = frozenset(Intent) - {
    Intent.REQUEST_HUMAN,
    Intent.NLU_FALLBACK,
}

# Topics offered as buttons when the assistant did not understand.
MAIN_TOPICS: tuple[Intent, ...] = (
    Intent.ASK_HOURS,
    Intent.ASK_ID_DOCUMENTS,
    Intent.ASK_WASTE_CENTRE,
    Intent.ASK_BULKY_WASTE,
    Intent.ASK_PLANNING,
    Intent.ASK_CONTACT,
)
