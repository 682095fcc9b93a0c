"""AWS Lambda entry point: the Flask app behind API Gateway (REST or HTTP API) or a Function URL.

apig-wsgi translates events (payload 1.0 and 2.0, several Set-Cookie headers, base64 bodies) to
WSGI; DESIGN.md section 9 records why not awsgi. The app is built on the first invocation and
reused while the container is warm.
"""

from __future__ import annotations

from typing import Any

from apig_wsgi import make_lambda_handler

_handler = None


class StagePrefixMiddleware:
    """Mount the app under `/<stage>` when API Gateway serves it on its default host.

    On `<id>.execute-api.<region>.amazonaws.com` a REST API (payload 1.0) strips the stage from
    `path` but browsers still need it in every link and redirect; an HTTP API with a named stage
    keeps the stage in `rawPath`. Custom domains and Function URLs have no prefix.
    """

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        event = environ.get("apig_wsgi.full_event") or {}
        context = event.get("requestContext") or {}
        stage = context.get("stage") or ""
        host = environ.get("HTTP_HOST", "")
        if stage and stage != "$default" and ".execute-api." in host:
            prefix = f"/{stage}"
            path = environ.get("PATH_INFO", "")
            if path == prefix or path.startswith(prefix + "/"):
                environ["PATH_INFO"] = path[len(prefix):] or "/"
            environ["SCRIPT_NAME"] = prefix
        return self.wsgi_app(environ, start_response)


def build_handler(app: Any) -> Any:
    app.wsgi_app = StagePrefixMiddleware(app.wsgi_app)
    return make_lambda_handler(app, binary_support=True)


def handler(event: dict, context: Any) -> dict:
    global _handler
    if _handler is None:
        from app import create_app

        _handler = build_handler(create_app())
    return _handler(event, context)
