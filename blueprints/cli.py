"""Command-line tools, registered on the app: `flask init-db`, `flask users make-admin EMAIL`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from blueprints.deps import accounts, store
from services.errors import ServiceError

users_cli = AppGroup("users", help="Manage accounts.")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the SQLite schema or the DynamoDB table (idempotent)."""
    store().init_schema()
    click.echo("Storage is ready.")


@users_cli.command("make-admin")
@click.argument("email")
def make_admin(email: str) -> None:
    """Give the account with EMAIL the admin role."""
    try:
        user = accounts().make_admin(email)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{user.email} is now an admin.")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(users_cli)
