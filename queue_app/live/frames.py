"""A broadcast's WebSocket frame: made once for every phone instead of once per phone, and written straight to each
phone's socket when nothing else is on its way there.

engine.io hands each phone's socket the same encoded text; `framed` gives that text its frame (a server's text
frame: unmasked, uncompressed). Under eventlet (`serve_frames_on_eventlet`, called by serving.py) each phone's
WebSocket writes such a frame as it is, and `write_now` writes it from the broadcasting greenlet itself, skipping
engine.io's queue and the socket's writer task: at 5,000 phones that hand-over was most of a call's way to the last
phone. A frame goes that way only when the phone has nothing queued and nothing half written, so every phone still
gets its messages in the order they were sent; otherwise it goes through the queue, as before.
"""

import struct

from engineio import packet as eio_packet
from socketio import packet

from ..extensions import socketio

# The async modes with an event loop to yield to: only there are broadcasts written in slices.
GREEN_MODES = ("eventlet", "gevent")
# Phones handed a broadcast before the loop lets a tablet's request in: 700 phones at the race-day peak held the
# loop for one emit's whole length, and staff actions queued behind it.
PHONES_PER_SLICE = 200


class Framed(str):
    """A message's text, carrying `frame`: the bytes of its whole WebSocket frame."""

    frame: bytes


def framed(text):
    """`text` as a Framed string with its frame."""
    data = text.encode("utf-8")
    length = len(data)
    if length <= 125:
        size = struct.pack("!B", length)
    elif length <= 65535:
        size = struct.pack("!BH", 126, length)
    else:
        size = struct.pack("!BQ", 127, length)
    message = Framed(text)
    message.frame = b"\x81" + size + data  # FIN and the text opcode
    return message


def serve_frames_on_eventlet():
    """Let eventlet's WebSockets write a frame made once instead of packing it again for each phone (anything else,
    a compressed socket's included, is packed as before), and let each engine.io socket keep its WebSocket, for
    `write_now`."""
    from engineio.async_drivers import eventlet as driver
    from eventlet import websocket

    pack_and_send = websocket.RFC6455WebSocket.send

    def send(self, message, **options):
        if type(message) is Framed and not options and not self.client and not self.extensions:
            self._send(message.frame)
        else:
            pack_and_send(self, message, **options)

    websocket.RFC6455WebSocket.send = send

    class KeptWebSocket(driver.WebSocketWSGI):
        """engine.io's WebSocket handler, which also keeps the socket on its engine.io socket."""

        def __init__(self, handler, server):
            owner = handler.__self__  # the engine.io socket whose _websocket_handler this is

            def keep_and_handle(ws):
                owner.websocket = ws
                return handler(ws)

            super().__init__(keep_and_handle, server)

    driver._async["websocket"] = KeptWebSocket


def write_now(phone, frame):
    """Write `frame` to engine.io socket `phone`'s WebSocket at once; False if it must wait in engine.io's queue
    instead: not a WebSocket of ours (yet), packets queued, one being written, or the socket's buffer full.

    Nothing here yields to the loop while the frame is unwritten: the writer task cannot start another packet in
    between. A frame the kernel took only part of is finished by a task of its own, holding the socket's send lock
    the writer takes too, so nothing is written into its middle."""
    ws = getattr(phone, "websocket", None)
    if ws is None or phone.closed or not phone.upgraded or ws.extensions or phone.queue.qsize():
        return False
    lock = ws._sendlock
    if lock.balance < 1:  # a packet being written, or a writer waiting to write one
        return False
    if not phone.check_ping_timeout():
        return True  # the phone stopped answering pings: engine.io closes it, as its own send does
    try:
        sent = ws.socket.fd.send(frame)  # the raw socket, non-blocking
    except OSError:  # the buffer full (BlockingIOError), or the phone gone: engine.io's own send deals with both
        return False
    if sent < len(frame):
        import eventlet

        lock.acquire()  # free and unawaited (checked above, nothing yielded since): taken without yielding
        eventlet.spawn_n(_write_rest, ws, frame[sent:])
    return True


def _write_rest(ws, rest):
    try:
        ws.socket.sendall(rest)
    except OSError:
        pass  # gone meanwhile: its reader ends the connection
    finally:
        ws._sendlock.release()


def write_in_slices(server, namespace, data, room, skip):
    """Send the event `data` ([event, *arguments]) to this process's clients in `room` but the sids in `skip`,
    encoded and framed once, written straight to each phone's socket where nothing is queued for it (`write_now`),
    yielding to the event loop every PHONES_PER_SLICE phones."""
    if namespace not in server.manager.rooms:
        return
    encoded = server.packet_class(packet.EVENT, namespace=namespace, data=data).encode()
    message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
    message.encode_cache = framed(message.encode())  # engine.io's own cache: every phone's socket gets this text
    frame, phones = message.encode_cache.frame, server.eio.sockets
    # A list, not the room itself: phones join and leave while this yields.
    for count, (sid, eio_sid) in enumerate(list(server.manager.get_participants(namespace, room)), start=1):
        if sid in skip:
            continue
        if not write_now(phones.get(eio_sid), frame):
            server._send_eio_packet(eio_sid, message)
        if count % PHONES_PER_SLICE == 0:
            socketio.sleep(0)
