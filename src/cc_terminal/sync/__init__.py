"""Floor sync through a shared folder (DESIGN.md section 6). No Textual here."""
