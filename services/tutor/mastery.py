"""The skill model: Bayesian Knowledge Tracing (Corbett & Anderson, 1995) per learner x concept.

The estimate is P(known), the probability the learner has mastered the concept, shown as 0-100.
Each piece of evidence is one observation on the concept: its correctness (1 right ... 0 wrong; a
submission where 3 of the concept's 4 tests pass is 0.75) and its weight (how much it can say).

    posterior  = correctness * P(known | right) + (1 - correctness) * P(known | wrong)   (Bayes)
    learned    = posterior + (1 - posterior) * LEARN * correctness                     (transition)
    new        = old + weight * (learned - old)                                        (discount)

Two departures from textbook BKT, both so the estimate behaves as a learner reads it: the learning
transition follows success only (a failed attempt never raises the estimate), and assisted or
repeated evidence moves the estimate only part of the way (`weight`). Every parameter is here.
"""

from __future__ import annotations

from dataclasses import dataclass

PRIOR = 0.10  # P(known) before any evidence
LEARN = 0.15  # P(learning from one successful opportunity)


@dataclass(frozen=True)
class EvidenceKind:
    guess: float  # P(right | not known)
    slip: float  # P(wrong | known)


CODE_TEST = EvidenceKind(guess=0.10, slip=0.10)  # a graded test: hard to pass by chance


def quiz_kind(choices: int) -> EvidenceKind:
    """A multiple-choice answer: a guess is right one time in `choices`."""
    return EvidenceKind(guess=1.0 / max(2, choices), slip=0.08)


# How much one observation counts (1.0: fully), by how it was earned.
WEIGHT_FIRST_TRY = 1.0  # the first graded submission on a lesson, no hint seen
WEIGHT_LATER_TRY = 0.8  # a later submission, still without hints
WEIGHT_AFTER_HINTS = 0.5  # after the lesson's own hints
WEIGHT_AFTER_AI_HINT = 0.3  # after an AI hint
WEIGHT_QUIZ_FIRST = 1.0  # the first time the learner takes this quiz
WEIGHT_QUIZ_RETAKE = 0.3  # the answers were shown after the last take
WEIGHT_PLACEMENT = 1.0

# Bands and thresholds on the estimate (0-1).
MASTERED = 0.80  # "confident"; a lesson whose concepts are all here is tested out
DEVELOPING = 0.40  # below: "new"
GAP = 0.40  # below, with failures or with dependants attempted: a learning gap
PLACEMENT_KNOWN = 0.85  # what a concept inferred known by the placement quiz starts from
HISTORY_POINTS = 20  # estimates kept per concept for the sparkline
RECENT_OUTCOMES = 8  # pass/fail marks kept per concept, for reasons ("3 of your last 4 ...")


def submission_weight(attempt_number: int, hints_used: int, ai_hints_used: int) -> float:
    if ai_hints_used:
        return WEIGHT_AFTER_AI_HINT
    if hints_used:
        return WEIGHT_AFTER_HINTS
    return WEIGHT_FIRST_TRY if attempt_number <= 1 else WEIGHT_LATER_TRY


def update(p_known: float, correctness: float, kind: EvidenceKind, weight: float = 1.0) -> float:
    """The estimate after one observation (see the module docstring). Stays within [0, 1]."""
    p = _clamp(p_known)
    c = _clamp(correctness)
    w = _clamp(weight)
    right = p * (1 - kind.slip) / (p * (1 - kind.slip) + (1 - p) * kind.guess)
    wrong = p * kind.slip / (p * kind.slip + (1 - p) * (1 - kind.guess))
    posterior = c * right + (1 - c) * wrong
    learned = posterior + (1 - posterior) * LEARN * c
    return _clamp(p + w * (learned - p))


def band(p_known: float) -> str:
    """new / developing / confident: how explanations and the skill page speak to the learner."""
    if p_known >= MASTERED:
        return "confident"
    if p_known >= DEVELOPING:
        return "developing"
    return "new"


def percent(p_known: float) -> int:
    return round(_clamp(p_known) * 100)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, float(value)))
