"""What lesson code can import inside the sandbox, set up by the runner before it locks down.

Executed inside the sandbox only, as the module `codelearn_sandbox_imports`, before sandbox_runner.py
(sandbox.py sends the code compiled). The manifest (preload.py) is read from its sealed memfd: the
extension modules are imported at once (they need a file descriptor), the pure-Python ones on first
import; the built-in importer finds only allow-listed compiled-in modules; everything else is refused.
"""

import marshal
import posix
import sys

_ModuleSpec = sys.modules["_frozen_importlib"].ModuleSpec
_BuiltinImporter = sys.modules["_frozen_importlib"].BuiltinImporter
_FrozenImporter = sys.modules["_frozen_importlib"].FrozenImporter
_marshal_loads = marshal.loads  # taken before lesson code runs: it may patch the marshal module


class _MemoryImporter:
    """Serves the preloaded pure-Python modules from code the server compiled once."""

    def __init__(self, fd, table):
        self._fd = fd
        self._table = table  # name -> (is_package, offset, length) in the manifest memfd

    def find_spec(self, name, path=None, target=None):
        entry = self._table.get(name)
        if entry is None:
            return None
        return _ModuleSpec(name, self, is_package=entry[0])

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        _, offset, length = self._table[module.__name__]
        code = _marshal_loads(posix.pread(self._fd, length, offset))
        exec(code, module.__dict__)  # noqa: S102 - trusted standard-library code


class _AllowedBuiltins:
    """The built-in importer, for the allow-listed compiled-in modules only."""

    def __init__(self, allowed):
        self._allowed = allowed

    def find_spec(self, name, path=None, target=None):
        if name not in self._allowed:
            return None
        return _BuiltinImporter.find_spec(name, path, target)


class _NoMoreImports:
    def __init__(self, available):
        self._available = available

    def find_spec(self, name, path=None, target=None):
        raise ModuleNotFoundError(
            f"No module named {name!r} here; the grader provides: {self._available}", name=name
        )


def prepare_imports(job):
    """Extension modules now; the manifest's pure-Python ones on first import; nothing else, ever."""
    fd = job["manifest_fd"]
    head_size = int.from_bytes(posix.pread(fd, 8, 0), "little")
    table, extensions = _marshal_loads(posix.pread(fd, head_size, 8))
    memory = _MemoryImporter(fd, table)
    builtin = _AllowedBuiltins(frozenset(job["builtins"]))
    sys.meta_path[:] = [builtin, _FrozenImporter, memory, *sys.meta_path[2:]]  # the file system last
    if not job["code"].isascii():
        # The compiler imports unicodedata to normalise non-ASCII identifiers (`città = 1`).
        extensions = [*extensions, "unicodedata"]
    for name in extensions:
        __import__(name)
    sys.meta_path[:] = [builtin, _FrozenImporter, memory, _NoMoreImports(job["available"])]
    sys.path[:] = []
    sys.path_hooks[:] = []
    sys.path_importer_cache.clear()
