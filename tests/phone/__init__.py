"""The phone: its events' wire forms, the service storing them on both databases, the
transports (baresip's ctrl_tcp, the terminal's socket, the webhook, `cc-terminal ring`) and
the ring that pops the caller's card."""
