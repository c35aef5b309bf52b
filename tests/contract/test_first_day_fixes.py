"""What a new organiser met on their first day (issue 20): an export Excel reads, a slip whose time says what it is,
staff words on the walk-in form, a lane that matches nobody said so, a start-list hint naming every column, and a
name-mismatch told once on the join page."""

import csv
import html
import io
import re

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

NO = {"unwell": False, "injury": False, "medical_condition": False}
START_LIST = "bib,first_name,distance,category\n1,Ana,5k,18-34\n2,Ben,marathon,elite\n3,Cy,marathon,elite\n"


def start_list(organiser, content=START_LIST):
    """Import `content` as the start list through the settings page."""
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", content.encode(), "text/csv")})
    assert "Start list imported" in answer.text, answer.text[:300]


def test_the_export_starts_with_a_byte_order_mark_and_still_reads_as_csv(site, app, tmp_path):
    organiser = Organiser(site)
    join(site, 101, "Zoë")
    body = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).content
    assert body.startswith("\ufeff".encode())  # Excel on Windows reads it as UTF-8, accents intact
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0]["ticket"] == "P-001" and rows[0]["first_name"] == "Zoë"
    written = tmp_path / "day.csv"
    assert app.test_cli_runner().invoke(args=["export", "demo", str(written)]).exit_code == 0
    text = written.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.DictReader(io.StringIO(text[1:])))[0]["first_name"] == "Zoë"


def test_the_slip_says_what_its_time_is(site):
    staff = Staff(site)
    staff.act(1, "resume")
    join(site, 899)
    staff.act(1, "call-next")  # the table is busy: a walk-in waits a massage, and the slip says how long
    organiser = Organiser(site)
    added = organiser.api("POST", "/walk-ins", {"bib": "900", "first_name": "Walt", "service": "post",
                                                "screening": NO}).json()
    slip = organiser.http.get(f"{site.url}/t/{added['token']}/slip", timeout=10).text
    wait = html.unescape(re.search(r'<p class="slip-wait">(.*?)</p>', slip, re.S).group(1))
    assert re.fullmatch(r"About \d+–\d+ min, around \d\d:\d\d", wait), wait
    german = organiser.http.get(f"{site.url}/t/{added['token']}/slip?lang=de", timeout=10).text
    assert re.search(r"Etwa \d+–\d+ Min\.", html.unescape(german)), "the slip's wait speaks the runner's language"


def test_a_walk_in_whose_name_differs_tells_the_staff_what_to_do_not_to_ask_at_the_tent(site):
    organiser = Organiser(site)
    start_list(organiser)
    refused = organiser.api("POST", "/walk-ins", {"bib": "1", "first_name": "Bob", "service": "pre", "screening": NO})
    assert refused.status_code == 422 and refused.json()["code"] == "name_mismatch"
    words = " ".join([refused.json()["error"], *refused.json()["errors"].values()])
    assert "ask at the tent" not in words
    assert "registered under another first name" in words and "reason" in words
    assert "ask at the tent" in join(site, "1", "Bob").json()["error"]  # the runner's own join keeps its words


def test_a_lane_that_matches_nobody_on_the_start_list_is_named_when_saved(site):
    organiser = Organiser(site)
    start_list(organiser)
    page = organiser.form("/e/demo/settings/service", {"code": "pre", "name": "Pre-race massage",
                                                       "lanes": "elite: first\nwheelchair, marathon: 1 in 3"},
                          page="/e/demo/settings")
    assert page.status_code == 200
    notice = html.unescape(re.search(r'<p class="notice" role="status">(.*?)</p>', page.text, re.S).group(1))
    assert "Service saved." in notice
    assert "Lane 'elite: first' matches 2 runners on the start list." in notice
    assert "Lane 'wheelchair' matches nobody on the start list." in notice
    assert "Lane 'wheelchair, marathon: 1 in 3' takes nobody: its runners are all in the lanes above it." in notice
    assert "'marathon' matches nobody" not in notice


def test_the_start_list_field_names_every_column_it_reads(site):
    page = html.unescape(Organiser(site).http.get(f"{site.url}/e/demo/settings", timeout=10).text)
    label = re.search(r'<label for="file">(.*?)</label>', page, re.S).group(1)
    for column in ("bib", "first_name", "last_name", "distance", "category"):
        assert column in label, column


def test_a_first_name_not_on_the_start_list_is_told_once_on_the_join_page(site, client):
    start_list(Organiser(site))
    page = client.get("/e/demo/join").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/e/demo/join", data={"csrf_token": token, "bib": "1", "first_name": "Bob", "service": "pre",
                                               "screening_unwell": "no", "screening_injury": "no",
                                               "screening_medical_condition": "no"})
    assert answer.status_code == 422
    text = html.unescape(answer.get_data(as_text=True))
    assert text.count("registered under another first name") == 1
    assert 'aria-invalid="true" aria-describedby="first_name-error"' in text  # the field still points to it
