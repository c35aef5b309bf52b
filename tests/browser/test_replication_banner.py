"""The dashboard's line when the backup copy stops (issue 25): readable on a phone and a tablet, and accessible."""

import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import assert_no_sideways_scroll
from tests.browser.organiser_pages import open_dashboard
from tests.browser.pages import assert_accessible
from tests.faults.test_standby import ReplicatedServer

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    """A server replicating to tmp_path/replica, as `REPLICA=… scripts/run` starts it."""
    process = ReplicatedServer(tmp_path / "server", tmp_path / "replica")
    process.folder.mkdir()
    process.start()
    yield process
    process.stop()


def look(page, shots, label):
    """Screenshot the top of the page (where the line is), and check it: accessible, no sideways scroll.

    (The dashboard's walk-in checkboxes are under 48 px, as before this line: not checked here.)"""
    shots.take(page, label, full_page=False)
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def test_a_removed_replica_is_said_on_the_dashboard_at_phone_and_tablet_sizes(server, devices, shots, tmp_path):
    """Proves: with the replica there the dashboard shows no warning; with it removed (a pulled USB stick), an
    alert line says the backup copy stopped and the queue still works, on a phone and a tablet alike."""
    phone = devices.phone().new_page()
    open_dashboard(phone)
    expect(phone.locator("#replication-stopped")).to_have_count(0)
    shutil.rmtree(tmp_path / "replica")
    deadline = time.monotonic() + 20
    while not phone.locator("#replication-stopped").count():
        assert time.monotonic() < deadline, "the dashboard never said replication stopped"
        time.sleep(0.5)
        phone.reload()
    expect(phone.locator("#replication-stopped")).to_contain_text("The backup copy stopped updating")
    look(phone, shots, "phone-replication-stopped")
    tablet = devices.tablet().new_page()
    open_dashboard(tablet)
    expect(tablet.locator("#replication-stopped")).to_be_visible()
    look(tablet, shots, "tablet-replication-stopped")
