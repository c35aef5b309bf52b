"""The organiser's tools against a real server: rights, live actions, start list, export and purge."""

import csv
import io
import subprocess
import sys

import requests
import zxingcpp
from PIL import Image

from tests.support.clients import Listener
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ROOT

START_LIST = (
    "bib,first_name,last_name,gender,category,distance\n"
    "101,Élodie,Durand,F,18-34,marathon\n"
    "102,Anne-Marie,O'Neil,F,35-39,half\n"
)


def test_organiser_pages_and_api_refuse_therapists_and_strangers(server):
    assert requests.get(f"{server.url}/e/demo/dashboard", allow_redirects=False, timeout=10).status_code == 302
    assert requests.get(f"{server.url}/api/v1/events/demo/dashboard", timeout=10).status_code == 401
    therapist = Staff(server.url)
    assert therapist.http.get(f"{server.url}/api/v1/events/demo/dashboard", timeout=10).status_code == 401
    assert therapist.http.get(f"{server.url}/e/demo/export.csv", allow_redirects=False, timeout=10).status_code == 302
    wrong = requests.Session()
    page = wrong.get(f"{server.url}/admin/sign-in", timeout=10).text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = wrong.post(f"{server.url}/admin/sign-in", data={"password": "nope", "csrf_token": token}, timeout=10)
    assert refused.status_code == 401 and "not right" in refused.text


def test_a_walk_in_joins_gets_a_slip_and_shows_on_the_dashboard(server):
    organiser = Organiser(server.url)
    added = organiser.api("POST", "/walk-ins", {"bib": "900", "first_name": "Walt", "service": "post",
                                                "screening": {"unwell": False, "injury": False,
                                                              "medical_condition": False}})
    assert added.status_code == 201 and added.json()["number"] == "R-001"
    slip = organiser.http.get(f"{server.url}/t/{added.json()['token']}/slip", timeout=10)
    assert slip.status_code == 200 and "R-001" in slip.text
    numbers = organiser.api("GET", "/dashboard").json()
    assert numbers["services"]["post"]["waiting"] == 1 and numbers["services"]["post"]["new_runner_wait"] == 5
    assert organiser.api("POST", "/walk-ins", {"bib": ""}).status_code == 422


def test_pausing_a_service_keeps_places_tells_phones_and_refuses_new_runners(server):
    mine = join(server.url, 1).json()
    phone = Listener(server.url, {"ticket": mine["token"]})
    phone.next("snapshot")
    organiser = Organiser(server.url)
    assert organiser.api("PATCH", "/services/pre", {"status": "paused"}).status_code == 200
    delta = phone.next("board", lambda b: b["services"]["pre"]["status"] == "paused")
    assert delta["services"]["pre"]["waiting"] == 1
    refused = join(server.url, 2)
    assert refused.status_code == 409 and "paused" in refused.json()["error"] and refused.json()["field"] == "service"
    assert requests.get(f"{server.url}/api/v1/tickets/{mine['token']}", timeout=10).json()["place"] == 1
    organiser.api("PATCH", "/services/pre", {"status": "open", "capacity": 2})
    assert join(server.url, 2).status_code == 201
    full = join(server.url, 3)
    assert full.status_code == 409 and "full" in full.json()["error"]


def test_an_announcement_reaches_every_phone_and_the_board(server):
    mine = join(server.url, 1).json()
    phone = Listener(server.url, {"ticket": mine["token"]})
    phone.next("snapshot")
    Organiser(server.url).api("PUT", "/announcement", {"text": "Tent closes at 15:00 <b>sharp</b>"})
    assert phone.next("board")["announcement"] == "Tent closes at 15:00 <b>sharp</b>"
    board_page = requests.get(f"{server.url}/e/demo/board", timeout=10).text
    assert "Tent closes at 15:00 &lt;b&gt;sharp&lt;/b&gt;" in board_page


def test_removing_a_ticket_tells_its_runner(server):
    mine = join(server.url, 1).json()
    phone = Listener(server.url, {"ticket": mine["token"]})
    phone.next("snapshot")
    assert Organiser(server.url).api("POST", "/tickets/P-001/remove").json()["ticket"]["status"] == "removed"
    assert phone.next("ticket", lambda t: t["status"] == "removed")["number"] == "P-001"


def test_with_a_start_list_only_its_bibs_join_with_their_first_name(server):
    organiser = Organiser(server.url)
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", START_LIST.encode(), "text/csv")})
    assert "Start list imported: 2 runners" in answer.text
    unknown = join(server.url, 555, "Ana")
    assert unknown.status_code == 422 and unknown.json()["field"] == "bib"
    wrong_name = join(server.url, 101, "Marie")
    assert wrong_name.status_code == 422 and wrong_name.json()["field"] == "first_name"
    assert join(server.url, 101, "elodie").status_code == 201
    assert join(server.url, 102, "ANNE").status_code == 201


def test_the_qr_code_encodes_the_join_url(server):
    image = Image.open(io.BytesIO(requests.get(f"{server.url}/e/demo/qr.png", timeout=10).content))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [f"{server.url}/e/demo/join"]
    poster = requests.get(f"{server.url}/e/demo/poster", timeout=10).text
    assert "/e/demo/qr.svg" in poster and f"{server.url}/e/demo/join" in poster


def visit(server, bib, name, note):
    """One whole visit at table 1."""
    join(server.url, bib, name)
    staff = Staff(server.url)
    staff.act(1, "call-next")
    staff.act(1, "start")
    staff.act(1, "finish", note=note)


def test_export_has_every_move_and_purge_erases_names_but_keeps_counts(server):
    visit(server, 4321, "Zelda", "=HYPERLINK(\"x\")")
    organiser = Organiser(server.url)
    exported = organiser.http.get(f"{server.url}/e/demo/export.csv", timeout=10)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["to_status"] for r in rows] == ["waiting", "called", "in_treatment", "done"]
    assert rows[0]["bib"] == "4321" and rows[0]["first_name"] == "Zelda"
    assert rows[0]["note"].startswith("'=")  # a spreadsheet will not run it as a formula
    refused = organiser.form("/e/demo/settings/purge", {"confirm": "wrong"}, page="/e/demo/settings")
    assert refused.status_code == 422
    done = organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")
    assert "Personal data erased" in done.text
    after = organiser.http.get(f"{server.url}/e/demo/export.csv", timeout=10).text
    assert "Zelda" not in after and "4321" not in after and "HYPERLINK" not in after
    assert organiser.api("GET", "/dashboard").json()["stats"]["done"] == 1


def test_the_flask_commands_import_export_and_purge(server):
    start_list = server.folder / "start.csv"
    start_list.write_text(START_LIST, encoding="utf-8")
    env = server.env()

    def flask(*args):
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    assert "Imported 2 runners" in flask("import-start-list", "demo", str(start_list)).stdout
    visit(server, 101, "Élodie", "calf")
    out = server.folder / "out.csv"
    assert flask("export", "demo", str(out)).returncode == 0
    assert "Élodie" in out.read_text(encoding="utf-8")
    assert flask("purge", "demo", "--yes").returncode == 0
    flask("export", "demo", str(out))
    assert "Élodie" not in out.read_text(encoding="utf-8")
    refused = flask("set-password", "--password", "short")
    assert refused.returncode != 0 and "at least 10 characters" in refused.stderr
