"""Tests of incoming calls: finding the caller, recording calls, the ledger, offers, requests,
escalations, drafts, the knowledge base."""
