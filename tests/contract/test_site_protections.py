"""The smaller holes a hostile tester found, in process: redirects that follow a forged Host, answers without
the security headers, a sign-in another site can make for you, a ticket cookie without Secure, pages that vary
by language without saying so, and a phone rung thirty times in a row."""

import re

import pytest

from queue_app.web.security import HEADERS
from tests.support.clients import Staff
from tests.support.clients import join

NO = {f"screening_{key}": "no" for key in ("unwell", "injury", "medical_condition")}


def csrf(page):
    """The CSRF token a form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_slash_redirect_never_points_at_the_host_the_request_named(client):
    answer = client.get("/e/demo//join", headers={"Host": "evil.example"})
    location = answer.headers.get("Location", "")
    assert answer.status_code in (301, 308) and "evil.example" not in location, location
    assert location.startswith("/") and not location.startswith("//"), location


def test_static_files_and_engineio_refusals_carry_the_security_headers(client):
    page = client.get("/e/demo/join").get_data(as_text=True)
    script = re.search(r'src="(/static/[^"]+\.js)"', page).group(1)
    answers = [client.get(script), client.get("/socket.io/?EIO=4&transport=polling"),
               client.get("/socket.io/?EIO=4&transport=websocket"), client.get("/e/demo/join")]
    assert answers[0].status_code == 200 and answers[1].status_code == 400
    for answer in answers:
        for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
            assert answer.headers.get(name) == HEADERS[name], (answer.status_code, name, dict(answer.headers))


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain", "Origin": "http://evil.example"},
                                     {"Content-Type": "text/plain"},
                                     {"Content-Type": "application/json", "Origin": "http://evil.example"}])
def test_a_staff_sign_in_another_site_could_submit_is_refused(client, headers):
    answer = client.post("/api/v1/events/demo/login", data='{"pin": "246810", "x": "="}', headers=headers)
    assert answer.status_code in (400, 403, 415) and answer.get_json()["error"], answer.status_code
    assert "session=" not in answer.headers.get("Set-Cookie", "")
    assert client.get("/api/v1/events/demo/staff").status_code == 401


def test_a_staff_sign_in_from_the_site_itself_still_works(client):
    answer = client.post("/api/v1/events/demo/login", json={"pin": "246810"}, headers={"Origin": "http://localhost"})
    assert answer.status_code == 200 and answer.get_json()["csrf_token"]


def test_the_form_sign_ins_refuse_a_post_without_the_pages_csrf_token(client):
    for path, field in (("/admin/sign-in", "password"), ("/e/demo/staff", "pin")):
        answer = client.post(path, data={field: "whatever"}, headers={"Origin": "http://evil.example"})
        assert answer.status_code == 400, path


def test_the_ticket_cookie_is_secure_under_an_https_public_url_without_a_trusted_proxy(app, client):
    app.config.update(PUBLIC_URL="https://tent.example", SESSION_COOKIE_SECURE=True)
    form = client.get("/e/demo/join").get_data(as_text=True)
    answer = client.post("/e/demo/join", data={"csrf_token": csrf(form), "bib": "31", "first_name": "Ana",
                                               "service": "pre", **NO})
    assert answer.status_code == 302
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("ticket_demo="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_pages_chosen_by_language_or_cookie_say_so_to_caches(client):
    vary = client.get("/e/demo/join", headers={"Accept-Language": "de"}).headers.get("Vary", "")
    assert {"accept-language", "cookie"} <= {part.strip().lower() for part in vary.split(",")}, vary


def test_call_again_rings_once_then_waits_before_it_rings_again(site):
    mine = join(site, 32).json()
    staff = Staff(site)
    staff.act(1, "call-next")
    phone = site.listen({"ticket": mine["token"]})
    phone.next("snapshot")
    assert staff.act(1, "call-again").status_code == 200
    phone.next("ticket")
    again = [staff.act(1, "call-again") for _ in range(5)]
    assert [a.status_code for a in again] == [409] * 5
    assert "seconds" in again[0].json()["error"] and again[0].json()["code"] == "too_soon"
