"""Who may see and do what: sign-in and accounts, the audit trail and its verification, masks
and their audited reveal, data protection requests (erasure) and retention."""
