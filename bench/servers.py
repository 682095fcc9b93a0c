"""CodeLearn (or any WSGI target) under gunicorn on loopback, for the benchmarks that drive it over
HTTP (`bench.pages`, `bench.load`): a free port, a start that waits until it accepts connections,
and a stop that takes the whole process group (master and workers) down."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start in time")


def start_gunicorn(arguments: list[str], target: str, env: dict[str, str],
                   timeout: float = 30.0) -> tuple[subprocess.Popen, int]:
    """gunicorn with `arguments` serving `target` ("module:factory()") on a free loopback port, in a
    session of its own; returns once the port accepts connections."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *arguments, "--bind", f"127.0.0.1:{port}", target]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_until_up(port, process, timeout)
    except RuntimeError:
        stop_gunicorn(process)
        raise
    return process, port


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
