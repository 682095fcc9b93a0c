"""What the sandbox's runner writes: captured output, the messages of failures, JSON records.

Executed inside the sandbox only, as the module `codelearn_sandbox_text`, before sandbox_runner.py
(sandbox.py sends both compiled; the runner imports its names from sys.modules). Like the runner it
uses only built-in modules, and its lookups of builtins hit a snapshot taken before learner code runs.
"""

import builtins
import sys

# Lookups of builtins hit this snapshot, not the (learner-writable) builtins module.
globals().update({k: v for k, v in vars(builtins).items() if not k.startswith("__")})
_MemoryError = MemoryError
_RecursionError = RecursionError

SOLUTION_FILENAME = "<solution>"
TEST_FILENAME = "<test>"  # set by the runner to the name challenge.py compiles the tests under
_EMFILE = 24
MESSAGE_CHARS = 1000
REPR_CHARS = 160
TRUNCATED = "\n... [output truncated]"


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


def short(text, limit):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def safe_repr(value):
    try:
        text = repr(value)
        if type(text) is not str:
            raise TypeError
    except BaseException:
        text = f"<{type(value).__name__} object>"
    return short(text, REPR_CHARS)


def safe_str(value):
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
        lines = [f"assert {safe_repr(self.left)} {self.op} {safe_repr(self.right)}"]
        for value, text in ((self.left, self.texts[0]), (self.right, self.texts[1])):
            shown = safe_repr(value)
            if text != shown:
                lines.append(f"  where {shown} = {short(text, REPR_CHARS)}")
        return "\n".join(lines + differences(self.left, self.op, self.right))


def explain_compare(left, op, right, left_text, right_text):
    return _Compared(left, op, right, left_text, right_text)  # str() of it is the message


def explain_message(compared, message):
    """The author's message with the values compared first: `'Hello World!' != 'Hello, World!'`. Not
    when a side is the namespace itself (`'city' in globals()`): that would be a dump, not a help."""
    message = safe_str(message)
    if type(compared) is not _Compared:  # cannot happen for rewritten asserts; be safe
        return message
    if any(dump in text for text in compared.texts for dump in _NAMESPACE_DUMPS):
        return message
    seen = f"{safe_repr(compared.left)} {_NEGATED.get(compared.op, 'vs')} {safe_repr(compared.right)}"
    return "\n".join([seen, *differences(compared.left, compared.op, compared.right), message])


def differences(left, op, right):
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
                         f"({short(repr(left[max(0, first - 10):first + 10]), 40)} vs "
                         f"{short(repr(right[max(0, first - 10):first + 10]), 40)})")
        elif first is not None and shortest > 3:
            lines.append(f"first difference at index {first}: {safe_repr(left[first])} != {safe_repr(right[first])}")
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
        part = safe_repr(value) if isinstance(value, _DATA_TYPES) else short(text, REPR_CHARS)
        shown.append(part if keyword is None else f"{keyword}={part}")
    return f"assert {short(func_text, REPR_CHARS)}({', '.join(shown)})"


def explain_not(value, text):
    message = f"assert not {safe_repr(value)}"
    return message if safe_repr(value) == text else f"{message}\n  where {safe_repr(value)} = {text}"


def explain_value(value, text):
    shown = safe_repr(value)
    return f"assert {shown}" if shown == text else f"assert {shown}\n  where {shown} = {short(text, REPR_CHARS)}"


def describe_exception(exc, memory_mb):
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
        detail = safe_str(exc)
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
        return short(f"Your code does not define `{exc.name}`. Check the spelling; did you print the answer "
                      "instead of returning it?", MESSAGE_CHARS)
    if line is not None:
        text += f" (line {line} of your code)"
    return short(text, MESSAGE_CHARS)


def describe_syntax_error(exc):
    if not isinstance(exc, SyntaxError):  # e.g. ValueError for NUL bytes
        return "SyntaxError: " + safe_str(exc)
    text = f"{type(exc).__name__}: {exc.msg}"
    if exc.lineno:
        text += f" (line {exc.lineno})"
    source_line = (exc.text or "").rstrip("\n")
    if source_line.strip():
        stripped = source_line.lstrip()
        caret = max((exc.offset or 1) - 1 - (len(source_line) - len(stripped)), 0)
        text += f"\n    {short(stripped, 200)}\n    {' ' * min(caret, 200)}^"
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
