"""Unsure understanding: a second look at the words first (a form to start, another place, a
frequent question's words); then ask to rephrase with topic buttons; then hand over."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import answer, follow_up, thanked_and_left
from actions.context import commune
from actions.flow import SMALL_TALK
from actions.human import hand_over
from bot import names, places, topics, wish
from bot.answers import plain
from bot.catalogue import ANSWERS

# Words of a wish to book, and of a problem in the street.
_BOOKING = re.compile(
    r"\b(?:rdv|rendez vous|reserver|reservation|resa|louer|location|emprunter|pret|preter|"
    r"besoin|dispo|disponible|libre|creneau|il me faut|il nous faut|il faudrait|faudrait|"
    r"je voudrais|j aimerais|combien|prix|tarif|caution|capacite|accueillir|tient)\b"
)
_PROBLEM = re.compile(
    r"\b(?:cass|panne|marche plus|marche pas|fonctionne plus|fonctionne pas|eteint|trou|"
    r"abim|tomb|renvers|arrach|debord|degrad|sale|bouch|signal|probleme|clignot|fuit|fuite|"
    r"dessin|peint|ecrit|tagu|vandalis)\w*|"
    r"\b(?:pend|pendent|traine|trainent|abandonnee?s?|creve|crevee|mort|morte|ecrase|ecrasee)\b|"
    # Something left to grow (« les branches touchent les fenêtres, personne ne les coupe »).
    r"\b(?:tailler|elaguer|elague\w*|couper|envahi\w*|personne n est (?:venu|passe))\b"
)
# Below the FallbackClassifier's threshold, a frequent question the classifier still puts
# first is answered when its words agree, or alone from this confidence.
AGREEING = 0.2
ALONE = 0.45
_BY_KEY = {key: intent for intent, key in ANSWERS.items()}


def guess(text: str) -> str | None:
    """The form a message unsure to the classifier clearly asks for, if any."""
    from actions.booking_reading import named_resources

    words = plain(text)
    named = wish.items_in(text, named_resources())
    if named and (_BOOKING.search(words) or len(words.split()) <= 3):
        return names.Action.BOOKING_FORM.value
    territory = commune().data.signalements
    found = places.category_of(text, territory.categories, territory.rues)
    if found and found[1] and _PROBLEM.search(words) and not text.rstrip().endswith("?"):
        return names.Action.REPORT_FORM.value
    return None


def second_opinion(tracker: Tracker) -> names.Intent | None:
    """The frequent question a message is about, when the words and the classifier agree."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if thanked_and_left(text):
        return names.Intent.THANK  # answered with its goodbye (`answer`)
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    top = ranking[0] if ranking else {}
    top_name, confidence = top.get("name"), float(top.get("confidence") or 0.0)
    words = commune().data.mots_des_reponses
    by_words = topics.best(text, words, at_least=1)
    worded = _BY_KEY.get(by_words) if by_words else None
    alone = len(topics.scores(text, words)) == 1
    if worded is not None and (
        (worded == top_name and confidence >= AGREEING)
        or alone
        or topics.best(text, words) is not None
    ):
        return worded
    questions = names.ANSWERED_INTENTS - SMALL_TALK
    if top_name in {i.value for i in questions} and confidence >= ALONE:
        return names.Intent(top_name)
    return None


class ActionFallback(Action):
    """Count misunderstandings in a row; the second one escalates to the agents."""

    def name(self) -> str:
        return names.Action.FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        guessed = guess(text) or follow_up(text)
        if guessed is not None:
            # Unsure of the intent, but the words name a resource to book or a street
            # problem: the form asks what it needs rather than « reformulez ».
            return [FollowupAction(guessed)]
        intent = second_opinion(tracker)
        if intent is not None or answer(dispatcher, tracker, None, directory_only=True):
            if intent is not None:
                answer(dispatcher, tracker, intent)
            return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
        misses = int(tracker.get_slot(names.Slot.MISUNDERSTANDINGS) or 0) + 1
        current = commune()
        if misses == 1:
            buttons = [{"title": t.title, "payload": f"/{t.intent}"} for t in current.topics()]
            dispatcher.utter_message(
                text=current.message("reformuler"),
                buttons=buttons,
                json_message={"topic": "reformuler"},
            )
            return [SlotSet(names.Slot.MISUNDERSTANDINGS, float(misses))]
        hand_over(dispatcher, tracker.sender_id, "misunderstood", "reformuler")
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
