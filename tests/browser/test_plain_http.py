"""A tent on a plain LAN address (http://, not localhost): no wake lock, no notifications; the pages say so."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.conftest import Devices
from tests.browser.pages import check_page
from tests.browser.pages import join_in_browser
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.server import ServerProcess
from tests.support.server import free_port

pytestmark = pytest.mark.browser
HOST = "tent.test"


@pytest.fixture
def lan(playwright, tmp_path):
    """The server under a hostname that is not localhost, as phones on the tent's Wi-Fi see it, and a browser."""
    port = free_port()
    public_url = f"http://{HOST}:{port}"
    server = ServerProcess(tmp_path, port=port, env={"PUBLIC_URL": public_url})
    server.start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                         args=CHROMIUM_ARGS + [f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    devices = Devices(browser, SimpleNamespace(url=public_url))
    yield devices
    devices.close()
    browser.close()
    server.stop()
    assert devices.outside == [], f"pages made external requests: {devices.outside}"


def test_on_plain_http_the_tablet_says_the_screen_may_sleep_and_the_phone_rings_without_notifications(lan, shots):
    """Browsers keep the wake lock and notifications for secure pages: the pages tell people what still works."""
    tablet = lan.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    assert tablet.evaluate("window.isSecureContext") is False
    expect(tablet.locator("#wake")).to_have_attribute("data-state", "unsupported")
    expect(tablet.locator("#wake")).to_have_text("Screen may sleep")
    check_page(tablet, shots, "tablet-screen-may-sleep")

    phone = lan.phone().new_page()
    join_in_browser(phone, f"{lan.server.url}/e/demo/join", 77, "Lia")
    phone.get_by_role("button", name=re.compile("Turn on alerts")).tap()
    expect(phone.locator("#alerts-status")).to_have_text(re.compile(r"^✓ Alerts on: sound"))
    expect(phone.locator("#alerts-status")).not_to_contain_text("notification")
    check_page(phone, shots, "phone-alerts-without-notifications")
