"""The chat bench's baseline: a bare websockets server on the same machine that answers the
widget's frames with no store and no operator (``started`` for a start; for a message its
``ack`` and the text sent straight back as the floor's ``line``), so the same visitor
client measures what the network, the frames and asyncio cost alone.

``python -m bench.chat_echo PORT`` prints ``ready`` once it listens."""

from __future__ import annotations

import asyncio
import json
import sys

from websockets.asyncio.server import ServerConnection, serve


async def answer(socket: ServerConnection) -> None:
    async for message in socket:
        frame = json.loads(message)
        if frame.get("type") == "start":
            await socket.send(json.dumps({"type": "started", "token": "t", "conversation": ""}))
        elif frame.get("type") == "message":
            client_id, text = frame["client_id"], frame["text"]
            await socket.send(json.dumps({"type": "ack", "client_id": client_id, "seq": 1}))
            line = {"type": "line", "seq": 2, "client_id": "", "author": "operator", "text": text}
            await socket.send(json.dumps(line))


async def main(port: int) -> None:
    async with serve(answer, "127.0.0.1", port, max_size=28_096):
        print("ready", flush=True)
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
