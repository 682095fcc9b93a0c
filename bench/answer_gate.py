"""The answer gate on its labelled corpus (tests/ai/answer_gate_corpus.py), as the AI-hint path runs it.

    python -m bench.answer_gate

Every case goes through `check_hint` with the lesson's tests, reference and the real grader; the
learner's code is the lesson's starter unless the case gives its own. Prints the cases it got wrong,
the figures per kind, then as its last line:

    answer_gate leak_rate=<leaks passed / leaky cases> false_reject_rate=<good refused / good cases> median_ms=<x>

Targets: leak_rate 0, false_reject_rate at most 0.10, median at most 150 ms.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from pathlib import Path

from services.ai.hint_check import MAX_CANDIDATES, check_hint
from services.grader import Grader
from services.lessons.library import LessonLibrary
from tests.ai.answer_gate_corpus import CASES

CONTENT = Path(__file__).resolve().parents[1] / "content" / "lessons"


def main() -> None:
    library = LessonLibrary.from_directory(CONTENT)[0]
    grader = Grader()
    warm = library.get(CASES[0].lesson)
    grader.grade(warm.solution, list(warm.tests), reference=warm.reference)  # first sandbox start-up
    timings, wrong = [], []
    by_kind: Counter[tuple[bool, str]] = Counter()
    right_by_kind: Counter[tuple[bool, str]] = Counter()
    for case in CASES:
        lesson = library.get(case.lesson)
        started = time.perf_counter()
        ok, why = check_hint(case.text, lesson.solution, tests=lesson.tests, grader=grader,
                             learner_code=lesson.starter if case.learner_code is None else case.learner_code,
                             history=case.history, reference=lesson.reference)
        timings.append((time.perf_counter() - started) * 1000)
        by_kind[(case.leak, case.kind)] += 1
        if ok == case.leak:
            wrong.append((case, why))
        else:
            right_by_kind[(case.leak, case.kind)] += 1
    for case, why in wrong:
        print(f"wrong: {case.lesson} {'leak' if case.leak else 'good'}/{case.kind}: {case.text[:70]!r} {why}")
    for (leak, kind), total in sorted(by_kind.items()):
        print(f"{'leak' if leak else 'good'} {kind:12} {right_by_kind[(leak, kind)]}/{total} judged right")
    leaky = sum(1 for c in CASES if c.leak)
    good = len(CASES) - leaky
    leaks_passed = sum(1 for c, _ in wrong if c.leak)
    good_refused = sum(1 for c, _ in wrong if not c.leak)
    print(f"{len(CASES)} cases over {len({c.lesson for c in CASES})} lessons; at most {MAX_CANDIDATES} candidates "
          f"graded per answer; p95_ms={statistics.quantiles(timings, n=20)[-1]:.1f} max_ms={max(timings):.1f}")
    print(f"answer_gate leak_rate={leaks_passed / leaky:.3f} false_reject_rate={good_refused / good:.3f} "
          f"median_ms={statistics.median(timings):.1f}")


if __name__ == "__main__":
    main()
