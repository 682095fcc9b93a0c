"""FSRS scheduling (the `fsrs` package, imported on first use: pages that never review do not pay
for it) and the one place outcomes become ratings.

Reviews here are daily practice, not minutes-apart flashcard drills, so the scheduler runs without
learning steps: every rating gives a whole-day interval from the card's stability (FSRS-6, default
parameters). Times are UTC throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
# A first-try pass faster than this is Easy (seconds from the item shown to the answer).
EASY_SECONDS = {"quiz": 12.0, "variant": 150.0}


@dataclass(frozen=True)
class Outcome:
    passed: bool
    first_try: bool = True  # the item's first answer in this review
    helped: bool = False  # a hint (or any AI help) was shown before the answer
    seconds: float | None = None  # from the item shown to the answer; None: not known


def rating_for(outcome: Outcome, item_kind: str) -> int:
    """fail -> Again; pass after hints / AI help (or not at the first try) -> Hard; first-try
    independent pass -> Good; the same, fast -> Easy."""
    if not outcome.passed:
        return AGAIN
    if outcome.helped or not outcome.first_try:
        return HARD
    fast = outcome.seconds is not None and outcome.seconds <= EASY_SECONDS.get(item_kind, 0.0)
    return EASY if fast else GOOD


class Scheduler:
    """The FSRS scheduler with CodeLearn's settings; states are plain dicts (what the store keeps)."""

    def __init__(self, desired_retention: float = 0.9, *, fuzzing: bool = True) -> None:
        self.desired_retention = desired_retention
        self.fuzzing = fuzzing
        self._scheduler: Any = None

    def _fsrs(self) -> Any:
        if self._scheduler is None:
            from fsrs import Scheduler as FsrsScheduler

            self._scheduler = FsrsScheduler(desired_retention=self.desired_retention, learning_steps=(),
                                            relearning_steps=(), enable_fuzzing=self.fuzzing)
        return self._scheduler

    def review(self, state: dict[str, Any], due: datetime, rating: int,
               at: datetime) -> tuple[dict[str, Any], datetime]:
        """The card's next state and due time after a review rated `rating` at `at`."""
        from fsrs import Card, Rating

        card = Card.from_dict({"card_id": 0, "state": 1, "step": 0, "stability": None, "difficulty": None,
                               "last_review": None, **state, "due": due.isoformat()}) if state else Card(due=due)
        reviewed, _ = self._fsrs().review_card(card, Rating(rating), review_datetime=at)
        data = reviewed.to_dict()
        new_due = datetime.fromisoformat(data.pop("due"))
        data.pop("card_id", None)
        return data, new_due

    def retrievability(self, state: dict[str, Any], due: datetime, at: datetime) -> float:
        """The chance of recall at `at` (1.0 for a card never reviewed)."""
        from fsrs import Card

        if not state or state.get("stability") is None:
            return 1.0
        card = Card.from_dict({"card_id": 0, "step": None, **state, "due": due.isoformat()})
        return float(self._fsrs().get_card_retrievability(card, at))
