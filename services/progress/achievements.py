"""Achievements: every rule in this one module, each a test on Facts (what the aggregates say).

A rule is met or not from the learner's summary counters, streaks, lesson records and quiz records;
awarding goes through the store's write-once `award_achievement`, so two requests that both find a
rule met store it once, with one date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dal.base import Progress
from dal.tutor import QuizRecord

COMEBACK_DAYS = 7


@dataclass(frozen=True)
class Facts:
    counts: dict[str, int]
    current_streak: int = 0
    longest_streak: int = 0
    completed_by_level: dict[str, int] = field(default_factory=dict)
    lessons_by_level: dict[str, int] = field(default_factory=dict)
    first_try_by_level: dict[str, int] = field(default_factory=dict)  # completed on the first attempt
    perfect_quizzes: int = 0

    def count(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    def level_done(self, level: str) -> bool:
        total = self.lessons_by_level.get(level, 0)
        return total > 0 and self.completed_by_level.get(level, 0) >= total


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    needs: str  # what earns it, as the page says it
    met: Callable[[Facts], bool]
    progress: Callable[[Facts], tuple[int, int]] | None = None  # (have, need), for "3 of 7 days"


def _at_least(value: Callable[[Facts], int],
              need: int) -> tuple[Callable[[Facts], bool], Callable[[Facts], tuple[int, int]]]:
    return (lambda f: value(f) >= need), (lambda f: (min(value(f), need), need))


def _rule(rule_id: str, title: str, needs: str, value: Callable[[Facts], int], need: int) -> Rule:
    met, progress = _at_least(value, need)
    return Rule(rule_id, title, needs, met, progress)


def _level(level: str, title: str) -> Rule:
    return Rule(f"level-{level}", title, f"Complete every {level} lesson.", lambda f: f.level_done(level),
                lambda f: (f.completed_by_level.get(level, 0), f.lessons_by_level.get(level, 0)))


RULES: tuple[Rule, ...] = (
    _rule("first-lesson", "First steps", "Complete your first lesson.", lambda f: f.count("completion"), 1),
    _rule("five-lessons", "Getting going", "Complete 5 lessons.", lambda f: f.count("completion"), 5),
    _rule("twenty-five-lessons", "Well read", "Complete 25 lessons.", lambda f: f.count("completion"), 25),
    _rule("ten-independent", "On your own", "Pass 10 lessons without an AI hint.",
          lambda f: f.count("independent"), 10),
    _rule("five-first-try", "Sharp shooter", "Pass 5 lessons on the first try.", lambda f: f.count("first_try"), 5),
    _rule("first-try-advanced", "Straight in", "Pass an advanced lesson on the first try.",
          lambda f: f.first_try_by_level.get("advanced", 0), 1),
    _level("beginner", "Beginner finished"),
    _level("intermediate", "Intermediate finished"),
    _level("advanced", "Advanced finished"),
    _rule("streak-3", "Three in a row", "Learn on 3 days in a row.", lambda f: f.longest_streak, 3),
    _rule("streak-7", "A week strong", "Learn on 7 days in a row.", lambda f: f.longest_streak, 7),
    _rule("streak-30", "A month strong", "Learn on 30 days in a row.", lambda f: f.longest_streak, 30),
    _rule("perfect-quiz", "Flawless", "Answer every question of a quiz right.",
          lambda f: f.perfect_quizzes + f.count("perfect_quiz"), 1),
    _rule("comeback", "Comeback", f"Come back after a break of {COMEBACK_DAYS} days or more.",
          lambda f: f.count("comeback"), 1),
    _rule("hundred-attempts", "Persistent", "Submit 100 attempts.", lambda f: f.count("attempt"), 100),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def facts(counts: dict[str, int], current_streak: int, longest_streak: int, progress: list[Progress],
          level_of: dict[str, str], quiz_records: dict[str, QuizRecord] | None = None,
          completed: set[str] | None = None) -> Facts:
    """The facts from what the pages read anyway; `level_of` maps the track's lesson ids to levels.
    `completed` (lesson ids) stands in for `progress` where only completion is known: first tries
    then count nothing (the recorder, which reads the records on each completion, awards those)."""
    if completed is not None:
        done: dict[str, int] = {}
        for lesson_id in completed:
            if lesson_id in level_of:
                done[level_of[lesson_id]] = done.get(level_of[lesson_id], 0) + 1
        totals: dict[str, int] = {}
        for level in level_of.values():
            totals[level] = totals.get(level, 0) + 1
        perfect = sum(1 for r in (quiz_records or {}).values() if r.total > 0 and r.best_score >= r.total)
        return Facts(counts, current_streak, longest_streak, done, totals, {}, perfect)
    lessons_by_level: dict[str, int] = {}
    for level in level_of.values():
        lessons_by_level[level] = lessons_by_level.get(level, 0) + 1
    completed: dict[str, int] = {}
    first_try: dict[str, int] = {}
    for record in progress:
        level = level_of.get(record.lesson_id)
        if level is None or not record.completed:
            continue
        completed[level] = completed.get(level, 0) + 1
        if record.attempts == 1:
            first_try[level] = first_try.get(level, 0) + 1
    perfect = sum(1 for r in (quiz_records or {}).values() if r.total > 0 and r.best_score >= r.total)
    return Facts(counts, current_streak, longest_streak, completed, lessons_by_level, first_try, perfect)


@dataclass(frozen=True)
class AchievementState:
    rule: Rule
    earned_at: datetime | None
    have: int = 0
    need: int = 0

    @property
    def earned(self) -> bool:
        return self.earned_at is not None


def newly_met(f: Facts, earned: dict[str, datetime]) -> list[Rule]:
    return [rule for rule in RULES if rule.id not in earned and rule.met(f)]


def states(f: Facts, earned: dict[str, datetime]) -> list[AchievementState]:
    """Every achievement: earned ones first (newest first), then the rest in rule order."""
    out = []
    for rule in RULES:
        have, need = rule.progress(f) if rule.progress else (0, 0)
        out.append(AchievementState(rule, earned.get(rule.id), have, need))
    earned_states = sorted((s for s in out if s.earned), key=lambda s: s.earned_at, reverse=True)
    return earned_states + [s for s in out if not s.earned]
