"""Grader vs the seed's approach on the seed's `variables.json` challenge.

    python -m bench.grader [--runs N]

Each round grades a correct and a failing solution with the sandboxed grader (with a reference: its
hidden check runs too, as for every verdict that counts) and with the seed's
approach (solution.py + test_solution.py in a temp dir, `pytest -v --tb=short` in a subprocess),
interleaved so both see the same machine load. Then it grades each hostile submission that sends
the server rigged result records (tests/grader/hostile_records.py), five times, and takes the
server's own CPU for each grading (time.process_time: the sandbox's CPU is a child's and not
counted); the worst is compared with an ordinary submission's. The last line is:

    grader median_ms=<x> p95_ms=<y> seed_pytest_median_ms=<z> speedup=<z/x> parent_cpu_ms_worst=<w>
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from services.grader import Grader
from tests.grader.hostile_records import HOSTILE_RECORDS
from tests.grader.seed_example import CORRECT_SOLUTION, MISSING_POPULATION, VARIABLES_HIDDEN, VARIABLES_TESTS

SUBMISSIONS = (("correct", CORRECT_SOLUTION, "pass"), ("failing", MISSING_POPULATION, "fail"))


def seed_pytest_command() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "pytest")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "pytest"]


def grade_like_the_seed(code: str, tests: list[str]) -> list[tuple[str, bool]]:
    """The seed's run_python_tests, minus its AI and storage parts."""
    with tempfile.TemporaryDirectory() as tmpdir:
        with open(os.path.join(tmpdir, "solution.py"), "w") as handle:
            handle.write(code)
        test_file = os.path.join(tmpdir, "test_solution.py")
        with open(test_file, "w") as handle:
            handle.write("from solution import *\n\n" + "\n\n".join(tests))
        result = subprocess.run(
            [*seed_pytest_command(), test_file, "-v", "--tb=short"],
            cwd=tmpdir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return [
        (line.split("::")[1].split(" ")[0], "PASSED" in line)
        for line in result.stdout.splitlines()
        if "::test_" in line
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds (each grades both solutions both ways)")
    runs = parser.parse_args().runs

    grader = Grader()
    started = time.perf_counter()
    grader.grade(CORRECT_SOLUTION, VARIABLES_TESTS)  # builds the preload manifest, once per process
    print(
        f"first grading (includes the one-time preload manifest build): {(time.perf_counter() - started) * 1000:.1f} ms"
    )

    reference = grader.observe(CORRECT_SOLUTION, VARIABLES_TESTS, VARIABLES_HIDDEN)  # once, as the content check
    grader_ms: list[float] = []
    seed_ms: list[float] = []
    for round_number in range(runs):
        for label, code, expected in SUBMISSIONS:
            order = ("grader", "seed") if round_number % 2 == 0 else ("seed", "grader")
            for which in order:
                start = time.perf_counter()
                if which == "grader":
                    status = grader.grade(code, VARIABLES_TESTS, reference=reference).status
                    grader_ms.append((time.perf_counter() - start) * 1000)
                    assert status == expected, (label, status)
                else:
                    # dict(): the seed's parser also counts pytest's "FAILED file::test_x" summary line
                    results = dict(grade_like_the_seed(code, VARIABLES_TESTS))
                    seed_ms.append((time.perf_counter() - start) * 1000)
                    assert len(results) == 3 and all(results.values()) == (expected == "pass"), results

    parent_cpu_ms = {name: parent_cpu_ms_for(grader, code) for name, code in HOSTILE_RECORDS.items()}
    ordinary_ms = parent_cpu_ms_for(grader, CORRECT_SOLUTION)
    print("server CPU per hostile record (ms, worst of 5): "
          + ", ".join(f"{name}={ms:.1f}" for name, ms in parent_cpu_ms.items())
          + f"; an ordinary submission: {ordinary_ms:.1f}")

    median = statistics.median(grader_ms)
    seed_median = statistics.median(seed_ms)
    print(
        f"{len(grader_ms)} gradings each way, {runs} rounds, interleaved; "
        f"grader min/max {min(grader_ms):.1f}/{max(grader_ms):.1f} ms, "
        f"seed pytest min/max {min(seed_ms):.1f}/{max(seed_ms):.1f} ms"
    )
    print(
        f"grader median_ms={median:.1f} p95_ms={percentile(grader_ms, 0.95):.1f} "
        f"seed_pytest_median_ms={seed_median:.1f} speedup={seed_median / median:.1f} "
        f"parent_cpu_ms_worst={max(parent_cpu_ms.values()):.1f}"
    )


def parent_cpu_ms_for(grader: Grader, code: str, repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        grader.grade(code, VARIABLES_TESTS)
        samples.append((time.process_time() - start) * 1000)
    return max(samples)


if __name__ == "__main__":
    main()
