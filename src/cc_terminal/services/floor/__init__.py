"""The floor's trust: creating and upgrading a signed floor, the accounts' signing keys,
service identities, and the sync conflicts a team lead resolves."""
