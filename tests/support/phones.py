"""Thousands of idle phones in one process: lean Engine.IO 4 / Socket.IO 5 clients over raw WebSockets.

python-socketio costs a thread or more per client; these are one asyncio task each (aiohttp's WebSocket
client), speaking just what a phone does: open, connect to the default namespace with its `auth`, answer
every ping, and note the events it hears. Run as `python -m tests.support.phones` (tests/faults/
test_idle_phones.py does): it reads {"url", "auths"} as one JSON line on stdin, connects every phone, prints
one JSON line ("ready"), and holds them until it reads {"version", "wait", "pinged_within"}: then it waits up to
`wait` seconds for every phone to hear the board at `version`, prints one JSON line of what each phone went
through (`pinged_lately`: answered a ping in the last `pinged_within` seconds) and exits.
"""

import asyncio
import json
import os
import sys
import time

import aiohttp

CONNECTING_AT_ONCE = 100  # handshakes in flight: a crowd scanning the QR code, not one SYN flood
HANDSHAKE_SECONDS = 60


class Phone:
    """One phone's socket and what it went through."""

    def __init__(self, auth):
        self.auth = auth
        self.ws = None
        self.connected_at = None
        self.refused = None
        self.closed_at = None
        self.close_reason = None
        self.pings = 0
        self.last_ping = None
        self.events = 0
        self.version = None

    async def connect(self, session, url):
        """Open the WebSocket, read the Engine.IO open packet, connect with `auth` and wait for the answer."""
        self.ws = await session.ws_connect(url, autoping=True, compress=0, heartbeat=None)
        opened = await self.ws.receive(timeout=HANDSHAKE_SECONDS)
        if opened.type != aiohttp.WSMsgType.TEXT or not opened.data.startswith("0"):
            raise ConnectionError(f"no open packet: {opened.type} {opened.data!r}")
        await self.ws.send_str("40" + json.dumps(self.auth))
        while self.connected_at is None:
            message = await self.ws.receive(timeout=HANDSHAKE_SECONDS)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"closed while connecting: {message.type} {message.data!r}")
            if message.data.startswith("44"):
                self.refused = message.data[2:]
                return
            if message.data.startswith("40"):
                self.connected_at = time.monotonic()
            else:
                await self.hear(message.data)

    async def hear(self, data):
        """Answer a ping; note an event and the board version it carries."""
        if data == "2":
            await self.ws.send_str("3")
            self.pings += 1
            self.last_ping = time.monotonic()
        elif data.startswith("42"):
            self.events += 1
            name, payload = json.loads(data[2:])[:2]
            board = payload.get("board") if name == "snapshot" else payload if name == "board" else None
            if board and "version" in board:
                self.version = max(self.version or 0, board["version"])

    async def listen(self):
        """Hear everything until the socket closes, and note when and why it did."""
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self.hear(message.data)
        self.closed_at = time.monotonic()
        self.close_reason = f"code {self.ws.close_code}, {self.ws.exception() or 'closed by the server'}"

    def report(self, now, ping_deadline):
        """What this phone went through, for the final line."""
        return {"connected": self.connected_at is not None, "refused": self.refused,
                "dropped": self.closed_at is not None, "close_reason": self.close_reason, "pings": self.pings,
                "pinged_lately": self.last_ping is not None and now - self.last_ping <= ping_deadline,
                "events": self.events, "version": self.version}


async def connect_all(session, url, phones):
    """Connect every phone, a few at a time; start each one listening as soon as it is in."""
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
    listening, failures = [], []

    async def connect(phone):
        async with gate:
            try:
                await phone.connect(session, url)
            except (aiohttp.ClientError, OSError) as error:  # ConnectionError and TimeoutError are OSErrors
                failures.append(repr(error))
                return
        if phone.connected_at is not None:
            listening.append(asyncio.create_task(phone.listen()))

    await asyncio.gather(*(connect(phone) for phone in phones))
    return listening, failures


async def heard(phones, version, seconds):
    """Wait up to `seconds` for every phone still connected to have heard the board at `version`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(p.closed_at is not None or (p.version or 0) >= version for p in phones if p.connected_at):
            return
        await asyncio.sleep(0.1)


async def main():
    """Connect, say so, hold until told, say what happened."""
    loop = asyncio.get_running_loop()
    orders = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    url = orders["url"].replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    phones = [Phone(auth) for auth in orders["auths"]]
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        listening, failures = await connect_all(session, url, phones)
        print(json.dumps({"connected": len(listening), "failures": failures[:5], "failed": len(failures),
                          "refused": sum(p.refused is not None for p in phones),
                          "seconds": round(time.monotonic() - started, 1)}), flush=True)
        orders = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
        await heard(phones, orders["version"], orders["wait"])
        now = time.monotonic()
        print(json.dumps([phone.report(now, orders["pinged_within"]) for phone in phones]), flush=True)
        for task in listening:
            task.cancel()


if __name__ == "__main__":
    # Real phones do not share the server's CPU: these give it way (they have seconds to answer a ping).
    os.nice(10)
    asyncio.run(main())
