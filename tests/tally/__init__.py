"""Tests of the tally: figures, pay, claims, the team view and payroll."""
