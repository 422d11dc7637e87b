"""The mail loop (`cc-terminal mail fetch` once, `cc-terminal mail serve` for good): its
own process, as the mail loop's service account; it reads the mailboxes (IDLE when the
server has it, polling otherwise) and sends the queued letters, through
services/channels/mail.py only."""
