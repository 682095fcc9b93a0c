"""A fake Bedrock Runtime: a real HTTP server on a loopback port that speaks the Converse API.

boto3 reaches it through `endpoint_url` (or AWS_ENDPOINT_URL_BEDROCK_RUNTIME), so request
serialisation, botocore retries and timeouts run for real. Answers are scripted per task (the
forced tool's name says which task); token counts are estimated from the request and answer sizes,
with a floor at what real models typically spend on these prompts, so cost figures stay honest.

Prompt caching as Bedrock does it: a `cachePoint` block ends a prefix; a prefix holding at least the
model's minimum (`CACHE_MIN_TOKENS`) is written to the cache on first sight, and a later request that
starts with a cached prefix reads it (the longest one, looked up at every block boundary before its
last cache point). Usage then splits the input into `inputTokens` (uncached),
`cacheReadInputTokens` and `cacheWriteInputTokens`. The cache lives as long as the server (no TTL).

Faults (set with `fail(kind, times=None)`; None = until `clear()`):
  throttle (429), server_error (500), unavailable (503), model_timeout (408 ModelTimeoutException),
  slow (sleeps `slow_seconds` before answering), max_tokens (cut-off answer), malformed (tool input
  that is not an object), malformed_stop (stopReason malformed_tool_use), wrong_schema (valid tool
  call, wrong fields).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from tests.fakes.bedrock_answers import DEFAULT_ANSWERS, TYPICAL_OUTPUT_TOKENS

Answer = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]

_ERRORS = {
    "throttle": (429, "ThrottlingException", "Too many requests, please wait before trying again."),
    "server_error": (500, "InternalServerException", "The server encountered an internal error."),
    "unavailable": (503, "ServiceUnavailableException", "The service is unavailable."),
    "model_timeout": (408, "ModelTimeoutException", "The request took too long to process."),
}
# Tool use adds a system preamble on the model side that the request text does not show.
TOOL_OVERHEAD_TOKENS = 300
# Bedrock's minimum tokens per cache checkpoint, by model family (a shorter prefix is not cached).
CACHE_MIN_TOKENS = (("anthropic.claude-haiku-4-5", 4_096), ("amazon.nova", 1_000))


class FakeBedrock:
    def __init__(self, realistic_tokens: bool = True) -> None:
        self.answers: dict[str, Answer] = dict(DEFAULT_ANSWERS)
        self.realistic_tokens = realistic_tokens
        self.slow_seconds = 2.0
        self.requests: list[dict[str, Any]] = []
        self._cached: dict[str, int] = {}  # prefix digest -> its tokens
        self._faults: list[list[Any]] = []  # [kind, remaining or None]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeBedrock:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-bedrock", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBedrock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- script ----------------------------------------------------------------------------------
    def fail(self, kind: str, times: int | None = None) -> None:
        known = {*_ERRORS, "slow", "max_tokens", "malformed", "malformed_stop", "wrong_schema"}
        if kind not in known:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.append([kind, times])

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def calls(self, task: str | None = None) -> int:
        return sum(1 for r in self.requests if task is None or r["task"] == task)

    def _next_fault(self) -> str | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            if fault[1] is not None:
                fault[1] -= 1
                if fault[1] <= 0:
                    self._faults.pop(0)
            return fault[0]

    # --- answering -------------------------------------------------------------------------------
    def handle(self, model_id: str, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        tool = body["toolConfig"]["tools"][0]["toolSpec"]
        task = tool["name"].removesuffix("_answer")
        self.requests.append({"model": model_id, "task": task, "body": body})
        fault = self._next_fault()
        if fault in _ERRORS:
            status, code, message = _ERRORS[fault]
            return status, {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/"}, {"message": message}
        if fault == "slow":
            self._stop.wait(self.slow_seconds)
        answer = self.answers[task]
        data = answer(body) if callable(answer) else answer
        system, messages = _without_cache_points(body)
        input_tokens = _estimate(json.dumps(system) + json.dumps(messages) + json.dumps(tool))
        input_tokens += TOOL_OVERHEAD_TOKENS
        cache_read, cache_write = self._cache_usage(model_id, body)
        input_tokens = max(1, input_tokens - cache_read - cache_write)
        output_tokens = _estimate(json.dumps(data))
        if self.realistic_tokens:
            output_tokens = max(output_tokens, TYPICAL_OUTPUT_TOKENS.get(task, 0))
        max_tokens = body.get("inferenceConfig", {}).get("maxTokens", 4096)
        stop = "tool_use"
        tool_input: Any = data
        if fault == "max_tokens" or output_tokens > max_tokens:
            stop, output_tokens, tool_input = "max_tokens", max_tokens, json.dumps(data)[: max_tokens * 2]
        elif fault == "malformed":
            tool_input = json.dumps(data)[:-5]  # a string, not an object
        elif fault == "malformed_stop":
            stop = "malformed_tool_use"
        elif fault == "wrong_schema":
            tool_input = {"answer_text": "Here is something else entirely.", "confidence": 0.3}
        content: list[dict[str, Any]] = [
            {"toolUse": {"toolUseId": f"tooluse_{len(self.requests)}", "name": tool["name"], "input": tool_input}}
        ]
        if stop == "malformed_tool_use":
            content = [{"text": "I will call the tool {broken"}]
        response = {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop,
            "usage": {
                "inputTokens": input_tokens,
                "outputTokens": output_tokens,
                "totalTokens": input_tokens + output_tokens + cache_read + cache_write,
                **({"cacheReadInputTokens": cache_read, "cacheWriteInputTokens": cache_write}
                   if cache_read or cache_write else {}),
            },
            "metrics": {"latencyMs": 40 + output_tokens // 10},
        }
        self.requests[-1]["usage"] = response["usage"]
        return 200, {}, response

    def _cache_usage(self, model_id: str, body: dict[str, Any]) -> tuple[int, int]:
        """(tokens read from the cache, tokens written to it) for this request."""
        minimum = next((tokens for family, tokens in CACHE_MIN_TOKENS if family in model_id), 0)
        if not minimum:
            return 0, 0
        blocks = [("system", b) for b in body.get("system") or ()]
        blocks += [(m["role"], b) for m in body["messages"] for b in m["content"]]
        boundaries: list[tuple[str, int]] = []  # (digest of the prefix so far, its tokens) after each block
        points: list[tuple[str, int]] = []
        prefix: list[Any] = [model_id]
        for role, block in blocks:
            if "cachePoint" in block:
                if boundaries:
                    points.append(boundaries[-1])
                continue
            prefix.append([role, block])
            text = json.dumps(prefix[1:])
            boundaries.append((hashlib.sha256(json.dumps(prefix).encode()).hexdigest(), _estimate(text)))
        if not points:
            return 0, 0
        last = boundaries.index(points[-1])
        with self._lock:
            read = max((tokens for digest, tokens in boundaries[: last + 1] if digest in self._cached), default=0)
            written = [p for p in points if p[1] >= minimum and p[0] not in self._cached]
            for digest, tokens in written:
                self._cached[digest] = tokens
        write = max(0, written[-1][1] - read) if written else 0
        return read, write


def _without_cache_points(body: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    system = [b for b in body.get("system") or () if "cachePoint" not in b]
    messages = [{**m, "content": [b for b in m["content"] if "cachePoint" not in b]} for m in body["messages"]]
    return system, messages


def _estimate(text: str) -> int:
    """About four characters per token for English and code."""
    return max(1, math.ceil(len(text) / 4))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is expected here, not an error


class _Handler(BaseHTTPRequestHandler):
    owner: FakeBedrock
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle delay: otherwise every keep-alive call waits ~40 ms
    # for a delayed ACK between the header and body segments.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        parts = self.path.split("/")
        if len(parts) != 4 or parts[1] != "model" or parts[3] != "converse":
            self._send(404, {"x-amzn-ErrorType": "UnknownOperationException"}, {"message": "not found"})
            return
        status, headers, payload = self.owner.handle(unquote(parts[2]), body)
        self._send(status, headers, payload)

    def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", "fake-request-id")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
