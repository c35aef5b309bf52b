"""A new organiser's first day in Chromium (issue 20): a refused form puts the focus on what to fix, and the charts
read in the event's language and on its clock."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import fill_join_form
from tests.browser.pages import submit_join
from tests.support.clients import Organiser
from tests.support.clients import join

pytestmark = pytest.mark.browser


def test_a_refused_join_puts_the_focus_on_the_first_answer_to_fix(devices, shots):
    page = devices.phone().new_page()
    page.goto("/e/demo/join")
    fill_join_form(page, 101, "")
    submit_join(page)
    expect(page.locator("#first_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#first_name")).to_be_focused()
    expect(page.locator("#first_name")).to_be_in_viewport()
    shots.take(page, "first-name-refused", full_page=False)

    page.locator("#first_name").fill("Ana")
    page.locator("#bib").fill("")
    for radio in page.locator("input[name=screening_unwell]").all():
        radio.evaluate("input => { input.checked = false; }")
    submit_join(page)
    expect(page.locator(".form-error")).to_have_text("Please fix the 2 answers marked below.")
    expect(page.locator("#bib")).to_be_focused()  # the first of them, in the form's order


def test_a_refused_walk_in_puts_the_focus_on_its_field(devices, shots):
    page = open_screen(devices, LAPTOP).new_page()
    open_dashboard(page)
    page.locator("#walkin-name").fill("Ana")
    page.get_by_role("button", name="Add to queue").click()
    expect(page.locator("#walkin-result")).not_to_be_empty()
    expect(page.locator("#walkin-bib")).to_be_focused()
    expect(page.locator("#walkin-bib")).to_have_attribute("aria-invalid", "true")
    shots.take(page, "walk-in-refused", full_page=False)


def chart_axes(page, key):
    """Each chart of a page (uPlot, synced under `key`): its x axis's labels and its y scale's range."""
    return page.evaluate("""(key) => window.uPlot.sync(key).plots.map((u) => ({
        labels: (u.axes[0]._values || []).filter(Boolean), min: u.scales.y.min, max: u.scales.y.max,
        highest: Math.max(0, ...u.data.slice(1).flat().filter((v) => v !== null && v !== undefined)) }))""", key)


def test_the_dashboards_charts_tell_the_time_in_the_events_language_and_zone(devices, server, shots):
    organiser = Organiser(server.url)
    assert organiser.api("PATCH", "", {"time_zone": "Europe/Berlin"}).status_code == 200
    organiser.form("/e/demo/settings/language", {"language": "de"}, page="/e/demo/settings")
    join(server.url, 101, "Ana")
    page = open_screen(devices, LAPTOP).new_page()
    open_dashboard(page)
    expect(page.locator("#chart-waiting canvas")).to_have_count(1)
    charts = chart_axes(page, "dashboard")
    assert len(charts) == 3
    for chart in charts:
        assert chart["labels"], chart
        assert all(re.fullmatch(r"\d\d:\d\d", label) for label in chart["labels"]), chart["labels"]  # not "8:15pm"
        assert chart["min"] == 0 and chart["max"] >= chart["highest"], chart
    # The labels are Berlin's clock: the first tick is the first point's quarter hour in Berlin.
    berlin = page.evaluate("""new Intl.DateTimeFormat("de", {timeZone: "Europe/Berlin", hour: "2-digit",
        minute: "2-digit"}).format(new Date(window.uPlot.sync("dashboard").plots[0].data[0][0] * 1000))""")
    assert berlin[:2] in {label[:2] for chart in charts for label in chart["labels"]}
    page.locator("#chart-waiting").scroll_into_view_if_needed()
    shots.take(page, "charts", full_page=False)


def test_the_planners_charts_keep_every_line_inside_from_zero_up(devices, server, shots, tmp_path):
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text("seconds_from_start_gun,bib,service\n"
                        + "".join(f"{7200 + 20 * n},{100 + n},post\n" for n in range(120)), encoding="utf-8")
    page = open_screen(devices, LAPTOP).new_page()
    sign_in_organiser(page, "/e/demo/plan")
    page.locator("#plan-file").set_input_files(arrivals)
    page.locator("#plan-tables").fill("3,6,12")
    with page.expect_navigation():
        page.get_by_role("button", name="Plan").click()
    expect(page.locator("#chart-p90 canvas")).to_have_count(1)
    charts = chart_axes(page, "planner")
    assert len(charts) == 3
    for chart in charts:
        assert chart["min"] == 0 and chart["max"] >= chart["highest"], chart  # the 90 % waits ran off the top
    page.locator("#chart-p90").scroll_into_view_if_needed()
    shots.take(page, "charts", full_page=False)
