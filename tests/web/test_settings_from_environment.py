"""Settings come from `CODELEARN_*` variables through Flask's own `Config.from_prefixed_env`."""

from __future__ import annotations

from flask import Config

from app import create_app


def test_environment_values_are_json_when_they_parse_and_text_otherwise(monkeypatch, app_config):
    monkeypatch.setenv("CODELEARN_GRADER_CONCURRENCY", "3")
    monkeypatch.setenv("CODELEARN_LESSON_VIEWS_BATCH", "5")
    monkeypatch.setenv("CODELEARN_AWS_REGION", "eu-west-1")
    monkeypatch.setenv("CODELEARN_GRADER_WALL_SECONDS", "null")
    app = create_app({k: v for k, v in app_config.items() if k != "LESSON_VIEWS_BATCH"})
    assert app.config["GRADER_CONCURRENCY"] == 3
    assert app.config["LESSON_VIEWS_BATCH"] == 5
    assert app.config["AWS_REGION"] == "eu-west-1"
    assert app.config["GRADER_WALL_SECONDS"] is None


def test_the_callers_overrides_win_over_the_environment(monkeypatch, app_config):
    monkeypatch.setenv("CODELEARN_GRADER_CONCURRENCY", "3")
    assert create_app({**app_config, "GRADER_CONCURRENCY": 1}).config["GRADER_CONCURRENCY"] == 1


def test_the_factory_reads_the_environment_with_flask(monkeypatch, app_config):
    seen = []
    real = Config.from_prefixed_env

    def recording(self, prefix="FLASK", **kwargs):
        seen.append(prefix)
        return real(self, prefix, **kwargs)

    monkeypatch.setattr(Config, "from_prefixed_env", recording)
    create_app(app_config)
    assert seen == ["CODELEARN"]
