"""`python -m channels.outbox_worker`: the outbox worker process, built from the settings."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.commune import CommuneStore
from bot.db import make_engine, make_session_factory, utcnow
from bot.notices import Attachment, Notices, booking_invitation
from bot.optouts import OptOuts
from bot.outbox_claims import Claims
from bot.settings import Settings, load_settings
from bot.transcript import Transcript
from calendar_store.store import Store
from channels.delivery import Worker
from channels.senders import Senders, senders_from

log = logging.getLogger("guichet.outbox")


def build(settings: Settings, senders: Senders) -> Worker:
    """A worker over the settings' database, templates and channels."""
    engine = make_engine(settings.database_url)
    commune = CommuneStore(settings.commune_file)

    def zone() -> ZoneInfo:
        return ZoneInfo(commune.get().data.fuseau_horaire)

    @lru_cache(maxsize=1)
    def calendar() -> Store:
        return Store(engine, commune.get().resources(), tz=zone(), clock=utcnow)

    def invitation(reference: str) -> Attachment | None:
        return booking_invitation(calendar(), reference, zone(), place=commune.get().place)

    return Worker(
        Claims(engine, timedelta(seconds=settings.outbox_claim_seconds)),
        Notices(settings.notification_templates, commune.get, settings.public_url),
        senders,
        OptOuts(engine),
        Transcript(make_session_factory(engine)),
        invitation,
    )


async def serve(settings: Settings) -> None:
    """Send until SIGTERM or Ctrl-C, then finish the sends under way."""
    senders = senders_from(settings)
    for reason in settings.channels_off().values():
        log.warning(reason)
    worker = build(settings, senders)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("outbox worker started")
    try:
        await worker.run(stop, settings.outbox_poll_seconds)
    finally:
        await senders.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the bot token
    asyncio.run(serve(load_settings()))


if __name__ == "__main__":
    main()
