"""Incoming calls: finding the caller (customers, search and its index, the card), recording
calls, the ledger, offers from the knowledge base, requests and their routing, escalations,
and the open call's draft."""
