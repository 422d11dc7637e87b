"""F5: the tally, the team lead's team and panes, claims and pauses, and the tally's setup."""
