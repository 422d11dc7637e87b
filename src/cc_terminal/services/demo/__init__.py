"""The demo floor: a lead, operators, customers, campaigns, orders, a tally and days off, made
by `cc-terminal demo`."""
