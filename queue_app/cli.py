"""`flask --app wsgi ...` commands: PINs and passwords, the start list, export and purge."""

from pathlib import Path

import click

from .actions import records
from .actions import setup
from .clock import now
from .reads import export as day_export
from .rules.errors import DomainError
from .rules.setup import PASSWORD_MIN


def register(app):
    """Add the commands to the app's CLI."""
    for command in (set_pin, set_password, import_start_list, export, purge):
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


@click.command("export")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export(slug, csv_file):
    """Write event SLUG's tickets with their full audit trail to CSV_FILE."""
    try:
        text = day_export.export_csv(slug)
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
