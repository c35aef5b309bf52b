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


@pytest.fixture
def wifi(tmp_path):
    """The server, and the tent Wi-Fi the phones reach it through (cuttable); tablets go straight to the server.
    The server's public address is the Wi-Fi's, so the QR code leads there and sockets from it are allowed."""
    port = free_port()
    network = FlakyNetwork(port)
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(folder, port=port, env={"PUBLIC_URL": network.url})
    server.start()
    yield SimpleNamespace(server=server, network=network, url=network.url)
    network.close()
    server.stop()


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
