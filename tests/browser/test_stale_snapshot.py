"""A snapshot the server read before a change, reaching the phone after that change: the phone keeps the newer
truth (static/js/live.js and ticket.js drop a state older than one heard on the same connection)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import check_page
from tests.browser.pages import join_in_browser
from tests.browser.pages import page_through
from tests.browser.pages import qr_join_url
from tests.browser.pages import set_visibility
from tests.support.clients import Staff

pytestmark = pytest.mark.browser


class OvertakingLink:
    """Sits on the phone's socket: once `hold` is set, the next answer to a snapshot request (an ack, "43…") is
    held back until the page has been handed the next board delta, as if the server had read that snapshot just
    before a change whose messages overtook it on the way."""

    def __init__(self):
        self.hold = False
        self.held = None
        self.released = False

    def route(self, page_socket):
        """Connect the page's socket to the real server, holding back one snapshot answer when asked to."""
        server_socket = page_socket.connect_to_server()

        def from_server(message):
            if self.hold and self.held is None and isinstance(message, str) and message.startswith("43"):
                self.held = message
                return
            page_socket.send(message)
            if self.held is not None and not self.released and isinstance(message, str) \
                    and message.startswith('42["board"'):
                page_socket.send(self.held)
                self.released = True

        server_socket.on_message(from_server)


def wait_until(page, condition, timeout_ms=5000):
    """Let the page (and the link's handlers) run until `condition()` holds."""
    for _ in range(timeout_ms // 20):
        if condition():
            return
        page.wait_for_timeout(20)
    raise AssertionError("the link never saw what the test waits for")


def test_a_snapshot_read_before_the_call_that_overtook_it_does_not_undo_the_call(devices, server, shots):
    link = OvertakingLink()
    phone = page_through(devices.phone(), link)
    join_in_browser(phone, qr_join_url(server), 301, "Uma")
    expect(phone.locator("#place")).to_have_text("1")
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")

    link.hold = True
    set_visibility(phone, "hidden")
    set_visibility(phone, "visible")  # the page asks for the truth: its answer (waiting, first) is held back
    wait_until(phone, lambda: link.held is not None)
    assert Staff(server.url).act(1, "call-next").status_code == 200
    wait_until(phone, lambda: link.released)  # the call, its board delta, then the older answer reached the page

    expect(phone.locator("#state-called")).to_be_visible()
    phone.wait_for_timeout(500)  # nothing later puts it back
    expect(phone.locator("#state-called")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("data-ringing", "yes")
    check_page(phone, shots, "called-after-a-stale-snapshot")
