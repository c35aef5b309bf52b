"""Web Push: a message to a phone whose page is in the background or whose screen is off.

The message is encrypted for the subscription (RFC 8291) and signed with the server's VAPID key, by
pywebpush, the library the Python ecosystem uses for this. Sending never raises: a push that fails is logged
and the queue goes on.
"""

import base64
import json
import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException
from pywebpush import webpush

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
TTL_SECONDS = 600  # a push service may hold the message this long for a phone that is offline


def vapid_keys(instance_path):
    """The server's VAPID key pair, made at first start and kept in the instance folder: (private key file,
    public key as the browser's applicationServerKey, base64url)."""
    path = Path(instance_path) / "vapid_private.pem"
    if not path.exists():
        # Made aside and linked in: processes starting together keep one key, and none reads a half-written file.
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        key = Vapid02()
        key.generate_keys()
        key.save_key(str(draft))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it a moment ago: use theirs
        finally:
            draft.unlink()
    key = Vapid02.from_file(str(path))
    raw = key.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return str(path), base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def send(endpoint, p256dh, auth, message, private_key_file, subject):
    """Encrypt `message` (a dict) for one subscription and post it to its push service; True if it was taken."""
    try:
        webpush({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}, json.dumps(message),
                vapid_private_key=private_key_file, vapid_claims={"sub": subject}, timeout=TIMEOUT_SECONDS,
                content_encoding="aes128gcm", ttl=TTL_SECONDS)
        return True
    except (WebPushException, OSError, ValueError) as error:
        log.warning("push to %s failed: %s", endpoint.split("?")[0][:80], error)
        return False
