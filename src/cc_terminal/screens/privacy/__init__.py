"""The team lead's privacy screens: the audit trail and data protection requests."""
