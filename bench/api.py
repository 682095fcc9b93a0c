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

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.pages import (
    CONNECTIONS,
    EMAIL,
    PASSWORD,
    SERVER_ARGS,
    Result,
    _connection,
    _wrk_ms,
    _wrk_seconds,
    median_round,
    prepare_learner,
    start_server,
)
from bench.servers import ROOT, stop_gunicorn

LESSON_PATH = "/api/v1/lessons/python-variables"


def log_in(port: int) -> str:
    """Log in through the API; returns the Authorization header value."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"email": EMAIL, "password": PASSWORD}),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"bench login answered HTTP {response.status}: {body}")
    authorization = f"Bearer {body['access_token']}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", LESSON_PATH, headers={"Authorization": authorization})
    response = conn.getresponse()
    lesson = json.loads(response.read())
    conn.close()
    if response.status != 200 or lesson.get("id") != "python-variables":
        raise RuntimeError(f"the lesson endpoint answered HTTP {response.status}")
    return authorization


def run_wrk(port: int, path: str, authorization: str, seconds: float) -> Result:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds:.0f}s", "--latency"]
    if authorization:
        command += ["-H", f"Authorization: {authorization}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    duration = _wrk_seconds(re.search(r"requests in ([\d.]+\w+),", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return Result(requests, errors, duration, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"))


def run_python(port: int, path: str, authorization: str, seconds: float) -> Result:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n"
               + (f"Authorization: {authorization}\r\n" if authorization else "") + "\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_connection(port, request, deadline, latencies, errors) for _ in range(CONNECTIONS)))
        return time.monotonic() - started

    elapsed = asyncio.run(main())
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    return Result(len(latencies), len(errors), elapsed, pct(0.50), pct(0.99))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per app and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each measuring both apps back to back")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args(argv)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    runner = run_wrk if tool == "wrk" else run_python

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        instance = Path(tmp) / "instance"
        prepare_learner(instance)
        env = {**os.environ, "CODELEARN_INSTANCE_PATH": str(instance), "CODELEARN_LOG_LEVEL": "WARNING",
               "PYTHONPATH": str(ROOT)}
        servers = []
        try:
            api_server, api_port = start_server("app:create_app()", env)
            servers.append(api_server)
            hello_server, hello_port = start_server("bench.pages:hello_app()", env)
            servers.append(hello_server)
            authorization = log_in(api_port)
            targets = {"lesson json": (api_port, LESSON_PATH, authorization), "hello": (hello_port, "/", "")}
            for port, path, header in targets.values():  # warm-up: imports, caches, connections
                runner(port, path, header, min(2.0, args.seconds))
            rounds: dict[str, list[Result]] = {name: [] for name in targets}
            for number in range(1, args.rounds + 1):
                for name, (port, path, header) in targets.items():
                    result = runner(port, path, header, args.seconds)
                    rounds[name].append(result)
                    print(f"round {number} {name:12} {result.rps:7.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                          f"p99 {result.p99_ms:6.1f} ms  ({result.requests} requests, {result.errors} errors)")
                print(f"round {number} ratio {rounds['lesson json'][-1].rps / rounds['hello'][-1].rps:.2f}")
        finally:
            for server in servers:
                stop_gunicorn(server)

    lesson, hello = median_round(rounds["lesson json"], rounds["hello"])
    print(f"load generator: {tool}, {CONNECTIONS} connections, {args.rounds} x {args.seconds:g} s per app, "
          f"gunicorn {' '.join(SERVER_ARGS)}, {os.cpu_count()} CPUs")
    ratio = lesson.rps / hello.rps if hello.rps else 0.0
    print(f"the round with the median ratio; target ratio >= 0.5: {'meets' if ratio >= 0.5 else 'misses'}")
    print(f"api lesson_json_rps={lesson.rps:.0f} hello_rps={hello.rps:.0f} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
