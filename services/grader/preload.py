"""The standard-library modules lesson code may import inside the sandbox, and how they get there.

Once the sandbox sets RLIMIT_NOFILE to 0 it cannot open a file, so nothing can be imported from disk.
Importing all these modules up front costs ~30 ms per run, more than the whole grading budget, so
instead the server builds a manifest once per process: the marshalled code of every pure-Python
module these imports pull in, plus the names of the extension modules among them. The manifest is
handed to each run in a sealed memfd; the sandbox imports the few extension modules eagerly (they
need dlopen) and executes the pure-Python ones from memory only when lesson code imports them.
"""

from __future__ import annotations

import fcntl
import marshal
import os
import subprocess
import sys
import threading
from dataclasses import dataclass

# The one list of importable modules. Never add ctypes (or anything that can reach raw memory).
PRELOADED_MODULES: tuple[str, ...] = (
    "math", "random", "re", "string", "collections", "itertools", "functools", "operator",
    "dataclasses", "typing", "enum", "abc", "io", "json", "datetime", "statistics", "heapq",
    "bisect", "copy", "textwrap", "contextlib", "fractions", "decimal", "time",
)

INTERPRETER_FLAGS = ("-I", "-S", "-B", "-X", "utf8")

# Runs in a fresh interpreter with the sandbox's flags; prints the marshalled manifest.
_MANIFEST_SCRIPT = r"""
import marshal, sys
before = set(sys.modules)
for name in sys.argv[1:]:
    __import__(name)
from importlib.machinery import ExtensionFileLoader, SourceFileLoader, SourcelessFileLoader
table, extensions = {}, []
for name, module in sorted(sys.modules.items()):
    spec = getattr(module, "__spec__", None)
    if name in before or spec is None:
        continue
    if isinstance(spec.loader, ExtensionFileLoader):
        extensions.append(name)
    elif isinstance(spec.loader, (SourceFileLoader, SourcelessFileLoader)):
        code = spec.loader.get_code(name)
        table[name] = (spec.submodule_search_locations is not None, marshal.dumps(code))
sys.stdout.buffer.write(marshal.dumps((table, extensions)))
"""


@dataclass(frozen=True)
class Manifest:
    fd: int      # sealed memfd holding the marshalled (table, extensions)
    size: int


_lock = threading.Lock()
_manifest: Manifest | None = None


def get_manifest() -> Manifest:
    """Build the manifest on first use (one interpreter run, ~60 ms) and keep it for the process."""
    global _manifest
    with _lock:
        if _manifest is None:
            _manifest = _build_manifest()
        return _manifest


def _build_manifest() -> Manifest:
    completed = subprocess.run(
        [sys.executable, *INTERPRETER_FLAGS, "-c", _MANIFEST_SCRIPT, *PRELOADED_MODULES],
        capture_output=True, env={}, timeout=60, check=True,
    )
    blob = completed.stdout
    table, extensions = marshal.loads(blob)  # noqa: S302 - our own interpreter's output
    if "ctypes" in table or any(name.startswith(("ctypes", "_ctypes")) for name in extensions):
        raise RuntimeError("the preload list pulls in ctypes; the sandbox must never offer it")
    fd = os.memfd_create("grader-preload", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, blob)
    # Sealed: no run can change what later runs import.
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
    return Manifest(fd=fd, size=len(blob))
