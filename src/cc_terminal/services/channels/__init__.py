"""Written channels (chat now, e-mail next): conversations, their lines and who holds them.

visitors.py is the chat gateway's side (a visitor known only by a token), conversations.py
the operator's, assignment.py who takes what (limits, round-robin), views.py the plain
values both sides read. It uses the models, the store and services/common; of the other
domains only the faces named in pyproject's contract. No Textual."""
