"""What a real server lets in (issue 12, break 3): Socket.IO over WebSocket only, never long polling."""

import requests
import socketio

from tests.support.clients import Listener


def test_long_polling_is_refused_and_a_websocket_is_served(server):
    """Proves: Engine.IO's long-polling transport is refused with a clear 400 (phones use WebSockets only, and
    each polling client costs the server a request per ping), by a plain request and by a Socket.IO client,
    while a WebSocket client connects and gets its snapshot."""
    answer = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert answer.status_code == 400, answer.text[:200]
    assert "transport" in answer.text.lower()
    poller = socketio.Client(reconnection=False)
    try:
        poller.connect(server.url, auth={"event": "demo"}, transports=["polling"], wait_timeout=10)
        refused = False
    except socketio.exceptions.ConnectionError:
        refused = True
    finally:
        poller.disconnect()
    assert refused
    phone = Listener(server.url, {"event": "demo"})
    assert phone.next("snapshot")["board"]["services"]["pre"]["waiting"] == 0
    phone.close()
