"""Many residents at once through the gateway's REST webhook, as the scale-out test and the
throughput benchmark both drive them: FAQ, booking and street-report conversations mixed.

Each resident waits for the answer before saying the next thing, as a person would; a resident
told that their message was interrupted sends it again (at most twice).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from bot.dates import say_date

TURNS = 10
# The FAQ series of the benchmarks (scripts/bench.py), greetings and thanks included.
QUESTIONS = (
    "bonjour",
    "la mairie ouvre a quelle heure ?",
    "vous etes ouverts le samedi ?",
    "c'est ouvert entre midi et deux ?",
    "horaires de la dechetterie",
    "comment faire pour les encombrants",
    "je veux deposer un permis de construire",
    "comment refaire ma carte d'identité",
    "combien coute un passeport",
    "acte de naissance svp",
    "inscription liste electorale",
    "carte grise",
    "numero de telephone de la mairie",
    "merci",
)
FAQ = tuple(q for q in QUESTIONS if q not in ("bonjour", "merci"))
BOOKED = "C\u2019est réservé"
REPORTED = "SIG-"
BOOKING_HOURS = ((9, 11), (14, 18), (19, 22))  # three bookings a day, none overlapping
REPORT_SAYINGS = (  # {rue}: a street of the commune
    "le lampadaire devant chez moi {rue} ne marche plus",
    "il y a un gros trou dans la chaussée {rue}",
    "il y a un tag énorme sur le mur {rue}",
    "un dépôt sauvage de déchets {rue}",
    "une grosse branche d'arbre est tombée {rue}",
    "le banc est cassé {rue}",
)


def booking_script(day: date, hours: tuple[int, int]) -> list[str]:
    """What a resident booking the association room says, turn by turn; each booking is by
    another resident, with a phone of their own (a person may hold only a few at once)."""
    return [
        f"je voudrais réserver la salle des associations le {say_date(day)} "
        f"de {hours[0]}h à {hours[1]}h",
        "je suis habitant de Clairval",
        "Marie Martin",
        f"06 12 {day.month:02d} {day.day:02d} {hours[0]:02d}",
        "oui",
    ]


def _padded(head: list[str], start: int) -> list[str]:
    """`head`, then FAQ questions up to TURNS turns."""
    faq = itertools.islice(itertools.cycle(FAQ), start, None)
    return [*head, *itertools.islice(faq, TURNS - len(head))]


@dataclass(frozen=True)
class Script:
    kind: str  # "faq", "booking" or "report"
    said: list[str]
    slot: tuple[date, tuple[int, int]] | None = None  # what a booking asks for


def mixed_scripts(
    count: int, first_day: date, streets: list[str], *, rivals: int = 2, offset: int = 0
) -> Iterator[Script]:
    """FAQ, booking and report conversations in turn (2:2:1). Every `rivals` bookings in a row
    ask for the same slot, so that they race for it; reports each name a new problem."""
    # `offset` also moves on the slots and problems, so that a second batch does not meet
    # the first one's bookings and reports.
    slots = (
        (first_day + timedelta(days=i // 3), BOOKING_HOURS[i % 3]) for i in itertools.count(offset)
    )
    every_problem = ((s, r) for r in streets for s in REPORT_SAYINGS)
    problems = itertools.islice(every_problem, offset, None)
    slot = next(slots)
    bookings = 0
    for index in range(offset, offset + count):
        kind = ("faq", "booking", "faq", "booking", "report")[index % 5]
        if kind == "booking":
            if bookings and bookings % rivals == 0:
                slot = next(slots)
            bookings += 1
            yield Script(kind, _padded(["bonjour", *booking_script(*slot)], index), slot)
        elif kind == "report":
            saying, street = next(problems, (REPORT_SAYINGS[0], streets[0]))
            said = [saying.format(rue=street), "non pas de photo", "oui"]
            yield Script(kind, _padded(said, index))
        else:
            yield Script(kind, _padded(["bonjour"], index))


@dataclass
class Turn:
    said: str
    status: int
    replies: list[dict[str, Any]]
    sent: float  # monotonic seconds
    answered: float
    resent: int = 0  # how many times it was sent again after an interruption

    @property
    def ms(self) -> float:
        return (self.answered - self.sent) * 1000

    @property
    def texts(self) -> list[str | None]:
        return [r.get("text") for r in self.replies]


@dataclass
class Talk:
    sender: str
    script: Script
    turns: list[Turn] = field(default_factory=list)

    @property
    def conversation_id(self) -> str:
        return f"web:{self.sender}"

    def said_everything(self) -> bool:
        return [t.said for t in self.turns if t.resent == 0] == self.script.said

    def all_text(self) -> str:
        return "\n".join(text or "" for turn in self.turns for text in turn.texts)


def interrupted_by(apology: str) -> Callable[[Turn], bool]:
    return lambda turn: turn.status == 200 and turn.texts == [apology]


async def talk(
    client: httpx.AsyncClient,
    conversation: Talk,
    interrupted: Callable[[Turn], bool] = lambda _turn: False,
    on_turn: Callable[[Talk, Turn], None] | None = None,
    deadline: float | None = None,
) -> Talk:
    """Say the script, each turn after the last answer; an interrupted turn is said again."""
    for said in conversation.script.said:
        if deadline is not None and time.monotonic() >= deadline:
            break
        for resent in range(3):
            sent = time.monotonic()
            response = await client.post(
                "/webhooks/rest/webhook", json={"sender": conversation.sender, "message": said}
            )
            body = response.json() if response.status_code == 200 else []
            turn = Turn(said, response.status_code, body, sent, time.monotonic(), resent)
            conversation.turns.append(turn)
            if on_turn is not None:
                on_turn(conversation, turn)
            if not interrupted(turn):
                break
    return conversation


def client(gateway_url: str, residents: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=residents, max_keepalive_connections=residents)
    return httpx.AsyncClient(base_url=gateway_url, timeout=120, limits=limits)


async def together(
    gateway_url: str,
    talks: list[Talk],
    interrupted: Callable[[Turn], bool] = lambda _turn: False,
    on_turn: Callable[[Talk, Turn], None] | None = None,
) -> list[Talk]:
    """Every conversation at once, from the first turn."""
    async with client(gateway_url, len(talks)) as http:
        return list(await asyncio.gather(*(talk(http, t, interrupted, on_turn) for t in talks)))


async def sustained(
    gateway_url: str,
    residents: int,
    seconds: float,
    scripts: Iterator[Script],
    sender_prefix: str,
) -> tuple[list[Talk], float]:
    """`residents` at once for `seconds`: each starts a new conversation when one ends.
    Returns the conversations (the last ones cut at the deadline) and the seconds taken."""
    began = time.monotonic()
    deadline = began + seconds
    counter = itertools.count()
    done: list[Talk] = []

    async def resident(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            number = next(counter)
            conversation = Talk(f"{sender_prefix}-{number}", next(scripts))
            done.append(await talk(http, conversation, deadline=deadline))

    async with client(gateway_url, residents) as http:
        await asyncio.gather(*(resident(http) for _ in range(residents)))
    return done, time.monotonic() - began
