"""A small fault-injecting HTTP proxy in front of DynamoDB Local, for what production does and the
servers never do on demand: a write applied whose answer the client never gets, so botocore sends
it again (`delay` past the client's read timeout, `drop` the connection, answer `500`), and
throttling past botocore's retries (`throttle`: answered without forwarding).

    proxy = FaultProxy(upstream_url).start()
    proxy.inject("UpdateItem", "drop")      # the next UpdateItem is applied, then its answer lost
    proxy.inject("GetItem", "throttle", times=None)   # every GetItem throttled until cleared
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("delay", "drop", "500", "throttle")
THROTTLE_CODES = ("ThrottlingException", "ProvisionedThroughputExceededException")


@dataclass
class Fault:
    operation: str  # the X-Amz-Target operation, e.g. "UpdateItem"; "*" for every one
    kind: str
    times: int | None  # how many requests it hits; None: every one until cleared
    code: str = "ThrottlingException"
    skip: int = 0  # matching requests let through before it hits


class FaultProxy:
    def __init__(self, upstream_url: str, delay_seconds: float = 1.0) -> None:
        upstream = urlsplit(upstream_url)
        self.upstream = (upstream.hostname, upstream.port)
        self.delay_seconds = delay_seconds  # how long `delay` holds an answer: past the client's read timeout
        self.requests: list[str] = []  # the operation of every request that arrived, in order
        self.hits: list[tuple[str, str]] = []  # (operation, fault) of every request a fault hit
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def inject(self, operation: str, kind: str, times: int | None = 1, code: str = "ThrottlingException",
               skip: int = 0) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.append(Fault(operation, kind, times, code, skip))

    def clear(self) -> None:
        """No faults, and nothing recorded."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.hits.clear()

    def count(self, operation: str) -> int:
        with self._lock:
            return self.requests.count(operation)

    def _take(self, operation: str) -> Fault | None:
        with self._lock:
            self.requests.append(operation)
            for fault in self._faults:
                if fault.operation in (operation, "*"):
                    if fault.skip:
                        fault.skip -= 1
                        continue
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    self.hits.append((operation, fault.kind))
                    return fault
        return None

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as DynamoDB speaks to botocore

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                fault = proxy._take(operation)
                if fault is not None and fault.kind == "throttle":
                    self._answer(400, {"__type": f"com.amazonaws.dynamodb.v20120810#{fault.code}",
                                       "message": "Rate of requests exceeds the allowed throughput."})
                    return
                status, headers, answer = proxy._forward("POST", self.path, dict(self.headers.items()), body)
                if fault is None:
                    self._relay(status, headers, answer)
                elif fault.kind == "delay":  # applied; the answer comes after the client gave up
                    time.sleep(proxy.delay_seconds)
                    self._relay(status, headers, answer)
                elif fault.kind == "drop":  # applied; the connection closes without an answer
                    self.close_connection = True
                    self.connection.close()
                else:  # "500": applied, and reported as a server error
                    self._answer(500, {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                                       "message": "Internal server error"})

            def _relay(self, status: int, headers: list, answer: bytes) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers:
                        if name.lower() not in ("content-length", "connection", "transfer-encoding", "date",
                                                "server"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the client gave up on this connection
                    self.close_connection = True

            def _answer(self, status: int, payload: dict) -> None:
                self._relay(status, [("Content-Type", "application/x-amz-json-1.0")], json.dumps(payload).encode())

        return Handler
