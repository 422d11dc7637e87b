"""Tests with hostile input: files, typed text and stored text that must never crash, repaint a
screen or half-save."""
