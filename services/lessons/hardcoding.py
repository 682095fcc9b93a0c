"""The hard-coded attack on a lesson: what a learner who copies answers instead of solving submits.

Built from the reference solution and the visible tests: the solution's plain module values written
as literals, its functions replaced by lookup tables of exactly the calls the tests make, its classes
by stand-ins handing back the recorded method results in call order. The content check requires it
to fail. Solution and tests are trusted, but still run in another interpreter; the server only reads
the recording back as a literal and writes source from it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pprint import pformat

_MARKER = "RECORDING "

# Runs in a fresh interpreter (-I -S, no environment) in an empty temp directory. Reads the job as JSON,
# prints the recording as one Python literal (JSON has no tuples, sets or non-string keys).
_RECORDER = r"""
import ast, builtins, contextlib, copy, functools, inspect, io, json, math, sys, types

job = json.loads(sys.stdin.read())
depth = [0]  # > 0 inside a recorded call: only the tests' own calls are tabulated, not the solution's
LEFT_OUT = object()  # a value that is not plain data

def plain(value, key=False, level=0):
    kind = type(value)
    if value is None or kind in (bool, str):
        return True
    if kind is int:
        return value.bit_length() < 10_000  # a longer int cannot be printed (the int-to-str limit)
    if kind is float:
        return math.isfinite(value)  # nan and inf have no literal
    if level > 100:  # the parser refuses nesting deeper than 200 brackets (the recording adds 6)
        return False
    if kind in (list, tuple) or (kind is set and not key):  # a set's repr order can differ between runs
        return all(plain(item, key, level + 1) for item in value)
    return kind is dict and all(plain(k, key, level + 1) and plain(v, key, level + 1) for k, v in value.items())

def snapshot(value):  # copied now: the test may change the value later
    return copy.deepcopy(value) if plain(value) else LEFT_OUT

def left_out(entry, reason):  # counts the calls the attack cannot answer, by reason
    entry["left_out"][reason] = entry["left_out"].get(reason, 0) + 1

def recorder(fn, entry, store, skip_self=0):
    @functools.wraps(fn)  # transparent, so the tests run (and call) exactly as with the solution
    def wrapper(*args, **kwargs):
        outer = not depth[0] and store is not None
        call = (args[skip_self:], kwargs)
        key = repr(call) if outer and plain(call, key=True) else None  # taken before the call changes args
        depth[0] += 1
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            if outer:
                left_out(entry, "that raised")
                if key is not None:
                    store(key, None, raised=True)
            raise
        finally:
            depth[0] -= 1
        if outer and key is None:
            left_out(entry, "with arguments that are not plain data")
        return store(key, result) if outer and key is not None else result
    return wrapper

def replay(inner, items):
    while True:
        depth[0] += 1
        try:
            item = next(inner)
        except StopIteration:
            return
        finally:
            depth[0] -= 1
        items.append(snapshot(item))
        yield item

def record_function(fn):
    entry = {"kind": "function", "generator": inspect.isgeneratorfunction(fn), "calls": {}, "left_out": {}}
    streams = entry["streams"] = {}
    def store(key, result, raised=False):
        if raised:
            return None
        if entry["generator"]:  # the items are recorded as the test takes them
            streams.setdefault(key, []).append([])
            return replay(result, streams[key][-1])
        value = snapshot(result)
        if value is LEFT_OUT:
            left_out(entry, "whose result is not plain data")
        elif repr(entry["calls"].setdefault(key, value)) != repr(value):
            left_out(entry, "that gave another result for the same arguments")
        return result
    return entry, recorder(fn, entry, store)

def record_class(cls, solution):
    entry = {"kind": "class", "bases": [], "methods": [], "attributes": {}, "results": {}, "left_out": {},
             "skipped": []}
    for base in [base for base in cls.__bases__ if base is not object]:
        named = [n for n, v in solution.items() if v is base and not n.startswith("_")]
        if named or getattr(builtins, base.__name__, None) is base:
            entry["bases"].append(named[0] if named else base.__name__)
        else:
            entry["skipped"].append(f"base class {base.__name__}")
    for attr, value in list(vars(cls).items()):
        public = not attr.startswith("_")
        if isinstance(value, types.FunctionType):  # private ones too: what they call is not the tests' call
            queues = entry["results"].setdefault(attr, {}) if public else None
            def store(key, result, raised=False, queues=queues):
                answer = None if raised else snapshot(result)
                if answer is LEFT_OUT:
                    left_out(entry, "whose result is not plain data")
                queues.setdefault(key, []).append(None if answer is LEFT_OUT else answer)  # keeps the rest in step
                return result
            entry["methods"] += [attr] if public else []
            setattr(cls, attr, recorder(value, entry, store if public else None, skip_self=1))
        elif public and snapshot(value) is not LEFT_OUT:
            entry["attributes"][attr] = snapshot(value)
        elif public:
            entry["skipped"].append(f"{attr} (a {type(value).__name__})")
    return entry

with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    solution = {"__name__": "solution"}
    try:
        exec(compile(job["solution"], "solution.py", "exec"), solution)
    except BaseException as exc:
        print(_MARKER + ascii({"error": f"{type(exc).__name__}: {exc}"}), file=sys.__stdout__)
        sys.exit(0)
    exported = solution.get("__all__")  # the names `from solution import *` gives, builtins' shadows too
    if not (type(exported) in (list, tuple) and all(type(n) is str for n in exported)):
        exported = [n for n in solution if not n.startswith("_")]
    namespace, items = {"__name__": "test_solution"}, {}
    for name in [n for n in exported if n in solution]:
        value = namespace[name] = solution[name]
        own = getattr(value, "__module__", None) == "solution"
        if isinstance(value, type) and own:
            items[name] = record_class(value, solution)
        elif callable(value) and own:
            items[name], namespace[name] = record_function(value)
        elif snapshot(value) is not LEFT_OUT:
            items[name] = {"kind": "value", "value": snapshot(value)}
        else:
            items[name] = {"kind": "other", "type": type(value).__name__}
    for source in job["tests"]:
        try:
            tree = ast.parse(source)
            exec(compile(tree, "<test>", "exec"), namespace)
        except BaseException:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                try:
                    namespace[node.name]()
                except BaseException:
                    pass  # a failing test still made its calls before it failed
    for entry in items.values():
        for key, streams in entry.pop("streams", {}).items():
            if any(item is LEFT_OUT for stream in streams for item in stream):
                left_out(entry, "that yielded values that are not plain data")
            else:  # a test that stopped early saw a prefix of the longest stream
                entry["calls"][key] = max(streams, key=len)
print(_MARKER + ascii({"items": items}), file=sys.__stdout__)
""".replace("_MARKER", repr(_MARKER))

_NEXT_ANSWER = '''def _next_answer(answers, method, args, kwargs):
    queue = answers.get(method, {}).get(_repr((args, kwargs)))
    return queue.pop(0) if queue else None'''


@dataclass(frozen=True)
class Attack:
    code: str | None  # the attack's source, or None when nothing meaningful could be built
    note: str         # what was tabulated and what was left out, or why there is no attack


class _NotRecorded(Exception):
    pass


def build_hardcoded_attack(solution: str, tests: Sequence[str], *, timeout: float = 20) -> Attack:
    """The hard-coded attack on a lesson, built from its reference solution and its visible tests."""
    try:
        tree = ast.parse(solution)
    except (SyntaxError, ValueError) as exc:
        return Attack(None, f"the reference solution is not valid Python: {exc}")
    try:
        items = _record(solution, list(tests), timeout)
    except _NotRecorded as exc:
        return Attack(None, str(exc))
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    imported = {(alias.asname or alias.name).split(".")[0] for node in imports for alias in node.names}
    return _write_attack([ast.unparse(node) for node in imports], imported, items)


def _record(solution: str, tests: list[str], timeout: float) -> dict[str, dict]:
    job = json.dumps({"solution": solution, "tests": tests})
    with tempfile.TemporaryDirectory(prefix="hardcoding-") as workdir:
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-S", "-c", _RECORDER], input=job, capture_output=True, text=True,
                encoding="utf-8", cwd=workdir, env={"LANG": "C.UTF-8"}, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise _NotRecorded(f"running the reference solution's tests took more than {timeout:g} s") from None
    lines = [line for line in done.stdout.splitlines() if line.startswith(_MARKER)]
    if not lines:
        raise _NotRecorded(f"the recorder failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
    try:  # literal_eval, not eval: whatever the solution did, the attack only ever holds literals
        recording = ast.literal_eval(lines[-1][len(_MARKER):])
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise _NotRecorded(f"the recording is not a literal: {exc}") from None
    if "error" in recording:
        raise _NotRecorded(f"the reference solution raised {recording['error']} while loading")
    return recording["items"]


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' * (number != 1)}"


def _source(value: object, indent: str) -> str:
    return pformat(value, width=110, sort_dicts=False).replace("\n", "\n" + indent)


def _write_attack(imports: list[str], imported: set[str], items: dict[str, dict]) -> Attack:
    # Builtins are bound first: a stand-in may shadow them (a lesson's own `repr` or `iter`).
    parts = ["\n".join([*imports, "_repr, _iter = repr, iter"])]
    values = {name: item["value"] for name, item in items.items() if item["kind"] == "value"}
    done = [f"{_count(len(values), 'value')} ({', '.join(values)})"] if values else []
    missing: list[str] = []
    answers = len(values)
    for name, item in items.items():
        missing += [f"{name}: {_count(n, 'call')} {why}" for why, n in item.get("left_out", {}).items()]
        missing += [f"{name}.{what}" for what in item.get("skipped", [])]
        if item["kind"] == "other" and name not in imported:  # what an import binds, the kept import gives
            missing.append(f"{name} (a {item['type']}, not plain data)")
        elif item["kind"] == "function":
            lookup = f"{_source(item['calls'], '    ')}.get(_repr((args, kwargs))"
            body = f"_iter({lookup}, []))" if item["generator"] else lookup + ")"  # unknown: no items
            parts.append(f"def {name}(*args, **kwargs):\n    return {body}")
            done.append(f"{name}: {_count(len(item['calls']), 'call')}")
            answers += len(item["calls"])
        elif item["kind"] == "class":
            source, count = _write_class(name, item)
            parts.append(source)
            done.append(f"{name}: {_count(count, 'answer')}")
            answers += count
    left = "; left out " + ", ".join(missing) if missing else ""
    if not answers:  # stubs that all answer None are the starter, not an attack
        return Attack(None, "nothing could be tabulated" + left)
    if values:
        parts.insert(1, "\n".join(f"{name} = {_source(value, '')}" for name, value in values.items()))
    if any(item["kind"] == "class" for item in items.values()):
        parts.insert(1, _NEXT_ANSWER)
    return Attack("\n\n\n".join(parts) + "\n", "tabulated " + ", ".join(done) + left)


def _write_class(name: str, item: dict) -> tuple[str, int]:
    """The stand-in class and how many answers it holds (method results, in call order, and attributes)."""
    answers, attributes = item["results"], item["attributes"]
    lines = [f"class {name}({', '.join(item['bases'])}):" if item["bases"] else f"class {name}:"]
    lines += [f"    {attr} = {_source(value, '    ')}" for attr, value in attributes.items()]
    lines += [f"    _answers = {_source(answers, '    ')}", "",
              "    def __init__(self, *args, **kwargs):", "        pass"]
    for method in item["methods"]:
        lines += ["", f"    def {method}(self, *args, **kwargs):",
                  f"        return _next_answer({name}._answers, {method!r}, args, kwargs)"]
    return "\n".join(lines), len(attributes) + sum(len(q) for queues in answers.values() for q in queues.values())
