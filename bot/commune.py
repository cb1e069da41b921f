"""The commune file: facts and wording a town-hall employee edits, checked line by line."""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import Field, ValidationError, field_validator, model_validator

from bot.catalogue import ANSWERS, MESSAGES, REPLIES
from bot.clock import utcnow
from bot.closures import Closed, Why, closed_days
from bot.directory import NEIGHBOUR, NOT_OURS, Directory, Found
from bot.emergency import Safety
from bot.hours import DAYS, say_ranges, say_week
from bot.names import Intent
from bot.quotas import Limits
from bot.resources import ResourceEntry
from bot.schema import TOWN_HALL, WASTE_CENTRE, Closures, Strict, Week
from bot.territory import Territory
from bot.typography import french
from calendar_store.spec import ResourceSpec

log = logging.getLogger(__name__)


CLOSED_YEARS_AHEAD = 5


class CommuneError(ValueError):
    """The commune file cannot be used; the message names the file, the line and the reason."""


class Place(Strict):
    """A public place residents ask about."""

    adresse: str
    horaires: Week


class TownHall(Place):
    """The mairie itself."""

    telephone: str
    email: str


class CommuneFile(Strict):
    """The whole file, as a town-hall employee writes it."""

    commune: str
    fuseau_horaire: str
    mairie: TownHall
    dechetterie: Place
    reponses: dict[str, str]
    messages: dict[str, str]
    sujets: dict[str, str]
    ressources: dict[str, ResourceEntry]
    pieces_titres: dict[Literal["premiere", "renouvellement", "perte_vol", "mineur"], str]
    signalements: Territory
    urgences: Safety
    annuaire: Directory
    # The words that announce each answer, for a question the classifier is unsure of.
    mots_des_reponses: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # Public holidays and exceptional closures.
    fermetures: Closures = Field(default_factory=Closures)
    # Live bookings per person and rates of public writes (none: no limit).
    limites: Limits = Field(default_factory=Limits)

    @field_validator("fuseau_horaire")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"fuseau horaire inconnu : « {value} »") from None
        return value

    @field_validator("ressources")
    @classmethod
    def _slugs(cls, value: dict[str, ResourceEntry]) -> dict[str, ResourceEntry]:
        bad = [slug for slug in value if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)]
        if bad:
            raise ValueError(f"« {bad[0]} » : un nom court s’écrit en minuscules et tirets")
        prefixes = [entry.prefixe for entry in value.values()]
        twice = sorted({p for p in prefixes if prefixes.count(p) > 1})
        if twice:
            raise ValueError(f"le préfixe {twice[0]} sert à deux ressources")
        return value

    @model_validator(mode="after")
    def _closed_places(self) -> CommuneFile:
        places = {TOWN_HALL, WASTE_CENTRE, *self.ressources}
        for item in self.fermetures.exceptionnelles:
            unknown = [p for p in item.concerne if p not in places]
            if unknown:
                raise ValueError(
                    f"fermetures : « {unknown[0]} » n’est ni mairie, ni dechetterie, "
                    "ni le nom court d’une ressource"
                )
        return self

    @field_validator("annuaire")
    @classmethod
    def _directory_leaves(cls, value: Directory) -> Directory:
        answers = set(ANSWERS.values())
        for key, entry in value.entrees.items():
            unknown = sorted(set(entry.pas_pour) - answers)
            if unknown:
                raise ValueError(
                    f"entrees.{key}.pas_pour : « {unknown[0]} » n’est pas le nom d’une réponse"
                )
        return value

    @field_validator("reponses")
    @classmethod
    def _answers(cls, value: dict[str, str]) -> dict[str, str]:
        return _exact_keys(value, set(ANSWERS.values()), "réponse")

    @field_validator("messages")
    @classmethod
    def _messages(cls, value: dict[str, str]) -> dict[str, str]:
        return _exact_keys(value, set(MESSAGES), "message")

    @field_validator("mots_des_reponses")
    @classmethod
    def _answer_words(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = sorted(set(value) - set(ANSWERS.values()))
        if unknown:
            raise ValueError(f"« {unknown[0]} » n’est pas le nom d’une réponse")
        return value

    @field_validator("sujets")
    @classmethod
    def _topics(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ANSWERS.values()))
        if unknown:
            raise ValueError(f"« {unknown[0]} » n’est pas le nom d’une réponse")
        return value


def _exact_keys(value: dict[str, str], expected: set[str], what: str) -> dict[str, str]:
    missing = sorted(expected - set(value))
    if missing:
        raise ValueError(f"{what} manquante : {', '.join(missing)}")
    extra = sorted(set(value) - expected)
    if extra:
        raise ValueError(
            f"{what} inconnue : {', '.join(extra)} (attendues : {', '.join(sorted(expected))})"
        )
    empty = sorted(k for k, v in value.items() if not str(v).strip())
    if empty:
        raise ValueError(f"{what} vide : {', '.join(empty)}")
    return value


@dataclass(frozen=True)
class Topic:
    """A button offered when the assistant did not understand."""

    title: str
    intent: Intent


class Commune:
    """A validated commune file whose answers render with French typography."""

    def __init__(self, data: CommuneFile, path: Path) -> None:
        self.data = data
        self.path = path
        self.name = data.commune
        env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        env.filters["horaires"] = say_week_filter
        env.filters["plages"] = say_ranges
        # Each text is compiled once, on first use.
        self._template = functools.lru_cache(maxsize=None)(env.from_string)
        self._context: dict[str, Any] = {
            "commune": data.commune,
            "mairie": data.mairie,
            "dechetterie": data.dechetterie,
        }
        self._resources: tuple[ResourceSpec, ...] | None = None

    def answer(self, key: str) -> str:
        """The answer called `key` in the file (see ANSWERS)."""
        return self._render(self.data.reponses[key])

    def message(self, key: str, **values: Any) -> str:
        """The message called `key` in the file (see MESSAGES), with its values."""
        return self._render(self.data.messages[key], values)

    def reply_to(self, intent: Intent) -> str | None:
        """What the assistant says to `intent`, or None if no text of the file answers it."""
        if intent in ANSWERS:
            return self.answer(ANSWERS[intent])
        if intent in REPLIES:
            return self.message(REPLIES[intent])
        return None

    def directory(self, found: Found) -> str:
        """A directory entry's text, or the answer for another town."""
        if found.key == NOT_OURS:
            return self.message("hors_ressort")
        if found.key == NEIGHBOUR:
            place = found.place or "cette commune"
            return self._render(self.data.annuaire.ailleurs, {"lieu": place})
        return self._render(self.data.annuaire.entrees[found.key].texte)

    def resources(self) -> tuple[ResourceSpec, ...]:
        """The bookable resources, in the file's order, with their closed days (built once)."""
        if self._resources is None:
            year = utcnow().year
            # Holidays of a few years around now: longer than any booking horizon or process.
            years = range(year - 1, year + CLOSED_YEARS_AHEAD + 1)
            self._resources = tuple(
                entry.spec(
                    slug,
                    {
                        day: self.closed_reason(closed)
                        for day, closed in closed_days(
                            self.data.fermetures,
                            slug,
                            years,
                            open_on_holidays=entry.ouvert_jours_feries,
                        ).items()
                    },
                    self.data.limites.per_person(entry.type),
                )
                for slug, entry in self.data.ressources.items()
            )
        return self._resources

    def closed_reason(self, closed: Closed) -> str:
        """Why a day is closed, as a refusal ends: « c’est un jour férié (Ascension) »."""
        if closed.why is Why.HOLIDAY:
            return self.message("motif_jour_ferie", fete=closed.name)
        return self.message("motif_fermeture", raison=closed.name)

    def place(self, slug: str) -> str:
        """Where a resource is, for invitations."""
        return self.data.ressources[slug].lieu

    def documents(self, case: str) -> str:
        """The documents to bring for an ID appointment (see pieces_titres)."""
        return self._render(self.data.pieces_titres[case])  # type: ignore[index]

    def topics(self) -> list[Topic]:
        """The buttons offered when the assistant did not understand, in the file's order."""
        by_key = {key: intent for intent, key in ANSWERS.items()}
        return [Topic(french(title), by_key[key]) for key, title in self.data.sujets.items()]

    def _render(self, source: str, values: Mapping[str, Any] | None = None) -> str:
        text = self._template(source).render({**self._context, **(values or {})})
        return french("\n".join(line.rstrip() for line in text.strip().splitlines()))

    def check_templates(self, nodes: yaml.Node) -> None:
        """Render every text once so a typo in a {{ … }} is refused at start."""
        for section in ("reponses", "messages"):
            texts: dict[str, str] = getattr(self.data, section)
            for key, source in texts.items():
                node = _node_at(nodes, (section, key))
                try:
                    self._render(source, MESSAGES.get(key) if section == "messages" else None)
                except TemplateSyntaxError as error:
                    line = (_line(node) or 0) + (error.lineno if node.style in "|>" else 0)
                    raise _error(self.path, line, f"{section}.{key} : {error.message}") from None
                except TemplateError as error:
                    raise _error(self.path, _line(node), f"{section}.{key} : {error}") from None


def say_week_filter(week: Week) -> str:
    return say_week({day: week.day(day) for day in DAYS})


def _error(path: Path, line: int | None, reason: str) -> CommuneError:
    where = f"{path}, ligne {line}" if line else str(path)
    return CommuneError(f"{where} : {reason}")


def _line(node: yaml.Node | None) -> int | None:
    return None if node is None else node.start_mark.line + 1


def _node_at(root: yaml.Node, loc: tuple[int | str, ...]) -> Any:
    """The YAML node to show for a location: a scalar itself, a section by its key's line."""
    node: Any = root
    key: Any = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                return key or node  # a missing field: show the section that lacks it
            key, node = pair
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            key, node = None, node.value[part]
        else:
            break
    return key if key is not None and not isinstance(node, yaml.ScalarNode) else node


def _check_duplicates(node: yaml.Node, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                raise _error(path, _line(key), f"« {key.value} » apparaît deux fois")
            seen.add(key.value)
            _check_duplicates(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, path)


def _reason(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return "champ obligatoire manquant"
    if error["type"] == "extra_forbidden":
        return "champ inconnu (faute de frappe ?)"
    if error["type"] == "string_type":
        return "du texte est attendu"
    if error["type"] in ("dict_type", "model_type"):
        return "une liste de champs « nom : valeur » est attendue"
    return message


def load_commune(path: Path) -> Commune:
    """Read and check the commune file; raise CommuneError naming the line and the reason."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _error(path, None, "fichier introuvable") from None
    except UnicodeDecodeError:
        raise _error(path, None, "le fichier doit être enregistré en UTF-8") from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "syntaxe YAML invalide"
        raise _error(
            path, mark.line + 1 if mark else None, f"syntaxe invalide ({reason})"
        ) from None
    if root is None or not isinstance(data, dict):
        raise _error(path, 1, "le fichier doit contenir les champs de la commune")
    _check_duplicates(root, path)
    try:
        parsed = CommuneFile.model_validate(data)
    except ValidationError as errors:
        # A misspelt name shows as "unknown" and "missing": the unknown one says more.
        first = min(errors.errors(), key=lambda e: e["type"] != "extra_forbidden")
        loc = tuple(first["loc"])
        field = ".".join(str(p) for p in loc) or "fichier"
        raise _error(path, _line(_node_at(root, loc)), f"{field} : {_reason(first)}") from None
    commune = Commune(parsed, path)
    commune.check_templates(root)
    return commune


class CommuneStore:
    """The commune file, reread when it changes; a broken edit keeps the last good version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._commune: Commune | None = None
        self.last_error: str | None = None

    def get(self) -> Commune:
        """The current commune; raises CommuneError only if no version was ever valid."""
        with self._lock:
            try:
                stat = os.stat(self.path)
                stamp = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                stamp = None
            if self._commune is None or stamp != self._stamp:
                try:
                    self._commune = load_commune(self.path)
                    self.last_error = None
                except CommuneError as error:
                    if self._commune is None:
                        raise
                    if str(error) != self.last_error:
                        log.error("commune file edit refused, keeping the previous one: %s", error)
                    self.last_error = str(error)
                self._stamp = stamp
            return self._commune
