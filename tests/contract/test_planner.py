"""The staffing planner, in process: the `plan` command and the organiser's page, on an arrivals file, the app's
own export and the event's day so far; bad input is refused naming its line, with nothing half-computed."""

from queue_app.reads import export
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

ARRIVALS = ("seconds_from_start_gun,bib,service\n"
            + "".join(f"{-3000 + 60 * n},{n},pre\n" for n in range(1, 21))
            + "".join(f"{9000 + 30 * n},{100 + n},post\n" for n in range(1, 41)))


def plan_command(app, tmp_path, text, *options):
    """Run `flask --app wsgi plan demo --arrivals FILE ...` on `text`; answers click's result."""
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["plan", "demo", "--arrivals", str(arrivals), *options])


def test_the_plan_command_prints_each_hour_for_each_number_of_tables_and_the_fewest(app, tmp_path):
    result = plan_command(app, tmp_path, ARRIVALS, "--tables", "2,4", "--target-p90", "15")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Staffing plan: 60 arrivals (pre 20, post 40); hours from the start gun.\n")
    assert "Massage pre 10 min, post 15 min; walk-over 60 s; cleaning 60 s" in result.output
    header = "hour    arrivals  waiting at peak  wait p50  wait p90  utilisation"
    assert f"\n2 tables\n{header}\n-1:00         20" in result.output
    assert "\n4 tables\n" in result.output
    assert "Fewest tables for a p90 wait of at most 15 min" in result.output
    assert "Busiest hour of post: +2:00 (40 arrivals)" in result.output


def test_the_plan_command_takes_its_assumptions_as_options(app, tmp_path):
    result = plan_command(app, tmp_path, ARRIVALS, "--tables", "3", "--minutes", "pre=8,post=20", "--walk-seconds",
                          "0", "--clean-seconds", "120", "--no-show-rate", "0", "--seed", "9")
    assert result.exit_code == 0, result.output
    assert ("Massage pre 8 min, post 20 min; walk-over 0 s; cleaning 120 s between runners; no-shows 0% of runners "
            "(seed 9)") in result.output


def test_a_bad_arrivals_file_or_option_stops_the_command_with_the_line_and_prints_no_plan(app, tmp_path):
    for text, options, message in (
        ("seconds,bib,service\n1,1,pre\n", (), "Line 1: the columns are seconds, bib, service."),
        (ARRIVALS.replace("-2880,2,pre", "soon,2,pre"), (), "Line 3: the time 'soon' is not whole seconds"),
        (ARRIVALS + "60,999,sauna\n", (), "Line 62: there is no service 'sauna' at this event"),
        (ARRIVALS, ("--tables", "ten"), "Tables (tables): 'ten' is not a whole number."),
        (ARRIVALS, ("--minutes", "sauna=5"), "There is no service 'sauna' at this event"),
    ):
        result = plan_command(app, tmp_path, text, *options)
        assert result.exit_code == 1
        assert message in result.output
        assert "Staffing plan" not in result.output and "tables\nhour" not in result.output


def test_a_race_days_export_plans_the_next_one(app, site, tmp_path):
    """The export of a day with two runners, fed back to the planner: hours on the event's clock."""
    join(site, 11, "Ada")
    join(site, 12, "Ben", service="post")
    Staff(site).act(1, "call-next")
    with app.app_context():
        text = export.export_csv("demo")
    result = plan_command(app, tmp_path, text, "--tables", "1")
    assert result.exit_code == 0, result.output
    assert "Staffing plan: 2 arrivals (pre 1, post 1); hours on the event's clock." in result.output


def test_without_a_file_the_command_plans_the_events_own_day_so_far(app, site):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["plan", "demo"])
    assert refused.exit_code == 1 and "Nobody has joined this event yet" in refused.output
    for bib in (21, 22, 23):
        join(site, bib, "Runner")
    result = runner.invoke(args=["plan", "demo", "--tables", "1,3"])
    assert result.exit_code == 0, result.output
    assert "Staffing plan: 3 arrivals (pre 3, post 0); hours on the event's clock." in result.output
    assert "Busiest hour of pre:" in result.output and "2 tables keep its p90 wait within 20 min." in result.output


def plan_page(organiser, fields, text=None):
    """Post the planner page's form as a browser does, with `text` as the uploaded arrivals file."""
    files = {"arrivals": ("arrivals.csv", text)} if text is not None else None
    return organiser.form("/e/demo/plan", fields, files=files)


def test_the_planner_page_needs_the_organiser_and_is_in_the_organisers_navigation(site):
    assert site.http.get(f"{site.url}/e/demo/plan", allow_redirects=False, timeout=10).status_code == 302
    therapist = Staff(site)
    assert therapist.http.get(f"{site.url}/e/demo/plan", allow_redirects=False, timeout=10).status_code == 302
    organiser = Organiser(site)
    assert 'href="/e/demo/plan"' in organiser.http.get(f"{site.url}/e/demo/dashboard", timeout=10).text
    page = organiser.http.get(f"{site.url}/e/demo/plan", timeout=10).text
    assert 'name="minutes-pre" type="number" min="1" max="120" step="any" value="10"' in page
    assert 'name="minutes-post" type="number" min="1" max="120" step="any" value="15"' in page
    assert 'id="plan-answer"' not in page


def test_the_planner_page_answers_an_uploaded_file_with_charts_data_and_tables(site):
    answer = plan_page(Organiser(site), {"source": "file", "tables": "2,4", "target_p90": "15"}, ARRIVALS)
    assert answer.status_code == 200
    assert 'id="plan-answer"' in answer.text and 'id="plan-data"' in answer.text
    assert "60 arrivals (pre 20, post 40); hours from the start gun." in answer.text
    assert "With 2 tables" in answer.text and "With 4 tables" in answer.text
    assert 'id="chart-fewest"' in answer.text and "js/planner.js" in answer.text


def test_the_planner_page_refuses_a_bad_file_naming_the_line_and_shows_no_answer(site):
    organiser = Organiser(site)
    refused = plan_page(organiser, {"source": "file"}, ARRIVALS + "60,999,sauna\n")
    assert refused.status_code == 422
    assert "Line 62: there is no service &#39;sauna&#39; at this event" in refused.text
    assert 'id="plan-answer"' not in refused.text and 'id="plan-data"' not in refused.text
    missing = plan_page(organiser, {"source": "file"})
    assert missing.status_code == 422 and "Choose an arrivals file" in missing.text
    option = plan_page(organiser, {"source": "file", "no_show_rate": "5"}, ARRIVALS)
    assert option.status_code == 422 and "No-show rate (no_show_rate): 5 is not between 0 and 0.9." in option.text
    assert 'name="no_show_rate" type="number" min="0" max="0.9" step="any" value="5" aria-invalid="true"' in option.text


def test_the_planner_page_plans_the_events_day_so_far(site):
    organiser = Organiser(site)
    assert "Nobody has joined this event yet" in plan_page(organiser, {"source": "day"}).text
    join(site, 31, "Ada")
    answer = plan_page(organiser, {"source": "day", "tables": "1"})
    assert answer.status_code == 200 and "1 arrival (pre 1, post 0); hours on the event&#39;s clock." in answer.text


# Issue 21, item 4: one 0.34 MB file with these options took 98 s and 1.61 GB in the server's own process.
HOSTILE = ("seconds_from_start_gun,bib,service\n"
           + "".join(f"{(n * 7919) % 30_000 - 6_000},{n},{'post' if n % 3 else 'pre'}\n" for n in range(17_600)))
HOSTILE_OPTIONS = {"source": "file", "tables": "1,2,3,5,8,13,21,34", "target_p90": "0"}


def test_a_plan_past_the_planners_time_is_refused_with_its_limit(site):
    site.app.config["PLANNER_SECONDS"] = 2
    refused = plan_page(Organiser(site), HOSTILE_OPTIONS, HOSTILE)
    assert refused.status_code == 422, refused.text[:500]
    assert "This plan would take longer than 2 seconds, the planner&#39;s most." in refused.text
    assert 'id="plan-answer"' not in refused.text


def test_a_plan_past_the_planners_memory_is_refused_with_its_limit(site):
    site.app.config["PLANNER_MEMORY_MB"] = 30  # a worker holds about 19 MB of address space before it starts
    refused = plan_page(Organiser(site), HOSTILE_OPTIONS, HOSTILE)
    assert refused.status_code == 422, refused.text[:500]
    assert "This plan would need more than 30 MB of memory, the planner&#39;s most." in refused.text


def test_a_second_plan_while_one_is_being_made_is_refused(site):
    """Whichever of two plans made at once comes second is refused, and the one after them is made."""
    import threading

    site.app.config["PLANNER_SECONDS"] = 20
    organiser = Organiser(site)
    answers = []
    first = threading.Thread(target=lambda: answers.append(plan_page(Organiser(site), HOSTILE_OPTIONS, HOSTILE)))
    first.start()
    while first.is_alive():
        answers.append(plan_page(organiser, {"source": "file", "tables": "2"}, ARRIVALS))
    first.join()
    refused = [answer for answer in answers if answer.status_code == 409]
    assert refused, [answer.status_code for answer in answers]
    assert "A plan is being made; try again in a minute." in refused[0].text
    assert plan_page(organiser, {"source": "file", "tables": "2"}, ARRIVALS).status_code == 200
