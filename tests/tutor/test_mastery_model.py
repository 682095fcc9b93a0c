"""The skill model's properties (services/tutor/mastery.py), for every input Hypothesis finds:
bounded, monotone in evidence, a fail never raises, assisted evidence counts less than independent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.tutor import mastery as model

p = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
inner = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)
share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
kinds = st.sampled_from([model.CODE_TEST, model.quiz_kind(2), model.quiz_kind(4), model.quiz_kind(6)])
weights = st.sampled_from([model.WEIGHT_FIRST_TRY, model.WEIGHT_LATER_TRY, model.WEIGHT_AFTER_HINTS,
                           model.WEIGHT_AFTER_AI_HINT, model.WEIGHT_QUIZ_RETAKE])


@given(p, share, kinds, share)
def test_the_estimate_stays_between_0_and_1(p_known, correctness, kind, weight):
    assert 0.0 <= model.update(p_known, correctness, kind, weight) <= 1.0


@given(inner, kinds, weights)
def test_a_pass_raises_and_a_fail_lowers(p_known, kind, weight):
    assert model.update(p_known, 1.0, kind, weight) > p_known
    assert model.update(p_known, 0.0, kind, weight) < p_known


@given(inner, share, share, kinds, weights)
def test_more_correct_evidence_never_gives_a_lower_estimate(p_known, a, b, kind, weight):
    low, high = sorted((a, b))
    assert model.update(p_known, low, kind, weight) <= model.update(p_known, high, kind, weight) + 1e-12


@given(inner, kinds)
def test_an_assisted_pass_counts_less_than_an_independent_one(p_known, kind):
    independent = model.update(p_known, 1.0, kind, model.submission_weight(1, 0, 0))
    after_hints = model.update(p_known, 1.0, kind, model.submission_weight(1, 2, 0))
    after_ai = model.update(p_known, 1.0, kind, model.submission_weight(1, 3, 1))
    assert independent > after_hints > after_ai > p_known


@given(inner, kinds)
def test_a_first_try_counts_more_than_a_later_one(p_known, kind):
    first = model.update(p_known, 1.0, kind, model.submission_weight(1, 0, 0))
    later = model.update(p_known, 1.0, kind, model.submission_weight(3, 0, 0))
    assert first > later


@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_a_run_of_outcomes_stays_bounded_and_more_passes_end_higher(outcomes):
    def run(sequence):
        estimate = model.PRIOR
        for right in sequence:
            estimate = model.update(estimate, 1.0 if right else 0.0, model.CODE_TEST)
        return estimate

    assert 0.0 <= run(outcomes) <= 1.0
    improved = [True if i == outcomes.index(False) else right for i, right in enumerate(outcomes)] \
        if False in outcomes else outcomes
    assert run(improved) >= run(outcomes)


def test_steady_success_reaches_confident_and_steady_failure_stays_new():
    up = down = model.PRIOR
    for _ in range(6):
        up = model.update(up, 1.0, model.CODE_TEST)
        down = model.update(down, 0.0, model.CODE_TEST)
    assert model.band(up) == "confident" and model.band(down) == "new"
    assert model.percent(up) <= 100 and model.percent(down) >= 0


def test_the_bands_split_at_the_thresholds():
    assert [model.band(x) for x in (0.0, 0.39, 0.40, 0.79, 0.80, 1.0)] == [
        "new", "new", "developing", "developing", "confident", "confident"]
