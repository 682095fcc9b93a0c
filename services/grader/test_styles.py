"""`pytest` and `unittest` inside the sandbox: as much of each as lesson tests use, not the packages.

This file is not imported by the server. challenge.py compiles it once and sends it with the tests
of a challenge that imports either name; the runner executes it and registers the two modules, with
its own message helpers (`_safe_repr`, `_differences`) passed in. The packages themselves cost
~30 ms (unittest) to ~165 ms (pytest) to import, more than a whole grading.

Collection is done on the server (challenge.py): `test_*` functions, `@pytest.mark.parametrize`
cases with literal values (one result each), and `Test*` classes' `test_*` methods. `with
pytest.raises(...)` and `with self.assertRaises(...)` get the source of their body as `_source`
(assertions.py), so "nothing was raised" can say by what.
"""

# ruff: noqa: N802, F821, SIM201, SIM202
# N802: unittest's method names (assertEqual ...) are its API. F821: _safe_repr and _differences are
# given by the runner. SIM201/202: `not a == b` uses the operator the assertion names, as unittest does.
# _safe_repr and _differences are given by the runner when it executes this file.
import math
import re


def _name_of(kind):
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


class _ExpectedRaise:
    """`pytest.raises` / `assertRaises` as a context manager."""

    def __init__(self, expected, match=None, source=None):
        self.expected, self.match, self.source = expected, match, source
        self.value = self.exception = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        by = f" by {self.source}" if self.source else ""
        if kind is None:
            raise AssertionError(f"expected {_name_of(self.expected)} to be raised{by}; nothing was raised")
        if not issubclass(kind, self.expected):
            return False  # another exception: the test errors with it, as pytest and unittest do
        self.value = self.exception = value
        if self.match is not None and not re.search(self.match, str(value)):
            raise AssertionError(f"{_name_of(self.expected)} was raised{by}, but its message {str(value)!r} "
                                 f"does not match {self.match!r}")
        return True


# --- pytest -------------------------------------------------------------------------------------------

def raises(expected, *args, match=None, _source=None, **kwargs):
    context = _ExpectedRaise(expected, match, _source)
    if args:  # the old call form: pytest.raises(ValueError, function, argument)
        with context:
            args[0](*args[1:], **kwargs)
        return context
    return context


class _Approx:
    def __init__(self, expected, rel, abs_):
        self.expected, self.rel, self.abs = expected, rel, abs_

    def _close(self, expected, actual):
        if isinstance(expected, list | tuple):
            return isinstance(actual, list | tuple) and len(expected) == len(actual) and all(
                self._close(e, a) for e, a in zip(expected, actual, strict=True))
        if isinstance(expected, dict):
            return isinstance(actual, dict) and expected.keys() == actual.keys() and all(
                self._close(v, actual[k]) for k, v in expected.items())
        if isinstance(actual, bool) or not isinstance(actual, int | float):
            return False
        return math.isclose(actual, expected, rel_tol=self.rel, abs_tol=self.abs)

    def __eq__(self, other):
        return self._close(self.expected, other)

    __hash__ = None

    def __repr__(self):
        return f"approx({self.expected!r})"


def approx(expected, rel=None, abs=None):  # noqa: A002 - pytest's keyword
    return _Approx(expected, 1e-6 if rel is None else rel, 1e-12 if abs is None else abs)


class _Mark:
    """`@pytest.mark.parametrize` is expanded on the server; at run time the marks change nothing."""

    def __getattr__(self, name):
        def mark(*args, **kwargs):
            return lambda function: function
        return mark


mark = _Mark()


def fail(reason=""):
    raise AssertionError(reason or "failed")


# --- unittest -----------------------------------------------------------------------------------------

class _SubTest:
    def __init__(self, case, label):
        self.case, self.label = case, label

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None and issubclass(kind, AssertionError):
            self.case._subtest_failures.append((self.label, str(value)))
            return True
        return False


class TestCase:
    failureException = AssertionError
    maxDiff = None

    def __init__(self, methodName="runTest"):
        self._testMethodName = methodName
        self._subtest_failures = []

    def setUp(self):
        pass

    def tearDown(self):
        pass

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    def _run_the_test(self):
        """setUp, the method, tearDown; subTest variations that failed are read by the runner."""
        self.setUp()
        try:
            getattr(self, self._testMethodName)()
        finally:
            self.tearDown()
        if self._subtest_failures:
            count = len(self._subtest_failures)
            raise AssertionError(f"{count} variation{'' if count == 1 else 's'} failed: "
                                 + "; ".join(label for label, _ in self._subtest_failures))

    def subTest(self, msg=None, **params):
        parts = ([str(msg)] if msg is not None else []) + [f"{k}={v!r}" for k, v in params.items()]
        return _SubTest(self, ", ".join(parts) or "subtest")

    def _fail(self, seen, msg, extra=()):
        raise AssertionError("\n".join([seen, *extra] + ([str(msg)] if msg is not None else [])))

    def fail(self, msg=None):
        raise AssertionError(msg or "failed")

    def assertEqual(self, first, second, msg=None):
        if not first == second:
            self._fail(f"{_safe_repr(first)} != {_safe_repr(second)}", msg, _differences(first, "==", second))

    def assertNotEqual(self, first, second, msg=None):
        if not first != second:
            self._fail(f"{_safe_repr(first)} == {_safe_repr(second)}", msg)

    def assertTrue(self, value, msg=None):
        if not value:
            self._fail(f"{_safe_repr(value)} is not true", msg)

    def assertFalse(self, value, msg=None):
        if value:
            self._fail(f"{_safe_repr(value)} is not false", msg)

    def assertIs(self, first, second, msg=None):
        if first is not second:
            self._fail(f"{_safe_repr(first)} is not {_safe_repr(second)}", msg)

    def assertIsNot(self, first, second, msg=None):
        if first is second:
            self._fail(f"unexpectedly identical: {_safe_repr(first)}", msg)

    def assertIsNone(self, value, msg=None):
        if value is not None:
            self._fail(f"{_safe_repr(value)} is not None", msg)

    def assertIsNotNone(self, value, msg=None):
        if value is None:
            self._fail("unexpectedly None", msg)

    def assertIn(self, member, container, msg=None):
        if member not in container:
            self._fail(f"{_safe_repr(member)} not found in {_safe_repr(container)}", msg)

    def assertNotIn(self, member, container, msg=None):
        if member in container:
            self._fail(f"{_safe_repr(member)} unexpectedly found in {_safe_repr(container)}", msg)

    def assertIsInstance(self, value, kind, msg=None):
        if not isinstance(value, kind):
            self._fail(f"{_safe_repr(value)} is not an instance of {_name_of(kind)}", msg)

    def assertNotIsInstance(self, value, kind, msg=None):
        if isinstance(value, kind):
            self._fail(f"{_safe_repr(value)} is an instance of {_name_of(kind)}", msg)

    def assertAlmostEqual(self, first, second, places=None, msg=None, delta=None):
        if first == second:
            return
        if delta is not None:
            if abs(first - second) <= delta:
                return
            self._fail(f"{_safe_repr(first)} != {_safe_repr(second)} within {delta!r} delta", msg)
        places = 7 if places is None else places
        if round(abs(first - second), places) == 0:
            return
        self._fail(f"{_safe_repr(first)} != {_safe_repr(second)} within {places} places", msg)

    def assertNotAlmostEqual(self, first, second, places=None, msg=None, delta=None):
        close = (abs(first - second) <= delta) if delta is not None else \
            round(abs(first - second), 7 if places is None else places) == 0
        if close:
            self._fail(f"{_safe_repr(first)} == {_safe_repr(second)} (almost)", msg)

    def assertGreater(self, first, second, msg=None):
        if not first > second:
            self._fail(f"{_safe_repr(first)} not greater than {_safe_repr(second)}", msg)

    def assertGreaterEqual(self, first, second, msg=None):
        if not first >= second:
            self._fail(f"{_safe_repr(first)} not greater than or equal to {_safe_repr(second)}", msg)

    def assertLess(self, first, second, msg=None):
        if not first < second:
            self._fail(f"{_safe_repr(first)} not less than {_safe_repr(second)}", msg)

    def assertLessEqual(self, first, second, msg=None):
        if not first <= second:
            self._fail(f"{_safe_repr(first)} not less than or equal to {_safe_repr(second)}", msg)

    def assertCountEqual(self, first, second, msg=None):
        first, second = list(first), list(second)
        missing = list(second)
        extra = []
        for item in first:
            if item in missing:
                missing.remove(item)
            else:
                extra.append(item)
        if missing or extra:
            self._fail(f"element counts differ: unexpected {_safe_repr(extra)}, missing {_safe_repr(missing)}", msg)

    def assertRegex(self, text, pattern, msg=None):
        if not re.search(pattern, text):
            self._fail(f"regex {pattern!r} did not match {_safe_repr(text)}", msg)

    def assertNotRegex(self, text, pattern, msg=None):
        if re.search(pattern, text):
            self._fail(f"regex {pattern!r} unexpectedly matched {_safe_repr(text)}", msg)

    def assertListEqual(self, first, second, msg=None):
        self.assertEqual(first, second, msg)

    assertTupleEqual = assertDictEqual = assertSetEqual = assertSequenceEqual = assertMultiLineEqual = \
        assertListEqual

    def assertRaises(self, expected, *args, _source=None, **kwargs):
        context = _ExpectedRaise(expected, None, _source)
        if args:
            with _ExpectedRaise(expected, None, getattr(args[0], "__name__", None)):
                args[0](*args[1:], **kwargs)
            return None
        return context

    def assertRaisesRegex(self, expected, pattern, *args, _source=None, **kwargs):
        context = _ExpectedRaise(expected, pattern, _source)
        if args:
            with _ExpectedRaise(expected, pattern, getattr(args[0], "__name__", None)):
                args[0](*args[1:], **kwargs)
            return None
        return context


def main(*args, **kwargs):  # `unittest.main()` at the bottom of a test file: the grader runs the tests
    return None
