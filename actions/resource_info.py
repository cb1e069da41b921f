"""Questions about what can be booked (« vous prêtez des barnums ? », « c'est combien la salle des
fêtes avec la caution ? »): the answer from the commune file, before any offer to book."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_reading import named_resources, spec_of
from actions.context import commune
from bot import booking, wish
from bot import names as n
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


def describe(spec: ResourceSpec | None) -> tuple[str, str]:
    """What the commune says about a resource (or all of them), and the offer to book."""
    c = commune()
    if spec is None:
        lines = [f"{noun(s.name).subject} : {_unit(s)}, {_prices(s)}" for s in c.resources()]
        return c.message("liste_ressources", ressources=lines), c.message("demander_ressource")
    values = facts(spec)
    name = noun(spec.name)
    wanted = f"des {name.bare}" if spec.kind is Kind.EQUIPMENT and name.plural else name.phrase
    return c.message("infos_ressource", **values), c.message("vouloir_reserver", ressource=wanted)


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
        info, _ = describe(spec)
        topic = f"resource_info:{spec.slug}" if spec else "resource_info"
        dispatcher.utter_message(text=info, json_message={"topic": topic})
        return []
