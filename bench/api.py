"""The API's lesson endpoint vs a bare Flask "hello", on the same server. `python -m bench.api`

As bench.pages does for the lesson page: CodeLearn under gunicorn (2 workers, SQLite, LOG_LEVEL=WARNING)
with a learner logged in through /api/v1/auth/login, and in the same run the bare Flask app answering
"hello" (bench.pages.hello_app) on the same server settings. Both are driven at 32 keep-alive
connections on loopback for rounds of a fixed time (wrk when installed, else bench.pages' asyncio
generator); each round measures both back to back and the round with the median ratio is reported.
The API request is `GET /api/v1/lessons/python-variables` with `Authorization: Bearer`: token
check, live session, the learner's lesson record, the rendered lesson as JSON. Prints, last:

    api lesson_json_rps=<a> hello_rps=<b> ratio=<a/b>

Target (issue 20): ratio >= 0.5.
"""

from __future__ import annotations

import http.client
import json

from bench.pages import EMAIL, PASSWORD, compare_with_hello, parse_arguments

LESSON_PATH = "/api/v1/lessons/python-variables"


def log_in(port: int) -> str:
    """Log in through the API; returns the Authorization header line."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"email": EMAIL, "password": PASSWORD}),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"bench login answered HTTP {response.status}: {body}")
    authorization = f"Authorization: Bearer {body['access_token']}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", LESSON_PATH, headers={"Authorization": authorization.removeprefix("Authorization: ")})
    response = conn.getresponse()
    lesson = json.loads(response.read())
    conn.close()
    if response.status != 200 or lesson.get("id") != "python-variables":
        raise RuntimeError(f"the lesson endpoint answered HTTP {response.status}")
    return authorization


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv, __doc__.split("\n\n")[0])
    lesson, hello = compare_with_hello("lesson json", LESSON_PATH, log_in, args)
    ratio = lesson.rps / hello.rps if hello.rps else 0.0
    print(f"the round with the median ratio; target ratio >= 0.5: {'meets' if ratio >= 0.5 else 'misses'}")
    print(f"api lesson_json_rps={lesson.rps:.0f} hello_rps={hello.rps:.0f} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
