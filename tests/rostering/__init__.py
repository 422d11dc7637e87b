"""Tests of days off and the roster."""
