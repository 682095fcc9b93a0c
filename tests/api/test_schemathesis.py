"""Schemathesis against /api/v1/openapi.json, in process: every operation of the document, a bounded
number of generated requests each (valid and invalid ones), every check schemathesis has (no 5xx, only
declared statuses, responses and their headers matching their schemas, invalid bodies refused, auth
enforced). Endpoints added later are covered without editing this file."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import create_app

API_LEARNER = "fuzz@example.com"
API_PASSWORD = "fuzzing passphrase 42"  # not the documented examples' password: their delete/password calls fail
EXAMPLES_PER_OPERATION = 30
# A schema-valid body may still break a service's rule (a common password, no such time zone, an
# empty submission): that is a 422 by design, so "valid data must be accepted" does not hold here.
SERVICE_RULES = [positive_data_acceptance]


_serving: dict[str, object] = {}  # the module's app: schemathesis may ask for a token at collection


def _app():
    if "app" not in _serving:
        folder = Path(tempfile.mkdtemp(prefix="codelearn-schemathesis-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # also when the test is deselected
        app = create_app({"INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "test-secret-key",
                          "BCRYPT_ROUNDS": 4, "LOG_LEVEL": "CRITICAL", "SIGNUPS_PER_ADDRESS_PER_HOUR": 100_000})
        app.config["TESTING"] = True
        user = app.extensions["codelearn.accounts"].register(API_LEARNER, API_PASSWORD, "Fuzz", lambda token: token)
        app.extensions["codelearn.store"].update_user(user.id, verified=True)
        _serving["app"] = app
    return _serving["app"]


@pytest.fixture(scope="module")
def fuzzed_app():
    yield _app()
    _serving.pop("app").extensions["codelearn.store"].close()


# Loaded at collection from the app's own /api/v1/openapi.json (schemathesis's fixture-based lazy
# loading does not run on pytest 9 yet); the module fixture removes the app afterwards.
# A body past MAX_FORM_BYTES is refused whole (413) before its schema is looked at: a rejection too.
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app(), config=CONFIG)


@schema.auth(refresh_interval=None)
class FreshLogin:
    """A new login for each request, so a generated logout or 'log out everywhere' ends only its own.
    Schemathesis leaves it out where it tests that bad or missing tokens are refused."""

    def get(self, case, context) -> str:
        pair = _app().extensions["codelearn.api_tokens"].login(
            API_LEARNER, API_PASSWORD, ip="192.0.2.1", user_agent="schemathesis", remember=False)
        return pair.access_token

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, fuzzed_app):
    case.call_and_validate(excluded_checks=SERVICE_RULES)
