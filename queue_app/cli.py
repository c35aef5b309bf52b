"""`flask --app wsgi ...` commands: PINs and passwords, the start list, export and purge, the staffing planner."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .actions import people
from .actions import records
from .actions import setup
from .clock import now
from .planner import day
from .planner import output
from .planner import process
from .reads import export as day_export
from .reads import planning
from .rules.errors import DomainError
from .rules.setup import PASSWORD_MIN


def register(app):
    """Add the commands to the app's CLI."""
    for command in (set_pin, set_password, import_start_list, import_roster, export, purge, plan):
        app.cli.add_command(command)


def _refusal(error):
    """A refused request as a clean command-line error."""
    return click.ClickException(error.message)


@click.command("set-pin")
@click.argument("slug")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="6 to 12 digits.")
def set_pin(slug, pin):
    """Set the staff PIN of event SLUG."""
    try:
        setup.set_pin(slug, pin, now())
    except DomainError as error:
        raise _refusal(error) from error
    click.echo(f"The staff PIN of {slug} is changed.")


@click.command("set-password")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {PASSWORD_MIN} characters.")
def set_password(password):
    """Set the organiser password."""
    try:
        setup.set_organiser_password(password, now())
    except DomainError as error:
        raise _refusal(error) from error
    click.echo("The organiser password is changed.")


@click.command("import-start-list")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_start_list(slug, csv_file):
    """Replace event SLUG's start list with CSV_FILE (columns bib, first_name; last_name, distance optional)."""
    try:
        with csv_file.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
            result = records.import_start_list(slug, lines, now())
    except DomainError as error:
        raise _refusal(error) from error
    click.echo(f"Imported {result['imported']} runners into {slug}.")
    if result["skipped"]:
        click.echo(f"Skipped {result['skipped']} lines:")
        for message in result["problems"]:
            click.echo(f"  {message}")
        if result["skipped"] > len(result["problems"]):
            click.echo(f"  ... and {result['skipped'] - len(result['problems'])} more")


@click.command("import-roster")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster(slug, csv_file):
    """Add CSV_FILE's people to event SLUG's roster (columns name; registration, role, group, language optional).
    People already there (the same name and registration) are updated; nobody is removed."""
    if csv_file.stat().st_size > current_app.config["START_LIST_MAX_BYTES"]:
        raise click.ClickException(f"{csv_file} is larger than a roster may be.")
    try:
        with csv_file.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
            result = people.import_roster(slug, lines, now())
    except DomainError as error:
        raise _refusal(error) from error
    click.echo(f"Added {result['added']} people to {slug}'s roster, updated {result['updated']}.")
    if result["skipped"]:
        click.echo(f"Skipped {result['skipped']} lines:")
        for message in result["problems"]:
            click.echo(f"  {message}")


@click.command("export")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export(slug, csv_file):
    """Write event SLUG's tickets with their full audit trail to CSV_FILE."""
    try:
        text = day_export.export_for_spreadsheets(slug)
    except DomainError as error:
        raise _refusal(error) from error
    csv_file.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {text.count(chr(10)) - 1} rows to {csv_file}.")


@click.command("purge")
@click.argument("slug")
@click.confirmation_option(prompt="Erase names, bibs, notes and screening answers of this event for good?")
def purge(slug):
    """Erase event SLUG's personal data, keeping anonymous counts and times."""
    try:
        records.purge(slug, now())
    except DomainError as error:
        raise _refusal(error) from error
    click.echo(f"Personal data of {slug} erased.")


@click.command("plan")
@click.argument("slug")
@click.option("--arrivals", "arrivals_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of seconds_from_start_gun,bib,service, or the app's export; default: the event's day so far.")
@click.option("--tables", default=day.DEFAULTS["tables"], show_default=True,
              help="Numbers of tables to replay the day with, comma-separated.")
@click.option("--minutes", default="", help="Minutes per massage, e.g. pre=10,post=15 (default: the event's).")
@click.option("--walk-seconds", default=day.DEFAULTS["walk_seconds"], show_default=True,
              help="From the call to the runner on the table.")
@click.option("--clean-seconds", default=day.DEFAULTS["clean_seconds"], show_default=True,
              help="Cleaning a table between runners.")
@click.option("--no-show-rate", default=day.DEFAULTS["no_show_rate"], show_default=True,
              help="Share of runners who never come; each holds the table for the service's grace time.")
@click.option("--seed", default=day.DEFAULTS["seed"], show_default=True, help="Picks the no-shows.")
@click.option("--target-p90", default=day.DEFAULTS["target_p90"], show_default=True,
              help="Minutes 90 % of runners should wait at most.")
@with_appcontext
def plan(slug, arrivals_file, **options):
    """Replay a day through the queue's rules and print, per hour, the waits with each number of tables and the
    fewest tables that keep the 90th percentile wait within the target."""
    try:
        options["minutes"] = day.parse_minutes(options["minutes"])
        make = process.for_app(current_app)  # one at a time, bounded, as on the page
        if arrivals_file is None:
            answer = planning.plan(slug, None, options, make=make)
        else:
            with arrivals_file.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
                answer = planning.plan(slug, lines, options, make=make)
    except DomainError as error:
        raise _refusal(error) from error
    click.echo(output.render_text(answer), nl=False)
