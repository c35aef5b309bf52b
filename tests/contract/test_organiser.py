"""The organiser's tools, in process: rights, live actions, start list, export and purge."""

import csv
import io

import zxingcpp
from PIL import Image

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

START_LIST = (
    "bib,first_name,last_name,gender,category,distance\n"
    "101,Élodie,Durand,F,18-34,marathon\n"
    "102,Anne-Marie,O'Neil,F,35-39,half\n"
)


def test_organiser_pages_and_api_refuse_therapists_and_strangers(site):
    assert site.http.get(f"{site.url}/e/demo/dashboard", allow_redirects=False, timeout=10).status_code == 302
    assert site.http.get(f"{site.url}/api/v1/events/demo/dashboard", timeout=10).status_code == 401
    therapist = Staff(site)
    assert therapist.http.get(f"{site.url}/api/v1/events/demo/dashboard", timeout=10).status_code == 401
    assert therapist.http.get(f"{site.url}/e/demo/export.csv", allow_redirects=False, timeout=10).status_code == 302
    wrong = site.session()
    page = wrong.get(f"{site.url}/admin/sign-in", timeout=10).text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = wrong.post(f"{site.url}/admin/sign-in", data={"password": "nope", "csrf_token": token}, timeout=10)
    assert refused.status_code == 401 and "not right" in refused.text


def test_a_walk_in_joins_gets_a_slip_and_shows_on_the_dashboard(site):
    organiser = Organiser(site)
    added = organiser.api("POST", "/walk-ins", {"bib": "900", "first_name": "Walt", "service": "post",
                                                "screening": {"unwell": False, "injury": False,
                                                              "medical_condition": False}})
    assert added.status_code == 201 and added.json()["number"] == "R-001"
    slip = organiser.http.get(f"{site.url}/t/{added.json()['token']}/slip", timeout=10)
    assert slip.status_code == 200 and "R-001" in slip.text
    numbers = organiser.api("GET", "/dashboard").json()
    assert numbers["services"]["post"]["waiting"] == 1 and numbers["services"]["post"]["new_runner_wait"] is None
    staff = Staff(site)  # a therapist signs in at table 1: now there is a wait to tell
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": 1, "csrf_token": staff.csrf}, timeout=10)
    post = organiser.api("GET", "/dashboard").json()["services"]["post"]
    # The free table calls the walk-in any moment, so a new runner is one massage away: 15 min, +-25 %.
    assert (post["new_runner_wait"], post["new_runner_wait_range"]) == (15, [11, 19])
    assert organiser.api("POST", "/walk-ins", {"bib": ""}).status_code == 422


def test_pausing_a_service_keeps_places_tells_phones_and_refuses_new_runners(site):
    mine = join(site, 1).json()
    phone = site.listen({"ticket": mine["token"]})
    phone.next("snapshot")
    organiser = Organiser(site)
    assert organiser.api("PATCH", "/services/pre", {"status": "paused"}).status_code == 200
    delta = phone.next("board", lambda b: b["services"]["pre"]["status"] == "paused")
    assert delta["services"]["pre"]["waiting"] == 1
    refused = join(site, 2)
    assert refused.status_code == 409 and "paused" in refused.json()["error"] and refused.json()["field"] == "service"
    assert site.http.get(f"{site.url}/api/v1/tickets/{mine['token']}", timeout=10).json()["place"] == 1
    organiser.api("PATCH", "/services/pre", {"status": "open", "capacity": 2})
    assert join(site, 2).status_code == 201
    full = join(site, 3)
    assert full.status_code == 409 and "full" in full.json()["error"]


def test_an_announcement_reaches_every_phone_and_the_board(site):
    mine = join(site, 1).json()
    phone = site.listen({"ticket": mine["token"]})
    seen = phone.next("snapshot")["board"]["version"]
    Organiser(site).api("PUT", "/announcement", {"text": "Tent closes at 15:00 <b>sharp</b>"})
    # A delta of the join before the phone connected may still come (gathered): the phone skips what it has.
    assert phone.next("board", lambda b: b["version"] > seen)["announcement"] == "Tent closes at 15:00 <b>sharp</b>"
    board_page = site.http.get(f"{site.url}/e/demo/board", timeout=10).text
    assert "Tent closes at 15:00 &lt;b&gt;sharp&lt;/b&gt;" in board_page


def test_removing_a_ticket_tells_its_runner(site):
    mine = join(site, 1).json()
    phone = site.listen({"ticket": mine["token"]})
    phone.next("snapshot")
    assert Organiser(site).api("POST", "/tickets/P-001/remove").json()["ticket"]["status"] == "removed"
    assert phone.next("ticket", lambda t: t["status"] == "removed")["number"] == "P-001"


def test_with_a_start_list_only_its_bibs_join_with_their_first_name(site):
    organiser = Organiser(site)
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", START_LIST.encode(), "text/csv")})
    assert "Start list imported: 2 runners" in answer.text
    unknown = join(site, 555, "Ana")
    assert unknown.status_code == 422 and unknown.json()["field"] == "bib"
    wrong_name = join(site, 101, "Marie")
    assert wrong_name.status_code == 422 and wrong_name.json()["field"] == "first_name"
    assert join(site, 101, "elodie").status_code == 201
    assert join(site, 102, "ANNE").status_code == 201


def test_the_qr_code_encodes_the_join_url(site):
    image = Image.open(io.BytesIO(site.http.get(f"{site.url}/e/demo/qr.png", timeout=10).content))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [f"{site.url}/e/demo/join"]
    poster = site.http.get(f"{site.url}/e/demo/poster", timeout=10).text
    assert "/e/demo/qr.svg" in poster and f"{site.url}/e/demo/join" in poster


def visit(site, bib, name, note):
    """One whole visit at table 1."""
    join(site, bib, name)
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(1, "start")
    staff.act(1, "finish", note=note)


def test_export_has_every_move_and_purge_erases_names_but_keeps_counts(site):
    visit(site, 4321, "Zelda", "=HYPERLINK(\"x\")")
    organiser = Organiser(site)
    exported = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["to_status"] for r in rows] == ["waiting", "called", "in_treatment", "done"]
    assert rows[0]["bib"] == "4321" and rows[0]["first_name"] == "Zelda"
    assert rows[0]["note"].startswith("'=")  # a spreadsheet will not run it as a formula
    refused = organiser.form("/e/demo/settings/purge", {"confirm": "wrong"}, page="/e/demo/settings")
    assert refused.status_code == 422
    done = organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")
    assert "Personal data erased" in done.text
    after = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
    assert "Zelda" not in after and "4321" not in after and "HYPERLINK" not in after
    assert organiser.api("GET", "/dashboard").json()["stats"]["done"] == 1
