"""rasa_plugins/lock_store.py inside the real Rasa (its own venv) against the real Redis: a turn
waiting behind a dead server's turn is served once that turn expires, where Rasa's own Redis
lock store spins until the client gives up; and several servers (threads, each with its own
connection) working on one conversation at once never get the same ticket nor run two turns
together."""

from __future__ import annotations

import json
import os
import subprocess
from urllib.parse import urlsplit

from bot.settings import DEFAULT_REDIS_URL, ROOT
from bot.stack import QUIET_RASA
from tests.helpers.stack import redis_answers, skip_or_fail

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
SCENARIO = """
import asyncio, json, sys, threading, time, uuid
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from rasa_plugins.lock_store import PatientRedisLockStore

host, port = sys.argv[1], int(sys.argv[2])
config = EndpointConfig(url=host, port=port, db=0, key_prefix="guichettest")

async def behind_a_dead_turn(store):
    conversation = f"test-{uuid.uuid4().hex}"
    store.issue_ticket(conversation, 0.5)  # the dead server's turn: never finished
    began = time.monotonic()

    async def next_turn():
        async with store.lock(conversation, lock_lifetime=0.6, wait_time_in_seconds=1.0):
            return time.monotonic() - began

    try:
        return await asyncio.wait_for(next_turn(), 6.0)
    except asyncio.TimeoutError:
        return None

async def in_order(store):
    conversation = f"test-{uuid.uuid4().hex}"
    served = []

    async def turn(name, hold):
        async with store.lock(conversation, wait_time_in_seconds=0.1):
            served.append(name)
            await asyncio.sleep(hold)

    first = asyncio.ensure_future(turn("first", 0.5))
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(turn("second", 0.0))
    await asyncio.sleep(0.05)
    third = asyncio.ensure_future(turn("third", 0.0))
    await asyncio.gather(first, second, third)
    return served

def at_once(work, servers=4):
    # work(store) in `servers` threads at the same moment, each with its own store
    start = threading.Barrier(servers)
    errors = []

    def server():
        store = PatientRedisLockStore(endpoint_config=config)
        start.wait()
        try:
            work(store)
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=server) for _ in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return errors

def tickets_issued_together():
    conversation = f"test-{uuid.uuid4().hex}"
    numbers, guard = [], threading.Lock()

    def issue(store):
        for _ in range(50):
            number = store.issue_ticket(conversation, 60)
            with guard:
                numbers.append(number)

    errors = at_once(issue)
    store = PatientRedisLockStore(endpoint_config=config)
    stored = [t.number for t in store.get_lock(conversation).tickets]
    store.delete_lock(conversation)
    return {"issued": numbers, "stored": stored, "errors": errors}

def turns_together():
    conversation = f"test-{uuid.uuid4().hex}"
    state, guard = {"inside": 0, "most": 0, "served": 0}, threading.Lock()

    def talk(store):
        async def turns():
            for _ in range(25):
                async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.005):
                    with guard:
                        state["inside"] += 1
                        state["most"] = max(state["most"], state["inside"])
                    await asyncio.sleep(0.002)
                    with guard:
                        state["inside"] -= 1
                        state["served"] += 1
        asyncio.run(asyncio.wait_for(turns(), 60))

    errors = at_once(talk)
    left = PatientRedisLockStore(endpoint_config=config).get_lock(conversation)
    return state | {"errors": errors, "left": None if left is None else left.dumps()}

async def main():
    rasa = RedisLockStore(host=host, port=port, db=0, key_prefix="guichettest")
    patient = PatientRedisLockStore(endpoint_config=config)
    print(json.dumps({
        "rasa": await behind_a_dead_turn(rasa),
        "patient": await behind_a_dead_turn(patient),
        "order": await in_order(patient),
        "tickets": tickets_issued_together(),
        "turns": turns_together(),
    }))

asyncio.run(main())
"""


def test_a_turn_behind_a_dead_server_s_turn_is_served_once_that_one_expires() -> None:
    if not RASA_PYTHON.exists():
        skip_or_fail("no Rasa venv: run `make setup` first")
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    if not redis_answers(redis_url):
        skip_or_fail(f"Redis does not answer at {redis_url}")
    parsed = urlsplit(redis_url)
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", SCENARIO, parsed.hostname or "", str(parsed.port or 6379)],
        cwd=ROOT,
        env={**os.environ, **QUIET_RASA, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Rasa's own store: the waiting ticket expired with the dead one, nobody is ever served.
    assert result["rasa"] is None
    # Ours: served at the first look after the dead turn expired (0.5 s; looks every 1 s).
    assert result["patient"] is not None and 0.5 < result["patient"] < 3.0
    # And turns are still served one at a time, in the order they came.
    assert result["order"] == ["first", "second", "third"]
    # Four servers issuing 50 tickets each for one conversation at once: 200 different numbers,
    # all of them kept in the lock.
    tickets = result["tickets"]
    assert tickets["errors"] == []
    assert sorted(tickets["issued"]) == list(range(200))
    assert tickets["stored"] == list(range(200))
    # Four servers running 25 turns each of one conversation: one at a time, all served, and
    # the lock gone afterwards.
    turns = result["turns"]
    assert turns["errors"] == [] and turns["served"] == 100
    assert turns["most"] == 1
    assert turns["left"] is None
