"""What a runner and a therapist do, and what the tier checks, written once for every engine (tests/engines/
test_webkit.py and test_gecko.py run them: one file per engine, so the two run on the two workers at once)."""

import re
import time

from tests.browser.pages import qr_join_url
from tests.browser.test_last_call import closing_soon
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import PIN

COUNTDOWN = re.compile(r"^\d:\d\d$")
# A minute offline, shortened: the page's reconnect delay reaches its 6 s ceiling (static/js/live.js
# reconnectionDelayMax) by the third failed try, about 10 s in; from then on each further second offline finds
# the page in the same state, retrying every few seconds, so 20 s is as much of a test as 60 s.
OFFLINE_SECONDS = 20
CALLED_AT_4 = ("() => !document.querySelector('#state-called').hidden"
               " && document.querySelector('#table').textContent === '4'")


def sound(device):
    """What the page says its sound is doing: "running", "locked" or "none" (static/js/alerts.js)."""
    return device.run("() => document.documentElement.dataset.sound ?? null")


def chimes(device):
    """How many chimes the page has started."""
    return int(device.run("() => document.documentElement.dataset.chimed || '0'"))


def join_by_tapping(phone, wifi, bib, name):
    """Scan, fill the form and tap Join; the ticket shows in the same document, live."""
    phone.goto(qr_join_url(wifi.server))
    phone.wait_text("h1", "Join the massage queue")
    phone.run("() => { window.sameDocument = 'yes'; }")  # gone if the page ever loads anew
    phone.fill("#bib", str(bib))
    phone.fill("#first_name", name)
    for field, value in (("service", "pre"), ("screening_unwell", "no"), ("screening_injury", "no"),
                         ("screening_medical_condition", "no")):
        phone.tap(f"label.option:has(input[name={field}][value={value}])")
    phone.tap("#join-form button[type=submit]")
    phone.wait_shown("#ticket-number")
    live(phone)
    assert phone.run("() => [window.sameDocument, location.pathname]")[0] == "yes"


def live(device, timeout=10.0):
    """Wait until the page says it is live."""
    device.wait("() => document.querySelector('#connection')?.dataset.state === 'live'", timeout=timeout,
                what="the connection live")


def take_table(tablet, wifi, number):
    """A therapist signs in with the PIN and takes a table; its view is live."""
    tablet.goto(f"{wifi.server.url}/e/demo/staff")
    tablet.fill("#pin", PIN)
    tablet.tap("form button[type=submit]")
    tablet.wait_shown(f"button[name=table][value='{number}']")
    tablet.tap(f"button[name=table][value='{number}']")
    tablet.wait_shown("#call-next")
    live(tablet)


def contains(device, selector, words, timeout=10.0):
    """Wait until the element's text contains `words`."""
    device.wait("(s, w) => (document.querySelector(s)?.textContent ?? '').includes(w)", selector, words,
                timeout=timeout, what=f"{selector} containing {words!r} (it reads {device.text(selector)!r})")


def runners_visit(devices, wifi, shots):
    """The runner's visit: sound from the Join tap, live places, the tablet's Call next with its countdown,
    "I'm on my way", then 20 s offline while the treatment starts, and back to the truth without a reload."""
    for bib in (101, 102):
        assert join(wifi.server.url, bib).status_code == 201
    phone = devices.phone()
    phone.goto(qr_join_url(wifi.server))
    phone.wait_text("h1", "Join the massage queue")
    live(phone)
    shots.take(phone, "join")
    join_by_tapping(phone, wifi, 7, "Cleo")
    phone.wait_text("#ticket-number", "P-003")
    phone.wait_text("#place", "3")
    # The Join tap alone turned sound on: nothing asks for another tap.
    phone.wait("() => document.documentElement.dataset.sound === 'running'", what="sound running")
    assert not phone.shown("#sound-on"), f"{phone.engine}: 'Tap to turn on sound' shown after the Join tap"
    shots.take(phone, "ticket-waiting-place-3")

    tablet = devices.tablet()
    take_table(tablet, wifi, 1)
    staff = Staff(wifi.server.url)
    assert staff.act(2, "call-next").status_code == 200
    phone.wait_text("#place", "2")
    assert staff.act(3, "call-next").status_code == 200
    phone.wait_text("#place", "1")

    tablet.tap("#call-next")
    phone.wait_shown("#state-called")
    phone.wait_text("#table", "1")
    phone.wait("() => document.documentElement.dataset.ringing === 'yes'", what="ringing")
    assert COUNTDOWN.match(phone.text("#countdown")), phone.text("#countdown")
    assert phone.run("() => document.title").startswith("Go to table 1")
    assert sound(phone) == "running" and chimes(phone) >= 1, (sound(phone), chimes(phone))
    contains(tablet, "#current", "Waiting for the runner")
    tablet.wait("() => /^\\d:\\d\\d$/.test(document.querySelector('.table-countdown')?.textContent.trim())",
                what="the tablet's countdown")
    shots.take(phone, "called-table-1")
    shots.take(tablet, "tablet-called-countdown")

    phone.tap("#on-my-way")
    phone.wait_shown("#on-my-way-done")
    phone.wait("() => !document.documentElement.dataset.ringing", what="ringing stopped")
    contains(tablet, "#current", "✓ On the way")

    wifi.network.cut("refuse")  # the Wi-Fi drops: links reset, new ones refused
    phone.wait("() => document.querySelector('#connection').dataset.state === 'reconnecting'", what="reconnecting")
    tablet.tap("#start")
    tablet.wait_shown("#finish")
    time.sleep(OFFLINE_SECONDS)
    assert phone.shown("#state-called") and not phone.shown("#state-in_treatment")  # it really missed the start
    shots.take(phone, "offline-stale")
    wifi.network.heal()
    phone.wait_shown("#state-in_treatment", timeout=15)  # the next reconnect try comes within 6 s
    phone.wait_text("#table-treatment", "1")
    live(phone)
    shots.take(phone, "back-in-treatment")
    tablet.tap("#finish")
    contains(phone, "#state-done", "Thank you, Cleo!")
    assert phone.run("() => window.sameDocument") == "yes", "the phone reloaded instead of updating live"


def reload_asks_for_one_tap(devices, wifi, shots):
    """After a reload nothing has unlocked sound: the page asks for a tap, and that tap turns it on."""
    phone = devices.phone()
    join_by_tapping(phone, wifi, 8, "Oskar")
    phone.reload()
    live(phone)
    phone.wait_shown("#sound-on")
    assert sound(phone) != "running"
    shots.take(phone, "sound-locked")
    phone.tap("#sound-on")
    phone.wait_shown("#sound-on", shown=False)
    phone.wait("() => document.documentElement.dataset.sound === 'running'", what="sound running")


def woken_page_tells_the_truth(devices, wifi, shots):
    """An iPhone's page goes hidden and the system closes its socket; while it sleeps the runner is called.
    Shown again, it shows the call within 2 s."""
    assert join(wifi.server.url, 201).status_code == 201
    phone = devices.phone()
    join_by_tapping(phone, wifi, 202, "Eve")
    phone.wait_text("#place", "2")
    assert phone.run("() => 'vibrate' in navigator") is False  # as on an iPhone
    phone.set_visibility("hidden")
    wifi.network.cut("refuse")  # the system closed the socket, and a sleeping page gets no network
    phone.wait("() => document.querySelector('#connection').dataset.state === 'reconnecting'", what="reconnecting")
    staff = Staff(wifi.server.url)
    assert staff.act(1, "call-next").status_code == 200
    assert staff.act(4, "call-next").status_code == 200
    time.sleep(3)  # asleep for a while: the page's reconnect tries fail and back off
    assert phone.shown("#state-waiting")
    wifi.network.heal()
    phone.set_visibility("visible")
    # Shown again, it reconnects at once (live.js), not at Socket.IO's next try up to 6 s away: the truth in 2 s.
    phone.wait(CALLED_AT_4, timeout=2.0, what="the call at table 4 within 2 s of being shown")
    shots.take(phone, "woken-called-table-4")


def full_for_today_then_one_tap_after(devices, wifi, shots):
    """Issue 24's and 23's runner states: the join page greys a service the tent cannot reach before it closes,
    with its closing time; a runner of the other service is treated, and the finished ticket's one tap of
    feedback is sent once (a reload shows the thanks, not the faces)."""
    # One table, two waiting: a third post-race runner would be reached after closing.
    organiser, staff, closes, _ = closing_soon(wifi.server)
    phone = devices.phone()
    phone.goto(qr_join_url(wifi.server))
    live(phone)
    contains(phone, '[data-service="post"]',
             f"Post-race massage is full for today: we cannot reach you before {closes}")
    assert phone.run("() => document.querySelector('[data-service=post] input').disabled") is True
    shots.take(phone, "join-full-for-today")

    join_by_tapping(phone, wifi, 9, "Nia")  # the pre-race massage is open
    number = phone.text("#ticket-number")
    for action in ("call-runner", "start", "finish"):
        assert staff.act(1, action, ticket=number).status_code == 200, action
    contains(phone, "#state-done", "Thank you, Nia!")
    phone.wait_shown("#feedback")
    shots.take(phone, "done-how-was-it")
    phone.tap('button.face[data-rating="3"]')
    phone.fill("#feedback-comment", "Lovely, thank you")
    phone.tap("#feedback-send")
    phone.wait_shown("#feedback-thanks")
    assert not phone.shown("#feedback")
    phone.reload()
    phone.wait_shown("#feedback-thanks")
    assert not phone.shown("#feedback"), "the faces came back after a reload: feedback asked twice"
    live(phone)
    shots.take(phone, "feedback-sent")
    comments = organiser.api("GET", "/report").json()["feedback"]["comments"]
    assert comments == [{"rating": 3, "comment": "Lovely, thank you"}], comments
