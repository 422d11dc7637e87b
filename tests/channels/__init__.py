"""Chat: the conversation model's services on both databases (the gateway's side and the
operator's), and the operator's chat area (F8)."""
