"""Browser fixtures: Debian's Chromium through Playwright, phone and tablet contexts, and screenshots per test."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "device_scale_factor": 1}
# A slow shared machine should not fail a test: these are upper bounds for "it arrives", not timings.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def playwright():
    """Playwright's driver, for the whole run."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright):
    """One Chromium for the whole run; each test gets fresh contexts (cookies, storage) in it."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Devices:
    """Opens phones and tablets against one server; checks at the end that no page reached outside it."""

    def __init__(self, chromium, server):
        self.chromium, self.server = chromium, server
        self.contexts = []
        self.outside = []

    def _open(self, options, permissions=()):
        """A new browser context (one device) whose pages start at the server."""
        context = self.chromium.new_context(base_url=self.server.url, **options)
        context.set_default_timeout(10_000)
        if permissions:
            context.grant_permissions(list(permissions), origin=self.server.url)
        context.on("request", self._watch)
        self.contexts.append(context)
        return context

    def _watch(self, request):
        """Remember any request that is not to our own server: a tent has no internet to spare."""
        if not re.match(r"^(data:|blob:|" + re.escape(self.server.url) + r"/)", request.url):
            self.outside.append(request.url)

    def phone(self, permissions=()):
        """A runner's phone: 390×844, touch."""
        return self._open(PHONE, permissions)

    def tablet(self):
        """A therapist's tablet: 1024×768, touch."""
        return self._open(TABLET)

    def close(self):
        """Close every context."""
        for context in self.contexts:
            context.close()


@pytest.fixture
def devices(chromium, server):
    """Phones and tablets for this test; fails it if any page requested anything outside our server."""
    opened = Devices(chromium, server)
    yield opened
    opened.close()
    assert opened.outside == [], f"pages made external requests: {opened.outside}"


class Screenshots:
    """Numbered screenshots of what a test saw, in test-screenshots/<test name>/."""

    def __init__(self, name):
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def take(self, page, label, full_page=True):
        """Save the page as NN-label.png."""
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{label}.png", full_page=full_page)


@pytest.fixture
def shots(request):
    """Where this test saves its screenshots."""
    return Screenshots(request.node.name)
