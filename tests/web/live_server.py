"""The app on a real loopback socket for tests that need concurrent requests, learners logged in for
it, and a stand-in for the sandbox that takes a set time (the real Grader's slots and queue stay).

`serve(app, threads=None)` is werkzeug's threaded server (a thread per connection); `threads=N` is a
fixed pool of N request threads fed by one accepting thread, as gunicorn's gthread worker does, so a
queue can form in the server before the app sees a request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import requests
from werkzeug.serving import BaseWSGIServer, make_server

from services.grader.report import Report, RunResult, TestResult
from tests.conftest import PASSWORD, csrf_token, login, register
from tests.web.lessons_helpers import LESSON


class PooledWSGIServer(BaseWSGIServer):
    multithread = True

    def __init__(self, host: str, port: int, app, threads: int) -> None:
        super().__init__(host, port, app)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")

    def process_request(self, request, client_address) -> None:
        self._pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - as socketserver does: report, close, keep serving
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=True)


@contextmanager
def serve(app, threads: int | None = None) -> Iterator[str]:
    """The app's base URL while a real server answers on it."""
    server = make_server("127.0.0.1", 0, app, threaded=True) if threads is None else \
        PooledWSGIServer("127.0.0.1", 0, app, threads)
    loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    loop.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        loop.join(10)
        server.server_close()


@dataclass(frozen=True)
class LiveLearner:
    email: str
    cookies: dict[str, str]
    token: str

    def post(self, base: str, action: str, data: dict, *, as_json: bool = True) -> TimedResponse:
        """One request on its own connection; how long the answer took."""
        headers = {"X-CSRFToken": self.token}
        if as_json:
            headers["Accept"] = "application/json"
        started = time.monotonic()
        response = requests.post(f"{base}/learn/{LESSON}/{action}", data=data, headers=headers,
                                 cookies=self.cookies, timeout=60, allow_redirects=False)
        return TimedResponse(response, time.monotonic() - started)


@dataclass(frozen=True)
class TimedResponse:
    response: requests.Response
    seconds: float

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def busy(self) -> bool:
        return self.status == 200 and self.response.json().get("busy") is True


def live_learner(app, email: str) -> LiveLearner:
    """Sign up, verify and log in through the pages (test client, same app), keeping the cookies."""
    client = app.test_client()
    register(client, email=email, name=email.split("@")[0])
    store = app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email(email).id, verified=True)
    assert login(client, email=email, password=PASSWORD).status_code == 302
    token = csrf_token(client, f"/learn/{LESSON}")
    cookies = {name: client.get_cookie(name).value for name in ("codelearn_session",)}
    return LiveLearner(email, cookies, token)


def reveal_hints(base: str, learner: LiveLearner, count: int = 3) -> None:
    for _ in range(count):
        assert learner.post(base, "hint", {}).status == 200


def all_at_once(actions) -> list:
    """Run each action on its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = actions[index]()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


class SlowSandbox:
    """Stands in for the sandbox behind the real Grader: each run takes `seconds` and fails one test.
    Counts runs, and the most that ran at once for each learner (named on the code's first line)."""

    name = "python"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.runs = 0
        self.peak: dict[str, int] = {}
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self) -> SlowSandbox:  # the language registry holds factories
        return self

    def grade(self, code: str, tests, limits, reference=None) -> Report:
        self._take_time(code)
        return Report(status="fail", tests=[TestResult("test_city_exists", "fail", "Variable city not found")])

    def run(self, code: str, limits, stdin: str = "") -> RunResult:
        self._take_time(code)
        return RunResult("ok", output=stdin)

    def _take_time(self, code: str) -> None:
        owner = code.splitlines()[0]
        with self._lock:
            self.runs += 1
            self._running[owner] = self._running.get(owner, 0) + 1
            self.peak[owner] = max(self.peak.get(owner, 0), self._running[owner])
        try:
            time.sleep(self.seconds)
        finally:
            with self._lock:
                self._running[owner] -= 1


def code_of(learner: LiveLearner) -> str:
    return f"# {learner.email}\ncity = 1\n"
