"""The tent's people: a roster, therapists signed in by name at a table, who treated whom in the audit log and the
export, each person's hours, and one tablet's sign-in ended while the others go on."""

import csv
import io
import re

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

ROSTER = ("name,registration,role,group,language\n"
          "Anna Schmidt,LMT-1,therapist,Main,de\n"
          "Anna Schmidt,LMT-2,student,Berlin school,\n"
          "Zoë Ålvarez 🌟,,supervisor,Berlin school,fr\n"
          "Ben,,intake,,\n"
          ",,therapist,,\n"
          "Carla,,masseuse,,\n"
          f"{'x' * 200},,therapist,,\n")


def import_roster(organiser, text):
    """Upload a roster CSV on the team page."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', organiser.http.get(
        f"{organiser.base_url}/e/demo/team", timeout=10).text).group(1)
    return organiser.http.post(f"{organiser.base_url}/e/demo/team/import", data={"csrf_token": token},
                               files={"file": ("roster.csv", text, "text/csv")}, timeout=10)


def roster(site):
    """{name on screens: id} of the roster, read from the team page's edit forms."""
    page = Organiser(site).http.get(f"{site.url}/e/demo/team", timeout=10).text
    return dict((name, int(pid)) for pid, name in re.findall(
        r'name="id" value="(\d+)">\s*<div class="field"><label for="name-\d+">Name</label><input id="name-\d+" '
        r'name="name" required maxlength="120" value="([^"]*)"', page))


def seat(staff, table, *people):
    """A signed-in tablet chooses who works at `table` and the table, as its form does."""
    return staff.http.post(f"{staff.base_url}/e/demo/staff/table", timeout=10,
                           data={"table": str(table), "people": [str(p) for p in people], "csrf_token": staff.csrf})


def test_a_roster_import_keeps_good_lines_skips_bad_ones_with_their_reason_and_keeps_two_annas_apart(site):
    organiser = Organiser(site)
    answer = import_roster(organiser, ROSTER)
    assert answer.status_code == 200
    assert "Roster imported: 4 people added, 0 updated." in answer.text
    assert "line 6: Give the person&#39;s name." in answer.text and "line 7: The role is one of" in answer.text
    assert "line 8: At most 120 characters." in answer.text
    names = roster(site)
    assert set(names) == {"Anna Schmidt (LMT-1)", "Anna Schmidt (LMT-2)", "Zoë Ålvarez 🌟", "Ben"}
    again = import_roster(organiser, "name,registration,role\nAnna Schmidt,LMT-1,supervisor\n")
    assert "0 people added, 1 updated." in again.text and len(roster(site)) == 4


def test_a_file_that_is_no_roster_changes_nothing(site):
    organiser = Organiser(site)
    import_roster(organiser, "name\nBen\n")
    refused = import_roster(organiser, "bib,first_name\n1,Ann\n")
    assert refused.status_code == 422 and "The roster needs a column named name." in refused.text
    assert list(roster(site)) == ["Ben"]


def test_a_named_therapist_calls_starts_and_finishes_and_the_export_and_hours_name_them(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    people = roster(site)
    anna, ben = people["Anna Schmidt (LMT-1)"], people["Ben"]
    runner = join(site, 61).json()
    staff = Staff(site)
    assert seat(staff, 4, anna, ben).status_code == 200  # on to the table page
    table = staff.http.get(f"{site.url}/e/demo/staff/table/4", timeout=10).text
    # Anna's roster entry says German: the tablet now speaks it.
    assert '<html lang="de"' in table and 'id="who">Anna Schmidt (LMT-1) + Ben · </span>Tisch 4</h1>' in table
    for action in ("call-next", "start"):
        assert staff.act(4, action).status_code == 200
    assert staff.act(4, "finish", note="tight calves").status_code == 200
    rows = list(csv.DictReader(io.StringIO(organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10)
                                           .text.lstrip("\ufeff"))))
    done = [r for r in rows if r["ticket"] == runner["number"] and r["to_status"] == "done"]
    assert done[0]["people"] == "Anna Schmidt (LMT-1) + Ben"
    dashboard = organiser.api("GET", "/dashboard").json()
    at_four = next(t for t in dashboard["tables"] if t["number"] == 4)
    assert [p["name"] for p in at_four["people"]] == ["Anna Schmidt (LMT-1)", "Ben"]
    hours = organiser.http.get(f"{site.url}/e/demo/team/{anna}", timeout=10).text
    assert "Anna Schmidt (LMT-1)" in hours and re.search(r"<dt>Massages</dt><dd>1</dd>", hours)
    team_csv = list(csv.DictReader(io.StringIO(organiser.http.get(f"{site.url}/e/demo/team.csv", timeout=10)
                                               .text.lstrip("\ufeff"))))
    assert {r["name"]: r["massages"] for r in team_csv}["Ben"] == "1"
    # The runner's phone and the public board never name who treated them.
    for path in (f"/api/v1/tickets/{runner['token']}", "/api/v1/events/demo/board", f"/t/{runner['token']}"):
        assert "Anna" not in site.http.get(f"{site.url}{path}", timeout=10).text


def test_a_shift_change_moves_the_next_massage_to_the_new_person_and_the_earlier_stay(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    people = roster(site)
    first, second = people["Anna Schmidt (LMT-1)"], people["Zoë Ålvarez 🌟"]
    for bib in (62, 63):
        join(site, bib)
    staff = Staff(site)
    seat(staff, 2, first)
    for action in ("call-next", "start", "finish"):
        staff.act(2, action)
    seat(staff, 2, second)  # the shift changes: two taps, the tablet stays signed in
    for action in ("call-next", "start", "finish"):
        assert staff.act(2, action).status_code == 200
    team_csv = {r["name"]: r["massages"] for r in csv.DictReader(io.StringIO(
        organiser.http.get(f"{site.url}/e/demo/team.csv", timeout=10).text.lstrip("\ufeff")))}
    assert (team_csv["Anna Schmidt (LMT-1)"], team_csv["Zoë Ålvarez 🌟"]) == ("1", "1")


def test_a_person_is_at_one_table_at_a_time(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    anna = roster(site)["Anna Schmidt (LMT-1)"]
    seat(Staff(site), 1, anna)
    other = Staff(site)  # another tablet claims her
    refused = seat(other, 3, anna)
    assert refused.status_code == 422 and "is signed in at table 1" in refused.text
    assert seat(other, 3).status_code == 422  # nobody chosen, with a roster: say who works here
    assert seat(other, 3, *roster(site).values()).status_code == 422  # three or more: at most two


def test_a_removed_person_leaves_their_table_and_their_tablet_hears_it(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    ben = roster(site)["Ben"]
    staff = Staff(site)
    seat(staff, 5, ben)
    tablet = staff.listen()
    tablet.next("snapshot")
    token = re.search(r'name="csrf_token" value="([^"]+)"', organiser.http.get(
        f"{site.url}/e/demo/team", timeout=10).text).group(1)
    organiser.http.post(f"{site.url}/e/demo/team/remove", data={"csrf_token": token, "id": ben}, timeout=10)
    delta = tablet.next("staff", lambda d: any(t["number"] == 5 for t in d["tables"]))
    assert next(t for t in delta["tables"] if t["number"] == 5)["people"] == []
    assert "Ben" not in roster(site)


def test_ending_one_sign_in_signs_that_tablet_out_and_leaves_the_other_working(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    people = roster(site)
    lost, kept = Staff(site), Staff(site)
    seat(lost, 1, people["Ben"])
    seat(kept, 2, people["Anna Schmidt (LMT-1)"])
    lost_socket, kept_socket = lost.listen(), kept.listen()
    lost_socket.next("snapshot")
    kept_socket.next("snapshot")
    at_one = next(t for t in organiser.api("GET", "/dashboard").json()["tables"] if t["number"] == 1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', organiser.http.get(
        f"{site.url}/e/demo/team", timeout=10).text).group(1)
    ended = organiser.http.post(f"{site.url}/e/demo/team/end-sign-in", timeout=10,
                                data={"csrf_token": token, "sign_in": at_one["people"][0]["sign_in"]})
    assert ended.status_code == 200 and "sign-in has ended; it asks for the PIN again" in ended.text
    assert lost_socket.next("signed_out")["message"].startswith("The organiser ended this tablet's sign-in")
    assert lost.act(1, "call-next").status_code == 401
    join(site, 64)
    assert kept.act(2, "call-next").status_code == 200  # the other tablet goes on
    assert not any(name == "signed_out" for name, _payload in kept_socket.heard())


def test_purge_waits_for_sign_ins_then_forgets_names_and_keeps_counts(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    anna = roster(site)["Anna Schmidt (LMT-1)"]
    join(site, 65)
    staff = Staff(site)
    seat(staff, 1, anna)
    for action in ("call-next", "start", "finish"):
        staff.act(1, action)
    purge = {"confirm": "demo"}
    refused = organiser.form("/e/demo/settings/purge", purge, page="/e/demo/settings")
    assert refused.status_code == 409 and "still signed in at a table" in refused.text
    sign_in = next(t for t in organiser.api("GET", "/dashboard").json()["tables"] if t["number"] == 1)["people"][0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', organiser.http.get(
        f"{site.url}/e/demo/team", timeout=10).text).group(1)
    organiser.http.post(f"{site.url}/e/demo/team/end-sign-in", data={"csrf_token": token,
                                                                    "sign_in": sign_in["sign_in"]}, timeout=10)
    assert organiser.form("/e/demo/settings/purge", purge, page="/e/demo/settings").status_code == 200
    export = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
    team_csv = organiser.http.get(f"{site.url}/e/demo/team.csv", timeout=10).text
    assert "Anna" not in export and "Anna" not in team_csv and "LMT-1" not in team_csv
    assert {r["name"]: r["massages"] for r in csv.DictReader(io.StringIO(team_csv.lstrip("\ufeff")))}[
        f"#{anna}"] == "1"  # anonymous counts stay


def post_team(organiser, section, **fields):
    """Send one of the team page's forms (add, edit, remove, end-sign-in), as the page does."""
    return organiser.form(f"/e/demo/team/{section}", fields, page="/e/demo/team")


def test_editing_a_person_changes_every_page_that_names_them_and_a_bad_edit_changes_nothing(site):
    organiser = Organiser(site)
    import_roster(organiser, ROSTER)
    anna = roster(site)["Anna Schmidt (LMT-1)"]
    edited = post_team(organiser, "edit", id=str(anna), name="Anna Schmidt-Berg", registration="LMT-1",
                       role="supervisor", group="Main", language="de")
    assert edited.status_code == 200 and "Saved." in edited.text
    assert "Anna Schmidt-Berg" in roster(site)
    refused = post_team(organiser, "edit", id=str(anna), name="", role="supervisor")
    assert refused.status_code == 422 and "Give the person&#39;s name." in refused.text
    assert "Anna Schmidt-Berg" in roster(site)
    unknown = post_team(organiser, "edit", id="99999", name="Nobody", role="therapist")
    assert unknown.status_code == 422 and "There is no person 99999 on this roster." in unknown.text
    hours = organiser.http.get(f"{site.url}/e/demo/team/{anna}", timeout=10)
    assert hours.status_code == 200 and "Anna Schmidt-Berg" in hours.text and "Ben" not in hours.text
    everyone = organiser.http.get(f"{site.url}/e/demo/team/hours", timeout=10).text
    assert all(name in everyone for name in ("Anna Schmidt-Berg", "Zoë Ålvarez 🌟", "Ben"))
    badges = organiser.http.get(f"{site.url}/e/demo/team/badges", timeout=10).text
    assert "Anna Schmidt-Berg" in badges and "Zoë Ålvarez 🌟" in badges
    assert organiser.http.get(f"{site.url}/e/demo/team/99999", timeout=10).status_code == 404


def test_a_roster_of_more_people_than_one_event_has_is_refused_whole(site):
    organiser = Organiser(site)
    crowd = "name\n" + "".join(f"Volunteer {n}\n" for n in range(2_001))
    refused = import_roster(organiser, crowd)
    assert refused.status_code == 422 and "2000" in refused.text.replace(",", "").replace("\u202f", "")
    assert roster(site) == {}
    assert "2000 people added" in import_roster(organiser, "name\n" + "".join(
        f"Volunteer {n}\n" for n in range(2_000))).text.replace(",", "")


def test_a_roster_file_over_the_size_cap_is_refused_before_it_is_read(app, site):
    app.config["START_LIST_MAX_BYTES"] = 2_000_000  # the cap a start list has; 10 MB by default
    organiser = Organiser(site)
    big = "name\n" + "Volunteer\n" * 250_000  # 2.5 MB
    refused = import_roster(organiser, big)
    assert refused.status_code == 422 and "The file is 2.5 MB; a roster may be at most 2 MB." in refused.text
    assert roster(site) == {}
