"""The phone's webhook (`cc-terminal phone serve`): the endpoint a PBX calls on ring,
answer and hang-up. Starlette on uvicorn like the chat gateway; it calls services/phone
only (the event, the token, the one delivery path the CLI's `ring` uses too). No Textual.
baresip's client and the terminal's socket are in services/phone, because the TUI runs
them and the app's layers may not reach the gateways."""
