"""The static review: each beginner-mistake rule finds its case (and not the fixed code), pyflakes
and radon are used, findings come in Exercism's four kinds, the good is said too, and a 60-line
file is reviewed well inside 100 ms."""

from __future__ import annotations

import time

import pytest

from bench.tutor_chat import SIXTY_LINES
from services.assistant.analysis import ACTIONABLE, CELEBRATORY, ESSENTIAL, INFORMATIVE, review

CASES = {
    "mutable-default": ("def add(x, seen=[]):\n    seen.append(x)\n    return seen\n",
                        "def add(x, seen=None):\n    seen = [] if seen is None else seen\n    return seen\n"),
    "bare-except": ("try:\n    x = 1\nexcept:\n    x = 2\n", "try:\n    x = 1\nexcept ValueError:\n    x = 2\n"),
    "compare-none": ("x = None\nif x == None:\n    print(x)\n", "x = None\nif x is None:\n    print(x)\n"),
    "compare-bool": ("ok = True\nif ok == True:\n    print(ok)\n", "ok = True\nif ok:\n    print(ok)\n"),
    "shadowed-builtin": ("list = [1, 2]\nprint(list)\n", "names = [1, 2]\nprint(names)\n"),
    "unused-loop-variable": ("for i in range(3):\n    print('hi')\n", "for _ in range(3):\n    print('hi')\n"),
    "range-len": ("xs = [1]\nfor i in range(len(xs)):\n    print(xs[i])\n", "xs = [1]\nfor x in xs:\n    print(x)\n"),
    "string-building": ("out = ''\nfor w in ['a']:\n    out += w + ','\nprint(out)\n",
                        "out = ','.join(['a'])\nprint(out)\n"),
    "unreachable": ("def f():\n    return 1\n    print('never')\n", "def f():\n    print('once')\n    return 1\n"),
    "undefined-name": ("print(totl)\n", "total = 1\nprint(total)\n"),
    "unused": ("import os\nprint(1)\n", "print(1)\n"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_finds_its_mistake_and_not_the_fixed_code(rule):
    wrong, right = CASES[rule]
    assert rule in {f.rule for f in review(wrong).findings}
    assert rule not in {f.rule for f in review(right).findings}


def test_findings_carry_a_line_message_suggestion_and_one_of_the_four_kinds():
    found = review(SIXTY_LINES)
    kinds = {f.severity for f in found.findings}
    assert {ESSENTIAL, ACTIONABLE, INFORMATIVE, CELEBRATORY} <= kinds
    lines = len(SIXTY_LINES.splitlines())
    for finding in found.findings:
        assert 0 <= finding.line <= lines and finding.message
        if finding.severity in (ESSENTIAL, ACTIONABLE):
            assert finding.suggestion
    essential_first = [f.severity for f in found.findings]
    assert essential_first.index(ESSENTIAL) < essential_first.index(INFORMATIVE)


def test_complexity_comes_from_radon_and_a_tangled_function_is_flagged():
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(12))
    found = review(f"def pick(x):\n{branches}    return -1\n")
    (pick,) = found.complexity
    assert pick.name == "pick" and pick.score == 13 and pick.rank == "C"
    assert "complexity" in {f.rule for f in found.findings}


def test_clean_code_is_celebrated():
    found = review('def area(w, h):\n    """The area of a w x h rectangle."""\n    return w * h\n')
    assert [f.severity for f in found.findings] == [CELEBRATORY] * len(found.findings) and found.findings


def test_a_syntax_error_is_essential_with_its_line():
    (finding,) = review("def f(:\n    pass\n").findings
    assert finding.severity == ESSENTIAL and finding.line == 1 and "Syntax error" in finding.message


def test_a_sixty_line_file_is_reviewed_well_inside_100_ms():
    review(SIXTY_LINES)
    started = time.perf_counter()
    for _ in range(10):
        review(SIXTY_LINES)
    assert (time.perf_counter() - started) / 10 < 0.1
