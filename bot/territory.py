"""The commune's territory for street reports: report categories, streets and bounds."""

from __future__ import annotations

from pydantic import Field, model_validator

from bot.schema import Strict


class Category(Strict):
    """A kind of street problem residents report, with the words that announce it."""

    nom: str
    # Words and phrases that point to this category, matched without accents.
    mots: tuple[str, ...] = ()
    # Words that name the problem whatever the sentence is about (« le panneau est tagué »
    # is a tag, not a broken sign).
    decisifs: tuple[str, ...] = ()
    # How the resident is told it is fixed: "le lampadaire signalé" … "a été réparé".
    objet: str
    fait: str


class Bounds(Strict):
    """A rectangle around the commune, in WGS 84 degrees."""

    sud: float = Field(ge=-90, le=90)
    nord: float = Field(ge=-90, le=90)
    ouest: float = Field(ge=-180, le=180)
    est: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.sud >= self.nord or self.ouest >= self.est:
            raise ValueError("les limites doivent aller du sud au nord et de l’ouest à l’est")
        return self

    def contains(self, lat: float, lon: float) -> bool:
        """Whether a position lies inside the commune's rectangle."""
        return self.sud <= lat <= self.nord and self.ouest <= lon <= self.est


class Street(Strict):
    """A street of the commune, with a point on it (for distances between reports)."""

    nom: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Territory(Strict):
    """The `signalements` section of the commune file."""

    categories: dict[str, Category]
    rues: tuple[Street, ...] = Field(min_length=1)
    limites: Bounds
    # Open reports of the same category this close (metres), or on the same street within
    # `doublon_jours` days, are the same problem: the resident joins it instead.
    doublon_metres: float = Field(default=50, gt=0)
    doublon_jours: int = Field(default=14, ge=1)

    @model_validator(mode="after")
    def _coherent(self) -> Territory:
        if "autre" not in self.categories:
            raise ValueError("il faut une catégorie « autre » pour ce qui n’entre nulle part")
        outside = [s.nom for s in self.rues if not self.limites.contains(s.lat, s.lon)]
        if outside:
            raise ValueError(f"la rue « {outside[0]} » est hors des limites de la commune")
        names = [s.nom.lower() for s in self.rues]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"la rue « {twice[0]} » apparaît deux fois")
        return self
