"""The join address on the TV board breaks only between its words (after a slash, before a dot of the host name),
never inside one, even when the tent has a long address."""

from itertools import pairwise

import pytest

from tests.browser.organiser_pages import SMALL_TV
from tests.browser.organiser_pages import TV
from tests.browser.organiser_pages import open_screen
from tests.support.server import next_test_needs_the_same

pytestmark = pytest.mark.browser

# Each character of the address with the top of the line it is drawn on.
URL_LINES = """() => {
    const box = document.querySelector(".tv-url");
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const drawn = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i += 1) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            drawn.push([node.data[i], Math.round(range.getBoundingClientRect().top)]);
        }
    }
    return drawn;
}"""


def url_lines(page):
    """The address as the lines the page draws it on."""
    lines = []
    top = None
    for char, line_top in page.evaluate(URL_LINES):
        if top is None or line_top > top + 2:
            lines.append("")
            top = line_top
        lines[-1] += char
    return lines


@pytest.fixture
def server(request, spare_servers):
    """The real server, telling phones a long public address (a tent's own domain and port); fresh for each test,
    launched while the one before ran."""
    process = spare_servers.take({"PUBLIC_URL": "http://massage-tent.lakeside-half-marathon.example:8080"},
                                 launch_next=next_test_needs_the_same(request))
    yield process
    process.stop()


@pytest.mark.parametrize("size", [TV, SMALL_TV], ids=["1920x1080", "1280x720"])
def test_the_join_address_on_the_tv_breaks_only_between_its_words(devices, server, shots, size):
    tv = open_screen(devices, size).new_page()
    tv.goto("/e/demo/board")
    lines = url_lines(tv)
    assert "".join(lines) == "http://massage-tent.lakeside-half-marathon.example:8080/e/demo/join"
    # Only after a slash, or before a dot of the host name: between the words of the address.
    assert len(lines) > 1, lines
    assert all(line.endswith("/") or after.startswith(".") for line, after in pairwise(lines)), lines
    shots.take(tv, "join-address", full_page=False)
