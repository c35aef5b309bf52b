"""Web Push: a message to a phone whose page is in the background or whose screen is off.

The message is encrypted for the subscription (RFC 8291) and signed with the server's VAPID key, by
pywebpush, the library the Python ecosystem uses for this. Sending never raises: a push that fails is logged
and the queue goes on.

It goes only where rules/push_address.py allows, checked again when it connects: the endpoint is read once
more, the host's every resolved address must be public (no loopback, private, link-local or reserved one,
whatever DNS says by then), the socket connects to the address that was checked, no redirect is followed and no
proxy from the environment is used.
"""

import base64
import json
import logging
import os
import socket
from functools import cache
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException
from pywebpush import webpush
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util.timeout import _DEFAULT_TIMEOUT

from ..rules.errors import ValidationError
from ..rules.push_address import public_address
from ..rules.push_address import push_endpoint
from ..rules.push_address import trusted_addresses

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
TTL_SECONDS = 600  # a push service may hold the message this long for a phone that is offline
# What became of one message: taken, failed for now (the service is down or slow), or failed because of the
# subscription itself, which is then retired (actions/reach.py).
SENT, FAILED, RETIRE = "sent", "failed", "retire"
# Answers that say the service is busy or the message was ours to fix, not that the subscription is bad.
KEEP_ON = {408, 413, 429}


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



class RefusedAddress(OSError):
    """A push service's host resolved to an address a push may not reach."""


def _connect_checked(host, port, timeout, trusted):
    """A socket connected to one of `host`'s addresses, after checking every one of them is public (unless `host`
    is one of the `trusted` IP literals)."""
    found = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    refused = [address[4][0] for address in found if host not in trusted and not public_address(address[4][0])]
    if refused or not found:
        raise RefusedAddress(f"{host} resolves to {refused[0] if refused else 'nothing'}, not a public address")
    error = None
    for family, kind, proto, _name, address in found:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not _DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.connect(address)
            return sock
        except OSError as failed:
            error = failed
            sock.close()
    raise error


@cache
def _session(trusted):
    """A requests session whose connections go only to checked public addresses (or `trusted` ones), with no
    redirects and no proxies; one per process and setting, so connections to a push service are kept."""

    def guarded(connection_class):
        class Guarded(connection_class):
            def _new_conn(self):
                try:
                    return _connect_checked(self._dns_host, self.port, self.timeout, trusted)
                except OSError as error:
                    raise NewConnectionError(self, f"no connection to {self.host}: {error}") from error

        return Guarded

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            plain = type("Plain", (HTTPConnectionPool,), {"ConnectionCls": guarded(HTTPConnection)})
            tls = type("Tls", (HTTPSConnectionPool,), {"ConnectionCls": guarded(HTTPSConnection)})
            self.poolmanager.pool_classes_by_scheme = {"http": plain, "https": tls}

    class Session(requests.Session):
        def request(self, method, url, **kwargs):
            kwargs["allow_redirects"] = False  # a 3xx is an answer, and a failed push
            return super().request(method, url, **kwargs)

    session = Session()
    session.trust_env = False
    session.mount("http://", Adapter())
    session.mount("https://", Adapter())
    return session


def _caused_by(error, kind):
    """True if `kind` is somewhere in the chain of errors that led to `error`."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = getattr(error, "reason", None) or error.__cause__ or error.__context__
    return False


def send(endpoint, p256dh, auth, message, config):
    """Encrypt `message` (a dict) for one subscription and post it to its push service: SENT, FAILED (for now)
    or RETIRE (the subscription itself is bad: refused address, gone, or unusable keys)."""
    where = endpoint.split("?")[0][:80]
    services, allow_http = config["PUSH_SERVICES"], config["PUSH_ALLOW_HTTP"]
    try:
        endpoint = push_endpoint(endpoint, services, allow_http)
        webpush({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}, json.dumps(message),
                vapid_private_key=config["VAPID_PRIVATE_KEY_FILE"], vapid_claims={"sub": config["VAPID_SUBJECT"]},
                timeout=TIMEOUT_SECONDS, content_encoding="aes128gcm", ttl=TTL_SECONDS,
                requests_session=_session(trusted_addresses(services, allow_http)))
        return SENT
    except ValidationError as error:
        log.warning("push to %s refused: %s", where, error.message)
        return RETIRE
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        log.warning("push to %s failed: %s", where, str(error).splitlines()[0])
        return FAILED if status is None or status >= 500 or status in KEEP_ON else RETIRE
    except OSError as error:
        log.warning("push to %s failed: %s", where, error)
        return RETIRE if _caused_by(error, RefusedAddress) else FAILED
    except Exception:  # noqa: BLE001 - a subscription the libraries cannot use (keys, signing) harms nobody else
        log.exception("push to %s failed", where)
        return RETIRE
