"""Filling in a booking or a report form the way a resident does, from their goal.

A button is pressed only where the scenario says so (or when a question comes back a third time);
every summary is read before a yes, and a wrong one is corrected.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import httpx
from PIL import Image

from calendar_store.spec import Unit
from tests.dialogues import banks
from tests.dialogues.answers import Answers
from tests.dialogues.model import BookingGoal, Hours, ReportGoal, Scenario
from tests.dialogues.personas import Persona
from tests.dialogues.planner import SPECS, TERRITORY
from tests.dialogues.reading import (
    Ask,
    Reply,
    booking_summary_wrong,
    buttons,
    norm,
    report_summary_wrong,
    text_of,
)
from tests.dialogues.record import Message, Run
from tests.dialogues.saying import MONTHS, clock
from tests.dialogues.voice import Voice

MAX_FIXES = 2  # wrong summaries or acknowledgements corrected before giving up
# Asked this many times, a resident takes a button that says what they want (the simpler path
# the assistant offers), even where they would otherwise type.
SIMPLER = 3
REQUESTER_TITLES = {"resident": "habitant", "association": "association", "exterieur": "exterieur"}
CASE_TITLES = {"premiere": "premiere", "renouvellement": "renouvellement"}
CASE_TITLES |= {"perte_vol": "perte", "mineur": "mineur"}


class Filler:
    """Answers one form question at a time; counts the corrections it had to make."""

    def __init__(
        self,
        scenario: Scenario,
        say: Answers,
        run: Run,
        client: httpx.Client,
        keep: Callable[[], list[str]],
    ) -> None:
        self.s, self.say, self.run, self.client, self.keep = scenario, say, run, client, keep
        self.voice: Voice = say.voice
        self.fixes = 0

    # -- bookings ------------------------------------------------------------------------------

    def booking(self, goal: BookingGoal, ask: Ask, replies: list[Reply], times: int) -> Message:
        """The answer to `ask`, asked for the `times`-th time."""
        note = f"réponse à : {ask}"
        simpler = self.fitting(self.wanted(goal, ask), replies) if times >= SIMPLER else None
        if simpler is not None:
            return _pressed(simpler, f"prend le bouton qui convient ({ask})")
        match ask:
            case Ask.RESOURCE:
                return Message(self.write("what", self.say.what(goal, counted=True)), note=note)
            case Ask.REQUESTER:
                title = REQUESTER_TITLES[goal.requester]
                return self.press_or_type(replies, title, self.say.requester(goal), ask)
            case Ask.DAY:
                return Message(self.write("day", self.say.day(goal, again=times > 1)), note=note)
            case Ask.HOURS | Ask.SLOT:
                return self.hours(ask, goal, replies, times)
            case Ask.QUANTITY:
                wanted = self.say.quantity(goal, norm(text_of(replies)))
                return Message(self.write("quantity", wanted), note=note)
            case Ask.NAME:
                return Message(self.write("name", goal.name), note=note)
            case Ask.CONTACT:
                kind, contact = self.say.contact(goal)
                return Message(self.write(kind, contact), note=note)
            case Ask.ID_CASE:
                title = CASE_TITLES[goal.id_case or "premiere"]
                return self.press_or_type(replies, title, self.say.id_case(goal), ask)
            case Ask.ANTS:
                return Message(self.write("ants", self.say.ants(goal)), note=note)
            case Ask.ALTERNATIVES:
                return self.alternatives(goal, replies)
            case _:
                return self.confirm_booking(goal, replies, times)

    def hours(self, ask: Ask, goal: BookingGoal, replies: list[Reply], times: int) -> Message:
        note = f"réponse à : {ask}"
        start = goal.moment.start
        if ask is Ask.SLOT and Ask.SLOT.value in self.s.presses and start is not None:
            offered = buttons(replies)
            if goal.hours is Hours.FIRST and offered:
                return _pressed(offered[0], note)
            if goal.hours is not Hours.RANGE:
                typed = self.say.slot(goal)
                return self.press_or_type(replies, clock(start), typed, ask, exact=True)
        spoken = self.say.slot(goal) if ask is Ask.SLOT else self.say.hours(goal, asked=times)
        if ask is Ask.HOURS and goal.resource == "rdv-titres":
            spoken = self.say.slot(goal)
        return Message(self.write("hours", spoken), note=note)

    def alternatives(self, goal: BookingGoal, replies: list[Reply]) -> Message:
        """Possibilities offered instead: the one asked for if it is there, else insist."""
        day = goal.moment.day
        wanted = [f"{day.day if day.day > 1 else '1er'} {norm(MONTHS[day.month - 1])}"]
        if goal.moment.start is not None:
            wanted.append(norm(clock(goal.moment.start)))
        for button in buttons(replies):
            if all(w in norm(button.get("title", "")) for w in wanted):
                return _pressed(button, "choisit ce qu'il voulait")
        hours = f" {self.say.hours(goal, asked=2)}" if goal.moment.start else ""
        text = f"non, je voudrais {self.say.day(goal, again=True)}{hours}"
        return Message(self.write("correction", text), note="aucune possibilité ne convient")

    def confirm_booking(self, goal: BookingGoal, replies: list[Reply], times: int) -> Message:
        spec = SPECS[goal.resource]
        slot = spec.slot_minutes if spec.unit is Unit.SLOT else 0
        wrong = booking_summary_wrong(text_of(replies), goal, slot)
        if wrong:
            return self.fix(wrong, goal)
        self.run.yes_booking += 1
        return self.confirm(replies, Ask.CONFIRM_BOOKING, times)

    def confirm(self, replies: list[Reply], ask: Ask, times: int) -> Message:
        """Yes to a right summary: typed, or its « Oui » button where told to or the third time."""
        button = self.fitting(["oui"], replies) if times >= SIMPLER else None
        if button is not None:
            message = _pressed(button, "le résumé est juste (bouton)")
        else:
            message = self.press_or_type(replies, "oui", self.yes(), ask, kind="yes")
        message.note, message.yes_to = "le résumé est juste", ask
        return message

    # -- reports -------------------------------------------------------------------------------

    def report(self, goal: ReportGoal, ask: Ask, replies: list[Reply], times: int) -> Message:
        note = f"réponse à : {ask}"
        wanted = {Ask.CATEGORY: [TERRITORY.categories[goal.category].nom]}
        if not goal.photo:
            wanted[Ask.PHOTO] = ["pas de photo"]
        simpler = self.fitting(wanted.get(ask, []), replies) if times >= SIMPLER else None
        if simpler is not None:
            return _pressed(simpler, f"prend le bouton qui convient ({ask})")
        match ask:
            case Ask.CATEGORY:
                name = TERRITORY.categories[goal.category].nom
                return self.press_or_type(replies, name, self.say.category(goal), ask)
            case Ask.PLACE:
                # Told the street is unknown, people try another spelling.
                return Message(
                    self.write("place", self.say.at(goal, spelling=times - 1)), note=note
                )
            case Ask.DESCRIPTION:
                return Message(self.write("description", goal.description), note=note)
            case Ask.PHOTO:
                if goal.photo:
                    return self.photo()
                no = self.voice.choose("no-photo", banks.NO_PHOTO)
                return self.press_or_type(replies, "pas de photo", no, ask)
            case _:
                name = TERRITORY.categories[goal.category].nom
                wrong = report_summary_wrong(text_of(replies), goal, name)
                if wrong:
                    return self.fix(wrong, goal)
                self.run.yes_report += 1
                return self.confirm(replies, Ask.CONFIRM_REPORT, times)

    def photo(self) -> Message:
        """Upload a small JPEG as the web chat does, then send it with the message."""
        image = io.BytesIO()
        shade = self.s.seed % 200
        Image.new("RGB", (64, 48), (shade, 90, 255 - shade)).save(image, "JPEG")
        upload = self.client.post(
            "/api/photos",
            params={"sender": self.run.sender},  # the photo belongs to this conversation
            content=image.getvalue(),
            headers={"content-type": "image/jpeg"},
        )
        if upload.status_code != 201:
            self.run.notes.append(
                f"photo upload answered {upload.status_code}: {upload.text[:200]}"
            )
            return Message(self.voice.choose("no-photo", banks.NO_PHOTO), note="photo refusée")
        caption = self.voice.choose("caption", [c for c in banks.PHOTO_CAPTION if c])
        photo = upload.json()["photo"]
        return Message(f"{caption} [photo {photo}]", caption, {"photo": photo}, "envoie une photo")

    # -- both ------------------------------------------------------------------------------------

    def wanted(self, goal: BookingGoal, ask: Ask) -> list[str]:
        """What a button's title must say to be the resident's answer to `ask`."""
        day, start, end = goal.moment.day, goal.moment.start, goal.moment.end
        match ask:
            case Ask.REQUESTER:
                return [REQUESTER_TITLES[goal.requester]]
            case Ask.ID_CASE:
                return [CASE_TITLES[goal.id_case or "premiere"]]
            case Ask.DAY:
                return [f"{day.day if day.day > 1 else '1er'} {MONTHS[day.month - 1]}"]
            case Ask.HOURS | Ask.SLOT if start is not None and end is not None:
                spec = SPECS[goal.resource]
                single = goal.hours in (Hours.SINGLE, Hours.FIRST) and spec.unit is Unit.SLOT
                return [clock(start)] if single else [clock(start), clock(end)]
            case Ask.QUANTITY if len(goal.items) == 1:
                return [str(goal.items[0].quantity)]
            case _:
                return []

    def fitting(self, wanted: list[str], replies: list[Reply]) -> dict[str, str] | None:
        """The one button whose title says all of `wanted` (never a guess between several)."""
        if not wanted:
            return None
        patterns = [re.compile(rf"(?<!\w){re.escape(norm(w))}(?!\d)") for w in wanted]
        fits = [
            b for b in buttons(replies) if all(p.search(norm(b.get("title", ""))) for p in patterns)
        ]
        return fits[0] if len(fits) == 1 else None

    def yes(self) -> str:
        """A yes in this persona's words (not yet written in their hand)."""
        bank = {Persona.TERSE: banks.YES_TERSE, Persona.POLITE: banks.YES_POLITE}
        return self.voice.choose("yes", bank.get(self.voice.persona, banks.YES))

    def fix(self, wrong: str, goal: BookingGoal | ReportGoal) -> Message:
        """Say what is wrong in a summary (or a « C'est noté »); give up after MAX_FIXES."""
        self.fixes += 1
        if self.fixes > MAX_FIXES:
            self.run.abandoned = True
            self.run.gave_up = f"the assistant got the {wrong} wrong {MAX_FIXES + 1} times"
            return Message(banks.WRONG_SUMMARY_GIVE_UP, note="abandonne : toujours faux")
        template = self.voice.choose(f"fix:{wrong}", banks.SUMMARY_WRONG[wrong])
        text = self.write("correction", template.format(value=self.right_value(wrong, goal)))
        return Message(text, note=f"corrige : {wrong}")

    def right_value(self, wrong: str, goal: BookingGoal | ReportGoal) -> str:
        if isinstance(goal, ReportGoal):
            if wrong == "street":
                return goal.street_said
            return TERRITORY.categories[goal.category].nom
        match wrong:
            case "day":
                return self.say.day(goal, again=True)
            case "hours":
                return self.say.hours(goal, asked=2)
            case "name":
                return goal.name.removeprefix("c'est au nom de ").removeprefix("au nom de ")
            case _:  # the resource or the quantity
                return self.say.what(goal, counted=True)

    def press_or_type(
        self,
        replies: list[Reply],
        title: str,
        typed: str,
        ask: Ask,
        *,
        exact: bool = False,
        kind: str = "other",
    ) -> Message:
        """A button whose title says `title` when the scenario presses one here; else `typed`."""
        note = f"réponse à : {ask}"
        if ask.value in self.s.presses:
            for button in buttons(replies):
                shown = norm(button.get("title", ""))
                if (shown == norm(title)) if exact else (norm(title) in shown):
                    return _pressed(button, note)
        return Message(self.write(kind, typed), note=note)

    def write(self, kind: str, text: str) -> str:
        return self.voice.write(kind, text, self.keep())


def _pressed(button: dict[str, str], note: str) -> Message:
    """A press on a button: its payload is posted, its title shown in the transcript."""
    return Message(f"[bouton] {button.get('title')}", button.get("payload", ""), note=note)
