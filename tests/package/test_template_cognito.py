"""infra/template.yaml's optional Cognito sign-in: off by default (every Cognito resource under the
UseCognito condition, no OIDC setting without it), and when on, the app's setting it writes is one
`providers_from_settings` accepts, pointing Cognito's callback at the app's own route."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from services.identities import providers_from_settings
from tests.package.test_template import TEMPLATE, _CloudFormationLoader


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506


def test_cognito_is_off_by_default_and_every_cognito_resource_is_conditional(template):
    assert template["Parameters"]["CognitoSignIn"]["Default"] == "false"
    assert template["Conditions"]["UseCognito"] == {"Fn::Equals": [{"Ref": "CognitoSignIn"}, "true"]}
    cognito = {name: r for name, r in template["Resources"].items() if r["Type"].startswith("AWS::Cognito::")}
    assert set(cognito) == {"UserPool", "UserPoolDomain", "GoogleIdentityProvider", "UserPoolClient"}
    assert all(r.get("Condition") == "UseCognito" for r in cognito.values())
    assert template["Parameters"]["GoogleClientSecret"]["NoEcho"] is True
    setting = template["Resources"]["Function"]["Properties"]["Environment"]["Variables"]["CODELEARN_OIDC_PROVIDERS"]
    assert setting["Fn::If"][0] == "UseCognito" and setting["Fn::If"][2] == {"Ref": "AWS::NoValue"}


def test_the_setting_it_writes_is_a_valid_provider_with_the_apps_callback(app, template):
    setting = template["Resources"]["Function"]["Properties"]["Environment"]["Variables"]["CODELEARN_OIDC_PROVIDERS"]
    text = setting["Fn::If"][1]["Fn::Sub"]
    values = {"AWS::Region": "us-east-1", "UserPool": "us-east-1_Abc123", "UserPoolClient": "client123",
              "UserPoolClient.ClientSecret": "secret456"}
    resolved = json.loads(re.sub(r"\$\{([^}]+)\}", lambda m: values[m.group(1)], text))
    providers = providers_from_settings(resolved)
    cognito = providers["cognito"]
    assert cognito.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123"
    assert cognito.metadata_url.endswith("/us-east-1_Abc123/.well-known/openid-configuration")
    assert cognito.authorize_params == {"identity_provider": "Google"} and cognito.client_secret == "secret456"
    client = template["Resources"]["UserPoolClient"]["Properties"]
    callback = client["CallbackURLs"][0]["Fn::Sub"]
    assert callback == "${SiteUrl}/login/with/cognito/callback"
    with app.test_request_context():
        from flask import url_for

        assert url_for("identity.callback", provider_name="cognito") == "/login/with/cognito/callback"
    assert client["AllowedOAuthFlows"] == ["code"] and client["GenerateSecret"] is True
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
