"""Use cases: rules, validation and permissions, one transaction per call. No Textual here."""
