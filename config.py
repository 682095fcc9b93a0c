"""Every setting CodeLearn reads: its name, default and meaning, in one table.

`create_app` loads these defaults, then the environment (each setting as `CODELEARN_<NAME>`, parsed
as JSON when it parses, e.g. `CODELEARN_GRADER_CONCURRENCY=4`), then the caller's overrides.
The README's configuration table lists the same names; a test keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.ai.wiring import config_rows as ai_config_rows
from services.grader import Limits
from services.grader.limits import function_memory_mb, wall_seconds_for

ENV_PREFIX = "CODELEARN"

_GRADER_DEFAULTS = Limits()


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ENV", "local", "`local` (development defaults) or `aws` (HTTPS only: HSTS, Secure cookies)."),
    Setting("SECRET_KEY", None, "Signs cookies and CSRF tokens. Local: generated once into `instance/secret_key`."),
    Setting("INSTANCE_PATH", None, "Folder for local state (SQLite file, outbox, secret key). Default `./instance`."),
    Setting("STORE", "sqlite", "Storage backend: `sqlite` or `dynamodb`."),
    Setting("SQLITE_PATH", None, "SQLite database file. Default `instance/codelearn.sqlite3`."),
    Setting("DYNAMODB_TABLE", "codelearn", "DynamoDB table name (one table for everything)."),
    Setting("AWS_REGION", "us-east-1", "Region for DynamoDB, Bedrock and SES."),
    Setting("MAIL", "outbox", "Mail transport: `outbox` (files in `instance/outbox` + a log line) or `ses`."),
    Setting("MAIL_FROM", "CodeLearn <no-reply@codelearn.invalid>", "Sender address of account emails."),
    Setting("SESSION_HOURS", 12, "Lifetime of a login session without \"remember me\"."),
    Setting("REMEMBER_DAYS", 30, "Lifetime of a login session with \"remember me\"."),
    Setting("VERIFY_TOKEN_HOURS", 48, "How long an email verification link works."),
    Setting("RESET_TOKEN_MINUTES", 30, "How long a password reset link works."),
    Setting("LOGIN_FAILURES_PER_PAIR", 5, "Failed logins per account from one client address in the window before "
            "that pair waits out the window (others can still log in to the account)."),
    Setting("LOGIN_FAILURES_PER_ACCOUNT", 50, "Failed logins per account from anywhere in the window before it is "
            "throttled for everyone; past the pair limit it already takes one try per growing delay."),
    Setting("LOGIN_FAILURES_PER_ADDRESS", 20, "Failed logins per client address (over every account) in the window."),
    Setting("LOGIN_WINDOW_MINUTES", 15, "Window of the failed-login counters."),
    Setting("LOGIN_MAX_DELAY_SECONDS", 60, "Longest delay between tries on an account under attack (it doubles "
            "from 2 s with each wrong password past the pair limit)."),
    Setting("SIGNUPS_PER_ADDRESS_PER_HOUR", 5, "New accounts per client address per hour (429 past it)."),
    Setting("MAX_FORM_BYTES", 262_144, "Largest request body accepted (413 above)."),
    Setting("GRADER_CPU_SECONDS", _GRADER_DEFAULTS.cpu_seconds, "CPU seconds one grading run may use in all."),
    Setting("GRADER_TEST_CPU_SECONDS", _GRADER_DEFAULTS.test_cpu_seconds,
            "CPU seconds loading the code, and each test, may use within that total."),
    Setting("GRADER_WALL_SECONDS", None, "Wall-clock seconds before a run is killed. Empty: derived from the CPU "
            "seconds and, on Lambda, the function's memory (README, Operators: the grader on Lambda)."),
    Setting("GRADER_MEMORY_MB", _GRADER_DEFAULTS.memory_mb, "Address-space limit of a grading run."),
    Setting("GRADER_OUTPUT_BYTES", _GRADER_DEFAULTS.output_bytes, "Learner output kept per run."),
    Setting("GRADER_MAX_CODE_CHARS", _GRADER_DEFAULTS.max_code_chars, "Largest submission graded."),
    Setting("GRADER_CONCURRENCY", 2, "Grading processes at once; the rest wait."),
    Setting("GRADER_QUEUE_SECONDS", 10, "How long a submission waits for a grader before \"busy\"."),
    Setting("GRADER_QUEUE_LENGTH", 1, "Submissions waiting for a grader per process; past it, \"busy\" at once. "
            "Serve with more request threads per process than this plus GRADER_CONCURRENCY."),
    Setting("SUBMISSIONS_PER_MINUTE", 10, "Code submissions per learner per minute."),
    Setting("HINT_RUNS_PER_MINUTE", 5, "AI-hint requests per learner per minute (each runs the learner's code)."),
    Setting("RUNS_PER_MINUTE", 20, "Runs without grading (the Run button) per learner per minute."),
    Setting("UNVERIFIED_SUBMISSIONS_PER_MINUTE", 3, "Code submissions per minute of a learner whose email address "
            "is not confirmed yet."),
    Setting("UNVERIFIED_HINT_RUNS_PER_MINUTE", 1, "AI-hint requests per minute of a learner not confirmed yet."),
    Setting("UNVERIFIED_RUNS_PER_MINUTE", 5, "Runs (the Run button) per minute of a learner not confirmed yet."),
    Setting("CODE_RUNS_PER_LEARNER", 1, "Runs of one learner's code at once per server process; more are refused."),
    Setting("REVIEW_RETENTION", 0.9, "Desired retention of spaced reviews: the chance of recall FSRS schedules "
            "each review for (higher: more reviews)."),
    Setting("REVIEW_DAILY_CAP", 20, "Most review items a learner is given a day; a bigger backlog is spread over "
            "the next days, most overdue first."),
    Setting("REVIEW_FUZZ", True, "Spread review due dates by FSRS's small random fuzz (tests turn it off)."),
    Setting("LOG_LEVEL", "INFO", "Level of the JSON log lines on stderr."),
    Setting("LESSONS_DIR", None, "Folder of the curated lesson files. Default `content/lessons` in the project."),
    Setting("LESSON_VIEWS_BATCH", 20, "Lesson views counted in memory before one write to the usage ledger."),
    Setting("CHAT_DEADLINE_S", 20, "Seconds a tutor chat answer may take online; past it the learner gets the "
            "offline answer (well inside API Gateway's 29 s)."),
    Setting("REPORT_FONT", None, "TrueType font of the PDF progress report (Unicode). Default: the DejaVu Sans "
            "the Lambda package ships, else the system's; without one, the PDF core font (Latin-1 only)."),
    Setting("PROGRESS_IDLE_MINUTES", 10, "Learning time: a gap between a learner's actions counts up to this long; "
            "longer was not learning."),
    Setting("OIDC_PROVIDERS", {}, "Sign-in with identity providers (OpenID Connect), by name: "
            "`{\"google\": {\"issuer\": \"https://accounts.google.com\", \"client_id\": \"...\", "
            "\"client_secret\": \"...\"}}`; optional `label`, `scope`, `authorize_params` (Cognito: "
            "`{\"identity_provider\": \"Google\"}`). Empty: off, no button shown."),
    Setting("API_ACCESS_TOKEN_MINUTES", 15, "Lifetime of an `/api/v1` access token; the client then refreshes it "
            "(the login session behind it lives as long as a site login's)."),
    Setting("API_REFRESH_GRACE_SECONDS", 10, "A refresh token sent again within this many seconds of its use gets "
            "the same new pair (a retry after a lost answer); later, it revokes every token of that login."),
    Setting("API_CORS_ORIGINS", [], "Origins allowed to call `/api/v1` from a browser (CORS), e.g. "
            "`[\"https://app.example.com\"]`. Empty: none (the API is for apps and same-origin pages)."),
    *(Setting(name, default, help) for name, default, help in ai_config_rows()),
)

SETTING_NAMES = frozenset(s.name for s in SETTINGS)


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


# Request threads per server process that grading can never hold (gunicorn.conf.py).
PAGE_THREADS = 8


def request_threads(config: Mapping[str, Any]) -> int:
    """Request threads per server process: every place grading can hold (its slots and waiting
    places; past them a submission is "busy" at once), and PAGE_THREADS more for pages."""
    return config["GRADER_CONCURRENCY"] + config["GRADER_QUEUE_LENGTH"] + PAGE_THREADS


def grader_limits(config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Limits:
    """The grader's limits from the settings; an unset wall limit follows the CPU limit and the
    CPU share of the function (Lambda's memory size, read from `environ`, by default the process's)."""
    wall = config["GRADER_WALL_SECONDS"]
    if wall is None:
        wall = wall_seconds_for(
            config["GRADER_CPU_SECONDS"],
            memory_mb=function_memory_mb(os.environ if environ is None else environ),
            queue_seconds=config["GRADER_QUEUE_SECONDS"],
        )
    return Limits(
        cpu_seconds=config["GRADER_CPU_SECONDS"],
        test_cpu_seconds=config["GRADER_TEST_CPU_SECONDS"],
        wall_seconds=wall,
        memory_mb=config["GRADER_MEMORY_MB"],
        output_bytes=config["GRADER_OUTPUT_BYTES"],
        max_code_chars=config["GRADER_MAX_CODE_CHARS"],
    )
