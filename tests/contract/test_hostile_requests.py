"""A hostile tester's second round, in process: push endpoints that a second parser would read as another host,
an old ticket link after "New phone", and broken sign-in `next` addresses get clear refusals, never a 500 or a
request into the tent's own network."""

import re

import pytest

from tests.support.clients import ORGANISER_PASSWORD
from tests.support.clients import Staff
from tests.support.clients import join

KEYS = {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg"}
FCM = "fcm.googleapis.com"
HOSTILE_ENDPOINTS = [
    f"https://127.0.0.1\\@{FCM}/internal/admin?action=drop",
    f"https://10.0.0.1\\@{FCM}/x",
    f"https://[::1]\\@{FCM}/x",
    f"https://169.254.169.254\\@{FCM}/latest/meta-data",
    f"https://127.0.0.1%5C@{FCM}/x",
    f"https://127.0.0.1\t\\@{FCM}/x",
    f"https://127.0.0.1\n\\@{FCM}/x",
    f"https://127.0.0.1 \\@{FCM}/x",
    f"https://user:secret@{FCM}/x",
    f"https://{FCM}:22/x",
    f"https://{FCM}:6379/x",
    f"https://{FCM}:99999/x",
    f"https://{FCM}:/x",
    f"https://{FCM}[/x",
    f"https://{FCM}]/x",
    f"https://[{FCM}/x",
    f"https://{FCM}＠evil.example/x",
    f"https://evil.example＠{FCM}/x",
    f"https://{FCM}／x",
    f"https://{FCM}＃x",
    "https://fcm%2egoogleapis.com/x",
    f"https://{FCM}%00/x",
    "https://127.0.0.1/x",
    "https://2130706433/x",
    f"http://{FCM}/x",
    f"https://{FCM}.evil.example/x",
]


def subscribe(site, token, endpoint):
    """POST a push subscription with valid keys and this endpoint."""
    return site.http.post(f"{site.url}/api/v1/tickets/{token}/push", timeout=10,
                          json={"subscription": {"endpoint": endpoint, "keys": KEYS}})


@pytest.mark.parametrize("endpoint", HOSTILE_ENDPOINTS)
def test_a_push_endpoint_another_parser_could_read_as_another_host_or_port_is_refused(site, endpoint):
    mine = join(site, 1).json()
    answer = subscribe(site, mine["token"], endpoint)
    assert answer.status_code == 422, (endpoint, answer.status_code, answer.text[:200])
    assert answer.json()["field"] == "endpoint" and answer.json()["error"]


@pytest.mark.parametrize("endpoint", [f"https://{FCM}/fcm/send/abc", f"https://{FCM}:443/fcm/send/abc",
                                      "HTTPS://FCM.GoogleAPIs.com/fcm/send/abc#fragment"])
def test_a_push_services_own_address_is_kept_as_the_server_will_post_to_it(site, app, endpoint):
    from queue_app.data.models import RunnerAlert
    from queue_app.extensions import db

    mine = join(site, 2).json()
    assert subscribe(site, mine["token"], endpoint).status_code == 201
    with app.app_context(), db.read() as session:
        stored = session.query(RunnerAlert.address).one()[0]
    assert stored.lower() in (f"https://{FCM}/fcm/send/abc", f"https://{FCM}:443/fcm/send/abc")


@pytest.mark.parametrize("call", [
    ("delete", ""), ("post", "/on-my-way"), ("post", "/step-back"), ("post", "/push"), ("get", ""),
])
def test_the_old_link_after_new_phone_is_a_clear_404(site, call):
    mine = join(site, 3).json()
    staff = Staff(site)
    site.http.get(f"{site.url}/api/v1/tickets/{mine['token']}", timeout=10)  # the old token is known (cached)
    reissued = staff.http.post(f"{site.url}/api/v1/events/demo/tickets/{mine['number']}/reissue",
                               headers={"X-CSRFToken": staff.csrf}, timeout=10)
    assert reissued.status_code == 200
    method, path = call
    body = {"places": 1, "subscription": {"endpoint": f"https://{FCM}/x", "keys": KEYS}}
    answer = getattr(site.http, method)(f"{site.url}/api/v1/tickets/{mine['token']}{path}",
                                        **({"json": body} if method == "post" else {}), timeout=10)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found", answer.text[:200]
    new = site.http.get(f"{site.url}/api/v1/tickets/{reissued.json()['token']}", timeout=10).json()
    assert new["status"] == "waiting"


def sign_in_form(site, session, next_address):
    """POST the organiser sign-in form, as a browser would, with this `next`."""
    page = session.get(f"{site.url}/admin/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return session.post(f"{site.url}/admin/sign-in", timeout=10, allow_redirects=False,
                        data={"password": ORGANISER_PASSWORD, "csrf_token": token, "next": next_address})


@pytest.mark.parametrize("next_address", ["/admin\r\nSet-Cookie: x=1", "/admin\n", "/\t/localhost:5000/x",
                                          "/\\evil.example/x", "/ /evil.example"])
def test_a_sign_in_next_with_line_breaks_tabs_or_backslashes_is_refused_clearly(site, next_address):
    answer = sign_in_form(site, site.session(), next_address)
    assert answer.status_code == 422, (answer.status_code, answer.headers.get("Location"))
    assert "Location" not in answer.headers


@pytest.mark.parametrize("next_address, goes_to", [("/e/demo/dashboard", "/e/demo/dashboard"),
                                                    ("//evil.example/x", "/admin"),
                                                    ("https://evil.example/x", "/admin")])
def test_a_sign_in_goes_on_to_same_site_paths_only(site, next_address, goes_to):
    answer = sign_in_form(site, site.session(), next_address)
    assert answer.status_code == 302 and answer.headers["Location"] == goes_to
