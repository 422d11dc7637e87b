"""The floor's trust and its conflicts: creating, upgrading and recovering a signed floor
(trust), and the sync conflicts a team lead resolves. It may use the privacy package's
accounts (the passwords handed out), never the other way round."""
