"""Static files for a weak 4G link (issue 13): versioned paths, compressed (brotli, gzip), cached a year."""

import re

from tests.support.clients import Staff
from tests.support.clients import join


def script_paths(page):
    """The static paths a page's HTML names."""
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page)


def test_pages_name_versioned_static_files_served_compressed_and_cached_for_a_year(site, client):
    ticket = join(site, 1).json()
    paths = script_paths(client.get(f"/t/{ticket['token']}").get_data(as_text=True))
    assert paths and all(re.match(r"/static/[0-9a-f]{12}/", path) for path in paths), paths
    version = paths[0].split("/")[2]
    module = f"/static/{version}/vendor/socket.io-4.8.4.esm.min.js"
    plain = client.get(module)
    for encoding in ("br", "gzip"):
        answer = client.get(module, headers={"Accept-Encoding": encoding})
        assert answer.status_code == 200 and answer.headers["Content-Encoding"] == encoding
        assert len(answer.data) < len(plain.data) / 2, f"{encoding}: {len(answer.data)} of {len(plain.data)} bytes"
        assert "immutable" in answer.headers["Cache-Control"] and "max-age=315360000" in answer.headers["Cache-Control"]
    assert client.get(f"/static/{version}/js/no-such-file.js").status_code == 404


def test_the_tablet_page_is_true_before_its_socket_connects(site):
    for bib in (1, 2, 3):
        join(site, bib)
    staff = Staff(site)
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": "2", "csrf_token": staff.csrf})
    first = staff.http.get(f"{site.url}/e/demo/staff/table/2", timeout=10).text
    assert 'id="waiting-count" class="count">(3)</span>' in first
    assert first.index("P-001") < first.index("P-002") < first.index("P-003")
    assert re.search(r'id="call-next" data-action="call-next">', first)  # shown
    staff.act(2, "call-next")
    called = staff.http.get(f"{site.url}/e/demo/staff/table/2", timeout=10).text
    assert '<span class="athlete-number">P-001</span>' in called and "(2)" in called
    assert re.search(r'id="call-next" data-action="call-next" hidden>', called)
    assert re.search(r'id="start" data-action="start">', called)
