"""Tests of the command line and of a first run on a fresh machine."""
