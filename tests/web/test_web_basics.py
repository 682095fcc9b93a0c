"""Security headers, error pages, logs, settings and the secret key."""

from __future__ import annotations

import json
import logging
import re

from app import create_app
from blueprints.hardening import JsonLogFormatter


def test_landing_page_says_what_codelearn_is(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Learn to program by writing real code" in page.get_data(as_text=True)


def test_security_headers_on_every_response(client):
    for path in ("/", "/login", "/no-such-page", "/static/css/app.css"):
        response = client.get(path)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # local mode is plain HTTP


def test_pages_are_not_cached_but_static_files_may_be(client, app):
    @app.get("/cached-view")
    def cached_view():
        return "x", 200, {"Cache-Control": "max-age=60"}

    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
    assert client.get("/cached-view").headers.get_all("Cache-Control") == ["max-age=60"]  # the view's own wins


def test_each_request_gets_its_own_safe_request_id(client):
    ids = [client.get("/healthz").headers["X-Request-Id"] for _ in range(3)]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[A-Za-z0-9-]{8,64}", i) for i in ids)
    traced = client.get("/healthz", headers={"X-Request-Id": "caller-trace-1"})
    assert traced.headers["X-Request-Id"] == "caller-trace-1"
    unsafe = client.get("/healthz", headers={"X-Request-Id": "<script>alert(1)</script>"}).headers["X-Request-Id"]
    assert "script" not in unsafe and re.fullmatch(r"[A-Za-z0-9-]{8,64}", unsafe)


def test_aws_mode_adds_hsts_and_secure_cookies(app_config):
    aws = create_app({**app_config, "ENV": "aws"})
    client = aws.test_client()
    response = client.get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert aws.config["SESSION_COOKIE_SECURE"] and aws.config["REMEMBER_COOKIE_SECURE"]


def test_aws_mode_refuses_to_start_without_a_secret_key(app_config):
    import pytest

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**app_config, "ENV": "aws", "SECRET_KEY": None})


def test_no_inline_script_or_style_in_pages(client, learner):
    for path in ("/", "/dashboard", "/account/sessions", "/account/password"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>" not in body and "<style" not in body and " style=" not in body, path
        assert "http://" not in body.replace("http://localhost", ""), path  # nothing from other origins


def test_error_pages_show_request_id_and_leak_nothing(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail /srv/app/db.py")

    response = client.get("/boom", headers={"X-Request-Id": "req-12345678"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "req-12345678" in body and "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    missing = client.get("/nope")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    assert missing.headers["X-Request-Id"]


def test_errors_answer_json_to_json_clients(client):
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["title"] == "Page not found"


def test_json_log_lines_carry_the_request_id(app, client, caplog):
    formatter = JsonLogFormatter()
    with caplog.at_level(logging.INFO, logger="codelearn.request"):
        client.get("/", headers={"X-Request-Id": "trace-abcdef12"})
    record = next(r for r in caplog.records if r.name == "codelearn.request")
    entry = json.loads(formatter.format(record))
    assert entry["request_id"] == "trace-abcdef12" and entry["path"] == "/" and entry["status"] == 200


def test_secret_key_generated_once_into_instance_folder(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path / "inst"), "LOG_LEVEL": "WARNING"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_come_from_the_environment(monkeypatch, app_config):
    monkeypatch.setenv("CODELEARN_SUBMISSIONS_PER_MINUTE", "7")
    monkeypatch.setenv("CODELEARN_MAIL_FROM", "Team <team@example.com>")
    app = create_app({k: v for k, v in app_config.items()})
    assert app.config["SUBMISSIONS_PER_MINUTE"] == 7
    assert app.config["MAIL_FROM"] == "Team <team@example.com>"


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    import config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"CODELEARN_{s.name}" not in readme]
    assert not missing, f"settings without a README line: {missing}"


def test_init_db_command(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "ready" in result.output
