"""What the app builds at start-up on Lambda: nothing that most requests never use."""

from __future__ import annotations

from app import create_app


def test_ses_client_is_built_on_first_use_not_at_start(app_config, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # never reached: nothing is sent
    app = create_app({**app_config, "MAIL": "ses", "MAIL_FROM": "CodeLearn <no-reply@example.com>"})
    client = app.extensions["codelearn.mailer"]._ses
    assert client._client is None, "building the SES client costs ~95 ms of every cold start"
    assert client.meta.service_model.service_name == "ses"
    assert client._client is not None
    app.extensions["codelearn.store"].close()
