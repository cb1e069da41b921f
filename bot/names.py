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
    BOOK = "book"
    INFORM = "inform"
    AFFIRM = "affirm"
    DENY = "deny"
    STOP = "stop"
    MY_BOOKINGS = "my_bookings"
    CANCEL_BOOKING = "cancel_booking"
    REPORT_PROBLEM = "report_problem"
    REPORT_STATUS = "report_status"
    MY_REPORTS = "my_reports"
    STILL_BROKEN = "still_broken"
    SKIP_PHOTO = "skip_photo"
    # A question about a bookable resource (price, deposit, who may book, how many).
    ASK_RESOURCE = "ask_resource"
    # A question about another place or institution (La Poste, the gendarmerie, a school…).
    ASK_ELSEWHERE = "ask_elsewhere"
    # A danger the lexicon of the commune file did not recognise: numbers, then an agent.
    EMERGENCY = "emergency"
    # Produced by Rasa's FallbackClassifier, never trained on.
    NLU_FALLBACK = "nlu_fallback"


class Slot(StrEnum):
    """Slots the actions read or set."""

    MISUNDERSTANDINGS = "misunderstandings"
    RESOURCE = "booking_resource"
    REQUESTER = "requester_type"
    DAY = "booking_day"
    TIME = "booking_time"
    QUANTITY = "booking_quantity"
    ID_CASE = "id_case"
    ANTS = "ants_number"
    NAME = "contact_name"
    CONTACT = "contact"
    HOLD = "booking_hold"
    CATEGORY = "report_category"
    PLACE = "report_place"
    DESCRIPTION = "report_description"
    PHOTO = "report_photo"
    # How a booking form ends: "yes" (book it), "stop", "quiet", "switch", "agent".
    CONFIRM = "booking_confirm"
    # The resident asked about a resource first: whether they want to book it.
    GO = "booking_go"
    # Placeholder the form asks after a bare « non » to its summary: what to change.
    CHANGE = "booking_change"
    # Equipment asked in the same request (« 10 tables et 60 chaises »): JSON list.
    EXTRAS = "booking_extras"
    # A part of the day for slot resources (« le matin »): "HH:MM-HH:MM".
    WINDOW = "booking_window"
    # The choices last proposed (JSON list of {"title", "values"}), to pick one by words.
    OFFERS = "offers"
    # The question last asked and how many answers missed it (the loop guard).
    ASKED = "asked"
    # Another flow asked for in the middle of a form, and the message that asked for it.
    SWITCH_TO = "switch_to"
    SWITCH_TEXT = "switch_text"
    # Placeholder the form asks: set the current flow aside for the other one?
    FLOW_SWITCH = "flow_switch"
    # A flow set aside, to come back to (JSON).
    SET_ASIDE = "set_aside"
    # How a report form ends: "yes" (file it), "stop", "switch", "agent".
    REPORT_CONFIRM = "report_confirm"
    # Other street problems the message that opened the report told, filed after it.
    REPORT_NEXT = "report_next"
    # The cancel form: which booking, then yes or no.
    CANCEL_CHOICE = "cancel_choice"
    CANCEL_OK = "cancel_ok"


# The message metadata that carries a message's other street problems to the report form
# (gateway/requests.py finds them; the form keeps them in REPORT_NEXT).
THEN_REPORTS = "then_reports"
# The metadata that carries a request's words when the gateway sent it as its intent
# (« /report_problem »): what the forms read instead of the bare intent.
WORDS = "words"

# What the report form asks, in the order it asks.
REPORT_SLOTS: tuple[Slot, ...] = (
    Slot.CATEGORY,
    Slot.PLACE,
    Slot.DESCRIPTION,
    Slot.PHOTO,
    Slot.REPORT_CONFIRM,
)

# What the booking form asks, in the order it asks (each kind of resource needs a subset).
BOOKING_SLOTS: tuple[Slot, ...] = (
    Slot.RESOURCE,
    Slot.ID_CASE,
    Slot.ANTS,
    Slot.REQUESTER,
    Slot.DAY,
    Slot.TIME,
    Slot.QUANTITY,
    Slot.NAME,
    Slot.CONTACT,
    Slot.CONFIRM,
)
# Slots of the booking form kept while it runs, besides what it asks.
BOOKING_STATE: tuple[Slot, ...] = (Slot.GO, Slot.EXTRAS, Slot.WINDOW, Slot.HOLD)


class Action(StrEnum):
    """Custom actions served by the action server."""

    ANSWER = "action_answer"
    FALLBACK = "action_fallback"
    HUMAN = "action_human"
    BOOKING_FORM = "booking_form"
    VALIDATE_BOOKING = "validate_booking_form"
    BOOKING_FINISH = "action_booking_finish"
    MY_BOOKINGS = "action_my_bookings"
    CANCEL_BOOKING = "action_cancel_booking"
    RESOURCE_INFO = "action_resource_info"
    EMERGENCY = "action_emergency"
    CANCEL_FORM = "cancel_form"
    VALIDATE_CANCEL = "validate_cancel_form"
    ASK_CANCEL_CHOICE = "action_ask_cancel_choice"
    ASK_CANCEL_OK = "action_ask_cancel_ok"
    CANCEL_FINISH = "action_cancel_finish"
    # The form asks for each slot with action_ask_<slot> (wording from the commune file).
    ASK_RESOURCE = "action_ask_booking_resource"
    ASK_ID_CASE = "action_ask_id_case"
    ASK_ANTS = "action_ask_ants_number"
    ASK_REQUESTER = "action_ask_requester_type"
    ASK_DAY = "action_ask_booking_day"
    ASK_TIME = "action_ask_booking_time"
    ASK_QUANTITY = "action_ask_booking_quantity"
    ASK_NAME = "action_ask_contact_name"
    ASK_CONTACT = "action_ask_contact"
    ASK_CONFIRM = "action_ask_booking_confirm"
    ASK_GO = "action_ask_booking_go"
    ASK_CHANGE = "action_ask_booking_change"
    ASK_FLOW_SWITCH = "action_ask_flow_switch"
    REPORT_FORM = "report_form"
    VALIDATE_REPORT = "validate_report_form"
    ASK_CATEGORY = "action_ask_report_category"
    ASK_PLACE = "action_ask_report_place"
    ASK_DESCRIPTION = "action_ask_report_description"
    ASK_PHOTO = "action_ask_report_photo"
    ASK_REPORT_CONFIRM = "action_ask_report_confirm"
    REPORT_FINISH = "action_report_finish"
    REPORT_STATUS = "action_report_status"
    MY_REPORTS = "action_my_reports"
    REPORT_REOPEN = "action_report_reopen"


# Intents answered by `action_answer` with the commune's wording.
ANSWERED_INTENTS: frozenset[Intent] = frozenset(
    {
        Intent.GREET,
        Intent.THANK,
        Intent.GOODBYE,
        Intent.ASK_HOURS,
        Intent.ASK_HOURS_WEEKEND,
        Intent.ASK_HOURS_LUNCH,
        Intent.ASK_WASTE_CENTRE,
        Intent.ASK_BULKY_WASTE,
        Intent.ASK_PLANNING,
        Intent.ASK_ID_DOCUMENTS,
        Intent.ASK_ID_PRICE,
        Intent.ASK_BIRTH_CERTIFICATE,
        Intent.ASK_ELECTORAL_LISTS,
        Intent.ASK_VEHICLE_REGISTRATION,
        Intent.ASK_CONTACT,
        Intent.OUT_OF_SCOPE,
        Intent.ASK_ELSEWHERE,
    }
)

# Yes, no and stop get a plain acknowledgement when no booking is under way.
ACKNOWLEDGED_INTENTS: frozenset[Intent] = frozenset(
    {Intent.AFFIRM, Intent.DENY, Intent.STOP, Intent.SKIP_PHOTO}
)

# Topics offered as buttons when the assistant did not understand.
MAIN_TOPICS: tuple[Intent, ...] = (
    Intent.ASK_HOURS,
    Intent.ASK_ID_DOCUMENTS,
    Intent.ASK_WASTE_CENTRE,
    Intent.ASK_BULKY_WASTE,
    Intent.ASK_PLANNING,
    Intent.ASK_CONTACT,
)
