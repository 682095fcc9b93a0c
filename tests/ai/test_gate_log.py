"""The answer gate's refusals for the admin gate page (services/ai/gate_log.py): each one counted in the
ledger by kind and kept with its task, lesson, reason and the refused text; never the learner's id or
code (their own lines in the text are masked); a store that fails does not break the learner's page."""

from __future__ import annotations

from datetime import timedelta

from dal.base import StoreError
from services.ai.cost_report import GATE_REJECTIONS
from services.ai.gate_log import KEEP_DAYS, LEARNER_LINE, masked, record_rejection
from tests.ai.fake_grader import FakeGrader
from tests.ai.test_hints import CODE, LESSON, hint, make


def test_a_refused_hint_is_kept_with_its_lesson_and_reason_and_counted(store, clock, offline):
    report = FakeGrader().grade(CODE, LESSON["tests"])
    leaky = {"hint": 'Type exactly: city = "Lisbon"'}
    svc, _ = make(store, clock, offline, leaky, {"hint": "Look at the first letter of your variable."})
    hint(svc, store, report)
    [refused] = store.list_gate_rejections(clock())
    assert (refused.task, refused.kind) == ("hint", "reference-line")
    assert refused.lesson_id == LESSON["id"] and refused.reason == "repeats a line of the reference solution"
    assert refused.text == 'Type exactly: city = "Lisbon"' and refused.expires_at == clock() + timedelta(days=KEEP_DAYS)
    assert store.list_gate_rejections(clock() + timedelta(days=KEEP_DAYS + 1)) == []
    ledger = [r for r in store.list_usage(clock().date(), clock().date()) if r.feature == GATE_REJECTIONS]
    assert [(r.model, r.calls) for r in ledger] == [("reference-line", 1)]
    assert "u1" not in str(vars(refused))


def test_the_learners_own_lines_are_masked_before_the_text_is_kept():
    code = "total = 0\nfor n in numbers:\n    total += n\n"
    text = "Your loop:\n    for n in   numbers:\nlooks fine; return total."
    assert masked(text, code) == f"Your loop:\n{LEARNER_LINE}\nlooks fine; return total."
    assert masked(text, "") == text


def test_a_store_that_fails_costs_the_record_not_the_page(clock):
    class Down:
        def add_usage(self, record):
            raise StoreError("down")

    record_rejection(Down(), task="hint", lesson_id="l", reason="empty answer", text="", clock=clock)  # no raise
