"""The operator side's answer alone, in one process: the store made as the chat bench
makes it (bench/chat_store.py), CHATS chats started through the gateway and given to
OPERATORS operators, then MESSAGES rounds: a visitor's line in every chat, and each
chat's owner reads and answers it, either as the TUI does (``detail``, which marks the
line read: a write, then ``send``: a second write) or as the bench's client does now
(``look`` at the lines after those held, then ``answer``: the mark and the answer in one
write). Prints the CPU and wall time per answer of each way (a cProfile when asked).

``python -m bench.chat_answer_profile [--postgresql] [--profile FILE] [CHATS MESSAGES]``"""

from __future__ import annotations

import argparse
import cProfile
import resource
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from bench.chat_operators import actors_of
from bench.chat_store import GATEWAY, postgresql_database, prepare
from cc_terminal.channels.chat.config import GatewayConfig
from cc_terminal.channels.chat.server import open_gateway
from cc_terminal.config import Settings
from cc_terminal.services.channels.answering import Answers
from cc_terminal.services.channels.views import PreChat
from cc_terminal.services.channels.visitor_posts import Post
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import open_workstation

OPERATORS = 10
FORM = PreChat(name="Bench Visitor", contact="v@example.com", topic="", language="cs", consent=True)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("chats", type=int, nargs="?", default=100)
    parser.add_argument("messages", type=int, nargs="?", default=5)
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-answer-")))
        url = f"sqlite:///{folder / 'chat.sqlite3'}"
        if args.postgresql:
            url = stack.enter_context(postgresql_database())
        limit = -(-args.chats // OPERATORS)
        key_file = prepare(url, folder, OPERATORS, limit)
        settings = Settings(db_url=url, data_dir=folder)
        gateway = open_gateway(settings, GATEWAY, key_file, GatewayConfig(frozenset({"*"})))
        ws = open_workstation(settings, migrate=False)
        tokens = [gateway.chats.start(FORM).token for _ in range(args.chats)]
        owners = [
            (actor, chat.id)
            for actor in actors_of(ws.chats, OPERATORS)
            for chat in ws.chats.mine(actor)
        ]
        answers, held = (
            Answers(ws.db, ws.chats.clock),
            dict.fromkeys((chat for _, chat in owners), 0),
        )

        def as_the_tui(actor: Actor, chat: uuid.UUID, round_: int) -> None:
            ws.chats.detail(actor, chat)
            ws.chats.send(actor, chat, f"t{round_}-{chat.hex}", "an answer")

        def in_one_write(actor: Actor, chat: uuid.UUID, round_: int) -> None:
            shown = answers.look(actor, chat, held[chat])
            held[chat] = shown.lines[-1].seq
            seen = max(line.seq for line in shown.lines if line.author == "visitor")
            answers.answer(actor, chat, f"o{round_}-{chat.hex}", "an answer", seen)

        ways: list[tuple[str, Callable[[Actor, uuid.UUID, int], None]]] = [
            ("detail + send", as_the_tui),
            ("look + answer", in_one_write),
        ]
        profile = cProfile.Profile() if args.profile else None
        for round_ in range(args.messages * len(ways)):
            name, answer = ways[round_ % len(ways)]
            gateway.chats.post_many([Post(token, f"m{round_}", "a line") for token in tokens])
            cpu, wall = _cpu(), time.perf_counter()
            if profile:
                profile.enable()
            for actor, chat in owners:
                answer(actor, chat, round_)
            if profile:
                profile.disable()
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
            print(
                f"{name}: CPU {cpu * 1000 / len(owners):.2f} ms, "
                f"wall {wall * 1000 / len(owners):.2f} ms an answer ({url.split(':')[0]})"
            )
        if profile:
            profile.dump_stats(args.profile)
        ws.close()
        gateway.chats.db.dispose()


if __name__ == "__main__":
    main()
