"""The visitors of the chat bench: many WebSocket clients in one asyncio process, speaking
the widget's frames (channels/chat/protocol), the same code against the gateway and
against the bare echo server (bench/chat_echo.py).

Every visitor opens its socket and starts a chat; once all have started (the idle
sockets, when the caller measures the server's memory), each sends its messages
``interval`` seconds apart from a random offset, each ending with the moment it was sent,
and counts the answers: a ``line`` from the floor whose text ends with the moment it was
written gives the delay to the visitor."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

OPENING_AT_ONCE = 20  # handshakes in flight while the sockets open
FORM = {"name": "Eva Malá", "contact": "", "topic": "", "consent": True, "language": "en"}


@dataclass
class Heard:
    to_visitor: list[float] = field(default_factory=list)
    acks: int = 0
    answers: dict[int, set[str]] = field(default_factory=dict)  # visitor: answers' markers
    doubled: int = 0  # an answer of the floor pushed to its visitor twice
    errors: list[str] = field(default_factory=list)
    started: int = 0


@dataclass(frozen=True)
class Plan:
    url: str
    origin: str
    visitors: int
    messages: int
    interval: float
    within: float  # seconds the whole exchange may take once the first message goes


async def run(plan: Plan, when_idle: Callable[[], Awaitable[None]]) -> Heard:
    heard = Heard()
    all_started, go = asyncio.Event(), asyncio.Event()
    opening = asyncio.Semaphore(OPENING_AT_ONCE)

    async def started_one() -> None:
        heard.started += 1
        if heard.started == plan.visitors:
            all_started.set()

    tasks = [
        asyncio.create_task(_visitor(index, plan, heard, opening, started_one, go))
        for index in range(plan.visitors)
    ]
    waiting = asyncio.create_task(all_started.wait())
    done, _pending = await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        await when_idle()
    go.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return heard


async def _visitor(
    index: int,
    plan: Plan,
    heard: Heard,
    opening: asyncio.Semaphore,
    started: Callable[[], Awaitable[None]],
    go: asyncio.Event,
) -> None:
    try:
        async with opening:
            socket = await connect(plan.url, origin=plan.origin, open_timeout=120)  # type: ignore[arg-type]
        async with socket:
            form = dict(FORM, contact=f"visitor{index}@example.cz", name=f"Visitor {index}")
            await socket.send(json.dumps({"type": "start", "form": form}))
            await _until_started(socket)
            await started()
            await go.wait()
            await _talk(index, socket, plan, heard)
    except Exception as error:  # a visitor's failure is counted, not fatal
        heard.errors.append(f"visitor {index}: {error!r}")


async def _until_started(socket: ClientConnection) -> None:
    while True:
        frame = json.loads(await socket.recv())
        if frame["type"] in ("started", "busy", "error"):
            if frame["type"] != "started":
                raise RuntimeError(f"not started: {frame}")
            return


async def _talk(index: int, socket: ClientConnection, plan: Plan, heard: Heard) -> None:
    answers = heard.answers.setdefault(index, set())
    listening = asyncio.create_task(_listen(socket, heard, answers))
    await asyncio.sleep(random.uniform(0, plan.interval))
    for number in range(plan.messages):
        text = f"v{index} m{number} {time.time():.6f}"
        await socket.send(json.dumps({"type": "message", "client_id": f"m{number}", "text": text}))
        if number + 1 < plan.messages:
            await asyncio.sleep(plan.interval)
    deadline = time.monotonic() + plan.within
    while len(answers) < plan.messages and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    listening.cancel()


async def _listen(socket: ClientConnection, heard: Heard, answers: set[str]) -> None:
    async for message in socket:
        frame: dict[str, Any] = json.loads(message)
        if frame["type"] == "ack":
            heard.acks += 1
        elif frame["type"] == "error":
            heard.errors.append(str(frame))
        elif frame["type"] == "line" and frame.get("author") == "operator":
            words = str(frame["text"]).split()
            marker = " ".join(words[-3:-1])  # "v<visitor> m<number>"
            if marker in answers:
                heard.doubled += 1
                continue
            answers.add(marker)
            heard.to_visitor.append(time.time() - float(words[-1]))
