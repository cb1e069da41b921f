"""Street report actions around the form: its questions, the summary, filing it, and
"où en est mon signalement", "mes signalements", "toujours en panne"."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import flow
from actions.asking import ask
from actions.context import commune, reports, zone
from actions.human import hand_over
from actions.report_form import NO_PHOTO, position_of
from bot import names as n
from bot import wish
from bot.places import match_street
from bot.report_values import STATES
from bot.report_wording import history, place_of
from bot.reports import Draft, Reporter, ReportError, ReportNotFound, Status

RESET: list[EventType] = [SlotSet(s.value, None) for s in n.REPORT_SLOTS] + [
    SlotSet(n.Slot.SWITCH_TO, None),
    SlotSet(n.Slot.SWITCH_TEXT, None),
    SlotSet(n.Slot.ASKED, None),
    SlotSet(n.Slot.REPORT_NEXT, None),
]
# What each question is called in the commune file: (question, help).
KEYS: dict[n.Slot, tuple[str, str]] = {
    n.Slot.CATEGORY: ("demander_categorie", "aide_categorie"),
    n.Slot.PLACE: ("demander_lieu", "aide_lieu"),
    n.Slot.DESCRIPTION: ("demander_description", "aide_description"),
    n.Slot.PHOTO: ("demander_photo", "aide_photo"),
}


class _Asking:
    """Asks for one slot of the report form (a mixin: only the askers below are actions)."""

    slot: n.Slot
    action: n.Action

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        buttons: list[dict[str, str]] = []
        if self.slot is n.Slot.CATEGORY:
            buttons = [
                {
                    "title": category.nom[:1].upper() + category.nom[1:],
                    "payload": f"/{n.Intent.INFORM}{json.dumps({n.Slot.CATEGORY.value: key})}",
                }
                for key, category in c.data.signalements.categories.items()
            ]
        elif self.slot is n.Slot.PHOTO:
            buttons = [{"title": "Pas de photo", "payload": f"/{n.Intent.SKIP_PHOTO}"}]
        question, help_key = KEYS[self.slot]
        return ask(
            dispatcher,
            tracker,
            self.slot.value,
            c.message(question),
            buttons,
            help_key,
            back_key="reprendre_signalement",
            topic=report_topic(tracker),
        )


def report_topic(tracker: Tracker) -> str:
    """What the report is about, for the dashboard: "report:eclairage"."""
    category = tracker.get_slot(n.Slot.CATEGORY)
    return f"report:{category}" if category else "report"


class AskCategory(_Asking, Action):
    slot, action = n.Slot.CATEGORY, n.Action.ASK_CATEGORY


class AskPlace(_Asking, Action):
    slot, action = n.Slot.PLACE, n.Action.ASK_PLACE


class AskDescription(_Asking, Action):
    slot, action = n.Slot.DESCRIPTION, n.Action.ASK_DESCRIPTION


class AskPhoto(_Asking, Action):
    slot, action = n.Slot.PHOTO, n.Action.ASK_PHOTO


def _place(tracker: Tracker) -> str:
    place = str(tracker.get_slot(n.Slot.PLACE) or "")
    return "près de la position partagée" if position_of(place) else place


def _draft(tracker: Tracker) -> Draft:
    place = str(tracker.get_slot(n.Slot.PLACE) or "")
    position = position_of(place)
    photo = tracker.get_slot(n.Slot.PHOTO)
    return Draft(
        category=str(tracker.get_slot(n.Slot.CATEGORY) or ""),
        description=str(tracker.get_slot(n.Slot.DESCRIPTION) or ""),
        street=None if position else place,
        address=None if position else place,
        lat=position[0] if position else None,
        lon=position[1] if position else None,
        photo=str(photo) if photo and photo != NO_PHOTO else None,
    )


class AskReportConfirm(Action):
    """Shows the report before it is sent and asks for a yes."""

    def name(self) -> str:
        return n.Action.ASK_REPORT_CONFIRM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        key = str(tracker.get_slot(n.Slot.CATEGORY) or "autre")
        category = c.data.signalements.categories.get(key)
        photo = tracker.get_slot(n.Slot.PHOTO)
        question = c.message(
            "resume_signalement",
            categorie=category.nom if category else key,
            lieu=_place(tracker),
            description=str(tracker.get_slot(n.Slot.DESCRIPTION) or ""),
            photo=bool(photo and photo != NO_PHOTO),
        )
        buttons = [
            {"title": "Oui, envoyer", "payload": f"/{n.Intent.AFFIRM}"},
            {"title": "Non", "payload": f"/{n.Intent.DENY}"},
        ]
        if flow.misses(tracker, n.Slot.REPORT_CONFIRM.value):
            dispatcher.utter_message(text=question.rsplit("\n", 1)[0])
        return ask(
            dispatcher,
            tracker,
            n.Slot.REPORT_CONFIRM.value,
            question,
            buttons,
            "aide_envoyer",
            back_key="reprendre_signalement",
        )


def reporter_of(tracker: Tracker) -> Reporter:
    """The resident behind a conversation, to be told of the report's progress."""
    sender = tracker.sender_id
    return Reporter(conversation_id=sender, channel=sender.partition(":")[0] or None)


class ReportFinish(Action):
    """The form ended: file the report on a yes, nothing otherwise, set it aside for a booking
    or hand the conversation to an agent; then resume a booking set aside."""

    def name(self) -> str:
        return n.Action.REPORT_FINISH

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        end = tracker.get_slot(n.Slot.REPORT_CONFIRM)
        if end == "yes":
            return [*_file(dispatcher, tracker), *_then(dispatcher, tracker)]
        if end == "switch":
            values = {s.value: tracker.get_slot(s.value) for s in n.REPORT_SLOTS}
            values[n.Slot.REPORT_CONFIRM.value] = None
            switch_text = tracker.get_slot(n.Slot.SWITCH_TEXT)
            return [
                *RESET,
                SlotSet(n.Slot.SET_ASIDE, flow.aside(n.Action.REPORT_FORM, values)),
                SlotSet(n.Slot.SWITCH_TEXT, switch_text),
                FollowupAction(n.Action.BOOKING_FORM),
            ]
        if end == "agent":
            dispatcher.utter_message(text=c.message("confier_agent"))
            hand_over(dispatcher, tracker.sender_id, "misunderstood", "agent")
            return [*RESET, SlotSet(n.Slot.SET_ASIDE, None)]
        if end == "status":
            return [*RESET, FollowupAction(n.Action.REPORT_STATUS)]
        if end == "booking":
            return [*RESET, FollowupAction(n.Action.BOOKING_FORM)]
        if end == "done":
            return [*RESET, *_then(dispatcher, tracker)]
        dispatcher.utter_message(text=c.message("signalement_abandonne"))
        return [*RESET, *_then(dispatcher, tracker)]


def _file(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    c = commune()
    try:
        filed = reports().file(_draft(tracker), reporter_of(tracker), by=tracker.sender_id)
    except ReportError as error:
        dispatcher.utter_message(text=error.message)
        return RESET
    report = filed.report
    if filed.duplicate:
        category = c.data.signalements.categories.get(report.category)
        dispatcher.utter_message(
            text=c.message(
                "signalement_doublon",
                reference=report.reference,
                categorie=category.nom if category else report.category,
            )
        )
    else:
        dispatcher.utter_message(
            text=c.message("signalement_enregistre", reference=report.reference)
        )
    return RESET


def _then(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The next street problem the first message told, as a report of its own; after the
    last one, the booking set aside if there is one."""
    later = [str(text) for text in tracker.get_slot(n.Slot.REPORT_NEXT) or [] if text]
    if not later:
        return _resume(dispatcher, tracker)
    told = later[0].strip().rstrip(" .!")
    dispatcher.utter_message(text=commune().message("signalement_suivant", texte=told))
    return [
        SlotSet(n.Slot.REPORT_NEXT, later[1:] or None),
        SlotSet(n.Slot.SWITCH_TEXT, later[0]),
        FollowupAction(n.Action.REPORT_FORM),
    ]


def _resume(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Come back to the booking the resident set aside, where it was."""
    kept = flow.set_aside(tracker)
    if kept is None or kept.get("form") != n.Action.BOOKING_FORM:
        return [SlotSet(n.Slot.SET_ASIDE, None)]
    dispatcher.utter_message(text=commune().message("reprise_reservation"))
    keys = {s.value for s in (*n.BOOKING_SLOTS, *n.BOOKING_STATE)}
    restored = [SlotSet(k, v) for k, v in kept["slots"].items() if k in keys]
    return [*restored, SlotSet(n.Slot.SET_ASIDE, None), FollowupAction(n.Action.BOOKING_FORM)]


_STATUS = {"topic": "report_status"}
_MINE = {"topic": "my_reports"}
_REOPEN = {"topic": "still_broken"}


def _reference(text: str) -> str | None:
    return wish.reference_in(text, ("SIG",))


def _line(report: Any) -> str:
    category = commune().data.signalements.categories.get(report.category)
    name = category.nom if category else report.category
    return f"{report.reference} : {name}, {place_of(report)} ({STATES[report.status]})"


class ReportStatusAction(Action):
    """ "Où en est mon signalement SIG-4F7P ?": its state and history."""

    def name(self) -> str:
        return n.Action.REPORT_STATUS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        reference = _reference(tracker.latest_message.get("text") or "")
        if reference is None:
            mine = reports().for_owner(tracker.sender_id)
            if not mine:
                dispatcher.utter_message(text=c.message("aucun_signalement"), json_message=_STATUS)
                return []
            report = mine[0]
        else:
            try:
                report = reports().get(reference)
            except ReportNotFound:
                dispatcher.utter_message(
                    text=c.message("signalement_inconnu", reference=reference), json_message=_STATUS
                )
                return []
        category = c.data.signalements.categories.get(report.category)
        dispatcher.utter_message(
            text=c.message(
                "signalement_etat",
                reference=report.reference,
                categorie=category.nom if category else report.category,
                lieu=place_of(report),
                etat=STATES[report.status],
                historique=history(report, zone()),
            ),
            json_message=_STATUS,
        )
        return []


class MyReports(Action):
    """ "Mes signalements"."""

    def name(self) -> str:
        return n.Action.MY_REPORTS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        mine = reports().for_owner(tracker.sender_id)
        if not mine:
            dispatcher.utter_message(
                text=commune().message("aucun_signalement"), json_message=_MINE
            )
        else:
            lines = [_line(r) for r in mine[:10]]
            dispatcher.utter_message(
                text=commune().message("mes_signalements", signalements=lines), json_message=_MINE
            )
        return []


class ReportReopen(Action):
    """ "Toujours en panne": the reporter's resolved report opens again."""

    def name(self) -> str:
        return n.Action.REPORT_REOPEN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        text = tracker.latest_message.get("text") or ""
        reference = _reference(text)
        mine = reports().for_owner(tracker.sender_id)
        if reference is None:
            street = match_street(text, c.data.signalements.rues)
            resolved = [
                r
                for r in mine
                if r.status is Status.RESOLVED and (street is None or r.street == street.street.nom)
            ]
            if not resolved:
                dispatcher.utter_message(text=c.message("aucun_signalement"), json_message=_REOPEN)
                return []
            reference = resolved[0].reference
        try:
            report = reports().reopen(
                reference, by=tracker.sender_id, conversation_id=tracker.sender_id
            )
        except ReportNotFound:
            dispatcher.utter_message(
                text=c.message("signalement_inconnu", reference=reference), json_message=_REOPEN
            )
            return []
        except ReportError as error:
            dispatcher.utter_message(text=error.message, json_message=_REOPEN)
            return []
        dispatcher.utter_message(
            text=c.message("signalement_rouvert", reference=report.reference), json_message=_REOPEN
        )
        return []
