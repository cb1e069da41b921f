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
    AWAITING = "awaiting_confirmation"
    CATEGORY = "report_category"
    PLACE = "report_place"
    DESCRIPTION = "report_description"
    PHOTO = "report_photo"
    REPORT_AWAITING = "report_awaiting"


# What the report form asks, in the order it asks.
REPORT_SLOTS: tuple[Slot, ...] = (Slot.CATEGORY, Slot.PLACE, Slot.DESCRIPTION, Slot.PHOTO)

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
)


class Action(StrEnum):
    """Custom actions served by the action server."""

    ANSWER = "action_answer"
    FALLBACK = "action_fallback"
    HUMAN = "action_human"
    BOOKING_FORM = "booking_form"
    VALIDATE_BOOKING = "validate_booking_form"
    BOOKING_SUMMARY = "action_booking_summary"
    BOOKING_CONFIRM = "action_booking_confirm"
    BOOKING_CHANGE = "action_booking_change"
    BOOKING_STOP = "action_booking_stop"
    MY_BOOKINGS = "action_my_bookings"
    CANCEL_BOOKING = "action_cancel_booking"
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
    REPORT_FORM = "report_form"
    VALIDATE_REPORT = "validate_report_form"
    ASK_CATEGORY = "action_ask_report_category"
    ASK_PLACE = "action_ask_report_place"
    ASK_DESCRIPTION = "action_ask_report_description"
    ASK_PHOTO = "action_ask_report_photo"
    REPORT_SUMMARY = "action_report_summary"
    REPORT_FILE = "action_report_file"
    REPORT_STOP = "action_report_stop"
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
