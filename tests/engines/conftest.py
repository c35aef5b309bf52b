"""Fixtures of the engines tier: phones and tablets in WebKit and in Gecko, against a real `python wsgi.py` that
the phones reach through a network a test can cut (tests/support/faults.py FlakyNetwork)."""

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.engines.drivers import PHONE
from tests.engines.drivers import TABLET
from tests.engines.drivers import PulseAudio
from tests.engines.drivers import WebKitDevice
from tests.engines.drivers import Xvfb
from tests.engines.gecko import Firefox
from tests.support.faults import FlakyNetwork
from tests.support.server import ServerProcess
from tests.support.server import free_port
from tests.support.server import next_test_needs_the_same

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-screenshots"
ENGINES = ["webkit", "gecko"]
# An iPhone has no Vibration API (the desktop engines here have none either today; this keeps it so).
IPHONE = "delete Navigator.prototype.vibrate; delete navigator.vibrate;"


def pytest_configure(config):
    """Register the tier's marker, so `-m engines` runs it alone."""
    config.addinivalue_line("markers", "engines: drives WebKit (WebKitWebDriver) and Gecko (firefox-esr, BiDi)")


@pytest.fixture(scope="session")
def xvfb():
    """One virtual display for every MiniBrowser of this test process."""
    display = Xvfb()
    yield display
    display.close()


@pytest.fixture(scope="session")
def firefox(tmp_path_factory):
    """One headless Firefox (with a sound server to play into) for this test process; devices are user contexts."""
    pulse = PulseAudio(tmp_path_factory.mktemp("pulse"))
    browser = Firefox(tmp_path_factory.mktemp("firefox"), pulse.server)
    yield browser
    browser.close()
    pulse.close()


class SpareWifi:
    """Servers behind their Wi-Fi, launched one test ahead (as tests/support/server.py Spares does for `server`):
    each test still gets its own fresh `python wsgi.py`; only its start-up overlaps with the test before."""

    def __init__(self, make_folder):
        self.make_folder = make_folder
        self.waiting = None

    def _launch(self):
        """A new network in front of a port, and a server starting on that port whose public address is it."""
        port = free_port()
        network = FlakyNetwork(port)
        server = ServerProcess(self.make_folder(), port=port, env={"PUBLIC_URL": network.url})
        server.launch()
        return SimpleNamespace(server=server, network=network, url=network.url)

    def take(self, launch_next):
        """A started server and its network (the one launched ahead, or a new one); launch the next if asked."""
        wifi, self.waiting = self.waiting or self._launch(), None
        try:
            wifi.server.wait_until_up()
        except RuntimeError:
            self.stop(wifi)
            raise
        if launch_next:
            self.waiting = self._launch()
        return wifi

    @staticmethod
    def stop(wifi):
        """Stop a server and its network."""
        wifi.network.close()
        wifi.server.stop()

    def stop_all(self):
        """Stop the one launched for a test that never came."""
        if self.waiting:
            self.stop(self.waiting)
            self.waiting = None


@pytest.fixture(scope="session")
def spare_wifi(tmp_path_factory):
    """Servers behind their Wi-Fi, launched one test ahead; stopped at the end of the run."""
    spares = SpareWifi(lambda: tmp_path_factory.mktemp("server"))
    yield spares
    spares.stop_all()


@pytest.fixture
def wifi(request, spare_wifi):
    """The server, and the tent Wi-Fi the phones reach it through (cuttable); tablets go straight to the server.
    The server's public address is the Wi-Fi's, so the QR code leads there and sockets from it are allowed."""
    opened = spare_wifi.take(launch_next=next_test_needs_the_same(request))
    yield opened
    SpareWifi.stop(opened)


class Devices:
    """Opens phones and tablets in one engine; closes them, and checks that no page loaded anything from outside."""

    def __init__(self, engine, request, folder, origins):
        self.engine, self.request, self.folder, self.origins = engine, request, folder, origins
        self.opened = []

    def _open(self, size):
        if self.engine == "webkit":
            device = WebKitDevice(self.request.getfixturevalue("xvfb").display, size, self.folder, IPHONE)
        else:
            device = self.request.getfixturevalue("firefox").device(size, IPHONE)
        self.opened.append(device)
        return device

    def phone(self):
        """A runner's phone: 390×844."""
        return self._open(PHONE)

    def tablet(self):
        """A therapist's tablet: 1024×768."""
        return self._open(TABLET)

    def close(self):
        """Check each page's resources, then close every device."""
        outside = []
        for device in self.opened:
            try:
                outside += device.outside_requests(self.origins)
            except (RuntimeError, OSError):
                pass
            device.close()
        assert outside == [], f"pages loaded from outside our server: {outside}"


@pytest.fixture(params=ENGINES)
def engine(request):
    """The engine this test runs in: "webkit" or "gecko"."""
    return request.param


@pytest.fixture
def devices(engine, request, tmp_path, wifi):
    """Phones and tablets for this test, in its engine."""
    opened = Devices(engine, request, tmp_path, [wifi.url, wifi.server.url])
    yield opened
    opened.close()


class Screenshots:
    """Numbered screenshots of what a test saw, in test-screenshots/<test name>/."""

    def __init__(self, name):
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def take(self, device, label):
        """Save the device's screen as NN-label.png."""
        self.count += 1
        device.screenshot(self.folder / f"{self.count:02d}-{label}.png")


@pytest.fixture
def shots(request, engine):
    """Where this test saves its screenshots: test-screenshots/<engine>-<test name>/."""
    return Screenshots(f"{engine}-{request.node.name}")
