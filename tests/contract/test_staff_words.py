"""Staff and organiser pages show only text that goes through the catalogs, so each reads in the tablet's
language: the tablet in each of its states, its sign-in and table choice, the dashboard, the
settings with their notices and refusals, the events page, the planner with its answer, and the staff and organiser
API's refusals.

Each page is rendered through a pseudo-translation that brackets every text the catalogs would translate
("⟦Call next⟧"): a text that is marked for `pybabel extract` and reaches gettext. What is left outside the brackets
must be the event's own data (its name, services, runners, ticket numbers) and numbers. A text written straight
into a template, or an f-string in a refusal, shows unbracketed and fails here. (The page scripts' words are
checked by tests/unit/test_script_words.py.)
"""

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_file
from babel.support import NullTranslations
from flask_babel import Domain

from queue_app.rules.languages import LANGUAGES
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import PIN

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": (1, 2)}
OPEN, CLOSE = "⟦", "⟧"
INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
TICKET_NUMBER = re.compile(r"\b[A-Z]-\d{3}\b")
# The demo event's own words: shown as they are, in any language.
DATA = ("Demo City Marathon", "Pre-race massage", "Post-race massage", "pre-race massage", "post-race massage",
        *LANGUAGES.values())
RUNNERS = ("Ada", "Ben", "Cai", "Dee", "Eve", "Fay", "Gus", "Hal")
# Attributes a person reads or hears (a screen reader, a tooltip, a confirmation).
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "data-confirm")


@functools.cache
def marked_texts():
    """Every text `pybabel extract` finds (babel.cfg: queue_app's modules and the templates); a plural by its
    singular."""
    sources = [("python", path) for path in sorted((ROOT / "queue_app").rglob("*.py"))]
    sources += [("jinja2", path) for path in sorted((ROOT / "templates").rglob("*.html"))]
    texts = set()
    for method, path in sources:
        for _line, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS):
            texts.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(texts)


class Bracketed(NullTranslations):
    """A catalog that "translates" every marked text into itself in brackets, and leaves anything else as it is."""

    def __init__(self, marked):
        super().__init__()
        self.marked = marked

    def gettext(self, message):
        """`message` in brackets, if it is marked."""
        return f"{OPEN}{message}{CLOSE}" if message in self.marked else message

    def ngettext(self, singular, plural, n):
        """The English form for `n`, in brackets if the pair is marked."""
        form = singular if n == 1 else plural
        return f"{OPEN}{form}{CLOSE}" if singular in self.marked else form

    ugettext = gettext
    ungettext = ngettext


@pytest.fixture
def bracketed(monkeypatch):
    """Every page and answer of this test through the Bracketed catalog, whatever language it is in."""
    catalog = Bracketed(marked_texts())
    monkeypatch.setattr(Domain, "get_translations", lambda _domain: catalog)
    return catalog


class ShownText(HTMLParser):
    """The text of a page a person sees or hears: its text (scripts and styles aside), in order, and the attributes
    of SHOWN_ATTRIBUTES."""

    def __init__(self):
        super().__init__()
        self.texts, self.attributes, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        values = dict(attrs)
        self.attributes += [values[name] for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag == "meta" and values.get("name") == "apple-mobile-web-app-title":
            self.attributes.append(values.get("content", ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def unmarked(text, data=()):
    """The words of `text` outside the brackets that are not the event's data: what no translation would reach."""
    while True:
        text, found = INNERMOST.subn(" ", text)
        if not found:
            break
    for value in sorted({*DATA, *RUNNERS, *data}, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.findall(r"\S*[^\W\d_]\S*", TICKET_NUMBER.sub(" ", text))


def unmarked_on(page, data=()):
    """The unmarked words of an HTML page, its text taken whole (a bracketed text may hold elements) and each shown
    attribute on its own."""
    parser = ShownText()
    parser.feed(page)
    return unmarked(" ".join(parser.texts), data) + [word for value in parser.attributes
                                                    for word in unmarked(value, data)]


def test_the_brackets_catch_a_text_that_is_not_marked(bracketed):
    """The check itself: marked text in brackets disappears, data stays allowed, and anything else is caught."""
    page = ('<h1 title="⟦Table 3⟧">⟦With <span>2</span> tables⟧ P-001 Ada</h1><p aria-label="Call next">'
            '⟦Line 1: ⟦nothing⟧.⟧ 12:30</p><script>const x = "Not shown";</script>')
    assert unmarked_on(page) == ["Call", "next"]
    assert bracketed.gettext("Call next") == "⟦Call next⟧" and bracketed.gettext("Not marked anywhere") == (
        "Not marked anywhere")


def get(session, site, path):
    """A page's HTML, which must have answered 200."""
    answer = session.get(f"{site.url}{path}", timeout=10)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.text


def test_the_tablets_pages_show_only_marked_text_in_every_state(bracketed, app, site):
    browser = site.session()
    assert unmarked_on(get(browser, site, "/e/demo/staff")) == []
    refused = browser.post(f"{site.url}/e/demo/staff", data={"pin": "000000", "csrf_token": csrf(browser, site)})
    assert refused.status_code == 401 and unmarked_on(refused.text) == []

    staff = Staff(site)
    other = Staff(site)
    other.http.post(f"{site.url}/e/demo/staff/table", data={"table": "2", "csrf_token": other.csrf})  # "(in use)"
    tables = get(staff.http, site, "/e/demo/staff")
    assert "⟦(in use)⟧" in tables and unmarked_on(tables) == []
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": "1", "csrf_token": staff.csrf})
    states = {"free, nobody waiting": get(staff.http, site, "/e/demo/staff/table/1")}
    ada = join(site, 11, "Ada", screening={"unwell": False, "injury": False, "medical_condition": True}).json()
    for bib, name in zip(range(12, 19), RUNNERS[1:], strict=True):
        join(site, bib, name)
    app.config["IDLE_TABLE_MINUTES"] = 0  # free a moment while runners wait: the idle alarm
    states["free, eight waiting, an alarm"] = get(staff.http, site, "/e/demo/staff/table/1")
    staff.act(1, "call-next")
    states["called"] = get(staff.http, site, "/e/demo/staff/table/1")
    site.session().post(f"{site.url}/api/v1/tickets/{ada['token']}/on-my-way")
    states["on the way"] = get(staff.http, site, "/e/demo/staff/table/1")
    staff.act(1, "start")
    states["in treatment"] = get(staff.http, site, "/e/demo/staff/table/1")
    staff.act(1, "finish")
    staff.act(1, "break")
    states["on a break"] = get(staff.http, site, "/e/demo/staff/table/1")
    assert "⟦Free for under a minute while %(num)s runners wait⟧" not in states["free, eight waiting, an alarm"]
    assert "⟦Free for under a minute while 8 runners wait⟧" in states["free, eight waiting, an alarm"]
    assert "⟦+ 3 more⟧" in states["free, eight waiting, an alarm"]
    for state, page in states.items():
        assert unmarked_on(page) == [], state


def test_the_organisers_pages_show_only_marked_text(bracketed, site):
    browser = site.session()
    assert unmarked_on(get(browser, site, "/admin/sign-in")) == []
    token = csrf(browser, site, "/admin/sign-in")
    refused = browser.post(f"{site.url}/admin/sign-in", data={"password": "wrong", "csrf_token": token})
    assert refused.status_code == 401 and unmarked_on(refused.text) == []
    organiser = Organiser(site)
    join(site, 21, "Ada")
    staff = Staff(site)
    staff.act(1, "call-next")
    organiser.form("/e/demo/team/add", {"name": "Ada", "role": "student"}, page="/e/demo/team")
    for path in ("/admin", "/e/demo/dashboard", "/e/demo/settings", "/e/demo/plan", "/e/demo/team",
                 "/e/demo/team/hours", "/e/demo/team/badges"):
        assert unmarked_on(get(organiser.http, site, path), ["demo", "UTC"]) == [], path

    created = organiser.form("/admin/events", {"name": "Trail", "slug": "X", "tables": "2", "pin": PIN,
                                               "time_zone": "UTC"}, page="/admin")
    assert created.status_code == 422 and unmarked_on(created.text, ["demo", "UTC"]) == []
    saved = organiser.form("/e/demo/settings/table-add", {"number": "7", "services": "pre"}, page="/e/demo/settings")
    assert "⟦Table 7 added.⟧" in saved.text and unmarked_on(saved.text, ["demo", "UTC"]) == []
    start_list = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings", files={
        "file": ("start.csv", b"bib,first_name\n101,Ada\n12 34,Ben\n103,\n101,Cai\n", "text/csv")})
    assert "lines skipped" in start_list.text and unmarked_on(start_list.text, ["demo", "UTC"]) == []
    purge = organiser.form("/e/demo/settings/purge", {"confirm": "nope"}, page="/e/demo/settings")
    assert purge.status_code == 422 and unmarked_on(purge.text, ["demo", "UTC"]) == []
    busy = organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")
    assert busy.status_code == 409 and unmarked_on(busy.text, ["demo", "UTC"]) == []

    plan = organiser.form("/e/demo/plan", {"source": "day", "tables": "1,2"})
    assert 'id="plan-answer"' in plan.text and unmarked_on(plan.text, ["pre", "post"]) == []
    refused_plan = organiser.form("/e/demo/plan", {"source": "day", "no_show_rate": "5"})
    assert refused_plan.status_code == 422 and unmarked_on(refused_plan.text) == []


@pytest.mark.parametrize("action, body", [
    ("start", {}),                                  # nobody called
    ("call-runner", {}),                            # which runner?
    ("call-runner", {"ticket": "P-009"}),           # not in the queue
    ("undo-no-show", {"ticket": "P-001"}),          # no no-show to undo
    ("send-to-medical", {"ticket": "P-001"}),       # nobody at the table
    ("finish", {"note": "x" * 600}),                # a note too long
])
def test_the_tablets_refusals_are_marked(bracketed, site, action, body):
    join(site, 31, "Ada")
    refused = Staff(site).act(1, action, **body)
    assert refused.status_code in (404, 409, 422) and refused.json()["error"].startswith(OPEN), refused.json()
    assert unmarked(refused.json()["error"]) == [] and unmarked(" ".join(refused.json()["errors"].values())) == []


def test_a_table_actions_message_and_the_dashboards_refusals_are_marked(bracketed, site):
    assert Staff(site).act(1, "call-next").json()["message"] == "⟦Nobody is waiting for this table right now.⟧"
    join(site, 41, "Ada")
    organiser = Organiser(site)
    for method, path, body in (("POST", "/tickets/P-001/move", {"service": "pre"}),
                               ("POST", "/tickets/P-404/reissue", None),
                               ("PATCH", "/services/pre", {"minutes": "a lot"}),
                               ("PUT", "/announcement", {"text": "x" * 300})):
        refused = organiser.api(method, path, body)
        assert refused.status_code in (404, 409, 422), (path, refused.status_code)
        assert unmarked(refused.json()["error"]) == [], (path, refused.json())


def csrf(browser, site, path="/e/demo/staff"):
    """The CSRF token of a page's form, for a browser not signed in."""
    return re.search(r'name="csrf_token" value="([^"]+)"', get(browser, site, path)).group(1)
