"""Outbound work: campaigns and their calling rules, lead files and their import, the pick of
the next lead, closing a lead, consents, surveys, re-offers and the campaign exports."""
