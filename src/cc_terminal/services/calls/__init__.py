"""Incoming calls: finding the caller (customers, search, the card), recording calls, the
ledger, offers from the knowledge base, requests and their routing, escalations, and the
open call's draft. Its faces for other domains: the card, offers, the catalogue, search."""
