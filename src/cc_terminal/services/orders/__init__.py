"""Orders and applications: each kind's form and its read-back, the order desk, the address
register and exact addresses, field teams and visit slots, loans, missed visits, follow-up
calls and the exports for the field teams."""
