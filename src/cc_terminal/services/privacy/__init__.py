"""Who may see and do what: sign-in and accounts with their signing keys, service
identities, reading the audit trail and verifying its chain, masks and their audited
reveal, data protection requests (erasure) and retention. Writing audit events is
services/common/audit.py, which every domain uses."""
