"""`flask lessons check` (prove every curated lesson) and `flask lessons new` (a skeleton to fill in)."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from blueprints.deps import service
from dal.base import StoreError
from services.admin.content_status import record_check
from services.clock import utcnow
from services.errors import InvalidInput

lessons_cli = AppGroup("lessons", help="Check and create curated lessons.")


@lessons_cli.command("check")
@click.option("--concurrency", default=2, show_default=True, help="Lessons graded at once.")
def check(concurrency: int) -> None:
    """Validate every lesson file, grade its solution and starter, run its examples."""
    from services.lessons.check import check_library  # not imported by every app start-up

    started = time.monotonic()
    ran_at = utcnow()
    result = check_library(current_app.config["LESSONS_DIR"], service("grader"), concurrency=concurrency,
                           progress=lambda problem: click.echo(str(problem), err=True))
    try:  # the admin content page shows this run (it never runs the check itself)
        record_check(service("store"), result, current_app.config["LESSONS_DIR"], ran_at=ran_at,
                     seconds=time.monotonic() - started)
    except StoreError as exc:
        click.echo(f"The result was not recorded for the admin page: {exc}", err=True)
    count = len(result.problems)
    click.echo(f"{result.lessons} lesson files checked in {time.monotonic() - started:.1f} s: "
               f"{count} problem{'s' if count != 1 else ''}. Quiz: {result.quiz_programs} questions answered "
               f"by running their program, {result.quiz_wrong} of them answered wrongly in the bank.")
    if count:
        raise SystemExit(1)


@lessons_cli.command("references")
def references() -> None:
    """Observe every lesson's hidden checks on its reference solution; store them in content/references."""
    from services.lessons.check import write_references

    changed, problems = write_references(current_app.config["LESSONS_DIR"], service("grader"))
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(changed)} reference file{'s' if len(changed) != 1 else ''} written"
               + (f": {', '.join(changed)}" if changed else "") + ".")
    if problems:
        raise SystemExit(1)


@lessons_cli.command("new")
@click.argument("language")
@click.argument("level")
@click.argument("topic")
def new(language: str, level: str, topic: str) -> None:
    """Write a skeleton lesson file for LANGUAGE LEVEL "TOPIC"."""
    from services.lessons.skeleton import write_skeleton

    try:
        path = write_skeleton(current_app.config["LESSONS_DIR"], language, level, topic)
    except InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {path}. Fill in every TODO, then run `flask lessons check`.")


def init_app(app: Flask) -> None:
    app.cli.add_command(lessons_cli)
