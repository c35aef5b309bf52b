"""The organiser's `flask --app wsgi` commands, run as an organiser runs them, on a real server's database."""

import subprocess
import sys

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ROOT

START_LIST = (
    "bib,first_name,last_name,gender,category,distance\n"
    "101,Élodie,Durand,F,18-34,marathon\n"
    "102,Anne-Marie,O'Neil,F,35-39,half\n"
)


def visit(server, bib, name, note):
    """One whole visit at table 1."""
    join(server.url, bib, name)
    staff = Staff(server.url)
    staff.act(1, "call-next")
    staff.act(1, "start")
    staff.act(1, "finish", note=note)


def test_the_flask_commands_import_export_and_purge(server):
    start_list = server.folder / "start.csv"
    start_list.write_text(START_LIST, encoding="utf-8")
    env = server.env()

    def flask(*args):
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    assert "Imported 2 runners" in flask("import-start-list", "demo", str(start_list)).stdout
    roster = server.folder / "roster.csv"
    roster.write_text("name,role,language\nAnna Schmidt,therapist,de\nBen,juggler,\n", encoding="utf-8")
    imported = flask("import-roster", "demo", str(roster))
    assert imported.returncode == 0, imported.stderr
    assert "Added 1 people to demo's roster, updated 0." in imported.stdout and "line 3" in imported.stdout
    refused = flask("import-roster", "demo", str(start_list))  # a start list is no roster: nothing changes
    assert refused.returncode != 0 and "column named name" in refused.stderr
    team_page = Organiser(server.url).http.get(f"{server.url}/e/demo/team", timeout=10).text
    assert "Anna Schmidt" in team_page and "juggler" not in team_page
    visit(server, 101, "Élodie", "calf")
    out = server.folder / "out.csv"
    assert flask("export", "demo", str(out)).returncode == 0
    assert "Élodie" in out.read_text(encoding="utf-8")
    assert flask("purge", "demo", "--yes").returncode == 0
    flask("export", "demo", str(out))
    assert "Élodie" not in out.read_text(encoding="utf-8")
    refused = flask("set-password", "--password", "short")
    assert refused.returncode != 0 and "at least 10 characters" in refused.stderr
