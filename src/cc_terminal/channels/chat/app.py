"""The gateway's routes: the demo page, the widget's script and style, the health check
and the visitors' WebSocket (checked for its Origin and its address's limits first)."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from cc_terminal.channels.chat.gateway import Gateway
from cc_terminal.channels.chat.visitor import POLICY_VIOLATION, VisitorSocket

STATIC = resources.files("cc_terminal.channels.chat") / "static"
# The widget's files are the gateway's own: no inline script, nothing from elsewhere.
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STORE_THREADS = 40
PAGE_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'"


def _lifespan(gateway: Gateway) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The store's calls run in at most so many threads: 8 saved 7 MB with 500 idle
        # sockets but made the chats' start queue (bench/results/chat5-gateway-memory.md).
        anyio.to_thread.current_default_thread_limiter().total_tokens = STORE_THREADS
        gateway.bind()
        if gateway.pace is not None:
            gateway.pace.start()
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(gateway.hub.run)
                yield
                tasks.cancel_scope.cancel()
        finally:
            gateway.unbind()
            if gateway.pace is not None:  # the last writes shared before the process ends
                await anyio.to_thread.run_sync(gateway.pace.stop)

    return lifespan


def create_app(gateway: Gateway) -> Starlette:
    async def visitor_socket(websocket: WebSocket) -> None:
        await serve_visitor(gateway, websocket)

    async def health(request: Request) -> Response:
        db = await gateway.store_answers()
        said = {"ok": db, "db": db}
        if gateway.pace is not None:  # a folder floor: whether the share is reached (the
            said["floor"] = not gateway.cut_off()  # gateway works on, as a terminal does)
        return JSONResponse(said, status_code=200 if db else 503)

    async def demo(request: Request) -> Response:
        headers = {**SECURITY, "Content-Security-Policy": PAGE_POLICY}
        return HTMLResponse(demo_page(gateway), headers=headers)

    routes = [
        Route("/", demo),
        Route("/health", health),
        Route("/widget.js", static_file("widget.js", "text/javascript; charset=utf-8")),
        Route("/widget.css", static_file("widget.css", "text/css; charset=utf-8")),
        WebSocketRoute("/ws", visitor_socket),
    ]
    return Starlette(routes=routes, lifespan=_lifespan(gateway))


async def serve_visitor(gateway: Gateway, websocket: WebSocket) -> None:
    if not gateway.config.allows(websocket.headers.get("origin")):
        return await websocket.close(POLICY_VIOLATION)  # before accept: HTTP 403
    address = websocket.client.host if websocket.client else "?"
    name = gateway.guard.admit(address)
    if name is None:
        return await websocket.close(POLICY_VIOLATION)
    try:
        await websocket.accept()
        await VisitorSocket(websocket, gateway, name).run()
    finally:
        gateway.guard.release(address, name)


def static_file(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    body = (STATIC / name).read_bytes()

    async def endpoint(request: Request) -> Response:
        headers = {**SECURITY, "Cache-Control": "public, max-age=300"}
        return Response(body, media_type=media_type, headers=headers)

    return endpoint


def demo_page(gateway: Gateway) -> str:
    """The demo page: the widget embedded as a site would, with the gateway's topics."""
    config = gateway.config
    topics = json.dumps([list(topic) for topic in config.topics], ensure_ascii=False)
    template = (STATIC / "demo.html").read_text("utf-8")
    return (
        template.replace("{lang}", html.escape(config.language))
        .replace("{topics}", html.escape(topics))
        .replace("{privacy}", html.escape(config.privacy_url))
    )
