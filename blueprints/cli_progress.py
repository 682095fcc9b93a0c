"""`flask progress backfill`: every learner's activity aggregates rebuilt from their events, and the
achievements their history earns (idempotent: run it again and nothing changes)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from blueprints.deps import service, store
from services.progress.backfill import backfill

progress_cli = AppGroup("progress", help="Progress aggregates and achievements.")


@progress_cli.command("backfill")
def backfill_command() -> None:
    """Rebuild every learner's aggregates from their history and award what it earns."""
    result = backfill(store(), service("progress_recorder"))
    click.echo(f"Back-filled {result.learners} learners from {result.events} events; "
               f"{result.awarded} achievements awarded.")


def init_app(app: Flask) -> None:
    app.cli.add_command(progress_cli)
