"""Graders that stand in for the real one where the self-test must see it fail.

`UncontainedGrader` grades as the seed did before the sandbox: the submission and its tests in a
plain subprocess that inherits the server's whole environment and may start processes. It is what
"containment is missing" looks like, so the self-test's hostile cases must catch it.
`UnavailableGrader` answers like a server whose sandbox cannot start (e.g. no seccomp filter).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence

from services.grader import Limits, Report, TestResult
from services.grader.python_language import UNAVAILABLE

_RUN_TESTS = '''
import json as _json
_results = []
for _name in [name for name in list(globals()) if name.startswith("test_")]:
    try:
        globals()[_name]()
        _results.append([_name, "pass", ""])
    except AssertionError as _error:
        _results.append([_name, "fail", str(_error)])
    except Exception as _error:
        _results.append([_name, "error", type(_error).__name__ + ": " + str(_error)])
print("\\n" + _json.dumps(_results))
'''


class UncontainedGrader:
    limits = Limits()

    def grade(self, code: str, tests: Sequence[str], *, language: str = "python") -> Report:
        program = "\n".join([code, *tests, _RUN_TESTS])
        done = subprocess.run([sys.executable, "-c", program], env=dict(os.environ), capture_output=True,
                              text=True, timeout=60, check=False)
        results = json.loads(done.stdout.strip().splitlines()[-1])
        status = "pass" if all(result[1] == "pass" for result in results) else "fail"
        return Report(status=status, tests=[TestResult(*result) for result in results], duration_ms=1.0)


class UnavailableGrader:
    limits = Limits()

    def grade(self, code: str, tests: Sequence[str], *, language: str = "python") -> Report:
        names = [test.split("(")[0].removeprefix("def ") for test in tests]
        return Report(status="error", message=UNAVAILABLE,
                      tests=[TestResult(name, "error", UNAVAILABLE) for name in names])
