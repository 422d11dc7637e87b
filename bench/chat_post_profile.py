"""The gateway's visitor post alone, in one process: the store made as the chat bench makes
it (bench/chat_store.py), the gateway opened as ``cc-terminal chat serve`` opens it, CHATS
chats started, then every chat's MESSAGES lines posted from THREADS threads at once (the
gateway's worker threads). Prints the CPU per post (and writes a cProfile when asked).

``python -m bench.chat_post_profile [--postgresql] [--profile FILE] [CHATS MESSAGES THREADS]``"""

from __future__ import annotations

import argparse
import cProfile
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from bench.chat_store import GATEWAY, postgresql_database, prepare
from cc_terminal.channels.chat.config import GatewayConfig
from cc_terminal.channels.chat.server import open_gateway
from cc_terminal.config import Settings
from cc_terminal.services.channels.views import PreChat
from cc_terminal.services.channels.visitor_posts import Post


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("chats", type=int, nargs="?", default=50)
    parser.add_argument("messages", type=int, nargs="?", default=10)
    parser.add_argument("threads", type=int, nargs="?", default=8)
    parser.add_argument("--batch", type=int, default=0, help="post_many, so many a call")
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-post-")))
        url = f"sqlite:///{folder / 'chat.sqlite3'}"
        if args.postgresql:
            url = stack.enter_context(postgresql_database())
        key_file = prepare(url, folder, 10, args.chats)
        settings = Settings(db_url=url, data_dir=folder)
        gateway = open_gateway(settings, GATEWAY, key_file, GatewayConfig(frozenset({"*"})))
        chats = gateway.chats
        form = PreChat(
            name="Bench Visitor",
            contact="visitor@example.com",
            topic="",
            language="cs",
            consent=True,
        )
        tokens = [chats.start(form).token for _ in range(args.chats)]
        posts = [(token, f"m{n}") for n in range(args.messages) for token in tokens]
        profile = cProfile.Profile() if args.profile else None
        cpu, wall = _cpu(), time.perf_counter()
        if profile:
            profile.enable()
        if args.batch:
            for start in range(0, len(posts), args.batch):
                chunk = posts[start : start + args.batch]
                chats.post_many([Post(token, cid, f"text {cid}") for token, cid in chunk])
        elif args.threads == 1:  # in this thread: what cProfile sees
            for token, client_id in posts:
                chats.post(token, client_id, f"text {client_id}")
        else:
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(lambda post: chats.post(post[0], post[1], f"text {post[1]}"), posts))
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
        print(
            f"{len(posts)} posts: CPU {cpu * 1000 / len(posts):.2f} ms each, "
            f"wall {wall * 1000 / len(posts):.2f} ms each ({url.split(':')[0]})"
        )
        chats.db.dispose()


if __name__ == "__main__":
    main()
