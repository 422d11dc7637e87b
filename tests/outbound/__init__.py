"""Tests of outbound work: campaigns, calling rules, lead files and their import, the pick,
closing leads, consents."""
