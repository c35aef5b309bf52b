"""Three processes behind nginx, as docs/scaling.md describes (issue 13): two runners' phones on two processes,
a table on the third, and the call heard through nginx by both."""

import shutil
import subprocess
import time

import pytest
import requests

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import changes_since
from tests.support.clients import join
from tests.support.scaled import server_group
from tests.support.server import free_port

# The cookie `lane` pins a client to one process, so the test knows which process holds whom; phones on race
# day go to whichever process nginx picks, as in docs/scaling.md.
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    map $cookie_lane $process {{ default {one}; "2" {two}; "3" {three}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$process;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 120s;
            add_header X-Served-By $upstream_addr always;
        }}
    }}
}}
"""


@pytest.fixture
def tent(tmp_path):
    """Three processes on one PostgreSQL database and one Redis channel, and nginx in front; nginx's URL and
    the processes' addresses."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert shutil.which(nginx), "nginx is not installed: scripts/test installs Debian's nginx-light"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # PUBLIC_URL is nginx's: phones' WebSocket Origin is the address they reached.
    with server_group(tmp_path, 3, env={"TRUSTED_PROXIES": "1", "PUBLIC_URL": url}) as servers:
        folder = tmp_path / "nginx"
        folder.mkdir()
        addresses = [s.url.removeprefix("http://") for s in servers]
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=folder, port=port, one=addresses[0], two=addresses[1],
                                          three=addresses[2]))
        process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf)], stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                try:
                    requests.get(url + "/", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            yield url, addresses
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_a_call_on_one_process_reaches_phones_on_two_others_through_nginx(tent):
    url, addresses = tent
    for lane, address in zip(("1", "2", "3"), addresses, strict=True):
        assert requests.get(url + "/", cookies={"lane": lane}, timeout=10).headers["X-Served-By"] == address
    first, second = join(url, 101, "Ana").json(), join(url, 102, "Bo").json()
    phone_a = Listener(url, {"ticket": first["token"]}, cookies={"lane": "1"})
    phone_b = Listener(url, {"ticket": second["token"]}, cookies={"lane": "2"})
    assert phone_a.next("snapshot")["ticket"]["place"] == 1
    snapshot = phone_b.next("snapshot")
    assert snapshot["ticket"]["place"] == 2
    seen = snapshot["board"]["version"]
    tablet = Staff(url)
    tablet.http.cookies.set("lane", "3")
    called = tablet.act(1, "call-next")
    assert called.status_code == 200 and called.headers["X-Served-By"] == addresses[2]
    assert phone_a.next("ticket", lambda t: t["status"] == "called")["table"] == 1
    # Only the steps newer than the phone's snapshot: the joins' gathered delta may still arrive after it.
    delta = phone_b.next("board", lambda d: changes_since(d, seen, "P-001"))
    assert [(c["from"], c["status"]) for c in changes_since(delta, seen, "P-001")] == [("waiting", "called")]
    for phone in (phone_a, phone_b):
        phone.close()
