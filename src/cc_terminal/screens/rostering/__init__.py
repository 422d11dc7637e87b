"""F6: the days-off form, the team lead's review and the roster."""
