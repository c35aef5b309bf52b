"""A broadcast's WebSocket frame, made once for every phone instead of once per phone.

engine.io hands each phone's socket the same encoded text; `framed` gives that text its frame (a server's text
frame: unmasked, uncompressed), which serving.py's eventlet sockets write as it is.
"""

import struct


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
