"""cc-terminal: a keyboard-only workstation for call-centre operators and team leads."""

__version__ = "0.1.0"
