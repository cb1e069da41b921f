"""Reading one message of a booking: every detail it gives (resource, for whom, when, how many,
name, contact, ANTS number), read for the question being asked, and checked with the calendar.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from actions.context import calendar, commune, local_now, zone
from actions.flow import Message, Turn
from bot import answers, booking, moment, wish
from bot.dates import say_date
from bot.hours import say_time
from bot.names import BOOKING_SLOTS, Intent, Slot
from bot.typography import french
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Contact,
    Kind,
    Period,
    Refusal,
    Requester,
    ResourceSpec,
    Unit,
)
from calendar_store.wording import noun, only

# Only used to ask the calendar whether a moment is free before the resident gave a contact.
_PROBE = Contact(name="vérification", type=Requester.RESIDENT, email="verification@invalid")
# « le même numéro », « celui-ci »: by SMS, the number the resident writes from.
_SAME_NUMBER = re.compile(
    r"\b(?:meme numero|ce numero|celui ci|celui la|ce numero la|le numero d ou j ecris|"
    r"ce tel|ce portable|ce telephone|le meme|celui avec lequel)\b"
)
# What introduces a corrected name at the summary (in the original text: « nom » + « de »,
# « : » or « c'est »).
_NAME_CUE = re.compile(
    r"\b(?:au nom de|nom de|nom d'|nom c'est|nom est|nom :|nom n'est pas bon\s*:?|"
    r"nom n'est pas le bon\s*:?|mauvais nom\s*:?|le nom\s*:)\s*",
    re.IGNORECASE,
)
# Answers that are never a name (« moi », « oui », a question…).
_NOT_NAMES = re.compile(
    r"^(?:moi|moi meme|nous|perso|personne|aucun|aucune|rien|je sais pas|"
    r"mon nom|le mien|a mon nom|mon prenom|pareil|idem|le meme|la meme|pourquoi|quoi|hein)$"
)


def named_resources() -> list[wish.Named]:
    """Each resource with the names residents use for it."""
    entries = commune().data.ressources
    return [wish.Named(slug, (noun(e.nom).bare, *e.synonymes)) for slug, e in entries.items()]


def names_of(spec: ResourceSpec) -> tuple[str, ...]:
    """How residents name one resource (« tables », « plateaux »)."""
    entry = commune().data.ressources.get(spec.slug)
    return (noun(spec.name).bare, *(entry.synonymes if entry else ()))


def spec_of(slug: Any) -> ResourceSpec | None:
    return next((s for s in commune().resources() if s.slug == slug), None)


def offer(title: str, values: dict[str, str]) -> dict[str, Any]:
    return {"title": title, "values": values}


def buttons_of(offers: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Buttons that select each offer: the slot values travel in the payload."""
    return [
        {"title": o["title"], "payload": f"/{Intent.INFORM}{json.dumps(o['values'])}"}
        for o in offers
    ]


def alternatives(spec: ResourceSpec, periods: list[Period]) -> list[dict[str, Any]]:
    """Offers that select each free period."""
    tz = zone()
    return [
        offer(booking.say_period(spec, p.start, p.end, tz), booking.slots_of(spec, p, tz))
        for p in periods
    ]


def offers_of(raw: Any) -> list[dict[str, Any]]:
    try:
        found = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return []
    return [o for o in found if isinstance(o, dict) and isinstance(o.get("values"), dict)]


def windows_on(spec: ResourceSpec, day: date) -> list[tuple[int, int]]:
    return [(w.start, w.end) for w in spec.windows if w.weekday == day.weekday()]


def hours_of(spec: ResourceSpec, day: date) -> str:
    windows = windows_on(spec, day)
    if not windows:
        return "fermé ce jour-là"
    return " et ".join(f"de {say_time(_clock(a))} à {say_time(_clock(b))}" for a, b in windows)


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def _hhmm(minutes: int) -> str:
    return "24:00" if minutes >= 24 * 60 else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def read(turn: Turn, message: Message, requested: str | None, sender: str) -> None:
    """Every detail the message gives, from button payloads first, then from the words."""
    given = {k: v for k, v in message.entities.items() if k in {s.value for s in BOOKING_SLOTS}}
    if given:
        for key, value in given.items():
            turn.set(Slot(key), value if value != "" else None)
        if Slot.DAY.value in given and Slot.TIME.value not in given:
            turn.set(Slot.TIME, None)
        return
    text = message.text
    read_resources(turn, text, requested)
    if not turn.get(Slot.RESOURCE) and wish.ants_number_in(text):
        # « 7FQ2K9LM3T »: only an ID appointment asks for this.
        appointment = next((s for s in commune().resources() if s.kind is Kind.APPOINTMENT), None)
        if appointment is not None:
            turn.set(Slot.RESOURCE, appointment.slug)
    spec = spec_of(turn.get(Slot.RESOURCE))
    contact = wish.phone_in(text) or wish.email_in(text)
    channel, _, number = sender.partition(":")
    same = _SAME_NUMBER.search(message.words) or answers.short(text) is answers.Short.YES
    if contact is None and requested == Slot.CONTACT and channel == "sms" and same:
        contact = wish.normalise_phone(number)
    if contact:
        turn.set(Slot.CONTACT, contact)
    elif requested == Slot.CONTACT and (wish.looks_like_phone(text) or "@" in text):
        turn.say("contact_invalide")
    ants = wish.ants_number_in(text) if spec and spec.kind is Kind.APPOINTMENT else None
    if spec and spec.kind is Kind.APPOINTMENT:
        case = wish.id_case_in(text)
        if case and (requested == Slot.ID_CASE or not turn.get(Slot.ID_CASE)):
            turn.set(Slot.ID_CASE, case)
        if ants:
            turn.set(Slot.ANTS, ants)
        elif requested == Slot.ANTS and any(c.isdigit() for c in text):
            turn.say("ants_invalide")
            return
        if {Slot.ID_CASE.value, Slot.ANTS.value} & set(turn.changed) and (
            turn.get(Slot.ID_CASE) and turn.get(Slot.ANTS)
        ):
            # The documents to bring, once the situation is known, before the slots.
            turn.tell(commune().documents(turn.get(Slot.ID_CASE)))
    elif spec:
        reader = wish.requester_answer if requested == Slot.REQUESTER else wish.requester_in
        requester = reader(text, named_resources(), commune().name)
        if requester:
            turn.set(Slot.REQUESTER, requester.value)
    if requested == Slot.NAME:
        name = name_in(message)
        if name:
            turn.set(Slot.NAME, name)
            return
    elif requested in (Slot.CONFIRM, Slot.CHANGE) and _NAME_CUE.search(
        message.text.replace("’", "'")
    ):
        # « non, c'est au nom de Camille Roux », « le nom n'est pas bon : Camille Roux ».
        said = _NAME_CUE.split(message.text.replace("’", "'"), maxsplit=1)[-1]
        name = name_in(replace(message, text=said))
        if name:
            turn.set(Slot.NAME, name)
            return
    if contact or ants or wish.looks_like_phone(text):
        return  # numbers that are not dates
    if spec and spec.kind is Kind.EQUIPMENT:
        quantity = wish.quantity_in(text, names_of(spec), alone=requested == Slot.QUANTITY)
        if quantity:
            turn.set(Slot.QUANTITY, float(quantity))
            if requested == Slot.QUANTITY:
                return
    if _picked(turn, message, requested):
        return
    said = moment.read(text, local_now(), on=_day(turn))
    if said is not None:
        read_moment(turn, said, spec, requested, text)


def name_in(message: Message) -> str | None:
    """A name given as the answer to « à quel nom ? »."""
    if answers.short(message.text) is not None or _NOT_NAMES.match(answers.core(message.text)):
        return None
    if message.text.rstrip().endswith("?") or wish.corrects(message.text):
        return None
    name = wish.name_in(message.text)
    if name is None or len(name.split()) > 7:
        return None  # a sentence, not a name
    return name


def _day(turn: Turn) -> date | None:
    raw = turn.get(Slot.DAY)
    return date.fromisoformat(raw) if raw else None


def _proper_names(text: str) -> str:
    """The text without names that only borrow an item's word (« pour notre troupe, les
    Tréteaux de Clairval »): nobody asks for the commune's tables as « les tables de
    Clairval »."""
    ours = answers.plain(commune().name)
    items = {
        answers.plain(name)
        for spec in commune().resources()
        if spec.kind is Kind.EQUIPMENT
        for name in names_of(spec)
    }
    said = answers.plain(text)
    return re.sub(
        rf"\b(?:les|le|la|l|des) ((?:[a-z]+ ){{0,2}}[a-z]+) (?:de|d) {re.escape(ours)}\b",
        lambda m: " " if m.group(1) in items else m.group(0),
        said,
    )


def read_resources(turn: Turn, text: str, requested: str | None) -> None:
    named = named_resources()
    found = wish.items_in(_proper_names(text), named)
    if not found:
        if not turn.get(Slot.RESOURCE):
            _by_headcount(turn, text)
        return
    current = turn.get(Slot.RESOURCE)
    primary = current if current in found and len(found) > 1 else found[0]
    if primary != current:
        if current:  # another resource: its hours and quantities differ
            turn.set(Slot.TIME, None)
            turn.set(Slot.QUANTITY, None)
            turn.set(Slot.WINDOW, None)
            turn.set(Slot.EXTRAS, None)
        turn.set(Slot.RESOURCE, primary)
    others = [slug for slug in found if slug != primary]
    if not others:
        return
    extras: list[dict[str, Any]] = []
    for slug in others:
        spec = spec_of(slug)
        if spec is None:
            continue
        if spec.unit is not Unit.DAY:
            turn.say("un_a_la_fois", autre=noun(spec.name).phrase)
            continue
        quantity = wish.quantity_in(text, names_of(spec)) or 1
        extras.append({"resource": slug, "quantity": quantity})
    if extras:
        turn.set(Slot.EXTRAS, json.dumps(extras))


def _by_headcount(turn: Turn, text: str) -> None:
    """A room for so many people, none named (« une pièce pour 25 personnes »): the smallest
    room that holds them, said as a proposal the resident may change."""
    people = wish.headcount_in(text)
    if people is None:
        return
    rooms = [
        s
        for s in commune().resources()
        if s.kind is Kind.ROOM and s.capacity is not None and s.capacity >= people
    ]
    if not rooms:
        return
    room = min(rooms, key=lambda s: s.capacity or 0)
    turn.set(Slot.RESOURCE, room.slug)
    turn.say("salle_pour", nombre=people, salle=noun(room.name).phrase, capacite=room.capacity)


def _picked(turn: Turn, message: Message, requested: str | None) -> bool:
    """One of the choices last proposed, picked by its rank or its words (« le deuxième »,
    « 9h20 », « celui de mardi »)."""
    offers = offers_of(turn.get(Slot.OFFERS))
    if not offers or requested not in (Slot.DAY, Slot.TIME, Slot.CONFIRM, Slot.CHANGE):
        return False
    index = answers.choice(message.text, len(offers))
    if index is None:
        said = answers.plain(message.text).replace(" ", "")
        titles = [answers.plain(o["title"]).replace(" ", "") for o in offers]
        matches = [i for i, t in enumerate(titles) if said and (said == t or said in t)]
        index = matches[0] if len(matches) == 1 else None
    if index is None:
        return False
    for key, value in offers[index]["values"].items():
        turn.set(Slot(key), value)
    turn.set(Slot.OFFERS, None)
    return True


def read_moment(
    turn: Turn, said: moment.Said, spec: ResourceSpec | None, requested: str | None, text: str
) -> None:
    """The day and hours one message says, for this resource."""
    if said.day is not None and said.day.isoformat() != turn.get(Slot.DAY):
        turn.set(Slot.DAY, said.day.isoformat())
        if spec is not None and spec.unit is Unit.SLOT and not said.hours:
            turn.set(Slot.TIME, None)  # another day: its free slots differ
    if spec is None or spec.unit is Unit.DAY or not said.hours:
        return
    day = _day(turn)
    if said.whole_day or said.part is not None:
        _read_part(turn, said, spec, day)
        return
    start, end = said.start, said.end
    current = str(turn.get(Slot.TIME) or "")
    if start is None and end is not None and current.endswith("-"):
        start = time.fromisoformat(current[:-1])  # « jusqu'à 20h » after « à partir de 18h »
    elif end is None and current.endswith("-") and start is not None:
        begun = time.fromisoformat(current[:-1])
        if start > begun:  # « 20h » answering « jusqu'à quelle heure ? »
            start, end = begun, start
        else:
            length = moment.duration(text)  # « 2 heures »
            if length is None:
                return
            start, end = begun, _plus(begun, length)
    if start is None:
        return
    if end is None and spec.unit is Unit.HOUR:
        length = moment.duration(text) if "pour" in answers.plain(text) else None
        end = _plus(start, length) if length else None
    if spec.unit is Unit.SLOT:
        turn.set(Slot.WINDOW, None)
        turn.set(Slot.TIME, f"{start:%H:%M}" if end is None else f"{start:%H:%M}-{end:%H:%M}")
    elif end is None:
        turn.set(Slot.TIME, f"{start:%H:%M}-")  # the form asks until when
    else:
        turn.set(Slot.TIME, f"{start:%H:%M}-{end:%H:%M}")


def _plus(start: time, length: timedelta) -> time:
    total = (_minutes(start) + int(length.total_seconds()) // 60) % (24 * 60)
    return time(total // 60, total % 60)


def _read_part(turn: Turn, said: moment.Said, spec: ResourceSpec, day: date | None) -> None:
    """« le soir », « toute la journée »: the resource's opening hours within that part."""
    if day is None:
        return
    windows = windows_on(spec, day)
    part = (0, 24 * 60) if said.whole_day else said.part
    assert part is not None
    overlaps = [(max(a, part[0]), min(b, part[1])) for a, b in windows]
    overlaps = [(a, b) for a, b in overlaps if b > a]
    if not overlaps:
        turn.say(
            "partie_fermee",
            quand=say_date(day),
            ressource=noun(spec.name).phrase,
            horaires=hours_of(spec, day),
        )
        turn.set(Slot.TIME, None)
        return
    first, last = max(overlaps, key=lambda o: o[1] - o[0])
    if spec.unit is Unit.SLOT:
        turn.set(Slot.WINDOW, f"{_hhmm(first)}-{_hhmm(last)}")
        turn.set(Slot.TIME, None)
    else:
        turn.set(Slot.TIME, f"{_hhmm(first)}-{_hhmm(last)}")


def extras_of(raw: Any) -> list[tuple[ResourceSpec, int]]:
    try:
        found = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return []
    extras = []
    for item in found if isinstance(found, list) else []:
        spec = spec_of(item.get("resource")) if isinstance(item, dict) else None
        if spec is not None:
            extras.append((spec, int(item.get("quantity") or 1)))
    return extras


def check(turn: Turn, now: datetime | None = None) -> None:
    """Ask the calendar as soon as the wish is precise enough; undo what it refuses."""
    spec = spec_of(turn.get(Slot.RESOURCE))
    if spec is None:
        return
    requester = Requester(turn.get(Slot.REQUESTER) or Requester.RESIDENT)
    if turn.get(Slot.REQUESTER) and requester not in spec.allowed:
        turn.say("non_autorise", raison=only(spec.allowed, noun(spec.name)))
        turn.set(Slot.REQUESTER, None)
        return
    day = turn.get(Slot.DAY)
    if not day or not set(turn.changed) & _MOMENT:
        return
    tz = zone()
    period = booking.period_of(spec, date.fromisoformat(day), turn.get(Slot.TIME), tz)
    if period is None:
        if Slot.DAY.value in turn.changed:
            turn.say("date_comprise", quand=say_date(date.fromisoformat(day)))
        return
    contact = Contact(name=_PROBE.name, type=requester, email=_PROBE.email)
    quantity = int(turn.get(Slot.QUANTITY) or 1)
    items = [(spec, quantity), *extras_of(turn.get(Slot.EXTRAS))]
    for item, count in items:
        wanted = _period_for(item, spec, period)
        try:
            calendar().check(BookingRequest(item.slug, *wanted, contact, quantity=count))
        except BookingRefused as refusal:
            _refused(turn, item, spec, wanted, refusal)
            return
    if {Slot.DAY.value, Slot.TIME.value} & set(turn.changed):
        turn.say("date_comprise", quand=booking.say_period(spec, *period, tz))


def _period_for(
    item: ResourceSpec, primary: ResourceSpec, period: tuple[datetime, datetime]
) -> tuple[datetime, datetime]:
    """An extra item lent by the day is lent for the primary's whole day."""
    if item is primary or item.unit is not Unit.DAY:
        return period
    start = period[0].astimezone(zone())
    first = datetime.combine(start.date(), time(0), tzinfo=zone())
    return first, datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=zone())


def _refused(
    turn: Turn,
    item: ResourceSpec,
    primary: ResourceSpec,
    period: tuple[datetime, datetime],
    refusal: BookingRefused,
) -> None:
    """Say which moment was refused and why, offer the nearest free ones, undo the slot."""
    tz = zone()
    moment_said = booking.say_period(item, *period, tz)
    reason = french(refusal.message)
    if refusal.reason is Refusal.CLOSED:
        day = period[0].astimezone(tz).date()
        reason = f"{reason[:-1]} (horaires ce jour-là : {hours_of(item, day)})."
    what = booking.what(item, int(turn.get(Slot.QUANTITY) or 1)) if item is not primary else ""
    prefix = f"{what[:1].upper()}{what[1:]}, {moment_said}" if what else moment_said
    turn.tell(french(f"{prefix[:1].upper()}{prefix[1:]} : {reason[:1].lower()}{reason[1:]}"))
    if item is primary:
        found = alternatives(primary, list(refusal.alternatives))
        if found:
            turn.say("alternatives", buttons_of(found))
            turn.set(Slot.OFFERS, json.dumps(found, ensure_ascii=False))
    if refusal.reason is Refusal.TOO_MANY or (
        refusal.reason is Refusal.TAKEN and item.kind is Kind.EQUIPMENT
    ):
        if item is primary:
            turn.set(Slot.QUANTITY, None)
        else:
            turn.set(Slot.EXTRAS, None)
    elif refusal.reason is Refusal.NOT_ALLOWED:
        turn.set(Slot.REQUESTER, None)
    else:
        turn.set(Slot.DAY, None)
        turn.set(Slot.TIME, None)


# Slots that change the moment or the amount asked for, so the calendar must be asked again.
_MOMENT = {
    s.value
    for s in (Slot.RESOURCE, Slot.REQUESTER, Slot.DAY, Slot.TIME, Slot.QUANTITY, Slot.EXTRAS)
}
