"""Street reports by conversation through the real gateway, Rasa and action server."""

from __future__ import annotations

import io
import re
import uuid

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.commune import load_commune
from bot.outbox import Notification
from bot.report_records import ReportRow
from bot.reports import ReportStore, Status, commune_notices
from bot.settings import ROOT
from tests.helpers.reports import followed
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack

REFERENCE = re.compile(r"\b(SIG-[A-Z0-9]{4})\b")


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")


def agents(engine: Engine) -> ReportStore:
    """The store as the agents' side uses it: notices worded by the commune file."""
    return ReportStore(
        engine, lambda: CLAIRVAL.data.signalements, notices=commune_notices(lambda: CLAIRVAL)
    )


def notices(engine: Engine, reference: str) -> list[tuple[str, str | None, str]]:
    with Session(engine) as session:
        rows = session.scalars(select(Notification).where(Notification.reference == reference))
        return [(n.kind, n.conversation_id, str(n.payload.get("text", ""))) for n in rows]


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_a_streetlight_report_from_words_to_fixed_then_reopened(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = sender()
    said = text_of(say(gateway, who, "le lampadaire devant chez moi rue des lila ne marche plus"))
    assert "rue des Lilas" in said
    assert "photo" in said
    summary = text_of(say(gateway, who, "non pas de photo"))
    assert "éclairage public, rue des Lilas" in summary
    assert "le lampadaire devant chez moi" in summary
    filed = text_of(say(gateway, who, "oui"))
    found = REFERENCE.search(filed)
    assert found is not None, filed
    reference = found.group(1)
    assert "reçu" in text_of(say(gateway, who, f"où en est mon signalement {reference} ?"))
    store = agents(stack_engine)
    store.change(reference, Status.ACKNOWLEDGED, by="agent:test")
    store.change(reference, Status.RESOLVED, by="agent:test", comment="ampoule changée")
    sent = notices(stack_engine, reference)
    assert [kind for kind, _, _ in sent] == ["report_acknowledged", "report_resolved"]
    assert all(conversation == f"web:{who}" for _, conversation, _ in sent)
    assert "Bonne nouvelle\u00a0: le lampadaire signalé rue des Lilas a été réparé." in sent[1][2]
    assert "résolu" in text_of(say(gateway, who, "mes signalements"))
    assert "rouvre" in text_of(say(gateway, who, "le lampadaire est toujours en panne"))
    assert store.get(reference).status is Status.RECEIVED


def test_two_problems_in_one_message_are_filed_as_two_reports_one_after_the_other(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = sender()
    first = text_of(
        say(
            gateway,
            who,
            "le lampadaire impasse des Vignes est éteint "
            "et aussi le banc allee des peupliers est cassé",
        )
    )
    # Both problems heard; the first report goes on (what and where known: the photo next).
    assert "aussi un autre problème (mobilier urbain)" in first
    assert "photo" in first
    summary = text_of(say(gateway, who, "non merci"))
    assert "éclairage public, impasse des Vignes" in summary
    assert "«\xa0le lampadaire impasse des Vignes est éteint\xa0»" in summary  # its words only
    filed = text_of(say(gateway, who, "oui"))
    assert len(set(REFERENCE.findall(filed))) == 1
    assert "Passons à l’autre problème que vous m’avez signalé" in filed
    assert "photo" in filed  # the second report's own question
    second = text_of(say(gateway, who, "pas de photo"))
    assert "mobilier urbain, allée des Peupliers" in second
    assert "«\xa0le banc allee des peupliers est cassé\xa0»" in second
    assert REFERENCE.search(text_of(say(gateway, who, "ok")))
    # Two reports followed by this conversation (each new, or joined to the same problem
    # reported nearby earlier by another test).
    assert followed(stack_engine, f"web:{who}") == {
        ("eclairage", "impasse des Vignes"),
        ("mobilier", "allée des Peupliers"),
    }
    # Nothing queued is left behind: the next problem is a report of its own, told alone.
    again = text_of(say(gateway, who, "il y a un tag sur le mur rue du Moulin"))
    assert "autre problème" not in again


def test_the_same_problem_reported_twice_joins_the_first_report(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    first, second = sender(), sender()
    say(gateway, first, "il y a un tag énorme sur le mur rue du Moulin")
    say(gateway, first, "sans photo")
    found = REFERENCE.search(text_of(say(gateway, first, "oui")))
    assert found is not None
    say(gateway, second, "des graffitis rue du moulin, c'est moche")
    say(gateway, second, "pas de photo")
    joined = text_of(say(gateway, second, "oui c'est ça"))
    assert found.group(1) in joined
    assert "déjà été signalé" in joined
    agents(stack_engine).change(found.group(1), Status.RESOLVED, by="agent:test")
    told = {conversation for _, conversation, _ in notices(stack_engine, found.group(1))}
    assert told == {f"web:{first}", f"web:{second}"}


def test_a_vague_report_asks_what_and_where_checks_the_place_and_takes_a_photo(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = sender()
    replies = say(gateway, who, "je voudrais signaler un problème dans la rue")
    assert "type de problème" in text_of(replies)
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert "Voirie et nids-de-poule" in titles
    assert "Où se trouve" in text_of(say(gateway, who, '/inform{"report_category": "voirie"}'))
    assert "Je ne trouve pas" in text_of(say(gateway, who, "rue des Pivoines"))
    outside = say(
        gateway, who, "Position partagée", metadata={"location": {"lat": 45.76, "lon": 4.83}}
    )
    assert "en dehors de Clairval" in text_of(outside)
    inside = say(
        gateway, who, "Position partagée", metadata={"location": {"lat": 48.851, "lon": 2.39}}
    )
    assert "décrire" in text_of(inside)
    assert "photo" in text_of(say(gateway, who, "un gros trou dans la chaussée"))
    upload = gateway.post(
        "/api/photos",
        params={"sender": who},
        content=jpeg(),
        headers={"content-type": "image/jpeg"},
    )
    assert upload.status_code == 201, upload.text
    summary = text_of(say(gateway, who, "Photo jointe", metadata={"photo": upload.json()["photo"]}))
    assert "avec une photo" in summary
    assert "près de la position partagée" in summary
    assert "n’envoie pas" in text_of(say(gateway, who, "non"))
    with Session(stack_engine) as session:
        rows = select(ReportRow).where(ReportRow.description == "un gros trou dans la chaussée")
        assert list(session.scalars(rows)) == []
