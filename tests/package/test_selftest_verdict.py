"""scripts/selftest_verdict.py, which deploy.sh runs on the self-test's answer with the machine's python3."""

from __future__ import annotations

import json
import subprocess
import sys

from scripts.build_package import PROJECT_ROOT
from scripts.selftest_verdict import verdict

SCRIPT = PROJECT_ROOT / "scripts" / "selftest_verdict.py"
PASSED = {
    "codelearn": "selftest", "ok": True, "grader_available": True, "containment": True,
    "limits": {"cpu_seconds": 2, "wall_seconds": 12.4, "memory_mb": 256},
    "cases": [{"name": name, "status": "pass", "ok": True, "duration_ms": 30.5, "purpose": "p", "detail": ""}
              for name in ("correct", "read_secret", "fork")],
}


def test_a_passing_summary_passes_and_lists_its_cases():
    lines, reason = verdict(json.dumps(PASSED), '{"StatusCode": 200, "ExecutedVersion": "4"}')
    assert reason == ""
    assert [line.split(":")[0] for line in lines[:3]] == ["ok      correct", "ok      read_secret", "ok      fork"]
    assert "12.4 s wall" in lines[3]


def test_answers_that_are_not_a_summary_fail():
    assert verdict("<html>")[1] == "the self-test answered something that is not JSON"
    assert "not its summary" in verdict(json.dumps({"statusCode": 200, "body": "landing page"}))[1]
    assert "not its summary" in verdict(json.dumps([1, 2]))[1]


def test_ok_false_alone_still_fails():
    assert verdict(json.dumps({**PASSED, "ok": False}))[1] == "the self-test did not pass"


def test_it_runs_on_a_bare_interpreter_and_exits_1_with_the_reason(tmp_path):
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({**PASSED, "containment": False, "ok": False,
                                  "cases": [{**PASSED["cases"][0]}, {**PASSED["cases"][2], "status": "fail",
                                                                     "ok": False, "detail": "started os.fork"}]}))
    done = subprocess.run([sys.executable, "-I", "-S", str(SCRIPT), str(answer), "{}"], capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert done.stdout.strip() == "containment is missing on Lambda: fork fail: started os.fork"
    assert "FAILED  fork: fail" in done.stderr
    answer.write_text(json.dumps(PASSED))
    done = subprocess.run([sys.executable, "-I", "-S", str(SCRIPT), str(answer)], capture_output=True, text=True,
                          timeout=30, check=False)
    assert (done.returncode, done.stdout) == (0, "")
