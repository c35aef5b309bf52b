"""A signed-in tablet against other sites, on a real server: cookies, CSRF and the WebSocket's Origin check
(Flask-SocketIO's test client skips the Origin check, so this needs real sockets)."""

import pytest
import requests
import socketio

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.faults import version
from tests.support.server import PIN


def status(server, token):
    """A ticket's status as its runner sees it."""
    return requests.get(f"{server.url}/api/v1/tickets/{token}", timeout=10).json()["status"]


def refused_socket(url, auth, cookies=None):
    """True if the server refuses a Socket.IO connection with this auth (and cookies)."""
    try:
        listener = Listener(url, auth, cookies=cookies)
    except socketio.exceptions.ConnectionError:
        return True
    listener.close()
    return False


def test_a_signed_in_tablet_is_safe_from_other_sites(server):
    """Proves: the staff session cookie is HttpOnly and SameSite, a staff call without the session's CSRF token
    is refused and acts on nothing, and a socket opened from another site's page is refused even with the
    staff cookie (no cross-site WebSocket hijacking)."""
    runner = join(server.url, "S500").json()
    staff = Staff(server.url)
    login = requests.post(f"{server.url}/api/v1/events/demo/login", json={"pin": PIN}, timeout=10)
    cookie = login.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    before = version(server.url)
    for headers in ({}, {"X-CSRFToken": "forged"}, {"X-CSRFToken": staff.csrf[:-2] + "xx"}):
        answer = staff.http.post(f"{server.url}/api/v1/events/demo/tables/2/call-next", json={}, headers=headers,
                                 timeout=10)
        assert answer.status_code == 400 and answer.json()["code"] == "csrf", answer.text
    assert version(server.url) == before and status(server, runner["token"]) == "waiting"
    assert not refused_socket(server.url, {"event": "demo", "role": "staff"}, cookies=staff.http.cookies.get_dict())
    cookies = "; ".join(f"{k}={v}" for k, v in staff.http.cookies.get_dict().items())
    foreign = socketio.Client(reconnection=False, websocket_extra_options={"origin": "http://evil.example"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        foreign.connect(server.url, auth={"event": "demo", "role": "staff"}, headers={"Cookie": cookies},
                        transports=["websocket"], wait_timeout=10)
