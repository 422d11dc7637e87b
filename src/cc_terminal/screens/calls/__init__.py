"""F2 and F7: the incoming call with its forms (customer, offer, request, knowledge base),
saving it, and the request queues."""
