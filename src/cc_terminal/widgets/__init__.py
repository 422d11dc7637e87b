"""Reusable parts of the workstation's screens."""
