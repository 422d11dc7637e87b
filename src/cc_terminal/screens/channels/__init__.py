"""F8: the operator's chat area: the queue, one's open chats, the conversation beside the
customer's card and ledger."""
