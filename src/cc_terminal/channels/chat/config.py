"""What a gateway is told at start: the allowed origins, the public endpoint's limits,
how often it looks for operators' lines, and what the demo page offers."""

from __future__ import annotations

from dataclasses import dataclass, field

from cc_terminal import limits


@dataclass(frozen=True)
class GatewayLimits:
    """Per process: a visitor's socket may land on any gateway, each keeps its own count."""

    message_chars: int = limits.CHAT_MESSAGE
    # A frame carries one message as JSON: its characters escaped (6 bytes each at most).
    frame_bytes: int = 6 * limits.CHAT_MESSAGE + 4096
    messages_per_minute: int = 30
    frames_per_minute: int = 600  # typing and read marks included
    sockets_per_address: int = 20  # open at once
    connects_per_minute: int = 60  # new sockets from one address


@dataclass(frozen=True)
class GatewayConfig:
    # Origin header values allowed to open the socket; "*" allows any (a test's, never a site's).
    origins: frozenset[str]
    limits: GatewayLimits = field(default_factory=GatewayLimits)
    poll_seconds: float = 0.25  # how often the store is asked for operators' new lines
    typing_seconds: float = 1.0  # how often an open chat asks whether its operator types
    topics: tuple[tuple[str, str], ...] = ()  # (request category code, label) on the demo page
    privacy_url: str = ""  # the privacy notice the pre-chat form links to
    language: str = "cs"  # the demo page's
    full_names: bool = False  # the floor lets visitors see operators' full names

    def allows(self, origin: str | None) -> bool:
        return "*" in self.origins or (origin is not None and origin in self.origins)
