"""The commune file's bookable resources, turned into calendar_store specifications."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.hours import DAYS
from bot.schema import Strict, Week
from calendar_store.spec import Kind, Requester, ResourceSpec, Unit, Window

KINDS: dict[str, Kind] = {
    "salle": Kind.ROOM,
    "materiel": Kind.EQUIPMENT,
    "rendez-vous": Kind.APPOINTMENT,
}
UNITS: dict[str, Unit] = {"journee": Unit.DAY, "heure": Unit.HOUR, "creneau": Unit.SLOT}
REQUESTERS: dict[str, Requester] = {
    "resident": Requester.RESIDENT,
    "exterieur": Requester.EXTERIEUR,
    "association": Requester.ASSOCIATION,
}
# How residents name the kinds of requesters, for the conversation and the pages.
REQUESTER_NAMES: dict[Requester, str] = {
    Requester.RESIDENT: "habitant de la commune",
    Requester.EXTERIEUR: "personne extérieure à la commune",
    Requester.ASSOCIATION: "association",
}
_WHOLE_DAY = 24 * 60


class ResourceEntry(Strict):
    """One resource as a town-hall employee describes it."""

    nom: str
    type: Literal["salle", "materiel", "rendez-vous"]
    reservation: Literal["journee", "heure", "creneau"]
    prefixe: str = Field(pattern=r"^[A-Z]{2,4}$")
    lieu: str
    # Other ways residents name it ("sdf", "sono", "passeport"): matched without accents.
    synonymes: tuple[str, ...] = ()
    jours: tuple[str, ...] = ()
    horaires: Week | None = None
    duree_creneau: int = Field(default=60, ge=5, le=480)
    # How many slots in a row one booking may take ("de 18h à 20h" at the gymnasium).
    creneaux_consecutifs_max: int = Field(default=1, ge=1, le=48)
    capacite: int | None = Field(default=None, ge=1)
    stock: int = Field(default=1, ge=1)
    delai_minimum_heures: int = Field(default=24, ge=0)
    reservable_jours_a_l_avance: int = Field(default=365, ge=1)
    # The longest booking: in days (reservation journee) or hours (reservation heure).
    duree_max_jours: int | None = Field(default=None, ge=1, le=366)
    duree_max_heures: int | None = Field(default=None, ge=1, le=24)
    ouvert_a: tuple[Literal["resident", "exterieur", "association"], ...] = (
        "resident",
        "exterieur",
        "association",
    )
    tarifs: dict[Literal["resident", "exterieur", "association"], Decimal] = Field(
        default_factory=dict
    )
    caution: Decimal = Field(default=Decimal(0), ge=0)
    validation_agent: bool = False
    # Bookable on public holidays (a hall rented for a party); closed on them otherwise.
    ouvert_jours_feries: bool = False

    @field_validator("jours")
    @classmethod
    def _days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DAYS]
        if unknown:
            raise ValueError(f"jour inconnu : « {unknown[0]} » (attendus : {', '.join(DAYS)})")
        return value

    @field_validator("tarifs")
    @classmethod
    def _prices(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if any(price < 0 for price in value.values()):
            raise ValueError("un tarif ne peut pas être négatif")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> ResourceEntry:
        if self.reservation == "journee" and not self.jours:
            raise ValueError("une réservation à la journée indique ses jours (jours: [...])")
        if self.reservation != "journee" and self.horaires is None:
            raise ValueError("une réservation à l’heure ou au créneau indique ses horaires")
        if self.type == "materiel" and self.reservation != "journee":
            raise ValueError("le matériel se prête à la journée (reservation: journee)")
        if self.type != "materiel" and self.stock != 1:
            raise ValueError("seul le matériel a un stock")
        if self.reservation != "creneau" and self.creneaux_consecutifs_max != 1:
            raise ValueError("creneaux_consecutifs_max ne vaut que pour la réservation au créneau")
        if self.reservation != "journee" and self.duree_max_jours is not None:
            raise ValueError("duree_max_jours ne vaut que pour la réservation à la journée")
        if self.reservation != "heure" and self.duree_max_heures is not None:
            raise ValueError("duree_max_heures ne vaut que pour la réservation à l’heure")
        return self

    def spec(
        self,
        slug: str,
        closed: Mapping[date, str] | None = None,
        live_per_person: int | None = None,
    ) -> ResourceSpec:
        """The calendar store's view of this resource; `closed`: its closed days and why;
        `live_per_person`: the commune's limit for its kind."""
        if self.reservation == "journee":
            windows = tuple(Window(DAYS.index(d), 0, _WHOLE_DAY) for d in self.jours)
        else:
            assert self.horaires is not None  # checked by _coherent
            windows = tuple(
                Window(index, _minutes(r.start), _minutes(r.end))
                for index, day in enumerate(DAYS)
                for r in self.horaires.day(day)
            )
        return ResourceSpec(
            slug=slug,
            name=self.nom,
            kind=KINDS[self.type],
            unit=UNITS[self.reservation],
            prefix=self.prefixe,
            windows=windows,
            slot_minutes=self.duree_creneau,
            max_slots=self.creneaux_consecutifs_max,
            stock=self.stock,
            capacity=self.capacite,
            min_notice=timedelta(hours=self.delai_minimum_heures),
            max_ahead=timedelta(days=self.reservable_jours_a_l_avance),
            allowed=frozenset(REQUESTERS[r] for r in self.ouvert_a),
            prices={REQUESTERS[r]: price for r, price in self.tarifs.items()},
            deposit=self.caution,
            approval=self.validation_agent,
            closed=dict(closed or {}),
            max_units=self.duree_max_jours or self.duree_max_heures,
            live_per_person=live_per_person,
        )


def _minutes(value: Any) -> int:
    return int(value.hour) * 60 + int(value.minute)
