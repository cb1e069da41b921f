"""The commune file's limits against abuse: live bookings per person, rates of public writes."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from bot.schema import Strict
from calendar_store.spec import Kind

# A rate as a town-hall employee writes it: « 20/minute », « 10/heure ; 30/jour ».
_RATE = re.compile(r"^\s*(\d{1,7})\s*/\s*(seconde|minute|heure|jour)s?\s*$")
_UNITS = {"seconde": "second", "minute": "minute", "heure": "hour", "jour": "day"}
_KINDS = {"salle": Kind.ROOM, "materiel": Kind.EQUIPMENT, "rendez-vous": Kind.APPOINTMENT}


class Write(StrEnum):
    """The public writes whose rate is limited."""

    MESSAGE = "messages"  # a resident's message, on any channel
    BOOKING = "reservations"  # POST /api/bookings
    CANCEL = "annulations"  # POST /api/bookings/{reference}/cancel
    PHOTO = "photos"  # POST /api/photos
    REPORT = "signalements"  # POST /open311/v2/requests.json


Rates = tuple[tuple[int, str], ...]  # (count, limits' unit): ((20, "minute"), (300, "day"))


def parse_rates(value: Any) -> Rates:
    """« 10/heure ; 30/jour » → ((10, "hour"), (30, "day")); ValueError, in French, if wrong."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            "un rythme est attendu, par exemple « 20/minute » ou « 10/heure ; 30/jour »"
        )
    rates = []
    for part in value.split(";"):
        match = _RATE.match(part)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(
                f"« {part.strip()} » : écrivez un nombre, une barre et une unité "
                "(seconde, minute, heure ou jour), par exemple « 20/minute »"
            )
        rates.append((int(match.group(1)), _UNITS[match.group(2)]))
    return tuple(rates)


class Rate(Strict):
    """How many of one write an IP address, and a conversation, may make."""

    par_ip: Rates = ()
    par_conversation: Rates = ()

    @field_validator("par_ip", "par_conversation", mode="before")
    @classmethod
    def _rates(cls, value: Any) -> Rates:
        return value if isinstance(value, tuple) else parse_rates(value)


class PerPerson(Strict):
    """Live, future bookings one person may hold at once, per kind of resource."""

    salle: int | None = Field(default=None, ge=1, le=1000)
    materiel: int | None = Field(default=None, ge=1, le=1000)
    rendez_vous: int | None = Field(default=None, ge=1, le=1000, alias="rendez-vous")


class Limits(Strict):
    """The `limites` section of the commune file (none: no limit)."""

    reservations_a_venir_par_personne: PerPerson = Field(default_factory=PerPerson)
    envois: dict[Write, Rate] = Field(default_factory=dict)

    @field_validator("envois", mode="before")
    @classmethod
    def _writes(cls, value: Any) -> Any:
        known = [w.value for w in Write]
        unknown = [k for k in value if k not in known] if isinstance(value, dict) else []
        if unknown:
            raise ValueError(f"« {unknown[0]} » : envois attendus : {', '.join(known)}")
        return value

    def per_person(self, kind: str) -> int | None:
        """The most live bookings of this kind ("salle", "materiel", "rendez-vous") per person."""
        limits = self.reservations_a_venir_par_personne
        return {
            Kind.ROOM: limits.salle,
            Kind.EQUIPMENT: limits.materiel,
            Kind.APPOINTMENT: limits.rendez_vous,
        }[_KINDS[kind]]

    def rates(self, write: Write, per: str) -> Rates:
        """The rates of one write, per "ip" or per "conversation" (none: not limited)."""
        rate = self.envois.get(write)
        if rate is None:
            return ()
        return rate.par_ip if per == "ip" else rate.par_conversation
