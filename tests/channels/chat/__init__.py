"""The chat gateway for real (channels/chat): its process on 127.0.0.1 over a real store
(SQLite and PostgreSQL), a websockets client for the protocol and hostile visitors,
headless chromium for the widget."""
