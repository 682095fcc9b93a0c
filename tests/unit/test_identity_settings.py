"""The OIDC_PROVIDERS setting: what `providers_from_settings` accepts and refuses, that the client
secret never shows in a provider's repr (logs), that claims become an identity the same way for
Cognito's string "true" and Google's boolean, and that a provider-enabled app starts without Authlib
(imported on a provider route only: the Lambda cold start does not pay for it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from services.identities import VerifiedIdentity, providers_from_settings

GOOGLE = {"issuer": "https://accounts.google.com", "client_id": "id-1", "client_secret": "s3cret-value"}
ROOT = Path(__file__).resolve().parents[2]


def test_empty_settings_turn_sign_in_with_providers_off():
    assert providers_from_settings({}) == {} and providers_from_settings(None) == {}


def test_a_provider_gets_its_defaults_and_hides_its_secret():
    provider = providers_from_settings({"google": GOOGLE})["google"]
    assert provider.label == "Google" and provider.scope == "openid email profile"
    assert provider.metadata_url == "https://accounts.google.com/.well-known/openid-configuration"
    assert "s3cret-value" not in repr(provider)


@pytest.mark.parametrize(("settings", "problem"), [
    ({"google": {**GOOGLE, "client_secret": ""}}, "lacks client_secret"),
    ({"google": {**GOOGLE, "issuer": "http://accounts.google.com"}}, "https"),
    ({"Google!": GOOGLE}, "lower-case name"),
    (["google"], "JSON object"),
])
def test_bad_settings_are_refused_at_start_up(settings, problem):
    with pytest.raises(ValueError, match=problem):
        providers_from_settings(settings)


def test_google_id_tokens_may_name_the_issuer_by_host_name_alone():
    assert providers_from_settings({"google": GOOGLE})["google"].accepted_issuers == [
        "https://accounts.google.com", "accounts.google.com"]
    other = providers_from_settings({"fake": {**GOOGLE, "issuer": "https://id.example.org/"}})["fake"]
    assert other.accepted_issuers == ["https://id.example.org"]


def test_a_loopback_issuer_may_be_plain_http_for_tests():
    assert providers_from_settings({"fake": {**GOOGLE, "issuer": "http://127.0.0.1:8000"}})["fake"]


@pytest.mark.parametrize(("claim", "verified"), [(True, True), ("true", True), ("false", False), (None, False)])
def test_email_verified_is_read_from_booleans_and_cognitos_strings(claim, verified):
    identity = VerifiedIdentity.from_claims("cognito", {"sub": "s", "email": "a@b.co", "email_verified": claim})
    assert identity.email_verified is verified and identity.subject == "s"


def test_an_app_with_providers_starts_and_serves_the_login_page_without_authlib(tmp_path):
    code = f"""
import json, sys
from app import create_app
app = create_app({{"INSTANCE_PATH": {str(tmp_path)!r}, "SECRET_KEY": "k", "LOG_LEVEL": "ERROR",
                   "OIDC_PROVIDERS": {json.dumps({"google": GOOGLE})}}})
page = app.test_client().get("/login").get_data(as_text=True)
assert "Continue with Google" in page, page
print(json.dumps([m for m in ("authlib", "joserfc", "cryptography", "requests") if m in sys.modules]))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
