"""Answers to greetings, questions and out-of-scope messages, worded by the commune file; a
question about another place or institution gets its directory entry, never our facts."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune, local_now
from actions.flow import latest
from bot import answers, names, topics, wish
from bot.catalogue import ANSWERS
from bot.dates import understand
from bot.dates_fr import Day, scan
from bot.directory import Found, everywhere
from bot.opening import opening_on
from bot.schema import TOWN_HALL, WASTE_CENTRE

# Questions whose answer names a place and its hours: asked about another place, the
# directory answers instead (« les horaires de la poste », « la mairie de Montreuil »).
PLACE_QUESTIONS = frozenset(
    {
        names.Intent.ASK_HOURS,
        names.Intent.ASK_HOURS_WEEKEND,
        names.Intent.ASK_HOURS_LUNCH,
        names.Intent.ASK_CONTACT,
        names.Intent.ASK_WASTE_CENTRE,
        names.Intent.ASK_BULKY_WASTE,
        names.Intent.OUT_OF_SCOPE,
        names.Intent.ASK_ELSEWHERE,
    }
)


# Questions about us that the words of the commune file may correct.
QUESTIONS = frozenset(ANSWERS)
_BY_KEY = {key: intent for intent, key in ANSWERS.items()}


class ActionAnswer(Action):
    """Say the commune's answer to the intent just recognised."""

    def name(self) -> str:
        return names.Action.ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent_name = (tracker.latest_message.get("intent") or {}).get("name")
        intent = names.Intent(intent_name) if intent_name in set(names.Intent) else None
        said = latest(tracker).text
        if (
            intent in names.ACKNOWLEDGED_INTENTS
            and tracker.active_loop.get("name") is None
            and (answers.cancels_booking(said) or _cancels_what_was_made(said, tracker))
        ):
            # « annule celle que je viens de faire » read as a bare « stop »: it is about a
            # booking already made, and the cancel form asks which one and for a yes.
            return [FollowupAction(names.Action.CANCEL_FORM)]
        one_shot = follow_up(said)
        if one_shot is not None and intent in (*QUESTIONS, names.Intent.OUT_OF_SCOPE):
            return [FollowupAction(one_shot)]  # « SIG-8HT2, où en est ce dossier ? »
        if intent is names.Intent.OUT_OF_SCOPE and _street_problem(said):
            return [FollowupAction(names.Action.REPORT_FORM)]  # « un câble téléphonique pend »
        answer(dispatcher, tracker, intent)
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]


_STATUS_WORDS = re.compile(r"\b(?:ou en est|nouvelles|suivi|avancement|traite|en cours|etat)\b")
_MINE = re.compile(
    r"\b(?:mes signalements|ceux que j ai (?:faits|signales)|ce que j ai signale|"
    r"revoir (?:la liste|tout)|liste de mes)\b"
)
_MY_BOOKINGS = re.compile(
    r"\b(?:mes reservations|ce que j ai reserve|prevu avec vous|mes rendez vous|mes rdv)\b"
)


def follow_up(said: str) -> str | None:
    """A follow-up the words say plainly, whatever the classifier made of them: a report's
    number with « où en est », « mes signalements », « mes réservations »."""
    words = answers.plain(said)
    if wish.reference_in(said, ("SIG",)) and _STATUS_WORDS.search(words):
        return names.Action.REPORT_STATUS.value
    if "signal" in words and _MINE.search(words):
        return names.Action.MY_REPORTS.value
    if _MY_BOOKINGS.search(words):
        return names.Action.MY_BOOKINGS.value
    return None


def _street_problem(said: str) -> bool:
    """A problem in the street the commune's words recognise surely, taken for something
    out of scope by the classifier: a report after all."""
    from actions.fallback import guess

    return guess(said) == names.Action.REPORT_FORM.value


def _cancels_what_was_made(said: str, tracker: Tracker) -> bool:
    """« finalement j'annule » with a booking made in this conversation: that one."""
    from actions.booking import live

    return answers.cancel_verb(said) and bool(live(tracker.sender_id))


def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intent: names.Intent | None,
    *,
    directory_only: bool = False,
) -> bool:
    """Say the answer to `intent`, or the directory's when the message is about other places;
    with `directory_only`, only the latter. Returns whether something was said."""
    current = commune()
    said = latest(tracker).text  # the resident's words, also when sent as an intent
    found = elsewhere_for(said, intent)
    # Another town, or a service named in several words (« permis de conduire »), wins over
    # any question about us; a single word (« la poste ») over questions of places and hours.
    # Thanks to another service (« merci à la police municipale ») are thanks.
    thanked = intent in (names.Intent.THANK, names.Intent.GOODBYE, names.Intent.GREET)
    if (
        found
        and not thanked
        and (directory_only or intent in PLACE_QUESTIONS or any(f.sure for f in found))
    ):
        for one in found[:3]:
            dispatcher.utter_message(
                text=current.directory(one), json_message={"topic": f"directory:{one.key}"}
            )
        return True
    if directory_only:
        return False
    intent = reworded(said, intent)
    if intent in _FAREWELL and thanked_and_left(said):
        # « merci, bonne soirée ! »: thanked, then said goodbye.
        dispatcher.utter_message(
            text=current.message("avec_plaisir"), json_message={"topic": names.Intent.THANK}
        )
        dispatcher.utter_message(
            text=current.reply_to(names.Intent.GOODBYE),
            json_message={"topic": names.Intent.GOODBYE},
        )
        return True
    day = dated(said) if intent in _OPENING else None
    if intent is not None and day is not None:
        # « êtes-vous ouverts le lundi de Pâques ? »: that day's hours, holiday or closure.
        where = WASTE_CENTRE if intent is names.Intent.ASK_WASTE_CENTRE else TOWN_HALL
        dispatcher.utter_message(
            text=opening_on(current, day, where), json_message={"topic": intent.value}
        )
        return True
    text = current.reply_to(intent) if intent else None
    topic = str(intent.value) if text and intent else "hors_sujet"
    if intent is names.Intent.ASK_ELSEWHERE:
        topic = "not_ours"
    dispatcher.utter_message(
        text=text or current.message("hors_sujet"), json_message={"topic": topic}
    )
    return True


_HOURS = frozenset({"horaires", "horaires_week_end", "horaires_midi"})
# What goes on in town (events, outings), which the town hall's hours do not answer.
_TOWN_LIFE = re.compile(
    r"\b(?:concerts?|brocantes?|vide greniers?|spectacles?|festivals?|fete foraine|"
    r"marche de noel|animations?|sorties?|evenements?|kermesse|feux? d artifice|expositions?|"
    r"qu est ce qui se passe|quoi faire|que faire|il y a quelque chose de prevu|portes ouvertes)\b"
)
# Questions a date may make about one day (« ouvert le 24 décembre ? »).
_OPENING = frozenset(
    {
        names.Intent.ASK_HOURS,
        names.Intent.ASK_HOURS_WEEKEND,
        names.Intent.ASK_HOURS_LUNCH,
        names.Intent.ASK_WASTE_CENTRE,
    }
)
_WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_THIS_DAY = re.compile(
    rf"\b(?:ce|cette) {_WEEKDAYS}\b|\b{_WEEKDAYS} (?:prochain|qui vient)\b|"
    rf"\b{_WEEKDAYS} (?:\d|1er)"
)
_FAREWELL = frozenset({names.Intent.THANK, names.Intent.GOODBYE})


def thanked_and_left(said: str) -> bool:
    """Thanks and goodbye (« merci pour votre aide, bonne soirée ! »), nothing asked."""
    words = answers.plain(said)
    return "?" not in said and bool(_THANKS.search(words)) and bool(_BYE.search(words))


_THANKS = re.compile(r"\b(?:merci|mercii+|mrc|thanks|thx)\b")
_BYE = re.compile(
    r"\b(?:au revoir|bonne (?:journee|soiree|nuit|fin de journee|semaine|continuation)|"
    r"a bientot|a plus|a\+|bye|salut|ciao|bon week end|bonne fin de semaine)"
)


def elsewhere_for(said: str, intent: names.Intent | None) -> list[Found]:
    """The other places or institutions a message asks about, but those whose entry leaves
    the answer to `intent` to us (« on m'a volé mes papiers, que faut-il pour les refaire ? »:
    the theft is the story, not a question for the gendarmerie)."""
    current = commune()
    mine = ANSWERS.get(intent) if intent else None
    entries = current.data.annuaire.entrees
    return [
        f
        for f in everywhere(said, current.data.annuaire, current.name)
        if not (mine and f.key in entries and mine in entries[f.key].pas_pour)
    ]


def reworded(text: str, intent: names.Intent | None) -> names.Intent | None:
    """The frequent question the words clearly point to, when the classifier's choice has
    none of its own words (« changer le titulaire de la carte grise » taken for urbanism)."""
    if intent not in QUESTIONS and intent is not names.Intent.ASK_ELSEWHERE:
        return intent
    words = commune().data.mots_des_reponses
    mine = ANSWERS.get(intent) if intent else None
    found = topics.scores(text, words)
    if mine in _HOURS and "horaires" not in found and _TOWN_LIFE.search(answers.plain(text)):
        # « Qu'est-ce qui se passe au village ce week-end ? une brocante, un concert ? »: the
        # town's events, not when the town hall opens on Saturdays.
        return names.Intent.OUT_OF_SCOPE
    if mine in _HOURS and "dechetterie" in found:
        return names.Intent.ASK_WASTE_CENTRE  # the waste centre's hours, not ours
    if mine and found.get(mine):
        # « les horaires de la mairie le samedi »: the hours, on a Saturday.
        refined = [k for k, base in topics.REFINES.items() if base == mine and k in found]
        return _BY_KEY.get(refined[0], intent) if refined else intent
    best = topics.best(text, words)
    return _BY_KEY.get(best, intent) if best else intent


def dated(said: str) -> date | None:
    """The one day a question names (« le 1er janvier », « ce samedi », « demain », « le
    lundi de Pâques »), never a habit (« le samedi », « en semaine »)."""
    days = [p for p in scan(said) if isinstance(p, Day)]
    one = any(
        d.day is not None or d.holiday or d.offset is not None or d.week is not None or d.nth
        for d in days
    )
    if not one and not (days and _THIS_DAY.search(answers.plain(said))):
        return None
    now = local_now()
    when = understand(said, now)
    if when is None or when.grain not in ("day", "hour", "minute", "second"):
        return None
    return when.start.astimezone(now.tzinfo).date()
