"""Run the built Lambda package as Lambda would: unpacked into an empty folder, imported by a clean
interpreter that sees only that folder and the standard library, with no network.

Used by the package test (tests/package/) and the cold-start benchmark (bench/package.py). Events
are built by the caller and sent to the child one JSON line at a time; the child answers with the
handler's response, and at the end says which modules it loaded from outside the package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

# Runs in the child as `python -I -S -c BOOTSTRAP <task_root>`: -I ignores PYTHON* variables and the
# user's site, -S skips site-packages, so the standard library is all there is until the package
# folder is put first on sys.path (as Lambda puts /var/task first).
BOOTSTRAP = r"""
import json, socket, sys, time
task_root = sys.argv[1]
stdlib_path = [p for p in sys.path if p]
sys.path.insert(0, task_root)

_LOOPBACK = ("127.", "::1", "localhost")


def _refuse(address):
    host = str(address[0] if isinstance(address, tuple) else address)
    if not host.startswith(_LOOPBACK):
        raise ConnectionRefusedError(f"network blocked in the package harness: {address!r}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse(address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None:
        _refuse((host,))
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
protocol, sys.stdout = sys.stdout, sys.stderr  # anything the app prints goes to stderr

started = time.perf_counter()
import lambda_handler
import_ms = (time.perf_counter() - started) * 1000
for line in sys.stdin:
    request = json.loads(line)
    if "python" in request:  # a probe from the test, run in the same process
        try:
            answer = {"result": eval(request["python"], {"sys": sys})}
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
    else:
        answer = {"response": lambda_handler.handler(request["event"], None)}
    protocol.write(json.dumps(answer) + "\n")
    protocol.flush()
allowed = (task_root, *stdlib_path)
outside = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and (not module.__file__.startswith(allowed) or "site-packages" in module.__file__)
)
protocol.write(json.dumps({"done": True, "import_ms": import_ms, "outside": outside}) + "\n")
"""

LOOPBACK_ENDPOINT = "http://127.0.0.1:9"  # the discard port: nothing listens, a call fails at once
FUNCTION_MEMORY_MB = 512  # infra/template.yaml's MemorySize (tests/package/test_template.py keeps them equal)


def unpack(zip_path: Path, destination: Path) -> Path:
    """Extract the zip into an empty folder, keeping the modes recorded in the zip."""
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise RuntimeError(f"{destination} is not empty")
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = Path(archive.extract(info, destination))
            os.chmod(target, (info.external_attr >> 16) & 0o777 or 0o644)
    return destination


def lambda_environment(scratch: Path, **settings: str) -> dict[str, str]:
    """A minimal environment like Lambda's: its marker variables (memory size and credentials
    included), a writable temp dir, the app's settings for a run without AWS (SQLite, outbox mail,
    offline AI) unless `settings` say otherwise, and every AWS endpoint on loopback so a stray
    client can never reach the internet."""
    tmp = scratch / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    environment = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TMPDIR": str(tmp),
        "HOME": str(tmp),
        "AWS_LAMBDA_FUNCTION_NAME": "codelearn-package-test",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(FUNCTION_MEMORY_MB),
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": LOOPBACK_ENDPOINT,
        "AWS_ACCESS_KEY_ID": "package-test",
        "AWS_SECRET_ACCESS_KEY": "package-test",
        "AWS_SESSION_TOKEN": "package-test-session-token",
        "AWS_EC2_METADATA_DISABLED": "true",
        "CODELEARN_ENV": "aws",
        "CODELEARN_SECRET_KEY": "package-test-secret-key",
        "CODELEARN_STORE": "sqlite",
        "CODELEARN_MAIL": "outbox",
        "CODELEARN_AI_PROVIDER": "offline",
        "CODELEARN_LOG_LEVEL": "WARNING",
    }
    environment.update(settings)
    return environment


class PackageProcess:
    """One clean interpreter running the unpacked package; `handler(event)` invokes it."""

    def __init__(self, task_root: Path, environment: dict[str, str], python: str = sys.executable) -> None:
        self._process = subprocess.Popen(
            [python, "-I", "-S", "-c", BOOTSTRAP, str(task_root)],
            cwd=environment["TMPDIR"],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.report: dict[str, Any] = {}
        self.stderr = ""

    def _exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError(f"the package process ended:\n{self.stderr[-4000:]}")
        return json.loads(line)

    def handler(self, event: dict, context: Any = None) -> dict:
        return self._exchange({"event": event})["response"]

    def evaluate(self, expression: str) -> Any:
        """An expression evaluated inside the child (with `sys` in scope), e.g. to list modules."""
        answer = self._exchange({"python": expression})
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def close(self, timeout: float = 30.0) -> dict[str, Any]:
        if self._process.returncode is None:
            out, self.stderr = self._process.communicate(timeout=timeout)
            lines = [line for line in out.splitlines() if line.strip()]
            if lines:
                self.report = json.loads(lines[-1])
        return self.report

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def __enter__(self) -> PackageProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process.returncode is None:
            self._process.kill()
            self.close()
