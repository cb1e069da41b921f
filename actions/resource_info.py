"""Questions about what can be booked (« vous prêtez des barnums ? », « c'est combien la salle des
fêtes avec la caution ? »): the answer from the commune file, before any offer to book."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_reading import named_resources, spec_of
from actions.context import commune
from bot import booking, wish
from bot import names as n
from bot.answers import plain
from bot.names import Intent
from calendar_store.spec import Kind, Requester, ResourceSpec, Unit
from calendar_store.wording import duration, noun, only

_PLURAL_NAMES = {
    Requester.RESIDENT: "les habitants de la commune",
    Requester.EXTERIEUR: "les personnes extérieures à la commune",
    Requester.ASSOCIATION: "les associations",
}


def _unit(spec: ResourceSpec) -> str:
    if spec.unit is Unit.DAY:
        return "à la journée"
    if spec.unit is Unit.HOUR:
        return "à l’heure"
    return f"par créneaux de {spec.slot_minutes} minutes"


def _prices(spec: ResourceSpec) -> str:
    """ "250 € pour un habitant de la commune, gratuit pour une association"."""
    per = " par objet" if spec.kind is Kind.EQUIPMENT else ""
    unit = {Unit.DAY: " la journée", Unit.HOUR: " l’heure", Unit.SLOT: " le créneau"}[spec.unit]
    parts = []
    for requester in Requester:
        if requester not in spec.allowed:
            continue
        price = spec.prices.get(requester)
        amount = booking.euros(price) if price else "gratuit"
        suffix = f"{unit}{per}" if price else ""
        parts.append(f"{amount}{suffix} pour {_ONE[requester]}")
    return ", ".join(parts)


_ONE = {
    Requester.RESIDENT: "un habitant de la commune",
    Requester.EXTERIEUR: "une personne extérieure à la commune",
    Requester.ASSOCIATION: "une association",
}


def facts(spec: ResourceSpec) -> dict[str, Any]:
    """The values the commune's wording of a resource uses."""
    name = noun(spec.name)
    allowed = [r for r in Requester if r in spec.allowed]
    everyone = len(allowed) == len(Requester)
    return {
        "ressource": name.phrase,
        "sujet": name.subject,
        "unite": _unit(spec),
        "stock": spec.stock if spec.kind is Kind.EQUIPMENT else 0,
        "prix": _prices(spec),
        "caution": booking.euros(spec.deposit) if spec.deposit else "",
        "pour_qui": "" if everyone else only(spec.allowed, name),
        "ouvert_a": ", ".join(_PLURAL_NAMES[r] for r in allowed),
        "delai": duration(spec.min_notice),
        "validation": spec.approval,
        "lieu": commune().place(spec.slug),
        "capacite": spec.capacity or 0,
    }


_PRICE = re.compile(r"\b(?:combien|prix|tarif|cout|coute|payant|payer|gratuit|timbre)\b")


@dataclass(frozen=True)
class Described:
    """The answer about a resource, the offer to book it, and what the answer was about."""

    info: str
    offer: str
    topic: str


def describe(spec: ResourceSpec | None, asked: str = "") -> Described:
    """What the commune says about a resource (or all of them), and the offer to book."""
    c = commune()
    if spec is None:
        lines = [f"{noun(s.name).subject} : {_unit(s)}, {_prices(s)}" for s in c.resources()]
        listed = c.message("liste_ressources", ressources=lines)
        return Described(listed, c.message("demander_ressource"), "resource_info")
    name = noun(spec.name)
    wanted = f"des {name.bare}" if spec.kind is Kind.EQUIPMENT and name.plural else name.phrase
    offer = c.message("vouloir_reserver", ressource=wanted)
    if spec.kind is Kind.APPOINTMENT:
        # An ID appointment is free; what people ask is the price or the papers of the title.
        intent = Intent.ASK_ID_PRICE if _PRICE.search(plain(asked)) else Intent.ASK_ID_DOCUMENTS
        return Described(c.reply_to(intent) or "", offer, intent.value)
    info = c.message("infos_ressource", **facts(spec))
    return Described(info, offer, f"resource_info:{spec.slug}")


# How many other resources one question may ask about beside the first.
_MOST_OTHERS = 2


def also_named(spec: ResourceSpec | None, asked: str) -> list[Described]:
    """The answers about the other resources a question names beside `spec` (« vous prêtez
    combien de tables et de chaises ? »): each gets its own, in the order named."""
    if spec is None:
        return []
    others = [slug for slug in wish.items_in(asked, named_resources()) if slug != spec.slug]
    return [describe(spec_of(slug), asked) for slug in others[:_MOST_OTHERS]]


class ResourceInfo(Action):
    """A question about a resource asked in the middle of a flow: answered, then it goes on."""

    def name(self) -> str:
        return n.Action.RESOURCE_INFO

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        found = wish.items_in(text, named_resources())
        spec = spec_of(found[0] if found else tracker.get_slot(n.Slot.RESOURCE))
        for described in [describe(spec, text), *also_named(spec, text)]:
            dispatcher.utter_message(text=described.info, json_message={"topic": described.topic})
        return []
