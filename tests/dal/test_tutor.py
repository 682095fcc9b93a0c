"""Contract: the tutor's area of the store (dal/tutor.py) — masteries with optimistic versions, quiz
attempts whose steps land once, per-quiz records counted once per attempt — on every backend."""

from __future__ import annotations

import dataclasses

from dal.tutor import Mastery, QuizAttempt
from tests.dal.helpers import assert_plain_values, later, new_user, run_together


def mastery(user_id: str, concept: str, p: float, now, version: int = 0) -> Mastery:
    return Mastery(user_id, concept, p, evidence=1, recent="P", history=[(now, p)], updated_at=now,
                   source="submission", version=version)


def attempt(user_id: str, now, attempt_id: str = "q1", key: str = "lesson:python-loops") -> QuizAttempt:
    questions = [{"ref": "python-loops#0"}, {"ref": "python-loops#1"}]
    return QuizAttempt(user_id, attempt_id, key, questions, now)


# --- mastery ---------------------------------------------------------------------------------------
def test_a_new_learner_has_no_masteries(store):
    user = new_user(store)
    assert store.list_masteries(user.id) == []
    assert store.get_masteries(user.id, ["for-loops"]) == {}


def test_saved_masteries_come_back_with_their_history_and_the_next_version(store, now):
    user = new_user(store)
    assert store.save_masteries([mastery(user.id, "for-loops", 0.42, now), mastery(user.id, "range", 0.3, now)])
    found = store.list_masteries(user.id)
    assert [m.concept_id for m in found] == ["for-loops", "range"]
    loops = found[0]
    assert loops.p_known == 0.42 and loops.version == 1 and loops.recent == "P" and loops.source == "submission"
    assert loops.history == [(now.replace(microsecond=loops.history[0][0].microsecond), 0.42)]
    assert_plain_values(loops)
    assert set(store.get_masteries(user.id, ["range", "while-loops"])) == {"range"}


def test_a_stale_version_writes_nothing_not_even_the_other_masteries(store, now):
    user = new_user(store)
    store.save_masteries([mastery(user.id, "for-loops", 0.4, now)])
    stale = mastery(user.id, "for-loops", 0.9, now, version=0)  # as if read before the first save
    assert store.save_masteries([mastery(user.id, "range", 0.5, now), stale]) is False
    assert [(m.concept_id, m.p_known) for m in store.list_masteries(user.id)] == [("for-loops", 0.4)]


def test_an_update_with_the_version_read_succeeds_once(store, now):
    user = new_user(store)
    store.save_masteries([mastery(user.id, "for-loops", 0.4, now)])
    read = store.get_masteries(user.id, ["for-loops"])["for-loops"]
    assert store.save_masteries([dataclasses.replace(read, p_known=0.6)])
    assert store.save_masteries([dataclasses.replace(read, p_known=0.7)]) is False
    assert store.list_masteries(user.id)[0].p_known == 0.6
    assert store.list_masteries(user.id)[0].version == 2


def test_of_two_concurrent_updates_from_one_read_exactly_one_lands(store, now):
    user = new_user(store)
    store.save_masteries([mastery(user.id, "for-loops", 0.4, now)])
    read = store.get_masteries(user.id, ["for-loops"])["for-loops"]
    outcomes = run_together(lambda i: store.save_masteries([dataclasses.replace(read, p_known=0.5 + i / 10)]))
    assert sorted(outcomes) == [False, True]


# --- quiz attempts -------------------------------------------------------------------------------
def test_an_attempt_belongs_to_its_learner(store, now):
    owner, other = new_user(store), new_user(store)
    store.create_quiz_attempt(attempt(owner.id, now))
    found = store.get_quiz_attempt(owner.id, "q1")
    assert found.questions == [{"ref": "python-loops#0"}, {"ref": "python-loops#1"}]
    assert found.answers == [] and not found.submitted and found.quiz_key == "lesson:python-loops"
    assert store.get_quiz_attempt(other.id, "q1") is None
    assert store.get_quiz_attempt(owner.id, "nope") is None


def test_a_submission_lands_once_and_then_nothing_changes_it(store, now):
    user = new_user(store)
    store.create_quiz_attempt(attempt(user.id, now))
    done = dataclasses.replace(attempt(user.id, now), answers=[1, 2], score=1, submitted_at=later(now, seconds=5))
    assert store.save_quiz_step(done, answered_before=0, step="s1")
    again = dataclasses.replace(done, answers=[0, 0], score=0)
    assert store.save_quiz_step(again, answered_before=0, step="s2") is False
    kept = store.get_quiz_attempt(user.id, "q1")
    assert kept.answers == [1, 2] and kept.score == 1 and kept.submitted


def test_adaptive_steps_need_the_count_of_answers_they_were_built_on(store, now):
    user = new_user(store)
    store.create_quiz_attempt(attempt(user.id, now, key="placement"))
    step1 = dataclasses.replace(attempt(user.id, now, key="placement"), answers=[1], state={"known": ["variables"]})
    assert store.save_quiz_step(step1, answered_before=0, step="a")
    assert store.save_quiz_step(dataclasses.replace(step1, answers=[0]), answered_before=0, step="b") is False
    step2 = dataclasses.replace(step1, answers=[1, 3])
    assert store.save_quiz_step(step2, answered_before=1, step="c")
    assert store.get_quiz_attempt(user.id, "q1").state == {"known": ["variables"]}


def test_of_two_concurrent_submissions_exactly_one_lands(store, now):
    user = new_user(store)
    store.create_quiz_attempt(attempt(user.id, now))

    def submit(i: int) -> bool:
        done = dataclasses.replace(attempt(user.id, now), answers=[i, i], score=i, submitted_at=now)
        return store.save_quiz_step(done, answered_before=0, step=f"s{i}")

    assert sorted(run_together(submit)) == [False, True]


# --- quiz records --------------------------------------------------------------------------------
def test_a_record_counts_each_attempt_once_and_keeps_the_best_score(store, now):
    user = new_user(store)
    first = store.record_quiz_result(user.id, "lesson:python-loops", "a1", 2, 3, now)
    assert (first.attempts, first.best_score, first.last_score, first.total) == (1, 2, 2, 3)
    store.record_quiz_result(user.id, "lesson:python-loops", "a1", 2, 3, now)  # the same attempt again
    worse = store.record_quiz_result(user.id, "lesson:python-loops", "a2", 1, 3, later(now, minutes=1))
    assert (worse.attempts, worse.best_score, worse.last_score) == (2, 2, 1)
    better = store.record_quiz_result(user.id, "lesson:python-loops", "a3", 3, 3, later(now, minutes=2))
    assert (better.attempts, better.best_score) == (3, 3)
    records = store.list_quiz_records(user.id)
    assert set(records) == {"lesson:python-loops"} and records["lesson:python-loops"].attempts == 3


def test_deleting_the_learner_deletes_the_tutor_records(store, now):
    user, other = new_user(store), new_user(store)
    for owner in (user, other):
        store.save_masteries([mastery(owner.id, "for-loops", 0.4, now)])
        store.create_quiz_attempt(attempt(owner.id, now))
        store.record_quiz_result(owner.id, "lesson:python-loops", "a1", 2, 3, now)
    store.delete_user(user.id)
    assert store.list_masteries(user.id) == [] and store.get_quiz_attempt(user.id, "q1") is None
    assert store.list_quiz_records(user.id) == {}
    assert len(store.list_masteries(other.id)) == 1 and store.get_quiz_attempt(other.id, "q1") is not None


def test_the_skill_records_are_the_masteries_and_the_lesson_records_in_one_read(store, now):
    user = new_user(store)
    store.save_masteries([mastery(user.id, "for-loops", 0.4, now), mastery(user.id, "range", 0.3, now)])
    store.record_attempt(user.id, "python-loops", now)
    store.mark_completed(user.id, "python-variables", now, assisted=False)
    store.record_quiz_result(user.id, "lesson:python-loops", "a1", 2, 3, now)
    masteries, progress = store.get_skill_records(user.id)
    assert masteries == store.list_masteries(user.id)
    assert sorted(p.lesson_id for p in progress) == ["python-loops", "python-variables"]
    by_lesson = sorted(store.list_progress(user.id), key=lambda p: p.lesson_id)
    assert sorted(progress, key=lambda p: p.lesson_id) == by_lesson
