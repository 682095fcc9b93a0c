"""The standard-library modules lesson code may import inside the sandbox, and how they get there.

Once the sandbox sets RLIMIT_NOFILE to 0 it cannot open a file, so nothing can be imported from disk.
Importing all these modules up front costs ~30 ms per run, more than the whole grading budget, so
instead the server builds a manifest once per process: the marshalled code of every pure-Python
module these imports pull in, plus the names of the extension modules among them. The manifest is
handed to each run in a sealed memfd; the sandbox imports the few extension modules eagerly (they
need dlopen, hence a file descriptor), reads only the index, and reads and executes a pure-Python
module from the memfd only when lesson code imports it. The memfd stays open in the sandbox: it is
sealed against writes and holds nothing but standard-library bytecode.
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
    "bisect", "copy", "textwrap", "contextlib", "fractions", "decimal", "time", "calendar",
    "threading",  # importable; starting a thread fails (the seccomp filter refuses clone)
    "__future__",  # `from __future__ import annotations` is common in typed code
)
# Imported lazily by the modules above, so they must be in the manifest too, though not advertised.
SUPPORT_MODULES: tuple[str, ...] = ("_strptime",)  # datetime.strptime

# Compiled-in modules the sandbox's built-in importer may find: what the modules above and the runner
# need, on the venv's Python and on Debian's (which compiles in far more: fcntl, _socket, select,
# _posixsubprocess, pwd, syslog ... none of them here). Allow-listed, so a new interpreter build adds
# nothing by itself. What a module found some other way could do is bounded by the seccomp filter.
ALLOWED_BUILTIN_MODULES: tuple[str, ...] = (
    "_abc", "_ast", "_bisect", "_codecs", "_collections", "_contextvars", "_datetime", "_decimal",
    "_functools", "_heapq", "_imp", "_io", "_json", "_locale", "_opcode", "_operator", "_random",
    "_sha512", "_signal", "_sre", "_stat", "_statistics", "_string", "_struct", "_thread", "_typing",
    "_warnings", "_weakref", "atexit", "builtins", "errno", "itertools", "marshal", "math", "posix",
    "sys", "time", "unicodedata",
)

INTERPRETER_FLAGS = ("-I", "-S", "-B", "-X", "utf8")

# C accelerators whose module has a pure-Python fallback. Importing an extension eagerly costs
# ~0.3 ms each and _decimal ~4 ms (it imports collections and numbers at init), so the sandbox uses
# the pure-Python versions, executed only if lesson code imports them. math, _random and _sha512 have
# no fallback and stay eager (~1 ms together).
PURE_PYTHON_INSTEAD = ("_decimal", "_datetime", "_bisect", "_heapq", "_json", "_statistics", "_opcode",
                       "_typing")

# Runs in a fresh interpreter with the sandbox's flags; prints the marshalled manifest:
# 8-byte index length, marshal((index, extensions)), then each module's marshalled code, where
# index maps a module name to (is_package, offset, length).
_MANIFEST_SCRIPT = r"""
import marshal, sys
blocked = set(sys.argv[1].split(","))
class Block:
    def find_spec(self, name, path=None, target=None):
        if name in blocked:
            raise ImportError(name)
sys.meta_path.insert(0, Block())
before = set(sys.modules)
for name in sys.argv[2:]:
    __import__(name)
from importlib.machinery import ExtensionFileLoader, SourceFileLoader, SourcelessFileLoader
codes, extensions = {}, []
for name, module in sorted(sys.modules.items()):
    spec = getattr(module, "__spec__", None)
    if name in before or spec is None:
        continue
    if isinstance(spec.loader, ExtensionFileLoader):
        extensions.append(name)
    elif isinstance(spec.loader, (SourceFileLoader, SourcelessFileLoader)):
        is_package = spec.submodule_search_locations is not None
        codes[name] = (is_package, marshal.dumps(spec.loader.get_code(name)))
index, body, offset = {}, [], 0
for name, (is_package, data) in codes.items():
    index[name] = (is_package, offset, len(data))
    body.append(data)
    offset += len(data)
head = marshal.dumps((index, extensions))
start = 8 + len(head)
index = {name: (pkg, start + off, size) for name, (pkg, off, size) in index.items()}
head = marshal.dumps((index, extensions))
assert len(head) + 8 == start
sys.stdout.buffer.write(len(head).to_bytes(8, "little") + head + b"".join(body))
"""


@dataclass(frozen=True)
class Manifest:
    fd: int      # sealed memfd holding the manifest (format above); the sandbox keeps it open
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
    if "_ctypes" in sys.builtin_module_names:
        raise RuntimeError("this interpreter has ctypes built in; the sandbox must never offer it")
    completed = subprocess.run(
        [sys.executable, *INTERPRETER_FLAGS, "-c", _MANIFEST_SCRIPT, ",".join(PURE_PYTHON_INSTEAD),
         *PRELOADED_MODULES, *SUPPORT_MODULES],
        capture_output=True, env={}, timeout=60, check=True,
    )
    blob = completed.stdout
    head_size = int.from_bytes(blob[:8], "little")
    table, extensions = marshal.loads(blob[8 : 8 + head_size])  # noqa: S302 - our own interpreter's output
    if "ctypes" in table or any(name.startswith(("ctypes", "_ctypes")) for name in extensions):
        raise RuntimeError("the preload list pulls in ctypes; the sandbox must never offer it")
    fd = os.memfd_create("grader-preload", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, blob)
    # Sealed: no run can change what later runs import.
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
    return Manifest(fd=fd, size=len(blob))
