"""The gateway servers that bring written and spoken channels to the floor (the chat web
socket now; the mail loop and the phone link next). No Textual: each calls its domain's
services only (services/channels), as a service account, never the store directly."""
