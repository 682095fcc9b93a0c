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


# What a cold start must not import, each for what it costs there (measured from the Lambda zip):
# it loads on the first request that needs it.
NOT_AT_A_COLD_START = {
    "email_validator": "compiles the RFC grammars' regular expressions, ~20 ms",
    "apispec": "the OpenAPI document's builder, only for /api/v1/openapi.json",
    "fastjsonschema": "the API's body validator",
    "blueprints.api.lessons": "the API app, built on the first /api/v1 request: ~55 routes to compile, ~40 ms",
    "authlib": "identity-provider sign-in, with cryptography: 190-380 ms",
    "fsrs": "review scheduling",
    "fpdf": "the PDF report, with fontTools",
    "pyflakes": "the code assistant's static review",
    "radon": "the code assistant's complexity",
}


def test_a_cold_start_serving_pages_imports_none_of_the_heavy_optional_modules(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys\n"
        "from app import create_app\n"
        f"app = create_app({{'INSTANCE_PATH': {str(tmp_path)!r}, 'SECRET_KEY': 'x', 'LOG_LEVEL': 'WARNING'}})\n"
        "client = app.test_client()\n"
        "assert client.get('/').status_code == 200 and client.get('/login').status_code == 200\n"
        f"print(sorted(m for m in {sorted(NOT_AT_A_COLD_START)!r} if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    loaded = eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own script's printed list
    assert loaded == [], {name: NOT_AT_A_COLD_START[name] for name in loaded}
