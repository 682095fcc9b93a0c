"""The fake Bedrock server's scripted answers stay valid for their tasks' schemas: a schema that grows
(optimize's before / after / trade_off) must not turn the fake's answers into silent retries."""

from __future__ import annotations

import pytest

from services.ai.schema import validate
from services.ai.tasks import TASKS
from tests.fakes.bedrock_answers import DEFAULT_ANSWERS


@pytest.mark.parametrize("task", sorted(set(DEFAULT_ANSWERS) - {"lesson"}))
def test_each_scripted_answer_is_valid_for_its_task(task):
    validate(DEFAULT_ANSWERS[task], TASKS[task].schema)


def test_every_task_has_a_scripted_answer():
    assert set(TASKS) <= set(DEFAULT_ANSWERS)
