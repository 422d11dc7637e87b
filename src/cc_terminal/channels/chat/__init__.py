"""The chat gateway: a Starlette app on uvicorn serving the visitor's widget (static/) and
its WebSocket (protocol.py, visitor.py), the public endpoint's limits (guard.py), one poll
loop per process pushing operators' lines (hub.py). It calls services/channels/visitors.py
only; everything another gateway process needs is in the store."""
