"""One resident turn: store the message, ask Rasa (or leave it to an agent), store the replies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from anyio import to_thread

from bot.clauses import clauses, turned
from bot.commune import Commune, CommuneStore
from bot.db import utcnow
from bot.directory import everywhere
from bot.emergency import alarm
from bot.handoff import Handoffs, alarm_text, announcement
from bot.handoff_records import OUTAGE
from bot.names import THEN_REPORTS, WORDS, Action, Intent
from bot.places import match_street
from bot.report_values import Draft, Reporter, ReportError
from bot.reports import ReportStore
from bot.transcript import DEFERRED, TAKEN_UP, ConversationRef, Entry, Transcript
from channels.rest import Inbound, OutgoingMessage, render
from gateway.guard import Guard
from gateway.rasa import RasaClient, RasaInterrupted, RasaUnavailable
from gateway.recovery import Recovery
from gateway.requests import (
    FAQ,
    SPLIT_CONFIDENCE,
    SPLITTABLE,
    Part,
    asked_elsewhere,
    asks_for_human,
    asks_where_it_stands,
    astray,
    complained_again,
    completed,
    conjoined,
    errands_beside,
    is_place,
    lead,
    left_in_the_street,
    mashed,
    other_places,
    problems,
    questions,
    reported,
    reports_beside,
    requests,
    sole_request,
    still_broken,
    thanks_for_a_repair,
    together,
    told_afresh,
    told_by_a_room,
    two_things,
)

log = logging.getLogger(__name__)
REPORT = Intent.REPORT_PROBLEM.value
BROKEN = Intent.STILL_BROKEN.value
HUMAN = Intent.REQUEST_HUMAN.value
UNCLEAR = Intent.NLU_FALLBACK.value
# What a message that also asks for a person may ask besides: answered before the handoff.
ANSWERED = SPLITTABLE - {HUMAN}
# What a whole message read otherwise than its one street problem may be taken for, by the
# context: a frequent question, another place, nothing sure.
STRAYS = FAQ | {"nlu_fallback", "ask_elsewhere", "out_of_scope", "greet", "thank", None}
# The forms whose question takes whatever comes next for its answer (a cancellation's « oui ou
# non ? »): the requests after them wait until it is answered.
SWALLOWING = frozenset({Action.CANCEL_FORM.value})
# How long requests put off while a form asked its question wait to be taken up.
DEFERRED_FOR = timedelta(hours=1)


class Turns:
    """Routes inbound messages to Rasa and never leaves a resident without an answer."""

    def __init__(
        self,
        rasa: RasaClient,
        transcript: Transcript,
        commune: CommuneStore,
        handoffs: Handoffs,
        guard: Guard | None = None,
        recovery: Recovery | None = None,
        reports: ReportStore | None = None,
    ) -> None:
        self._rasa = rasa
        self._transcript = transcript
        self._commune = commune
        self._handoffs = handoffs
        self._guard = guard
        self._recovery = recovery
        self._reports = reports

    async def handle(self, inbound: Inbound, recipient_id: str) -> list[OutgoingMessage]:
        ref = inbound.ref
        # Too many messages from one conversation: refused before anything is kept.
        flood = await self._guard.flooding(inbound) if self._guard else None
        if flood is not None:
            return [{"recipient_id": recipient_id, "text": flood}] if flood else []
        payload = {"metadata": inbound.metadata} if inbound.metadata else None
        # Stored before anything else, so the message is kept whatever fails next.
        await to_thread.run_sync(
            self._transcript.record, ref, [Entry("resident", inbound.text, payload)]
        )
        back: list[OutgoingMessage] = []
        if await to_thread.run_sync(self._handoffs.active, ref.id):
            # Given to the agents by an outage that is over, nobody has answered: the assistant
            # takes the conversation back, says so, and answers this message.
            notice = await self._recovery.resume(ref.id, push=False) if self._recovery else None
            if notice is not None:
                entry = Entry("system", notice, {"resumed": True})
                await to_thread.run_sync(self._transcript.record, ref, [entry])
                back = [{"recipient_id": recipient_id, "text": notice}]
            elif await to_thread.run_sync(self._handoffs.active, ref.id):
                # With the agents: the assistant stays silent; the console shows the message.
                await to_thread.run_sync(self._handoffs.touch, ref.id)
                return []
            # Otherwise the gateway's look gave it back meanwhile (and told the resident).
        # Safety first: a danger or a death said in words goes before any form or intent.
        found = alarm(inbound.text, self._commune.get().data.urgences)
        if found is not None:
            first = alarm_text(self._commune.get(), found)
            reason = "emergency" if found.kind == "danger" else "grief"  # distress too
            about = f"emergency:{found.situations[0]}" if found.situations else "grief"
            # « … est-ce que je peux parler à une vraie personne ? »: the handoff answers it.
            also = ["agent"] if asks_for_human(inbound.text) else []
            told = await self._escalate(ref, recipient_id, reason, first, about, also)
            return back + told + await self._beside(ref, recipient_id, inbound.text)
        refused = await self._guard.foreign_photo(inbound) if self._guard else None
        if refused is not None:  # a photo this conversation did not send: nothing attached
            await to_thread.run_sync(self._transcript.record, ref, [Entry("assistant", refused)])
            return [*back, {"recipient_id": recipient_id, "text": refused}]
        raw: list[dict[str, Any]] = []
        later: list[Part] = []
        down = False
        try:
            parts = await self._parts(inbound.text, ref.id)
            raw, later = await self._play(ref.id, parts, inbound.metadata)
            if not later and raw:
                more, later = await self._take_up(ref.id, inbound.metadata, start=len(parts))
                raw += more
        except RasaInterrupted as error:
            # One Rasa server went away with this turn; the others carry on. Say sorry and
            # let the resident send it again rather than leave them without an answer.
            log.warning("Rasa turn interrupted for %s: %s", ref.id, error)
            said = self._commune.get().message("interrompu")
            entry = Entry("system", said, {"interrupted": True})
            await to_thread.run_sync(self._transcript.record, ref, [entry])
            return [*back, {"recipient_id": recipient_id, "text": said}]
        except RasaUnavailable as error:
            log.warning("Rasa unavailable for %s: %s", ref.id, error)
            raw, down = [], True
        replies: list[OutgoingMessage] = []
        entries: list[Entry] = []
        tagged: set[tuple[int, str | None]] = set()
        for reply in _without_repeats(_with_own_topics(raw)):
            for rendered in render([reply], recipient_id):
                # What each request was about, on its first reply (the dashboard counts it),
                # and each other thing answered in it (« la CAF et la CPAM »).
                number = int(reply["part"])
                own = reply.get("own_topic")
                topic = own if own is not None else reply.get("part_topic")
                if any(seen == number for seen, _ in tagged) and (
                    own is None or (number, own) in tagged
                ):
                    topic = None
                tagged.add((number, topic))
                replies.append(rendered)
                kept = _kept(rendered, topic, reply.get("also") or [])
                if reply.get(TAKEN_UP):
                    kept = {**(kept or {}), TAKEN_UP: True}
                entries.append(Entry("assistant", rendered.get("text"), kept))
        if later and replies:
            # « annulez les chaises et réservez-moi les tables »: the tables wait for the
            # cancellation's question to be answered (`_take_up`).
            said = self._commune.get().message("demande_suivante_apres", demande=_quoted(later))
            kept_for_later = {DEFERRED: [part._asdict() for part in later]}
            entries.append(Entry("assistant", said, kept_for_later))
            replies.append({"recipient_id": recipient_id, "text": said})
        if not replies:
            # An empty answer means a failed flow (every intent we train gets a reply), often
            # because the action server is down: say sorry, and give the conversation to the
            # agents; after an outage it comes back to the assistant (gateway/recovery.py).
            if not down and self._recovery is not None:
                down = not await self._recovery.parts_up()
            said = self._commune.get().message("indisponible")
            reason = OUTAGE if down else "failure"
            return back + await self._escalate(ref, recipient_id, reason, said)
        await to_thread.run_sync(self._transcript.record, ref, entries)
        return back + replies

    async def _play(
        self, sender: str, parts: list[Part], metadata: dict[str, Any], start: int = 0
    ) -> tuple[list[dict[str, Any]], list[Part]]:
        """Each request sent to Rasa in turn, and those put off: the requests after one that
        opened a cancellation wait for its question to be answered (they would be read as
        the answer)."""
        raw: list[dict[str, Any]] = []
        for offset, part in enumerate(parts):
            # Recognised by the commune's words where Rasa was unsure: said as its intent.
            said = f"/{part.intent}" if part.intent else part.text
            sent = metadata
            if part.intent:  # the words go along: a form reads them (REPORT_FORM)
                sent = {**(sent or {}), WORDS: part.text}
            if part.then:  # other street problems, filed after this one (REPORT_NEXT)
                sent = {**(sent or {}), THEN_REPORTS: list(part.then)}
            answered = await self._rasa.turn(sender, said, sent)
            part_topic = _topic(answered)
            raw += [{**r, "part": start + offset, "part_topic": part_topic} for r in answered]
            rest = parts[offset + 1 :]
            if rest and await self._rasa.active_form(sender) in SWALLOWING:
                return raw, rest
        return raw, []

    async def _take_up(
        self, sender: str, metadata: dict[str, Any], start: int
    ) -> tuple[list[dict[str, Any]], list[Part]]:
        """The requests put off by an earlier message, played once the cancellation that held
        them back is answered."""
        since = utcnow() - DEFERRED_FOR
        waiting = await to_thread.run_sync(self._transcript.deferred, sender, since)
        parts = [p for item in waiting if isinstance(item, dict) and (p := _part(item))]
        if not parts or await self._rasa.active_form(sender) in SWALLOWING:
            return [], []
        said = self._commune.get().message("demande_suivante", demande=_quoted(parts))
        more, later = await self._play(sender, parts, metadata, start)
        return [{"text": said, "part": -1, TAKEN_UP: True}, *more], later

    async def _parts(self, text: str, sender: str) -> list[Part]:
        """The message as one turn, or one turn per request (gateway/requests.py); a
        question about another place the classifier took for one of our services goes to
        the directory (`asked_elsewhere`)."""
        parts = await self._requests(text, sender)
        # Read whole again only when it names another place (most messages do not).
        places = other_places(text, self._commune.get()) if "?" in text else []
        if len(parts) == 1 and parts[0].intent is None and places:
            try:
                whole, sure = await self._rasa.parse(text)
            except RasaUnavailable:
                return parts
            if asked_elsewhere(text, places, whole, sure):
                return [Part(text, Intent.ASK_ELSEWHERE.value)]
        return parts

    async def _requests(self, text: str, sender: str) -> list[Part]:
        commune = self._commune.get()
        if mashed(text):  # « zqxj wvpk »: no word to read, whatever the classifier guesses
            return [Part(text, "nlu_fallback")]
        if thanks_for_a_repair(text):  # not a new report of what was repaired
            return [Part(text, "thank")]
        try:
            read = await self._clauses(text) or await self._two_problems(text)
            if read is None:
                if complained_again(text):
                    return [Part(text, "still_broken")]
                if asks_where_it_stands(text):
                    return [Part(text, Intent.REPORT_STATUS.value)]
                if left_in_the_street(text, commune) or told_by_a_room(text, commune):
                    return [Part(text, REPORT)]
                if await self._afresh(text, sender):
                    return [Part(text, REPORT)]
                if asks_for_human(text):
                    # « Je veux parler à un agent de l'urbanisme : mon voisin monte un mur… »:
                    # what it asks is answered, and a person takes it up.
                    whole, sure = await self._rasa.parse(text)
                    if whole in ANSWERED and sure >= SPLIT_CONFIDENCE:
                        return [Part(text), Part(text, HUMAN)]
                return await self._conjoined(text) or [Part(text)]
            pieces, understood = read
            for number, piece in enumerate(completed(pieces, understood, commune)):
                if piece != pieces[number]:
                    pieces[number] = piece
                    understood[number] = await self._rasa.parse(piece)
            pieces, understood = await self._together(pieces, understood)
            pieces, understood = problems(pieces, understood, commune)
            if still_broken(text, pieces, understood, commune):
                return [Part(text, "still_broken")]
            found = requests(text, pieces, understood, commune)
            if len(found) > 1:
                return found
            if len(pieces) <= 2 and (both := await self._conjoined(text)):
                return both
            if asks_where_it_stands(text):
                # « j'ai signalé des tags il y a quinze jours… où en est ce dossier ? »: the
                # whole message, whose story names the report.
                return [Part(text, Intent.REPORT_STATUS.value)]
            asked = lead(text, pieces, understood, commune)
            told = reported(text, pieces, understood, commune)
            whole = (await self._rasa.parse(text))[0]
            if asked is None and whole == UNCLEAR:
                # The whole message too long or too odd for the classifier, one clause that
                # asks clearly enough (« Pourriez-vous me dire où en est ce signalement ? »).
                asked = lead(text, pieces, understood, commune, sure=SPLIT_CONFIDENCE)
                sole = sole_request(text, pieces, understood, commune)
                if asked is None and sole is not None:
                    return [Part(text, sole)]
            if asked is not None and astray(text, whole, *asked, commune):
                return [Part(asked[0])]  # the context led the classifier astray: the question
            if told and whole in STRAYS:  # not a follow-up of a report, nor a danger: a report
                return [Part(text, REPORT)]  # told with its story, every word kept
        except RasaUnavailable:
            return [Part(text)]
        return found

    async def _afresh(self, text: str, sender: str) -> bool:
        """A street problem told as new that the classifier takes for a follow-up of a report
        (`told_afresh`): a new report — unless a form is under way, which reads the message
        itself (the booking set aside for the report must not read it once more)."""
        return (
            told_afresh(text, self._commune.get())
            and (await self._rasa.parse(text))[0] == BROKEN
            and await self._rasa.active_form(sender) is None
        )

    async def _conjoined(self, text: str) -> list[Part] | None:
        """One question about two things (« ma carte grise et mon passeport, je fais ça
        où ? »): asked of each, when each is a request of its own."""
        pair = conjoined(text)
        if pair is None:
            return None
        understood = [await self._rasa.parse(piece) for piece in pair]
        if not two_things(pair, understood, self._commune.get()):
            return None
        return [Part(piece) for piece in pair]

    async def _clauses(self, text: str) -> tuple[list[str], list[tuple[str | None, float]]] | None:
        """The message's clauses and what Rasa understands each to ask; None for one clause."""
        commune = self._commune.get()
        return await self._read(clauses(text, lambda words: is_place(words, commune)))

    async def _turned(self, text: str) -> tuple[list[str], list[tuple[str | None, float]]] | None:
        """The errand and the danger of a message that turns from one to the other in one
        sentence, and what Rasa understands each to ask."""
        return await self._read(turned(text))

    async def _read(
        self, pieces: list[str]
    ) -> tuple[list[str], list[tuple[str | None, float]]] | None:
        """Several pieces, and what Rasa understands each to ask; None for one piece."""
        if len(pieces) < 2:
            return None
        return pieces, [await self._rasa.parse(piece) for piece in pieces]

    async def _together(
        self, pieces: list[str], understood: list[tuple[str | None, float]]
    ) -> tuple[list[str], list[tuple[str | None, float]]]:
        """Clauses that say nothing understood alone, a fact and the question asked of it,
        read as one (« je viens d'hériter de la camionnette de mon oncle » + « comment elle
        passe à mon nom ? »)."""
        runs = together(pieces, understood, self._commune.get())
        if len(runs) == len(pieces):
            return pieces, understood
        joined = [" ".join(pieces[n] for n in run) for run in runs]
        return joined, [
            understood[run[0]] if len(run) == 1 else await self._rasa.parse(piece)
            for run, piece in zip(runs, joined, strict=True)
        ]

    async def _two_problems(
        self, text: str
    ) -> tuple[list[str], list[tuple[str | None, float]]] | None:
        """One clause that reports two street problems (« la balançoire est cassée, les
        poubelles autour débordent »): its halves, when the whole is read as a report."""
        halves, _ = problems([text], [(REPORT, 1.0)], self._commune.get())
        if len(halves) < 2:
            return None  # the commune's words see one problem at most: no need to ask Rasa
        whole = await self._rasa.parse(text)
        return (halves, [whole] * len(halves)) if whole[0] == REPORT else None

    async def _beside(
        self, ref: ConversationRef, recipient_id: str, text: str
    ) -> list[OutgoingMessage]:
        """The frequent questions asked beside a danger or a grief, answered after it from the
        commune's answers (no turn is played: the conversation is the agents' now)."""
        commune = self._commune.get()
        try:
            read = await self._clauses(text) or await self._turned(text)
        except RasaUnavailable:
            return []
        if read is None:
            return []
        out: list[OutgoingMessage] = []
        answers: list[tuple[str | None, str]] = []
        for intent, words in questions(text, *read, commune):
            if intent is Intent.ASK_ELSEWHERE:
                # « … je dois prévenir les impôts, vous avez leur adresse ? »: their entry.
                found = everywhere(words, commune.data.annuaire, commune.name)[:1]
                answers += [(commune.directory(f), f"directory:{f.key}") for f in found]
            else:
                answers.append((commune.reply_to(intent), intent.value))
        # What needs a conversation (a booking, a cancellation…): the person taking the
        # conversation up will see to it, and the resident is told it is not forgotten.
        errands = errands_beside(text, *read, commune, _danger(commune))
        answers += [
            (commune.message("demande_a_cote", demande=_quoted([Part(words)])), topic)
            for topic, words in errands
        ]
        for said, topic in [*answers, *await self._file_beside(ref, text, read)]:
            if said is None:
                continue
            entry = Entry("assistant", said, {"topic": topic})
            await to_thread.run_sync(self._transcript.record, ref, [entry])
            out.append({"recipient_id": recipient_id, "text": said})
        return out

    async def _file_beside(
        self,
        ref: ConversationRef,
        text: str,
        read: tuple[list[str], list[tuple[str | None, float]]],
    ) -> list[tuple[str | None, str]]:
        """The street problems told beside a danger, each filed as a report when its own words
        name its street (the danger's street may not be the problem's: « là-bas » is left to
        the agents, who have the message). What to say of each."""
        commune, reports = self._commune.get(), self._reports
        if reports is None:
            return []
        beside = reports_beside(text, *read, commune, _danger(commune))
        streets = commune.data.signalements.rues
        told: list[tuple[str | None, str]] = []
        for said, category in beside:
            street = match_street(said, streets)
            if street is None:  # « là-bas »: noted, the person who answers asks where
                name = commune.data.signalements.categories[category].nom
                noted = commune.message("signalement_a_cote_sans_rue", categorie=name)
                told.append((noted, f"report:{category}"))
                continue
            draft = Draft(category, said, street.street.nom, None, None, None)
            reporter = Reporter(conversation_id=ref.id, channel=ref.channel)
            try:
                filed = await to_thread.run_sync(partial(reports.file, draft, reporter, by=ref.id))
            except ReportError as error:
                log.warning("Report beside a danger not filed for %s: %s", ref.id, error)
                continue
            name = commune.data.signalements.categories[filed.report.category].nom
            key = "signalement_doublon" if filed.duplicate else "signalement_a_cote"
            said_back = commune.message(
                key, reference=filed.report.reference, categorie=name, rue=street.street.nom
            )
            told.append((said_back, f"report:{category}"))
        return told

    async def _escalate(
        self,
        ref: ConversationRef,
        recipient_id: str,
        reason: str,
        first: str,
        topic: str = "",
        also: list[str] | None = None,
    ) -> list[OutgoingMessage]:
        await to_thread.run_sync(self._handoffs.escalate, ref, reason)
        said = f"{first}\n{announcement(self._commune.get(), utcnow())}"
        kept = {
            "handoff": reason,
            **({"topic": topic} if topic else {}),
            **({"also": also} if also else {}),
        }
        await to_thread.run_sync(self._transcript.record, ref, [Entry("system", said, kept)])
        return [{"recipient_id": recipient_id, "text": said}]


def _danger(commune: Commune) -> Callable[[str], bool]:
    """Whether words tell a danger, by the commune's lexicon."""
    return lambda said: alarm(said, commune.data.urgences) is not None


def _quoted(parts: list[Part]) -> str:
    """The requests as the resident wrote them (« réservez-moi les tables à la place »)."""
    return " et ".join(f"« {part.text.strip().rstrip('.?!').strip()} »" for part in parts)


def _part(item: dict[str, Any]) -> Part | None:
    """A request put off, read back from the transcript."""
    text, intent, then = item.get("text"), item.get("intent"), item.get("then") or []
    if not isinstance(text, str) or not (intent is None or isinstance(intent, str)):
        return None
    return Part(text, intent, tuple(str(t) for t in then if isinstance(t, str)))


def _topic(raw: list[dict[str, Any]]) -> str | None:
    """What the turn was about, as the actions tag it (the dashboard counts them)."""
    for reply in raw:
        custom = reply.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("topic"), str):
            return str(custom["topic"])
    return None


def _with_own_topics(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa sends an answer's topic as the message after its text: put it on the text."""
    out = [dict(reply) for reply in raw]
    for index, reply in enumerate(out):
        topic = _topic([reply])
        if topic is None or reply.get("text"):
            continue
        before = out[index - 1] if index else None
        if before is not None and before.get("part") == reply.get("part"):
            before.setdefault("own_topic", topic)
    return out


def _without_repeats(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several requests answered in one turn: a question that a later answer asks again
    (« Revenons à votre réservation : pour qui… ? ») is said once, the last time."""
    kept = []
    said: dict[str, dict[str, Any]] = {}
    for index, reply in enumerate(raw):
        text = str(reply.get("text") or "")
        later = [str(r.get("text") or "") for r in raw[index + 1 :]]
        if text.rstrip().endswith("?") and any(text.strip() in other for other in later):
            continue
        first = said.get(text)
        if text and first is not None and not reply.get("buttons"):
            # The same answer to two requests (« la CAF et les APL », « vous n'avez aucune
            # réservation » to « mes réservations, et j'en annule une »): said once, and it
            # answers the other request too.
            other = reply.get("own_topic") or reply.get("part_topic")
            if reply.get("part") != first.get("part") and other:
                first["also"] = [*first.get("also", []), other]
            continue
        said.setdefault(text, reply)
        kept.append(reply)
    return kept


def _kept(
    reply: OutgoingMessage, topic: str | None, also: list[str] | None = None
) -> dict[str, Any] | None:
    kept: dict[str, Any] = {k: v for k, v in reply.items() if k in ("buttons", "image")}
    if topic:
        kept["topic"] = topic
    if also:
        kept["also"] = also  # the other requests this same answer served
    return kept or None
