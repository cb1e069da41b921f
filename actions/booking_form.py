"""The booking form: reads the resident's answer to the question asked, then decides what comes
next — the next question, the summary, the end, a question answered in passing, another flow.

Rasa recognises the intent; this validator reads the answer itself (bot/answers.py for yes, no
and « laisse tomber », actions/booking_reading.py for the details), so one message can fill
several slots, a later one can correct them, and « non merci » means what it says whatever
the intent classifier made of it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions import flow
from actions.booking_reading import check, read, spec_of
from bot import answers, booking, places, wish
from bot.answers import Short
from bot.names import BOOKING_SLOTS, BOOKING_STATE, Action, Intent, Slot

FORM = Action.BOOKING_FORM.value
# What decide() returns besides the next slot (None: the form ends).
REJECT = "reject"  # the message is for a rule: the form is rejected, then asks again
ASKED = Slot.ASKED.value  # nothing was understood: the question goes out again
# What a form answer may do besides filling slots.
_STEPS = (Slot.GO, Slot.CHANGE, Slot.FLOW_SWITCH)


class ValidateBookingForm(FormValidationAction):
    """Fills, corrects and checks the booking slots; decides what to ask next."""

    def name(self) -> str:
        return Action.VALIDATE_BOOKING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        keys = [*BOOKING_SLOTS, *BOOKING_STATE, Slot.OFFERS, Slot.SWITCH_TO, Slot.SWITCH_TEXT]
        turn = flow.Turn({s.value: tracker.get_slot(s.value) for s in keys})
        requested = tracker.get_slot(REQUESTED_SLOT)
        if flow.fresh(tracker, FORM) or (requested is None and not flow.resumed(tracker, FORM)):
            message = flow.latest(tracker)
            decided = decide(turn, message, requested, tracker)
            if decided == REJECT:
                return []  # the form is rejected and a rule answers (a question, a person…)
        else:
            # Back after a question answered in passing, or resumed after another flow: the
            # message was not for the form; only say which slot comes next.
            decided = _next(turn)
        turn.utter(dispatcher)
        events: list[EventType] = [SlotSet(k, v) for k, v in turn.changed.items()]
        if decided == ASKED:  # answered nothing: the question goes out again
            count, state = flow.missed(tracker, str(requested), explained=bool(turn.said))
            if count >= flow.MAX_MISSES:
                events.append(SlotSet(Slot.CONFIRM, "agent"))
                return [*events, SlotSet(REQUESTED_SLOT, None)]
            # Setting the requested slot, even to None, keeps the form going.
            return [*events, SlotSet(Slot.ASKED, state), SlotSet(REQUESTED_SLOT, requested)]
        return [*events, SlotSet(REQUESTED_SLOT, decided)]


def decide(turn: flow.Turn, message: flow.Message, requested: str | None, tracker: Tracker) -> Any:
    """Read one message: the slot to ask next, None (the form ends), ASKED (nothing was
    understood: ask again) or REJECT (a rule must answer it instead)."""
    said = message.short()
    if requested == Slot.FLOW_SWITCH:
        return _switch_answer(turn, message, said)
    if message.entities.get(Slot.CONFIRM.value) or (
        requested == Slot.CONFIRM and said is Short.YES
    ):
        turn.set(Slot.CONFIRM, "yes")
        return None
    if said is Short.STOP or (said is None and answers.abandons(message.text)):
        # Nothing under way yet and a booking named: it is one already made (« les chaises
        # de samedi, je n'en veux plus »), which the cancel form finds.
        gone = requested is None and (message.intent == Intent.CANCEL_BOOKING or _names(message))
        turn.set(Slot.CONFIRM, "cancel" if gone else "stop")
        return None
    if requested == Slot.GO:
        if said is Short.YES:
            turn.set(Slot.GO, "yes")
            return _next(turn)
        if said in (Short.NO, Short.NO_THANKS):
            turn.set(Slot.CONFIRM, "quiet")
            return None
    if requested in (Slot.CONFIRM, Slot.CHANGE) and said in (Short.NO_THANKS, Short.STOP):
        turn.set(Slot.CONFIRM, "stop")
        return None
    if requested == Slot.CONFIRM and said is Short.NO:
        turn.set(Slot.HOLD, None)  # released by the summary's next run or by the end
        return Slot.CHANGE.value
    if requested is None and flow.not_ours(turn, message, names_ours=_names(message)):
        turn.set(Slot.CONFIRM, "done")
        return None
    other = _other_flow(message, requested)
    if other is not None:
        turn.set(Slot.SWITCH_TO, other)
        turn.set(Slot.SWITCH_TEXT, message.text[:2000])
        return Slot.FLOW_SWITCH.value
    if flow.asks_the_desk(message) and not _about_booking(message):
        return REJECT  # « la mairie ouvre à quelle heure ? »: a rule answers, then the form
    if requested not in (None, Slot.GO) and message.sure(Intent.ASK_RESOURCE):
        return REJECT  # « et vous prêtez aussi des barnums ? »: answered, then the form
    if (requested is None or requested == Slot.GO) and _asks_about(message):
        # « vous prêtez des barnums ? »: the answer first, then the offer to book it, or the
        # next question when the message also asks to book (« c'est combien, et libre le 14 ? »).
        read(turn, message, requested, tracker.sender_id)
        if requested is None and _wishes(message, turn):
            from actions.resource_info import describe

            described = describe(spec_of(turn.get(Slot.RESOURCE)), message.text)
            turn.tell(described.info, topic=described.topic)
            turn.set(Slot.GO, "yes")
            check(turn)
            return _next(turn)
        turn.set(Slot.GO, "ask")
        return Slot.GO.value
    read(turn, message, requested, tracker.sender_id)
    if requested == Slot.CONFIRM and not turn.changed and answers.leans_yes(message.text):
        turn.set(Slot.CONFIRM, "yes")  # « Oui, tout est correct, je confirme. »
        return None
    if not turn.changed:
        if not turn.said and flow.interrupts(message):
            return REJECT
        return _next(turn) if requested is None else ASKED
    if requested == Slot.GO:
        turn.set(Slot.GO, "yes")  # details given: they want it
    if requested in (Slot.CONFIRM, Slot.CHANGE):
        from actions.booking import release

        release(tracker)  # what the summary held must not stand in the way of its correction
        turn.set(Slot.HOLD, None)
    check(turn)
    if set(turn.changed) - {Slot.OFFERS.value} and requested in (Slot.CONFIRM, Slot.CHANGE):
        turn.set(Slot.HOLD, None)  # a correction: the summary holds the new wish
    following = _next(turn)
    channel, _, number = tracker.sender_id.partition(":")
    if following == Slot.CONTACT and channel == "sms" and wish.normalise_phone(number):
        # Writing by SMS, the resident is reachable at the number they write from.
        turn.set(Slot.CONTACT, wish.normalise_phone(number))
        following = _next(turn)
    return ASKED if following == requested and not turn.changed else following


def _next(turn: flow.Turn) -> str | None:
    """The next slot to ask for (the summary when every detail is known)."""
    spec = spec_of(turn.get(Slot.RESOURCE))
    if turn.get(Slot.GO) == "ask":
        return Slot.GO.value
    following = booking.filled(turn.values, spec)
    return following.value if following else None


def _switch_answer(turn: flow.Turn, message: flow.Message, said: Short | None) -> str | None:
    """« Je mets de côté votre réservation ? »: yes sets it aside, no goes on with it."""
    if said is Short.YES or (said is None and message.sure(Intent.AFFIRM)):
        turn.set(Slot.CONFIRM, "switch")
        return None
    if said in (Short.STOP,):
        turn.set(Slot.CONFIRM, "stop")
        return None
    turn.set(Slot.SWITCH_TO, None)
    turn.set(Slot.SWITCH_TEXT, None)
    turn.say("on_continue")
    return _next(turn)


def _other_flow(message: flow.Message, requested: str | None) -> str | None:
    """A street report asked for in the middle of a booking (at the name question, only with
    the words of a report category: a name may sound like anything to the classifier)."""
    from actions.context import commune

    territory = commune().data.signalements
    found = places.category_of(message.text, territory.categories, territory.rues)
    if requested == Slot.NAME:
        return "report" if found and len(message.words.split()) > 3 else None
    if not message.sure(Intent.REPORT_PROBLEM):
        return None
    return "report" if found or message.confidence >= 0.8 else None


# Words of a question about a resource rather than a wish to book it.
_INFO_WORDS = re.compile(
    r"\b(?:pretez|pretes|prete|preter|pret|louez|loue|location|combien|prix|tarif|tarifs|"
    r"emprunter|emprunt|possible d emprunter|possible d avoir|est il possible|c est possible|"
    r"cout|coute|coutent|caution|gratuite?s?|payante?s?|payer|paient|paye|qui peut|"
    r"ouvert aux|ouverte aux|reserve aux|reservee aux|conditions|capacite|combien de personnes|"
    r"tient combien|accueillir combien|vous avez des|vous avez un|vous avez une|"
    r"est ce qu il y a|y a t il|il y a des|c est ou|se trouve ou|ou se trouve)\b"
)
# Words of a wish to book, besides a date: the question then comes with the booking.
_WISH_WORDS = re.compile(
    r"\b(?:dispos?|disponibles?|libres?|reserver|reservation|je voudrais|j aimerais|"
    r"je souhaite|on voudrait|nous voudrions|il me faut|il nous faut|besoin|"
    # « il nous faudrait une grande salle », « vous pouvez nous la garder ? » ask for one;
    # « c'est possible d'emprunter des tables ? » only asks whether (the simulated residents
    # who ask first expect the answer, then the offer).
    r"il me faudrait|il nous faudrait|(?:nous|me) (?:le|la|les) garder)\b"
)


def _asks_about(message: flow.Message) -> bool:
    """A question about what can be booked, its price or its rules."""
    if message.sure(Intent.ASK_RESOURCE):
        return True
    unsure = (Intent.BOOK, Intent.INFORM, Intent.NLU_FALLBACK, Intent.ASK_RESOURCE, None)
    if message.intent not in unsure:
        return False
    # « location salle des fêtes tarif week-end »: a price asked without a question mark.
    return bool(_INFO_WORDS.search(message.words)) and (
        flow.is_question(message) or bool(_PRICE_WORDS.search(message.words))
    )


_PRICE_WORDS = re.compile(r"\b(?:tarifs?|prix|caution|combien|cout|couts|gratuite?s?)\b")


def _wishes(message: flow.Message, turn: flow.Turn) -> bool:
    """Whether a question about a resource also asks to book it (« … et elle est dispo le
    14 ? »): a date was read, or words of a wish."""
    # « vous prêtez une sono ? » names one, it does not ask for one: a count says a wish
    # only when it is more than one (« il nous faut 40 chaises, c'est gratuit ? »).
    said = bool(turn.get(Slot.DAY)) or float(turn.get(Slot.QUANTITY) or 0) > 1
    return said or bool(_WISH_WORDS.search(message.words))


def _names(message: flow.Message) -> bool:
    from actions.booking_reading import named_resources

    return bool(wish.items_in(message.text, named_resources()))


def _about_booking(message: flow.Message) -> bool:
    """A question that names a resource or a booking word is about the booking itself."""
    from actions.booking_reading import named_resources

    if wish.items_in(message.text, named_resources()):
        return True
    return any(w in message.words for w in ("dispo", "libre", "reserv", "possible", "prendre"))
