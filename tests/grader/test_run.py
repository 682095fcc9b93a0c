"""Run without grading (the Run button): the same sandbox and limits, output and input, no verdict."""

from services.grader import Grader, Limits, RunResult


def test_a_run_shows_what_the_code_printed(grader):
    result = grader.run("print('hello')\nimport sys\nprint('oops', file=sys.stderr)\n")
    assert result == RunResult("ok", "hello\noops\n", duration_ms=result.duration_ms)


def test_input_reads_the_lines_given_then_eof(grader):
    code = "name = input('Name? ')\nage = int(input())\nprint(f'{name} is {age}')\ntry:\n    input()\n" \
        "except EOFError:\n    print('no more input')\n"
    result = grader.run(code, stdin="Ada\n36\n")
    assert result.status == "ok"
    assert result.output == "Name? Ada\n36\nAda is 36\nno more input\n"  # the input echoed, as on a terminal


def test_an_error_is_reported_with_the_output_so_far(grader):
    result = grader.run("print('before')\n1 / 0\n")
    assert result.status == "error"
    assert result.output == "before\n"
    assert result.message.startswith("Your code raised an error while it was being loaded: ZeroDivisionError")


def test_an_endless_loop_times_out(grader):
    result = Grader(limits=Limits(cpu_seconds=1, wall_seconds=3)).run("while True:\n    pass\n")
    assert result.status == "timeout" and "CPU time" in result.message


def test_hostile_code_is_contained_in_a_run_too(grader):
    result = grader.run("import os\nos.kill(os.getppid(), 9)\n")
    assert result.status == "error" and "PermissionError" in result.message


def test_when_grading_input_explains_that_there_is_no_keyboard(grader):
    report = grader.grade("def ask():\n    return input()\n", ["def test_ask():\n    assert ask() == 'x'"])
    assert report.tests[0].message.startswith("EOFError: input() has no keyboard here: use the values given")
