"""The start-list upload (issue 12, break 7): a size cap, a message per bad line, and a list that comes into force
whole or not at all; the old list stays until a new one is read."""

import sqlite3

from tests.support.clients import Organiser
from tests.support.clients import join

GOOD = "bib,first_name,last_name\n101,Élodie,Durand\n102,Anne-Marie,O'Neil\n"


def upload(organiser, content, name="start.csv"):
    """Post `content` (bytes) as the start-list file; the settings page that comes back."""
    return organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                          files={"file": (name, content, "text/csv")})


def lines_stored(site):
    """(generation, bib) of every start-list line in the database, whatever its generation."""
    with sqlite3.connect(site.app.config["DATABASE_FILE"]) as connection:
        return sorted(connection.execute("SELECT generation, bib FROM start_list"))


def test_bad_lines_are_skipped_each_with_its_reason(site):
    content = ("bib,first_name\n101,Élodie\n12 34,Ana\n103,\n101,Again\n104,Zo\x07e\n"
               f"105,{'A' * 1_500}\n106,Ben\n").encode()
    answer = upload(Organiser(site), content)
    assert answer.status_code == 200
    assert "Start list imported: 2 runners, 5 lines skipped" in answer.text
    for reason in ("line 3: bib &#39;12 34&#39; is not a bib", "line 4: bib 103 has no first name",
                   "line 5: bib 101 is already on line 2", "line 6: a control character",
                   "line 7: a field over 1000 characters"):
        assert reason in answer.text, reason
    assert join(site, 106, "Ben").status_code == 201
    assert join(site, 103, "Cy").json()["field"] == "bib"


def test_a_file_with_no_runner_or_not_csv_changes_nothing(site):
    organiser = Organiser(site)
    upload(organiser, GOOD.encode())
    before = lines_stored(site)
    for content, words in ((b"bib,first_name\n12 34,Ana\n,Bo\n", "No runner could be read from the file: line 2"),
                           (b"name,number\nAna,12\n", "needs columns named bib and first_name"),
                           (b"bib,first_name\n1,Ana\n2,\"" + b"x" * 200_000 + b"\"\n", "Line 3 is not CSV")):
        answer = upload(organiser, content)
        assert answer.status_code == 422 and words in answer.text, words
        assert lines_stored(site) == before, "a refused file left lines behind"
    assert join(site, 101, "Elodie").status_code == 201  # the old list is still in force


def test_a_file_over_the_cap_is_refused_with_its_size(site):
    site.app.config["START_LIST_MAX_BYTES"] = 50_000
    organiser = Organiser(site)
    upload(organiser, GOOD.encode())
    big = "bib,first_name\n" + "".join(f"{n},Runner\n" for n in range(1, 8_000))
    answer = upload(organiser, big.encode())
    assert answer.status_code == 422
    assert "The file is 0.1 MB; a start list may be at most 0.05 MB." in answer.text
    assert join(site, 7_000, "Runner").json()["field"] == "bib"  # not imported: the old list is in force


def test_a_new_list_replaces_the_old_and_leaves_no_old_lines(site):
    organiser = Organiser(site)
    upload(organiser, GOOD.encode())
    many = "bib,first_name\n" + "".join(f"{n},Runner\n" for n in range(1, 5_001))
    assert "Start list imported: 5000 runners." in upload(organiser, many.encode()).text
    stored = lines_stored(site)
    assert len(stored) == 5_000 and len({generation for generation, _ in stored}) == 1
    assert join(site, 101, "Runner").status_code == 201
    assert join(site, 102, "Anne-Marie").json()["field"] == "first_name"  # 102 is Runner now
