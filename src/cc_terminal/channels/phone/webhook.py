"""POST /phone/events: a bearer token, the chat gateway's moving-window limiter per
address, a body of at most one frame. 401 for a wrong token (audited, a row a minute at
most), 429 past the limit, 400 with one line for a body that is not an event; else the
event is stored and handed to its extension's TUI on this host."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import anyio
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from cc_terminal.config import Settings
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone.calls import PhoneCalls
from cc_terminal.services.phone.delivery import Delivered, deliver
from cc_terminal.services.phone.events import MAX_FRAME, BadEvent, from_json
from cc_terminal.services.phone.webhook import WebhookTokens


@dataclass
class PhoneWebhook:
    settings: Settings
    phone: PhoneCalls
    tokens: WebhookTokens
    service: Actor
    clock: Callable[[], datetime]
    per_minute: int = 600

    def __post_init__(self) -> None:
        self.window = MovingWindowRateLimiter(MemoryStorage())
        self.limit = RateLimitItemPerMinute(self.per_minute)

    def admitted(self, address: str) -> bool:
        return self.window.hit(self.limit, "phone", address)

    def deliver(self, body: bytes) -> Delivered:
        event = from_json(body, now=self.clock())
        return deliver(self.phone, self.settings, self.service, event)


def _line(text: str, status: int) -> PlainTextResponse:
    return PlainTextResponse(text.replace("\n", " ") + "\n", status_code=status)


def create_app(hook: PhoneWebhook) -> Starlette:
    async def events(request: Request) -> Response:
        address = request.client.host if request.client else "?"
        if not hook.admitted(address):
            return _line("too many requests", 429)
        scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else ""
        if not await anyio.to_thread.run_sync(hook.tokens.matches, given):
            return _line("wrong token", 401)
        body = await _body(request)
        if body is None:
            return _line(f"body longer than {MAX_FRAME} bytes", 413)
        try:
            done = await anyio.to_thread.run_sync(hook.deliver, body)
        except BadEvent as refused:
            return _line(str(refused), 400)
        except ServiceError as refused:
            return _line(str(refused), 422)
        return JSONResponse(_answer(done))

    async def health(_request: Request) -> Response:
        return _line("ok", 200)

    routes = [
        Route("/phone/events", events, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes)


async def _body(request: Request) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FRAME:
            return None
    return bytes(body)


def _answer(done: Delivered) -> dict[str, object]:
    call = done.call
    return {
        "call_key": call.call_key,
        "phone_e164": call.phone_e164,
        "known_caller": call.customer_id is not None,
        "end_reason": call.end_reason,
        "to_terminal": done.to_terminal,
    }


def serve(hook: PhoneWebhook, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(hook), host=host, port=port, log_level="warning")
