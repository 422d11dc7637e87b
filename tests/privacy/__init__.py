"""Tests of sign-in, accounts, the audit trail, masks, erasure and retention."""
