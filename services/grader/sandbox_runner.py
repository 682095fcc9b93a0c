"""The program that runs inside the grading sandbox (sent compiled to `python -I -S -B -c <bootstrap>`, sandbox.py).

It must stay cheap to start and needs nothing from the file system but the interpreter: it uses only
modules built into the interpreter plus `resource` and `_blake2`, and `codelearn_sandbox_text`
(sandbox_text.py), which the bootstrap executes first from the code the server sent.

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

# Set up by sandbox.py's bootstrap before this runs: what lesson code may import, and the text the
# runner writes (output, messages, JSON).
import codelearn_sandbox_text as sandbox_text
from codelearn_sandbox_imports import prepare_imports
from codelearn_sandbox_text import (
    MESSAGE_CHARS,
    SOLUTION_FILENAME,
    CapturedOutput,
    FedInput,
    NoInput,
    describe_exception,
    describe_syntax_error,
    differences,
    explain_call,
    explain_compare,
    explain_message,
    explain_not,
    explain_value,
    safe_repr,
    safe_str,
    short,
    to_json,
)

# The runner's own lookups of builtins hit this snapshot, not the (learner-writable) builtins module.
globals().update({k: v for k, v in vars(builtins).items() if not k.startswith("__")})
_BUILTINS_SNAPSHOT = dict(vars(builtins))
_AssertionError = AssertionError
_MemoryError = MemoryError
_RecursionError = RecursionError
_write = posix.write
_marshal_loads = marshal.loads
_exc_info = sys.exc_info
_ModuleType = type(sys)
_DEFAULT_RECURSION_LIMIT = sys.getrecursionlimit()

_RUNNER_ONLY_MODULES = ("_blake2", "resource", "codelearn_sandbox_text", "codelearn_sandbox_imports")

class OutOfCPU(BaseException):  # noqa: N818 - a BaseException, so `except Exception` in lesson code cannot swallow it
    """Raised in the submission when its current slice of CPU time is used up (SIGXCPU)."""


def _on_sigxcpu(signum, frame):
    raise OutOfCPU()


OUT_OF_CPU_MESSAGE = "Timed out: this test used more than {seconds} of CPU time and was stopped."
NO_CPU_LEFT = "Not run: your code used all the CPU time of the submission before this test."
_CPU_LEFT_TO_START = 0.05


def _read_all(fd):
    chunks = []
    while True:
        chunk = posix.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _lock_down(job):
    if posix.geteuid() == 0:
        # RLIMIT_NPROC does not bind root, and root could raise its hard limits again.
        posix.setgroups([])
        posix.setresgid(job["gid"], job["gid"], job["gid"])
        posix.setresuid(job["uid"], job["uid"], job["uid"])
    resource.setrlimit(resource.RLIMIT_NOFILE, (0, 0))
    for name in _RUNNER_ONLY_MODULES:  # what the runner imported for itself is not lesson code's
        sys.modules.pop(name, None)


class _Run:
    def __init__(self, job, mac):
        self._mac = mac
        self._fd = job["result_fd"]
        self._seq = 0
        self._cap = job["output_bytes"]
        self._memory_mb = job["memory_mb"]
        self.hidden_function = job["hidden_function"]  # the name challenge.py gives a hidden check
        self.timeout_mark = job["timeout_mark"]  # a hidden check's observation when its slice ran out
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
        return describe_exception(exc, self._memory_mb)


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
        run.emit("load", "syntax", describe_syntax_error(exc), "")
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
                run.emit("observed", name, None, run.timeout_mark)
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
        run.emit("result", f"{name}[{short(safe_str(label), 80)}]", "fail", short(safe_str(message),
                 MESSAGE_CHARS), "")
    _emit_result(run, name, error, output)


def _install_test_styles(code):
    """`pytest` and `unittest` as the shims of test_styles.py (the server compiled it)."""
    scope = {"__name__": "codelearn_test_styles", "__builtins__": dict(_BUILTINS_SNAPSHOT),
             "_safe_repr": safe_repr, "_differences": differences}
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
        message = safe_str(error.args[0]) if error.args else "assert failed"
    except BaseException:
        message = "assert failed"
    return short(message, MESSAGE_CHARS)


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
        raised, value = run.timeout_mark, None
    elif error is not None:
        kind = type(error)
        raised = kind.__name__ + ("" if kind.__module__ == "builtins" else "*")
        value = None
    run.emit("observed", name, value, raised)


def main():
    job = _marshal_loads(_read_all(0))
    posix.close(0)
    prepare_imports(job)
    mac = _blake2.blake2b(key=job.pop("nonce"), digest_size=16)
    _lock_down(job)
    sandbox_text.TEST_FILENAME = job["test_filename"]
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
        run.emit("crash", short(f"{type(exc).__name__} at {' > '.join(where)}", MESSAGE_CHARS))
        posix._exit(3)
    run.emit("done")
    posix._exit(0)  # skip interpreter teardown: nothing left to do, and it is faster


if __name__ == "__main__":
    main()
