"""The staffing planner page in Chromium: an organiser uploads a day of arrivals and reads the answer's charts and
tables on a laptop, a tablet and a phone; a bad file is refused naming its line."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import SIZES
from tests.browser.organiser_pages import console_problems
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import check_page

pytestmark = pytest.mark.browser
CHARTS = ("chart-fewest", "chart-p90", "chart-waiting")
# A small day, so the server answers in a moment: 30 runners before the gun, 90 after it in a rush.
ARRIVALS = ("seconds_from_start_gun,bib,service\n"
            + "".join(f"{-3600 + 110 * n},{n},pre\n" for n in range(30))
            + "".join(f"{7200 + 40 * n},{100 + n},post\n" for n in range(90)))


def painted_pixels(page, chart):
    """How many pixels of a chart's canvas have been drawn on (uPlot paints axes, lines and bars there)."""
    return page.evaluate("""(id) => {
        const canvas = document.querySelector(`#${id} canvas`);
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
        return painted;
    }""", chart)


def test_planner_page_draws_the_answer_of_an_uploaded_day_on_laptop_tablet_and_phone(devices, server, shots,
                                                                                     tmp_path):
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text(ARRIVALS, encoding="utf-8")
    for label, size in SIZES.items():
        page = open_screen(devices, size).new_page()
        problems = console_problems(page)
        sign_in_organiser(page, "/e/demo/plan")
        check_page(page, shots, f"{label}-form")
        page.locator("#plan-file").set_input_files(arrivals)
        page.locator("#plan-tables").fill("3,6,12")
        with page.expect_navigation():
            page.get_by_role("button", name="Plan").click()
        expect(page.locator("#plan-answer")).to_contain_text("120 arrivals (pre 30, post 90); hours from the start gun")
        for chart in CHARTS:
            expect(page.locator(f"#{chart} canvas")).to_have_count(1)
            assert painted_pixels(page, chart) > 2000, f"{chart} looks empty"
        expect(page.locator("#chart-fewest .u-legend")).to_contain_text("Fewest tables")
        for count in ("3 tables", "6 tables", "12 tables", "Target 20 min"):
            expect(page.locator("#chart-p90 .u-legend")).to_contain_text(count)
        # The bars are the table's numbers: one bar per hour with arrivals (-1:00 and +2:00).
        expect(page.locator("#fewest-table tbody tr")).to_have_count(2)
        expect(page.locator(".plan-busiest li").first).to_contain_text("busiest hour of pre-race massage, -1:00")
        page.locator("#chart-fewest").scroll_into_view_if_needed()
        shots.take(page, f"{label}-charts", full_page=False)
        check_page(page, shots, f"{label}-answer")
        assert problems == [], f"errors in the console at {label} size: {problems}"


def test_planner_page_refuses_a_file_with_an_unknown_service_naming_its_line(devices, server, shots, tmp_path):
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text(ARRIVALS + "9000,999,sauna\n", encoding="utf-8")
    page = devices.phone().new_page()
    sign_in_organiser(page, "/e/demo/plan")
    page.locator("#plan-file").set_input_files(arrivals)
    with page.expect_navigation():
        page.get_by_role("button", name="Plan").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Line 122: there is no service 'sauna' at this event (it has pre, post).")
    expect(page.locator("#plan-answer")).to_have_count(0)
    expect(page.locator("canvas")).to_have_count(0)
    check_page(page, shots, "phone-refused")
