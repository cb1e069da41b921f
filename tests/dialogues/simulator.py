"""A simulated resident who plays one scenario against the real gateway.

They read each reply the way a person would (which question is asked?) and answer from their goal,
in their own words; they do what the scenario plans on the way (a correction, a question, another
errand, giving up) and the follow-ups once the goal is reached.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import replace
from typing import Any

import httpx

from tests.dialogues import banks
from tests.dialogues.answers import Answers
from tests.dialogues.clocks import SimClock
from tests.dialogues.forms import Filler
from tests.dialogues.model import DONE, BookingGoal, Do, ReportGoal, Scenario, Step
from tests.dialogues.planner import SPECS
from tests.dialogues.reading import (
    BOOKING_ASKS,
    HANDOFF,
    REPORT_ASKS,
    Ask,
    Reply,
    classify,
    norm,
    text_of,
)
from tests.dialogues.record import (
    Expectation,
    Message,
    Run,
    Turn,
    back_to,
    faq_answered,
    form_closed,
    informs,
    mentions,
    set_aside,
)
from tests.dialogues.saying import MONTHS, WEEKDAYS
from tests.dialogues.voice import Voice

BUDGET = 25  # messages a resident sends before giving up
FOLLOW_UPS = {
    Do.MY_BOOKINGS: banks.MY_BOOKINGS,
    Do.CANCEL_REFERENCE: banks.CANCEL_REFERENCE,
    Do.CANCEL_LAST: banks.CANCEL_LAST,
    Do.REPORT_STATUS: banks.REPORT_STATUS,
    Do.MY_REPORTS: banks.MY_REPORTS,
}
MAX_NUDGES = 2  # times the resident says again what they want when nothing is asked
FED_UP = 4  # the same question this many times: the resident leaves
REFERENCE = re.compile(r"\b([A-Z]{3})-([A-Z0-9]{4})\b")
PREFIXES = frozenset(s.prefix for s in SPECS.values())
NOTED = re.compile(
    r"c'est note ?: (?:le )?(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d{1,2}) ("
    + "|".join(norm(m) for m in MONTHS)
    + ")"
)


class Resident:
    """One resident, one conversation."""

    def __init__(self, scenario: Scenario, client: httpx.Client, sim_clock: SimClock) -> None:
        self.s = scenario
        self.client = client
        self.voice = Voice(scenario.persona, scenario.seed)
        self.say = Answers(self.voice, sim_clock)
        self.run = Run(scenario, f"sim-{scenario.key}-{uuid.uuid4().hex[:6]}")
        goal = scenario.goal
        self.booking = goal if isinstance(goal, BookingGoal) else None
        self.report = goal if isinstance(goal, ReportGoal) else None
        self.booking_done = self.report_done = False
        self.booking_ref = self.report_ref = ""
        self.booking_refs: list[str] = []
        self.pending = list(scenario.steps)
        self.asked: Counter[Ask] = Counter()
        self.nudges = 0
        self.switched = ""  # "report" or "booking": the errand started in the middle
        self.expecting: list[Expectation] = []
        self.agent_declined = False
        self.day_said = False
        self.said_yes_to: Ask | None = None  # the summary the last message said yes to
        self.follow_up_said: Step | None = None  # the follow-up just asked (said again once)
        self.fill = Filler(scenario, self.say, self.run, client, self.keep)

    # -- the conversation ----------------------------------------------------------------------

    def play(self) -> Run:
        replies = self.post(self.opening())
        while True:
            ask = classify(replies)
            self.run.turns[-1].ask = ask
            self.observe(replies, ask)
            if self.run.handed_off or self.run.abandoned:
                break
            if self.fed_up():
                break
            if len(self.run.turns) >= BUDGET:
                self.run.exhausted = True
                break
            message = self.decide(ask, replies)
            if message is None:
                self.run.finished = True
                break
            replies = self.post(message)
        self.run.unplayed = [s for s in self.pending if s.do is not Do.DONT_KNOW]
        return self.run

    def fed_up(self) -> bool:
        """The same question asked FED_UP times: a person would leave."""
        asked = Counter(
            re.sub(r"\s+", " ", str(r.get("text") or "")).strip()
            for turn in self.run.turns
            for r in turn.replies
            if "?" in str(r.get("text") or "")
        )
        question, times = asked.most_common(1)[0] if asked else ("", 0)
        if times >= FED_UP:
            self.run.gave_up = f"asked {times} times « {question[:80]} »"
        return times >= FED_UP

    def post(self, message: Message) -> list[Reply]:
        self.said_yes_to = message.yes_to
        self.follow_up_said = message.follow_up
        body: dict[str, Any] = {"sender": self.run.sender, "message": message.sent or message.shown}
        if message.metadata:
            body["metadata"] = message.metadata
        response = self.client.post("/webhooks/rest/webhook", json=body)
        if response.status_code == 200:
            replies: list[Reply] = response.json()
        else:
            replies = [{"text": f"[HTTP {response.status_code}] {response.text[:300]}"}]
            self.run.notes.append(f"the gateway answered {response.status_code}")
        self.run.turns.append(Turn(message.shown, replies, message.note))
        return replies

    def opening(self) -> Message:
        if self.s.opening:
            if self.s.informs:
                self.expecting.append(informs(self.s.informs))
            return Message(self.voice.write("question", self.s.opening), note="question d'abord")
        if self.booking is not None:
            return Message(self.booking_opening(self.booking), note="premier message")
        if self.report is not None:
            return Message(self.report_opening(self.report), note="premier message")
        return Message("bonjour")

    def booking_opening(self, goal: BookingGoal, template: str = "", kind: str = "opening") -> str:
        facts = goal.in_opening
        template = template or goal.opening or "je voudrais réserver {what}"
        if kind == "again":  # said again: in other words
            banks_of = (banks.BOOK_OPENINGS, banks.BORROW_OPENINGS, banks.APPOINTMENT_OPENINGS)
            for bank in banks_of:
                first = next((t for t in bank if template.startswith(t)), None)
                if first is not None:
                    other = self.voice.choose("again", [t for t in bank if t != first] or [first])
                    template = other + template[len(first) :]
                    break
        text = template.format(
            what=self.say.what(goal, counted="quantity" in facts),
            day=self.say.day(goal) if "day" in facts else "",
            hours=self.say.hours(goal) if "hours" in facts else "",
            requester=self.say.requester(goal),
        )
        self.day_said = self.day_said or "day" in facts
        return self.voice.write(kind, re.sub(r"\s+", " ", text).strip(" ,"), self.keep())

    def report_opening(self, goal: ReportGoal, template: str = "", kind: str = "opening") -> str:
        at = self.say.at(goal, alone=False)
        template = template or goal.opening
        if kind == "again":  # said again: in other words, with where if it was not said
            template = self.voice.choose(
                "again", [t for t in banks.REPORT_OPENINGS if t != template]
            )
        text = template.format(description=goal.description, at=at)
        return self.voice.write(kind, text.strip(), self.keep())

    def keep(self) -> list[str]:
        """What no persona may alter: numbers, addresses, references."""
        kept = [self.booking_ref, self.report_ref]
        if self.booking is not None:
            kept += [
                self.booking.contact,
                self.say.contact(self.booking)[1],
                self.booking.ants or "",
            ]
        return [k for k in kept if k]

    # -- reading replies -----------------------------------------------------------------------

    def observe(self, replies: list[Reply], ask: Ask) -> None:
        text = text_of(replies)
        said = norm(text)
        if HANDOFF.search(said):
            self.run.handed_off = True
        for check in self.expecting:
            self.run.checks.append(check(replies, ask))
        self.expecting = []
        found = [f"{a}-{b}" for a, b in REFERENCE.findall(text)]
        self.run.references += [r for r in found if r not in self.run.references]
        mine = [r for r in found if r[:3] in PREFIXES]
        if self.booking and not self.booking_done and mine and self.run.yes_booking:
            self.booking_done, self.booking_ref = True, mine[0]
            self.booking_refs = mine
            if self.switched == "booking" and not self.report_done:
                self.run.checks.append(back_to("revient au signalement", ask, REPORT_ASKS))
        sig = [r for r in found if r.startswith("SIG-")]
        if self.report and not self.report_done and sig and self.run.yes_report:
            self.report_done, self.report_ref = True, sig[0]
            if self.switched == "report" and not self.booking_done:
                self.run.checks.append(back_to("revient à la réservation", ask, BOOKING_ASKS))

    def misheard(self, replies: list[Reply]) -> str | None:
        """A « C'est noté : … » that is not what the resident said (day or street)."""
        if self.booking is None or self.booking_done or not self.day_said:
            return None
        for reply in replies:
            said = norm(str(reply.get("text") or ""))
            found = NOTED.search(said)
            if found:
                day = self.booking.moment.day
                number = "1er" if day.day == 1 else str(day.day)
                month = norm(MONTHS[day.month - 1])
                wanted = (norm(WEEKDAYS[day.weekday()]), number, month)
                if found.groups() != wanted:
                    return "day"
        return None

    # -- deciding what to say ------------------------------------------------------------------

    def decide(self, ask: Ask, replies: list[Reply]) -> Message | None:
        self.asked[ask] += 1
        step = self.triggered(ask)
        if step is not None:
            return self.perform(step, ask, replies)
        if ask in BOOKING_ASKS:
            if self.booking is None or self.booking_done:
                return self.idle(ask)
            wrong = self.misheard(replies) if ask is not Ask.CONFIRM_BOOKING else None
            if wrong:
                return self.fill.fix(wrong, self.booking)
            self.day_said = self.day_said or ask is Ask.DAY
            return self.fill.booking(self.booking, ask, replies, self.asked[ask])
        if ask in REPORT_ASKS:
            if self.report is None or self.report_done:
                return self.idle(ask)
            return self.fill.report(self.report, ask, replies, self.asked[ask])
        if ask in (Ask.SET_ASIDE, Ask.RESUME, Ask.OFFER):
            return Message(self.voice.say("yes", banks.YES_OFFER), note=f"réponse à : {ask}")
        if ask is Ask.CONFIRM_CANCEL:
            return Message(self.voice.say("yes", banks.YES), note="confirme l'annulation")
        if ask is Ask.WHICH_BOOKING:
            if len(self.booking_refs) > 1:
                # One request made several bookings (tables and chairs): all of them go.
                return Message(self.voice.write("other", "les deux"), note=f"réponse à : {ask}")
            return self.fill.press_or_type(replies, self.booking_ref, self.booking_ref, ask)
        if ask is Ask.AGENT and not self.agent_declined:
            self.agent_declined = True
            return Message(self.voice.say("no", banks.DECLINE_AGENT), note="décline l'agent")
        if ask is Ask.UNKNOWN:
            self.run.notes.append(f"question not recognised: {text_of(replies)[-160:]!r}")
        return self.idle(ask)

    def triggered(self, ask: Ask) -> Step | None:
        """The step the resident planned for this question (or, at the latest, the summary)."""
        for step in self.pending:
            if step.at == DONE:
                continue
            group = BOOKING_ASKS if Ask(step.at) in BOOKING_ASKS else REPORT_ASKS
            late = step.do is not Do.DONT_KNOW and (
                (ask is Ask.CONFIRM_BOOKING and group is BOOKING_ASKS)
                or (ask is Ask.CONFIRM_REPORT and group is REPORT_ASKS)
            )
            if step.at == ask.value or late:
                self.pending.remove(step)
                return step
        return None

    def perform(self, step: Step, ask: Ask, replies: list[Reply]) -> Message:
        note = f"{step.do} (à la question « {ask} »)"
        match step.do:
            case Do.FAQ:
                self.expecting.append(faq_answered(step.expect))
                return Message(self.voice.write("faq", step.text), note=note)
            case Do.DONT_KNOW:
                return Message(self.voice.say("dont-know", banks.DONT_KNOW), note=note)
            case Do.ABANDON:
                self.expecting.append(form_closed)
                self.run.abandoned = True
                return Message(self.voice.write("abandon", step.text), note=note)
            case Do.CORRECT:
                assert isinstance(step.goal, BookingGoal)
                self.booking = step.goal
                return Message(self.voice.write("correction", self.corrected(step)), note=note)
            case Do.SWITCH:
                self.expecting.append(set_aside)
                if isinstance(step.goal, ReportGoal):
                    self.report, self.switched = step.goal, "report"
                    return Message(self.report_opening(step.goal, step.text, "switch"), note=note)
                assert isinstance(step.goal, BookingGoal)
                self.booking, self.switched = step.goal, "booking"
                return Message(self.booking_opening(step.goal, kind="switch"), note=note)
            case _:
                return self.follow_up(step)

    def corrected(self, step: Step) -> str:
        goal = step.goal
        assert isinstance(goal, BookingGoal)
        quantity = goal.items[0].quantity
        return step.text.format(
            weekday=self.say.weekday(goal.moment.day),
            day=self.say.day(goal),
            hours=self.say.hours(goal, asked=2) if goal.moment.start else "",
            quantity=f"{quantity} {banks.NOUNS.get(goal.resource, '')}".strip(),
        )

    def follow_up(self, step: Step, *, retry: bool = False) -> Message:
        text = step.text
        if "{ref}" in text:
            ref = self.booking_ref if step.do is Do.CANCEL_REFERENCE else self.report_ref
            if not ref:
                fallback = (
                    banks.CANCEL_LAST if step.do is Do.CANCEL_REFERENCE else banks.REPORT_STATUS
                )
                text = next(t for t in fallback if "{ref}" not in t)
            text = text.format(ref=ref)
        if step.do is Do.MY_BOOKINGS and self.booking_ref:
            self.expecting.append(mentions("liste mes réservations", re.escape(self.booking_ref)))
        elif step.do is Do.MY_REPORTS and self.report_ref:
            self.expecting.append(mentions("liste mes signalements", re.escape(self.report_ref)))
        elif step.expect:
            self.expecting.append(mentions(f"répond à « {text} »", step.expect))
        said = self.voice.write("follow-up", text, self.keep())
        return Message(said, note=f"{step.do}", follow_up=None if retry else step)

    def idle(self, ask: Ask) -> Message | None:
        """Nothing (usable) is asked: a follow-up, a reminder of what is wanted, or goodbye."""
        if self.follow_up_said is not None and ask in (Ask.REPHRASE, Ask.UNKNOWN):
            # A follow-up not understood: said once more, in other words.
            step, self.follow_up_said = self.follow_up_said, None
            bank = [t for t in FOLLOW_UPS[step.do] if t != step.text]
            if "{ref}" in step.text:
                bank = [t for t in bank if "{ref}" in t] or bank
            return self.follow_up(replace(step, text=self.voice.choose("again", bank)), retry=True)
        if self.said_yes_to is not None and ask in (Ask.REPHRASE, Ask.UNKNOWN):
            # « Je n'ai pas compris » right after a yes: say yes again, plainly.
            again = {
                Ask.CONFIRM_BOOKING: banks.YES_AGAIN_BOOKING,
                Ask.CONFIRM_REPORT: banks.YES_AGAIN_REPORT,
            }
            text = self.voice.say("yes-again", again[self.said_yes_to])
            return Message(text, note="redit oui, plus clairement", yes_to=self.said_yes_to)
        if self.said_yes_to is Ask.CONFIRM_BOOKING and not self.booking_done:
            self.booking_done = True  # a person takes the yes as done: they do not insist
            self.run.notes.append(
                "yes to the summary, then no booking number: the resident leaves it"
            )
        if self.said_yes_to is Ask.CONFIRM_REPORT and not self.report_done:
            self.report_done = True
            self.run.notes.append(
                "yes to the summary, then no report number: the resident leaves it"
            )
        booking_left = self.booking is not None and not self.booking_done
        report_left = self.report is not None and not self.report_done
        if not booking_left and not report_left:
            later = [s for s in self.pending if s.at == DONE]
            if later:
                self.pending.remove(later[0])
                return self.follow_up(later[0])
            return None
        self.nudges += 1
        if self.nudges > MAX_NUDGES:
            self.run.gave_up = f"the assistant stopped asking ({ask}) before the goal was reached"
            return None
        note = f"relance (rien à répondre : {ask})"
        if booking_left and self.booking is not None:
            if self.switched == "report" and self.report_done:
                return Message(self.voice.say("resume", banks.RESUME_BOOKING), note=note)
            return Message(self.booking_opening(self.booking, kind="again"), note=note)
        assert self.report is not None
        return Message(self.report_opening(self.report, kind="again"), note=note)
