"""The tally: an operator's figures and pay for a period, claims and their reconciliation, pay
plans, quality evaluations, work sessions and the payroll export."""
