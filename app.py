"""CodeLearn's application factory: settings, backends, services, blueprints, error pages, CLI.

This is the one place that names concrete backends; everything else receives them.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Config, Flask

import config
from blueprints import (
    admin,
    api,
    appearance,
    auth,
    cli,
    cli_lessons,
    cli_progress,
    errors,
    hardening,
    identity,
    lessons,
    login,
    main,
    nav,
    progress,
    reviews,
    tutor,
)
from blueprints import assistant as assistant_pages
from blueprints import chat as chat_pages
from dal.base import Store
from services.accounts import Accounts, AccountSettings
from services.ai import AISettings
from services.ai.cost_report import LessonViewCounter
from services.ai.lesson_index import LessonIndex
from services.ai.wiring import build_ai_service
from services.api_tokens import ApiTokens, TokenSettings
from services.assistant.service import AssistantService
from services.chat.service import ChatService
from services.code_runs import AI_HINT, RUN, SUBMIT, CodeRunLimiter
from services.grader import Grader
from services.identities import IdentityService, providers_from_settings
from services.lessons.learning import LearningService
from services.lessons.library import LessonLibrary
from services.lessons.rendering import LessonRenderer
from services.lessons.service import LessonService
from services.mail import Mailer, OutboxMailer, SesMailer
from services.progress.dashboard import DashboardService
from services.progress.data_rights import DataRights
from services.progress.deletion_link import DeletionByLink
from services.progress.profile import EmailChange, ProfileService
from services.progress.recorder import ActivityRecorder, RecorderSettings
from services.ratelimit import RateLimiter
from services.reviews.service import ReviewService, ReviewSettings
from services.tutor.concepts import load_concept_map
from services.tutor.service import TutorService, build_tutor

PROJECT_ROOT = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


def create_app(config_overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then `CODELEARN_*` environment variables, then `config_overrides`."""
    settings = Config(str(PROJECT_ROOT), config.defaults())
    settings.from_prefixed_env(config.ENV_PREFIX)  # CODELEARN_<NAME>, JSON-parsed when it parses
    settings.update(config_overrides or {})

    instance_path = Path(settings["INSTANCE_PATH"] or _default_instance_path()).resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=False)
    app.config.update(settings)
    _configure_security(app, instance_path)

    api.init_app(app)  # mounted first, so the request boundary below wraps API answers too
    hardening.init_app(app)
    errors.init_app(app)
    _build_services(app, instance_path)
    login.init_app(app)
    nav.init_app(app)
    for blueprint in (main.bp, auth.bp):
        app.register_blueprint(blueprint)
    lessons.init_app(app)
    tutor.init_app(app)
    reviews.init_app(app)
    chat_pages.init_app(app)
    assistant_pages.init_app(app)
    progress.init_app(app)
    identity.init_app(app)
    admin.init_app(app)
    appearance.init_app(app)
    cli.init_app(app)
    cli_lessons.init_app(app)
    cli_progress.init_app(app)
    return app


def _default_instance_path() -> Path:
    # On Lambda the package folder (/var/task) is read-only; /tmp is the one writable place.
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return Path(tempfile.gettempdir()) / "codelearn-instance"
    return PROJECT_ROOT / "instance"


def _configure_security(app: Flask, instance_path: Path) -> None:
    aws = app.config["ENV"] == "aws"
    if not app.config["SECRET_KEY"]:
        if aws:
            raise RuntimeError("CODELEARN_SECRET_KEY must be set when CODELEARN_ENV=aws.")
        app.config["SECRET_KEY"] = _local_secret_key(instance_path)
    app.config.update(
        MAX_CONTENT_LENGTH=app.config["MAX_FORM_BYTES"],
        SESSION_COOKIE_NAME="codelearn_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=aws,
        REMEMBER_COOKIE_NAME="codelearn_remember",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=aws,
        PREFERRED_URL_SCHEME="https" if aws else "http",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; the session expires
        WTF_CSRF_SSL_STRICT=aws,
    )


def _local_secret_key(instance_path: Path) -> str:
    """Generated once, kept in the instance folder so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _build_store(app: Flask, instance_path: Path) -> Store:
    kind = app.config["STORE"]
    if kind == "sqlite":
        from dal.sqlite import SqliteStore

        path = app.config["SQLITE_PATH"] or str(instance_path / "codelearn.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteStore(path)
    if kind == "dynamodb":
        from dal.dynamodb import DynamoStore

        # A connection for every request thread (botocore keeps 10): none is opened and dropped per call.
        client = _aws_client(app, "dynamodb", max_pool_connections=config.request_threads(app.config))
        return DynamoStore(client, app.config["DYNAMODB_TABLE"])
    raise RuntimeError(f"Unknown CODELEARN_STORE {kind!r}: use 'sqlite' or 'dynamodb'.")


def _aws_client(app: Flask, service: str, **config_kwargs: Any) -> Any:
    import boto3
    from botocore.config import Config

    client_config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2,
                           read_timeout=5, **config_kwargs)
    return boto3.client(service, region_name=app.config["AWS_REGION"], config=client_config)


class _ClientOnFirstUse:
    """A boto3 client built when first used. Mail is rare, and building the SES client took ~95 ms
    of every Lambda cold start (measured from the package, bench/package.py)."""

    def __init__(self, build: Any) -> None:
        self._build = build
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = self._build()
        return getattr(self._client, name)


def _build_mailer(app: Flask, instance_path: Path) -> Mailer:
    if app.config["MAIL"] == "ses":
        return SesMailer(_ClientOnFirstUse(lambda: _aws_client(app, "ses")), app.config["MAIL_FROM"])
    return OutboxMailer(instance_path / "outbox")


def _build_api_tokens(app: Flask) -> None:
    """Bearer tokens of /api/v1 clients, on the accounts' server-side sessions (services/api_tokens.py)."""
    settings = TokenSettings(access_minutes=app.config["API_ACCESS_TOKEN_MINUTES"],
                             refresh_grace_seconds=app.config["API_REFRESH_GRACE_SECONDS"])
    app.extensions["codelearn.api_tokens"] = ApiTokens(
        app.extensions["codelearn.store"], app.extensions["codelearn.accounts"],
        str(app.config["SECRET_KEY"]).encode("utf-8"), settings=settings)


def _build_services(app: Flask, instance_path: Path) -> None:
    store = _build_store(app, instance_path)
    if app.config["STORE"] == "sqlite":
        store.init_schema()  # cheap and idempotent; DynamoDB tables are created by `flask init-db`
    account_settings = AccountSettings(
        session_hours=app.config["SESSION_HOURS"],
        remember_days=app.config["REMEMBER_DAYS"],
        verify_token_hours=app.config["VERIFY_TOKEN_HOURS"],
        reset_token_minutes=app.config["RESET_TOKEN_MINUTES"],
        login_failures_per_pair=app.config["LOGIN_FAILURES_PER_PAIR"],
        login_failures_per_account=app.config["LOGIN_FAILURES_PER_ACCOUNT"],
        login_max_delay_seconds=app.config["LOGIN_MAX_DELAY_SECONDS"],
        signups_per_address_per_hour=app.config["SIGNUPS_PER_ADDRESS_PER_HOUR"],
        login_failures_per_address=app.config["LOGIN_FAILURES_PER_ADDRESS"],
        login_window_minutes=app.config["LOGIN_WINDOW_MINUTES"],
        bcrypt_rounds=app.config.get("BCRYPT_ROUNDS", 12),
    )
    app.extensions["codelearn.store"] = store
    app.extensions["codelearn.mailer"] = _build_mailer(app, instance_path)
    app.extensions["codelearn.accounts"] = Accounts(
        store, app.extensions["codelearn.mailer"], settings=account_settings
    )
    app.extensions["codelearn.grader"] = Grader(
        config.grader_limits(app.config),
        concurrency=app.config["GRADER_CONCURRENCY"],
        queue_timeout_seconds=app.config["GRADER_QUEUE_SECONDS"],
        max_waiting=app.config["GRADER_QUEUE_LENGTH"],
    )
    # The lesson files are read once: the AI layer's index is built from the validated library.
    library, problems = LessonLibrary.from_directory(_lessons_dir(app))  # problems: logged; `flask lessons check`
    app.extensions["codelearn.lesson_problems"] = problems  # shown on the admin content page
    _build_ai_services(app, library)
    _build_lesson_services(app, library)
    _build_api_tokens(app)


def _lessons_dir(app: Flask) -> str:
    app.config["LESSONS_DIR"] = app.config["LESSONS_DIR"] or str(PROJECT_ROOT / "content" / "lessons")
    return app.config["LESSONS_DIR"]


def _build_ai_services(app: Flask, library: LessonLibrary) -> None:
    """The AI layer: offline provider locally, Bedrock on AWS; every call guarded and priced."""
    index = LessonIndex([lesson.to_dict() for lesson in library.all()])
    app.extensions["codelearn.lesson_index"] = index
    app.extensions["codelearn.ai"] = build_ai_service(
        AISettings.from_config(app.config), app.extensions["codelearn.store"], index
    )


def _build_lesson_services(app: Flask, library: LessonLibrary) -> None:
    """The curated library is read once per process; views never touch the lesson files."""
    store = app.extensions["codelearn.store"]
    grader = app.extensions["codelearn.grader"]
    ai = app.extensions.get("codelearn.ai")  # None where the AI layer is not set up: curated lessons only
    views = LessonViewCounter(store, batch=app.config["LESSON_VIEWS_BATCH"])
    tutor_service = _build_tutor(app, library)
    lessons = LessonService(library, store, LessonRenderer(), grader=grader, ai=ai,
                            lesson_index=app.extensions.get("codelearn.lesson_index"), view_counter=views,
                            tutor=tutor_service)
    app.extensions["codelearn.lesson_library"] = library
    app.extensions["codelearn.lessons"] = lessons
    app.extensions["codelearn.chat"] = _build_chat(app, library)
    app.extensions["codelearn.assistant"] = _build_assistant(app, library)
    recorder = _build_progress(app, tutor_service.track)
    code_runs = _build_code_run_limiter(app, store, grader)
    _build_reviews(app, library, tutor_service, code_runs)
    app.extensions["codelearn.learning"] = LearningService(
        lessons, store, grader, RateLimiter(store), code_runs=code_runs,
        max_code_chars=app.config["GRADER_MAX_CODE_CHARS"], ai=ai, tutor=tutor_service, progress=recorder,
    )


def _build_progress(app: Flask, track: list) -> ActivityRecorder:
    """Aggregates kept as events are written, and the dashboard that reads them."""
    store = app.extensions["codelearn.store"]
    level_of = {lesson.id: lesson.level for lesson in track}
    recorder = ActivityRecorder(store, lambda: level_of,
                                RecorderSettings(timedelta(minutes=app.config["PROGRESS_IDLE_MINUTES"])))
    app.extensions["codelearn.progress_recorder"] = recorder
    app.extensions["codelearn.tutor"].quizzes.submitted_hooks.append(recorder.quiz_submitted)
    app.extensions["codelearn.dashboard"] = DashboardService(store, list(track), recorder)
    app.extensions["codelearn.profile"] = ProfileService(store)
    app.extensions["codelearn.email_change"] = EmailChange(store, app.extensions["codelearn.mailer"])
    app.extensions["codelearn.data_rights"] = DataRights(store)
    # Accounts made through a provider have no password: their deletion is confirmed by a mailed link.
    app.extensions["codelearn.deletion_link"] = DeletionByLink(
        app.extensions["codelearn.accounts"], app.extensions["codelearn.data_rights"],
        app.extensions["codelearn.mailer"])
    # Sign-in with identity providers: off (no provider, no button) unless OIDC_PROVIDERS names some.
    app.extensions["codelearn.oidc_providers"] = providers_from_settings(app.config["OIDC_PROVIDERS"])
    app.extensions["codelearn.identities"] = IdentityService(store, app.extensions["codelearn.accounts"])
    return recorder


def _build_chat(app: Flask, library: LessonLibrary) -> ChatService | None:
    """The tutor chat, where the AI layer is set up (its answers are grounded in the same lesson index)."""
    ai, index = app.extensions.get("codelearn.ai"), app.extensions.get("codelearn.lesson_index")
    if ai is None or index is None:
        return None
    return ChatService(app.extensions["codelearn.store"], ai, index, library, app.extensions["codelearn.grader"],
                       deadline_s=float(app.config["CHAT_DEADLINE_S"]))


def _build_reviews(app: Flask, library: LessonLibrary, tutor: TutorService, code_runs: CodeRunLimiter) -> None:
    """Spaced review (FSRS): a completed lesson's cards, graded variants, the skill model fed."""
    settings = ReviewSettings(desired_retention=app.config["REVIEW_RETENTION"],
                              daily_cap=app.config["REVIEW_DAILY_CAP"], fuzzing=app.config["REVIEW_FUZZ"])
    service = ReviewService(app.extensions["codelearn.store"], list(library.all()), app.extensions["codelearn.grader"],
                            code_runs, skills=tutor.skills, settings=settings)
    tutor.completion_hooks.append(service.lesson_completed)
    app.extensions["codelearn.reviews"] = service


def _build_assistant(app: Flask, library: LessonLibrary) -> AssistantService | None:
    """The code assistant: static review first, the AI layer for the rest."""
    ai, index = app.extensions.get("codelearn.ai"), app.extensions.get("codelearn.lesson_index")
    if ai is None or index is None:
        return None
    return AssistantService(app.extensions["codelearn.store"], ai, index, library,
                            app.extensions["codelearn.grader"], max_code_chars=app.config["GRADER_MAX_CODE_CHARS"])


def _build_tutor(app: Flask, library: LessonLibrary) -> TutorService:
    """The concept map from the content (problems are logged; `flask lessons check` fails on them)."""
    concepts, problems = load_concept_map(app.config["LESSONS_DIR"], library.all())
    for problem in problems:
        log.warning("concept map: %s", problem)
    tutor = build_tutor(app.extensions["codelearn.store"], concepts, list(library.all()),
                        app.extensions.get("codelearn.ai"), app.extensions.get("codelearn.lesson_index"),
                        app.extensions["codelearn.grader"])
    app.extensions["codelearn.tutor"] = tutor
    return tutor


def _build_code_run_limiter(app: Flask, store: Store, grader: Grader) -> CodeRunLimiter:
    """The one limiter of every path that runs learner code: a budget line per path."""
    per_minute = {
        SUBMIT: app.config["SUBMISSIONS_PER_MINUTE"],
        AI_HINT: app.config["HINT_RUNS_PER_MINUTE"],
        RUN: app.config["RUNS_PER_MINUTE"],
    }
    return CodeRunLimiter(
        RateLimiter(store), per_minute, in_flight_per_learner=app.config["CODE_RUNS_PER_LEARNER"],
        run_seconds=math.ceil(grader.queue_timeout_seconds + grader.limits.wall_seconds),
        unverified_per_minute={
            SUBMIT: app.config["UNVERIFIED_SUBMISSIONS_PER_MINUTE"],
            AI_HINT: app.config["UNVERIFIED_HINT_RUNS_PER_MINUTE"],
            RUN: app.config["UNVERIFIED_RUNS_PER_MINUTE"],
        },
    )
