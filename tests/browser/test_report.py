"""The day's report in Chromium: a scripted day (tests/browser/report_day.py) drawn as uPlot charts on a laptop and
a phone, and printed on A4 with every section, each starting a page, the charts whole."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import A4
from tests.browser.organiser_pages import PHONE
from tests.browser.organiser_pages import assert_no_sideways_scroll
from tests.browser.organiser_pages import console_problems
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import pdf_pages
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import check_page
from tests.support.clients import Organiser
from tests.support.server import PIN
from tests.support.server import next_test_needs_the_same

pytestmark = pytest.mark.browser

WIDE = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
SECTIONS = {"outcomes": "Runners", "walk-aways": "Who walked away", "waits": "The waits we told, and what followed",
            "peaks": "The peaks", "tables": "Tables working", "team": "The team", "feedback": "What runners said",
            "next-year": "Next year"}
CHARTS = ("chart-joins", "chart-waits", "chart-tables", "chart-next-year")


@pytest.fixture
def server(request, spare_servers):
    """The browser fixtures' server, with no grace-time sweep in the test's time: the scripted day is yesterday's,
    and a sweep between a call and its start would mark that runner a no-show."""
    process = spare_servers.take({"SWEEP_SECONDS": "3600"}, launch_next=next_test_needs_the_same(request))
    yield process
    process.stop()


@pytest.fixture
def race_day(server):
    """Yesterday's scripted day, written into the server's database by the app's own actions."""
    done = subprocess.run([sys.executable, "-m", "tests.browser.report_day", PIN], env=dict(server.env()),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def charts_drawn(page):
    """Each uPlot chart of the report: where it is, how many series and points it draws, its canvas size."""
    return page.evaluate("""() => window.uPlot.sync("report").plots.map((u) => ({
        id: u.root.parentElement.id, series: u.series.length - 1, points: u.data[0].length,
        width: u.root.querySelector("canvas").clientWidth}))""")


def test_the_report_draws_its_charts_on_a_laptop_and_a_phone_and_prints_every_section(devices, server, shots,
                                                                                       race_day, tmp_path):
    """One scripted day (a minute to write), looked at three ways: a laptop, a phone, and A4."""
    report = Organiser(server.url).api("GET", "/report").json()
    assert (report["joined"], report["served"]) == (race_day["joined"], race_day["massages"])
    assert report["next_year"]["status"] == "planned" and report["tables"]["most"] == 4
    for size in ("1280x800", "390x844"):
        charts_on_screen(devices, shots, report, size)
    printed(devices, shots, tmp_path)


def charts_on_screen(devices, shots, report, size):
    """The report at `size`: every chart drawn within the width, every section headed, the page checked."""
    page = open_screen(devices, WIDE if size == "1280x800" else PHONE).new_page()
    problems = console_problems(page)
    sign_in_organiser(page, "/e/demo/report")
    expect(page.locator(".report-chart canvas")).to_have_count(len(CHARTS))
    drawn = {chart["id"]: chart for chart in charts_drawn(page)}
    assert set(drawn) == set(CHARTS)
    assert drawn["chart-next-year"]["points"] == len(report["next_year"]["hours"])
    assert drawn["chart-tables"]["points"] == len(report["tables"]["slots"])
    assert all(0 < chart["width"] <= page.viewport_size["width"] for chart in drawn.values())
    expect(page.locator(".heat-strip")).to_be_hidden()  # the chart says it: the CSS strip is the fallback
    for section, heading in SECTIONS.items():
        expect(page.locator(f"#{section} h2")).to_have_text(heading)
    check_page(page, shots, f"report-{size}")
    assert_no_sideways_scroll(page)
    assert problems == []


def printed(devices, shots, tmp_path):
    """The report printed on A4: every section starts a page, the charts are in it, and its pages as PNGs."""
    page = open_screen(devices, A4).new_page()
    sign_in_organiser(page, "/e/demo/report")
    expect(page.locator(".report-chart canvas")).to_have_count(len(CHARTS))
    page.emulate_media(media="print")
    expect(page.locator(".org-nav")).to_be_hidden()
    expect(page.locator("#print")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    (shots.folder / "report.pdf").write_bytes(pdf)
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    pages = text.split("\f")
    # Every section starts a page of its own: its heading is among the first lines of one (the first page opens
    # with the event's name and the print date).
    tops = [[line.strip() for line in sheet.splitlines() if line.strip()][:4] for sheet in pages]
    for heading in SECTIONS.values():
        assert any(heading in top for top in tops), (heading, tops)
    assert pdf_pages(pdf) >= len(SECTIONS)
    # The charts are in the PDF as pictures: their captions and legends are on the pages of their sections.
    for caption in ("Joins per 15 minutes", "Tables working and tables massaging, per 15 minutes",
                    "Tables needed each hour, against the tables that worked"):
        assert caption in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "report.pdf"), str(shots.folder / "page")],
                   check=True, timeout=120)
