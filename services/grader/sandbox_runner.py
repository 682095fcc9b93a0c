"""The program that runs inside the grading sandbox (sent compiled to `python -I -S -B -c <bootstrap>`, sandbox.py).

It must stay self-contained (with -I the script's folder is not on sys.path) and cheap to start:
it uses only modules built into the interpreter plus `resource` and `_blake2`.

Order matters:
1. read the job from stdin (a marshal blob written by the server) and the index of the preloaded
   modules' code, which stays in an inherited, sealed memfd (see preload.py);
2. import the extension modules lesson code may need, install an in-memory importer for the
   pure-Python ones (they are executed lazily, on first import), let the built-in importer find only
   the allow-listed compiled-in modules (Debian's python3 has `fcntl`, `_socket`, `select` ...
   built in) and block every other import;
3. drop root if it is root, then set RLIMIT_NOFILE to 0: from here no file, socket or /proc entry can
   be opened - only the result pipe (fd given in the job) and /dev/null on fds 1-2 stay open;
4. snapshot the builtins, then run the learner's code and the tests, writing one authenticated
   record per step to the result pipe. Each record is `<mac> <json array>` where mac is a keyed
   BLAKE2 of the record under the per-run nonce; the nonce itself is dropped before learner code runs.
   JSON, not Python literals: the server parses what comes back with a size cap in linear time
   (sandbox.py), since a submission can reach the runner's objects and emit whatever it likes.
"""

import _ast
import _blake2  # imported before the file system is closed off; the runner's own needs
import _signal
import builtins
import marshal
import posix
import resource
import sys

# The runner's own lookups of builtins hit this snapshot, not the (learner-writable) builtins module.
globals().update({k: v for k, v in vars(builtins).items() if not k.startswith("__")})
_BUILTINS_SNAPSHOT = dict(vars(builtins))
_AssertionError = AssertionError
_MemoryError = MemoryError
_RecursionError = RecursionError
_write = posix.write
_marshal_loads = marshal.loads
_exc_info = sys.exc_info
_ModuleSpec = sys.modules["_frozen_importlib"].ModuleSpec
_ModuleType = type(sys)
_BuiltinImporter = sys.modules["_frozen_importlib"].BuiltinImporter
_FrozenImporter = sys.modules["_frozen_importlib"].FrozenImporter
_DEFAULT_RECURSION_LIMIT = sys.getrecursionlimit()

_RUNNER_ONLY_MODULES = ("_blake2", "resource")

class OutOfCPU(BaseException):  # noqa: N818 - a BaseException, so `except Exception` in lesson code cannot swallow it
    """Raised in the submission when its current slice of CPU time is used up (SIGXCPU)."""


def _on_sigxcpu(signum, frame):
    raise OutOfCPU()


SOLUTION_FILENAME = "<solution>"
TEST_FILENAME = "<test>"  # replaced in main() by the name challenge.py compiles the tests under
_EMFILE = 24
MESSAGE_CHARS = 1000
REPR_CHARS = 160
TRUNCATED = "\n... [output truncated]"
OUT_OF_CPU_MESSAGE = "Timed out: this test used more than {seconds} of CPU time and was stopped."
NO_CPU_LEFT = "Not run: your code used all the CPU time of the submission before this test."
TIMEOUT_MARK = "timeout"  # a hidden check's observation when its slice ran out (no exception is named so)
_CPU_LEFT_TO_START = 0.05


def _read_all(fd):
    chunks = []
    while True:
        chunk = posix.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


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


def _prepare_imports(job):
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


def _lock_down(job):
    if posix.geteuid() == 0:
        # RLIMIT_NPROC does not bind root, and root could raise its hard limits again.
        posix.setgroups([])
        posix.setresgid(job["gid"], job["gid"], job["gid"])
        posix.setresuid(job["uid"], job["uid"], job["uid"])
    resource.setrlimit(resource.RLIMIT_NOFILE, (0, 0))
    for name in _RUNNER_ONLY_MODULES:  # what the runner imported for itself is not lesson code's
        sys.modules.pop(name, None)


class CapturedOutput:
    """A capped stand-in for sys.stdout / sys.stderr (its name can show up in learners' errors)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, cap):
        self._parts = []
        self._room = cap
        self.truncated = False

    def write(self, text):
        if type(text) is not str:
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._room > 0:
            head = text[: self._room]  # never encode more than can be kept (text may be huge)
            # A lone surrogate is shown as its escape (`\udce9`), as a strict terminal could not print it.
            encoded = head.encode("utf-8", "backslashreplace")
            data = encoded[: self._room]
            self._room -= len(data)
            self._parts.append(data.decode("utf-8", "ignore"))  # a character cut in half is dropped
            if len(head) < len(text) or len(data) < len(encoded):
                self.truncated = True
        elif text:
            self.truncated = True
        return len(text)

    def flush(self):
        return None

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("output is captured by the grader; it has no file descriptor")

    @property
    def buffer(self):
        return _CapturedBytes(self)

    def value(self):
        return "".join(self._parts) + (TRUNCATED if self.truncated else "")


class _CapturedBytes:
    def __init__(self, text):
        self._text = text

    def write(self, data):
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        return None


class NoInput:
    """stdin while grading: input() explains itself instead of a bare "EOF when reading a line"."""

    def readline(self, size=-1):
        raise EOFError("input() has no keyboard here: use the values given in the challenge")

    read = readline


class FedInput:
    """stdin for a plain run: the text the learner typed in the input box, line by line; then EOF."""

    def __init__(self, text):
        self._lines = text.replace("\r\n", "\n").splitlines(keepends=True)  # a browser's form sends CRLF

    def readline(self, size=-1):
        line = self._lines.pop(0) if self._lines else ""
        if line:  # echoed, as a terminal shows what was typed (and the Enter) after the prompt
            sys.stdout.write(line if line.endswith("\n") else line + "\n")
        return line

    def read(self, size=-1):
        text = "".join(self._lines)
        self._lines = []
        return text


def _short(text, limit):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _safe_repr(value):
    try:
        text = repr(value)
        if type(text) is not str:
            raise TypeError
    except BaseException:
        text = f"<{type(value).__name__} object>"
    return _short(text, REPR_CHARS)


def _safe_str(value):
    try:
        text = str(value)
        return text if type(text) is str else ""
    except BaseException:
        return "<unprintable>"


_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "is": "is not",
            "is not": "is", "in": "not in", "not in": "in"}
_NAMESPACE_DUMPS = ("globals()", "locals()", "vars()", "dir()")


class _Compared:
    """What a failed comparison saw, for a message the author wrote (see explain_message)."""

    def __init__(self, left, op, right, left_text, right_text):
        self.left, self.op, self.right = left, op, right
        self.texts = (left_text, right_text)

    def __str__(self):  # the pytest-like form, when no author's message goes with it
        lines = [f"assert {_safe_repr(self.left)} {self.op} {_safe_repr(self.right)}"]
        for value, text in ((self.left, self.texts[0]), (self.right, self.texts[1])):
            shown = _safe_repr(value)
            if text != shown:
                lines.append(f"  where {shown} = {_short(text, REPR_CHARS)}")
        return "\n".join(lines + _differences(self.left, self.op, self.right))


def explain_compare(left, op, right, left_text, right_text):
    return _Compared(left, op, right, left_text, right_text)  # str() of it is the message


def explain_message(compared, message):
    """The author's message with the values compared first: `'Hello World!' != 'Hello, World!'`. Not
    when a side is the namespace itself (`'city' in globals()`): that would be a dump, not a help."""
    message = _safe_str(message)
    if type(compared) is not _Compared:  # cannot happen for rewritten asserts; be safe
        return message
    if any(dump in text for text in compared.texts for dump in _NAMESPACE_DUMPS):
        return message
    seen = f"{_safe_repr(compared.left)} {_NEGATED.get(compared.op, 'vs')} {_safe_repr(compared.right)}"
    return "\n".join([seen, *_differences(compared.left, compared.op, compared.right), message])


def _differences(left, op, right):
    """For `==` on two strings, lists or tuples: where they first differ, and their lengths."""
    try:
        kind = type(left)
        if op != "==" or kind is not type(right) or kind not in (str, list, tuple):
            return []
        shortest = min(len(left), len(right))
        first = next((i for i in range(shortest) if not left[i] == right[i]), None)  # noqa: SIM201 - the ==  the test used
        lines = []
        if first is not None and kind is str:
            lines.append(f"first difference at index {first}: {left[first]!r} != {right[first]!r} "
                         f"({_short(repr(left[max(0, first - 10):first + 10]), 40)} vs "
                         f"{_short(repr(right[max(0, first - 10):first + 10]), 40)})")
        elif first is not None and shortest > 3:
            lines.append(f"first difference at index {first}: {_safe_repr(left[first])} != {_safe_repr(right[first])}")
        if len(left) != len(right):
            lines.append(f"lengths differ: {len(left)} != {len(right)}")
        return lines
    except BaseException:  # learner objects inside may refuse to be compared or measured
        return []


_DATA_TYPES = (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset)


def explain_call(result, func_text, arguments, call_text):
    """`assert isinstance(3, str)` for a predicate; `assert 0 / where 0 = add(0, 0)` otherwise."""
    if type(result) is not bool:
        return explain_value(result, call_text)
    shown = []  # data arguments by value, anything else (str, len) by its source
    for keyword, value, text in arguments:
        part = _safe_repr(value) if isinstance(value, _DATA_TYPES) else _short(text, REPR_CHARS)
        shown.append(part if keyword is None else f"{keyword}={part}")
    return f"assert {_short(func_text, REPR_CHARS)}({', '.join(shown)})"


def explain_not(value, text):
    message = f"assert not {_safe_repr(value)}"
    return message if _safe_repr(value) == text else f"{message}\n  where {_safe_repr(value)} = {text}"


def explain_value(value, text):
    shown = _safe_repr(value)
    return f"assert {shown}" if shown == text else f"assert {shown}\n  where {shown} = {_short(text, REPR_CHARS)}"


def _describe(exc, memory_mb):
    try:
        return _describe_unsafe(exc, memory_mb)
    except BaseException:
        return "Your code raised an exception that cannot be displayed."


def _describe_unsafe(exc, memory_mb):
    kind = type(exc).__name__
    if isinstance(exc, _MemoryError):
        text = f"MemoryError: your code used more than the {memory_mb} MB of memory it may use"
    elif isinstance(exc, SystemExit):
        text = "SystemExit: the code called exit()"
    elif isinstance(exc, _RecursionError):
        text = "RecursionError: maximum recursion depth exceeded"
    elif isinstance(exc, OSError) and exc.errno == _EMFILE:  # RLIMIT_NOFILE is 0: no file can be opened
        text = "OSError: files are not part of this exercise: the code runs without a file system, so open() fails"
    else:
        detail = _safe_str(exc)
        text = f"{kind}: {detail}" if detail else kind
    line = None
    last_file = None
    tb = exc.__traceback__
    while tb is not None:
        last_file = tb.tb_frame.f_code.co_filename
        if last_file == SOLUTION_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    if type(exc) is NameError and last_file == TEST_FILENAME and type(exc.name) is str:
        # The test asked for a name the learner's code never defined (not a typo inside their code).
        return _short(f"Your code does not define `{exc.name}`. Check the spelling; did you print the answer "
                      "instead of returning it?", MESSAGE_CHARS)
    if line is not None:
        text += f" (line {line} of your code)"
    return _short(text, MESSAGE_CHARS)


def _describe_syntax_error(exc):
    if not isinstance(exc, SyntaxError):  # e.g. ValueError for NUL bytes
        return "SyntaxError: " + _safe_str(exc)
    text = f"{type(exc).__name__}: {exc.msg}"
    if exc.lineno:
        text += f" (line {exc.lineno})"
    source_line = (exc.text or "").rstrip("\n")
    if source_line.strip():
        stripped = source_line.lstrip()
        caret = max((exc.offset or 1) - 1 - (len(source_line) - len(stripped)), 0)
        text += f"\n    {_short(stripped, 200)}\n    {' ' * min(caret, 200)}^"
    return text


# JSON string escapes: quote, backslash and control characters; a lone surrogate becomes U+FFFD.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(32)}
_JSON_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})
_JSON_ESCAPES.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
_FLOAT_WORDS = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def to_json(value):
    """Plain data as JSON; tuples and dicts tagged so the server gets back the exact types."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        text = float.__repr__(value)
        return _FLOAT_WORDS.get(text, text)
    if kind is str:
        return '"' + value.translate(_JSON_ESCAPES) + '"'
    if kind is list:
        return "[" + ",".join([to_json(item) for item in value]) + "]"
    if kind is tuple:
        return '{"tuple":[' + ",".join([to_json(item) for item in value]) + "]}"
    if kind is dict:
        pairs = ",".join(["[" + to_json(k) + "," + to_json(v) + "]" for k, v in value.items()])
        return '{"dict":[' + pairs + "]}"
    raise TypeError(f"a {kind.__name__} is not plain data")


class _Run:
    def __init__(self, job, mac):
        self._mac = mac
        self._fd = job["result_fd"]
        self._seq = 0
        self._cap = job["output_bytes"]
        self._memory_mb = job["memory_mb"]
        self.hidden_function = job["hidden_function"]  # the name challenge.py gives a hidden check
        stdin = job.get("stdin")
        self._stdin = NoInput() if stdin is None else FedInput(stdin)  # one stream for the whole run
        self.max_subresults = job["max_subresults"]  # the server's bound on extra subTest results
        self.cpu_total = job["cpu_seconds"]
        self.cpu_slice = job["test_cpu_seconds"]
        self._hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]  # the server's: total + 1 s

    def cpu_left(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return self.cpu_total - (usage.ru_utime + usage.ru_stime)

    def _grant_slice(self):
        """The next call may use `cpu_slice` more CPU seconds (rounded: the limit is in whole seconds),
        never past the total. The kernel sends SIGXCPU at the soft limit; the handler raises OutOfCPU."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = usage.ru_utime + usage.ru_stime
        soft = min(self.cpu_total, max(int(used) + 1, round(used + self.cpu_slice)))
        resource.setrlimit(resource.RLIMIT_CPU, (soft, self._hard_cpu))

    def emit(self, kind, *fields):
        payload = to_json([self._seq, kind, *fields]).encode("utf-8")
        self._seq += 1
        digest = self._mac.copy()
        digest.update(payload)
        data = digest.hexdigest().encode() + b" " + payload + b"\n"
        while data:
            data = data[_write(self._fd, data):]

    def call(self, action):
        """Run action() with captured output; return (exception or None, value, output)."""
        capture = CapturedOutput(self._cap)
        sys.stdout = sys.stderr = capture
        sys.stdin = self._stdin
        error = value = None
        try:
            self._grant_slice()
            value = action()
        except BaseException:
            error = _exc_info()[1]
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            sys.setrecursionlimit(_DEFAULT_RECURSION_LIMIT)
            self._restore_builtins()
        return error, value, capture.value()

    def _restore_builtins(self):
        current = vars(builtins)
        for name, value in _BUILTINS_SNAPSHOT.items():
            if current.get(name) is not value:
                current[name] = value

    def describe(self, exc):
        if isinstance(exc, OutOfCPU):
            slice_text = f"{self.cpu_slice} second{'' if self.cpu_slice == 1 else 's'}"
            return OUT_OF_CPU_MESSAGE.format(seconds=slice_text)
        return _describe(exc, self._memory_mb)


def _to_plain(value, depth=0):
    """Copy `value` into exact built-in types, or raise TypeError."""
    kind = type(value)
    if depth > 20:
        raise TypeError("nested too deeply")
    if value is None or kind in (bool, int, float, str):
        return value
    if kind in (list, tuple):
        return kind(_to_plain(item, depth + 1) for item in value)
    if kind is dict:
        return {_to_plain(k, depth + 1): _to_plain(v, depth + 1) for k, v in value.items()}
    raise TypeError(f"a {kind.__name__} is not plain data")


def _public_names(namespace):
    """What `from solution import *` gives the tests: the learner's names, those that shadow builtins
    included (a learner's own `filter` is what the tests must call), but never a dunder such as
    `__builtins__` (the tests keep the runner's)."""
    exported = namespace.get("__all__")
    if type(exported) in (list, tuple) and all(type(name) is str for name in exported):
        names = exported
    else:
        names = [name for name in namespace if type(name) is str and not name.startswith("_")]
    return {n: namespace[n] for n in names if n in namespace and not n.startswith("__")}


def _run_tests(run, job):
    items = _marshal_loads(job["tests"])
    try:
        code = compile(job["code"], SOLUTION_FILENAME, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeError) as exc:
        run.emit("load", "syntax", _describe_syntax_error(exc), "")
        return
    # A real module, registered under its name: dataclasses (with `from __future__ import annotations`),
    # typing.get_type_hints, pickle and enum look the defining module up in sys.modules.
    module = _ModuleType("solution")
    module.__dict__["__builtins__"] = dict(_BUILTINS_SNAPSHOT)
    sys.modules["solution"] = module
    solution = module.__dict__
    error, _, output = run.call(lambda: exec(code, solution))  # noqa: S102 - the sandboxed submission
    if isinstance(error, OutOfCPU):
        run.emit("load", "cpu", "", output)
        return
    if error is not None:
        run.emit("load", "error", run.describe(error), output)
        return
    run.emit("load", "ok", "", output)
    namespace = {"__name__": "test_solution", "__builtins__": dict(_BUILTINS_SNAPSHOT)}
    namespace.update(_public_names(solution))
    namespace.update({
        "@AssertionError": _AssertionError, "@explain_compare": explain_compare,
        "@explain_call": explain_call, "@explain_not": explain_not, "@explain_value": explain_value,
        "@explain_message": explain_message,
        "rerun": lambda **overrides: _rerun(job["code"], overrides),  # after the learner's names: ours wins
    })
    module_error = None
    for kind, name, test_code in items:
        if kind not in ("module", "styles") and run.cpu_left() < _CPU_LEFT_TO_START:
            if kind == "observe":
                run.emit("observed", name, None, TIMEOUT_MARK)
            else:
                run.emit("result", name, "error", NO_CPU_LEFT, "")
        elif kind == "module":
            error, _, _ = run.call(lambda c=test_code: exec(c, namespace))  # noqa: S102
            module_error = None if error is None else "The test could not be set up: " + run.describe(error)
        elif module_error is not None:
            run.emit("result", name, "error", module_error, "")
        elif kind == "styles":
            _install_test_styles(test_code)
        elif kind == "test":
            _run_one_test(run, namespace, name)
        elif kind == "param":
            function_name, arguments = test_code
            _run_one_test(run, namespace, name, lambda f=function_name, a=arguments: namespace[f](*a))
        elif kind == "case":
            _run_one_case(run, namespace, name, test_code)
        elif kind == "observe":
            _run_one_observation(run, namespace, name, test_code)
        else:
            _run_one_probe(run, namespace, name, test_code)


def _rerun(source, overrides):
    """The learner's code run again with some top-level assignments given other values (`guests = 23`
    becomes `guests = 31`); its namespace. For checks of code that computes from given values."""
    tree = compile(source, SOLUTION_FILENAME, "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
    for statement in tree.body:
        if type(statement) is _ast.Assign and len(statement.targets) == 1:
            target = statement.targets[0]
        elif type(statement) is _ast.AnnAssign and statement.value is not None:
            target = statement.target
        else:
            continue
        if type(target) is _ast.Name and target.id in overrides:
            constant = _ast.Constant(overrides[target.id])
            _ast_copy_location(constant, statement.value)
            statement.value = constant
    namespace = {"__name__": "solution", "__builtins__": dict(_BUILTINS_SNAPSHOT)}
    exec(compile(tree, SOLUTION_FILENAME, "exec", dont_inherit=True), namespace)  # noqa: S102 - sandboxed
    return namespace


def _ast_copy_location(new, old):
    for attribute in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
        setattr(new, attribute, getattr(old, attribute, 1))


def _run_one_test(run, namespace, name, action=None):
    error, _, output = run.call(action or namespace.get(name))
    _emit_result(run, name, error, output)


def _run_one_case(run, namespace, name, target):
    """A unittest TestCase method: setUp, the test, tearDown; each failed subTest variation is a result
    of its own (`Class.test[n=3]`) before the method's."""
    class_name, method = target
    holder = []

    def action():
        case = namespace[class_name](method)
        holder.append(case)
        case._run_the_test()

    error, _, output = run.call(action)
    failures = holder[0]._subtest_failures if holder and type(holder[0]._subtest_failures) is list else []
    for label, message in failures[: run.max_subresults]:
        run.max_subresults -= 1
        run.emit("result", f"{name}[{_short(_safe_str(label), 80)}]", "fail", _short(_safe_str(message),
                 MESSAGE_CHARS), "")
    _emit_result(run, name, error, output)


def _install_test_styles(code):
    """`pytest` and `unittest` as the shims of test_styles.py (the server compiled it)."""
    scope = {"__name__": "codelearn_test_styles", "__builtins__": dict(_BUILTINS_SNAPSHOT),
             "_safe_repr": _safe_repr, "_differences": _differences}
    exec(code, scope)  # noqa: S102 - trusted, compiled by the server
    for module_name, names in _STYLE_EXPORTS.items():
        module = _ModuleType(module_name)
        for exported in names:
            setattr(module, exported, scope[exported])
        sys.modules[module_name] = module


_STYLE_EXPORTS = {
    "pytest": ("raises", "approx", "mark", "fail"),
    "unittest": ("TestCase", "main"),
}


def _emit_result(run, name, error, output):
    if error is None:
        run.emit("result", name, "pass", "", output)
    elif isinstance(error, _AssertionError):
        run.emit("result", name, "fail", _failure_message(error), output)
    else:
        run.emit("result", name, "error", run.describe(error), output)


def _failure_message(error):
    try:
        message = _safe_str(error.args[0]) if error.args else "assert failed"
    except BaseException:
        message = "assert failed"
    return _short(message, MESSAGE_CHARS)


def _run_one_probe(run, namespace, name, code):
    error, value, output = run.call(lambda: _to_plain(eval(code, namespace)))  # noqa: S307 - probe, sandboxed
    if error is None and len(to_json(value)) > run._cap:
        run.emit("result", name, "error", "The value is too large to report.", output)
    elif error is None:
        run.emit("probe", name, value, output)
    else:
        run.emit("result", name, "error", run.describe(error), output)


def _run_one_observation(run, namespace, name, code):
    """A hidden check: report what it returned (plain data) or raised; the server judges it. Its output
    and messages are never shown, so they are not sent."""
    exec(code, namespace)  # noqa: S102 - defines the check, trusted content
    check = namespace.pop(run.hidden_function)
    error, value, _ = run.call(lambda: _to_plain(check()))
    if error is None and len(to_json(value)) > run._cap:
        error = _MemoryError()
    raised = None
    if isinstance(error, OutOfCPU):
        raised, value = TIMEOUT_MARK, None
    elif error is not None:
        kind = type(error)
        raised = kind.__name__ + ("" if kind.__module__ == "builtins" else "*")
        value = None
    run.emit("observed", name, value, raised)


def main():
    job = _marshal_loads(_read_all(0))
    posix.close(0)
    _prepare_imports(job)
    mac = _blake2.blake2b(key=job.pop("nonce"), digest_size=16)
    _lock_down(job)
    global TEST_FILENAME
    TEST_FILENAME = job["test_filename"]
    run = _Run(job, mac)
    del mac
    _signal.signal(_signal.SIGXCPU, _on_sigxcpu)  # each slice's soft CPU limit ends the call, not the run
    run.emit("ready")  # from here on, anything that goes wrong is the submission's doing
    try:
        _run_tests(run, job)
    except BaseException as exc:  # a runner bug, or a submission that sabotaged the runner
        where = []
        tb = exc.__traceback__
        while tb is not None:
            where.append(f"{tb.tb_frame.f_code.co_name}:{tb.tb_lineno}")
            tb = tb.tb_next
        run.emit("crash", _short(f"{type(exc).__name__} at {' > '.join(where)}", MESSAGE_CHARS))
        posix._exit(3)
    run.emit("done")
    posix._exit(0)  # skip interpreter teardown: nothing left to do, and it is faster


if __name__ == "__main__":
    main()
