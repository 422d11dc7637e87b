"""The phone (issue 28): the events a softphone, a PBX's webhook or ``cc-terminal ring``
report (events.py, no I/O), the one service that stores them (calls.py: ``PhoneCalls``,
idempotent and order-tolerant) and the plain values the screens read (views.py). The
transports that carry the events are in channels/phone. No Textual."""
