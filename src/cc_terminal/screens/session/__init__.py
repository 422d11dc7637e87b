"""Signing in and out: the login, the first password, the idle lock."""
