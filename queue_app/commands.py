"""`flask --app wsgi ...` commands for setting an event up."""

import click

from . import organise
from .domain import ValidationError


def register(app):
    """Add the commands to the app's CLI."""
    app.cli.add_command(set_pin)


@click.command("set-pin")
@click.argument("slug")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="6 to 12 digits.")
def set_pin(slug, pin):
    """Set the staff PIN of event SLUG."""
    try:
        organise.set_pin(slug, pin)
    except ValidationError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"The staff PIN of {slug} is changed.")
