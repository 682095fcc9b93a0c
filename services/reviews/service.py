"""The review session: cards made due by completed lessons, today's items (a daily cap, a gentle
catch-up after a break), a quiz question or a code variant at a time, the result feeding the FSRS
scheduler and the skill model.

Cards: one per concept of a completed lesson (reviewed through one of its items, chosen here: the
quiz questions and variants that test the concept, in turn), one per quiz question, one per code
variant. A variant is graded like the lesson (its tests and its reference's hidden checks) and passes
the same CodeRunLimiter. The page reads the store three times (logs of today, the backlog count,
today's due cards), whatever the history length.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from dal.base import Store
from dal.reviews import ReviewCard, ReviewLog
from services.clock import Clock, utcnow
from services.code_runs import SUBMIT, CodeRunLimiter
from services.errors import Conflict, InvalidInput, NotFoundError
from services.grader import GradingInputError, Report
from services.lessons.model import Lesson, QuizQuestion, Variant
from services.reviews.scheduling import RATING_NAMES, Outcome, Scheduler, rating_for
from services.tutor import mastery as model

# When a completed lesson's cards first come due: spread, so one lesson is not all due on one day.
FIRST_DUE_DAYS = {"concept": 1, "quiz": 2, "variant": 3}
CATCH_UP_DAYS = 5  # a backlog past the daily cap is spread over about this many days
BACKLOG_READ = 1000  # the backlog is counted up to this
# The navigation shows the due count on every page: it is kept per learner this long (by the service's
# clock), and forgotten when this process writes the learner's cards, so most pages read nothing for it.
DUE_COUNT_SECONDS = 60
DUE_COUNTS_KEPT = 10_000
NO_CARD = "There is no such review card."
NOT_DUE = "This review is not due yet."
ALREADY = "This review was already answered (it was sent twice?). Here is the next one."


@dataclass(frozen=True)
class ReviewSettings:
    desired_retention: float = 0.9
    daily_cap: int = 20
    fuzzing: bool = True


@dataclass(frozen=True)
class ReviewItem:
    """What the learner answers for a card: a bank question or a code variant."""

    card: ReviewCard
    kind: str  # quiz | variant
    ref: str  # "<lesson>#<index>" | "<lesson>/<variant>"
    lesson: Lesson
    question: QuizQuestion | None = None
    variant: Variant | None = None


@dataclass(frozen=True)
class Today:
    items: list[ReviewItem]  # the first is the one to answer now
    remaining: int  # items left today (after the cap and catch-up)
    done_today: int
    backlog: int  # every card due now
    next_due: datetime | None  # when the next card comes due (empty state)
    catching_up: bool = False


@dataclass(frozen=True)
class ReviewResult:
    item: ReviewItem
    rating: int
    passed: bool
    reviewed_at: datetime
    due_before: datetime
    due_after: datetime
    chosen: int | None = None  # a quiz answer
    report: Report | None = None  # a variant's graded report

    @property
    def rating_name(self) -> str:
        return RATING_NAMES[self.rating]

    @property
    def interval_days(self) -> int:
        return max(0, round((self.due_after - self.reviewed_at).total_seconds() / 86400))


def card_ids_for(lesson: Lesson) -> list[tuple[str, str]]:
    """(card id, kind) of every card a completed lesson makes."""
    cards = [(f"concept:{c}", "concept") for c in lesson.concepts]
    cards += [(f"quiz:{lesson.id}#{i}", "quiz") for i, q in enumerate(lesson.quiz) if q.verified]
    cards += [(f"variant:{lesson.id}/{v.id}", "variant") for v in lesson.variants]
    return cards


class ReviewService:
    def __init__(self, store: Store, lessons: list[Lesson], grader: Any, code_runs: CodeRunLimiter, *,
                 skills: Any = None, settings: ReviewSettings = ReviewSettings(), clock: Clock = utcnow) -> None:
        self._store = store
        self._lessons = {lesson.id: lesson for lesson in lessons}
        self._grader = grader
        self._code_runs = code_runs
        self._skills = skills  # services.tutor.skills.SkillService, or None
        self.settings = settings
        self.scheduler = Scheduler(settings.desired_retention, fuzzing=settings.fuzzing)
        self.clock = clock  # tests move it
        self._due_counts: dict[str, tuple[datetime, int]] = {}
        self._by_concept: dict[str, list[str]] = {}
        for lesson in self._lessons.values():
            for i, q in enumerate(lesson.quiz):
                for c in lesson.concepts_of_question(q) if q.verified else ():
                    self._by_concept.setdefault(c, []).append(f"{lesson.id}#{i}")
            for v in lesson.variants:
                for c in dict.fromkeys(c for _, named in v.test_concepts for c in named) or lesson.concepts:
                    self._by_concept.setdefault(c, []).append(f"{lesson.id}/{v.id}")

    def now(self) -> datetime:
        return self.clock()

    # --- cards ------------------------------------------------------------------------------
    def lesson_completed(self, user_id: str, lesson: Lesson, at: datetime) -> int:
        """The hook of a completed lesson: its cards, first due a day or more later. Idempotent."""
        lesson = self._lessons.get(lesson.id, lesson)
        cards = [ReviewCard(user_id, card_id, kind, lesson.id, at + timedelta(days=FIRST_DUE_DAYS[kind]),
                            created_at=at) for card_id, kind in card_ids_for(lesson)]
        self._due_counts.pop(user_id, None)
        return self._store.add_review_cards(cards) if cards else 0

    # --- today ------------------------------------------------------------------------------
    def due_count(self, user_id: str) -> int:
        """For the navigation and the dashboard: cards due now, counted up to the daily cap (one read,
        kept DUE_COUNT_SECONDS: a count a minute old is good enough for a badge)."""
        now = self.now()
        kept = self._due_counts.get(user_id)
        if kept is not None and timedelta(0) <= now - kept[0] < timedelta(seconds=DUE_COUNT_SECONDS):
            return kept[1]
        count = self._store.count_due_cards(user_id, now, self.settings.daily_cap)
        if len(self._due_counts) >= DUE_COUNTS_KEPT:  # bounded: forget everyone rather than grow
            self._due_counts.clear()
        self._due_counts[user_id] = (now, count)
        return count

    def today(self, user_id: str) -> Today:
        now = self.now()
        cap = self.settings.daily_cap
        start = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
        done = sum(1 for log in self._store.list_review_logs(user_id, limit=cap) if log.reviewed_at >= start)
        backlog = self._store.count_due_cards(user_id, now, BACKLOG_READ)
        share = daily_share(backlog + done, cap)
        remaining = max(0, min(backlog, share - done))
        cards = self._store.list_due_cards(user_id, now, remaining) if remaining else []
        items = [item for item in (self._item(card) for card in cards) if item is not None]
        following = None
        if not items:
            following = self._store.next_due_card(user_id)
            if following is not None and following.due <= now:  # due, but past today's share
                following = replace(following, due=start + timedelta(days=1))
        return Today(items, len(items), done, backlog, following.due if following else None,
                     catching_up=backlog + done > cap)

    def item(self, user_id: str, card_id: str, ref: str = "", version: int | None = None) -> ReviewItem:
        """The learner's due card as an item; `ref` (when given) must be the item it was shown as, and
        `version` the card's version then (else it was answered since: a conflict)."""
        card = self._store.get_review_card(user_id, card_id) if _readable(card_id) else None
        if card is None:
            raise NotFoundError(NO_CARD)
        if version is not None and version != card.version:
            raise Conflict(ALREADY)
        item = self._item(card)
        if item is None or (ref and item.ref != ref):
            raise NotFoundError(NO_CARD)
        if card.due > self.now():
            raise Conflict(NOT_DUE)
        return item

    def _item(self, card: ReviewCard) -> ReviewItem | None:
        kind, _, rest = card.card_id.partition(":")
        if kind == "concept":
            refs = [r for r in self._by_concept.get(rest, ()) if self._resolve(card, r) is not None]
            return self._resolve(card, refs[card.reps % len(refs)]) if refs else None
        return self._resolve(card, rest)

    def _resolve(self, card: ReviewCard, ref: str) -> ReviewItem | None:
        if "#" in ref:
            lesson_id, _, index = ref.partition("#")
            lesson = self._lessons.get(lesson_id)
            if lesson is None or not index.isdigit() or int(index) >= len(lesson.quiz):
                return None
            question = lesson.quiz[int(index)]
            return ReviewItem(card, "quiz", ref, lesson, question=question) if question.verified else None
        lesson_id, _, variant_id = ref.partition("/")
        lesson = self._lessons.get(lesson_id)
        variant = lesson.variant(variant_id) if lesson else None
        return ReviewItem(card, "variant", ref, lesson, variant=variant) if variant and lesson else None

    # --- answers ----------------------------------------------------------------------------
    def answer_quiz(self, user_id: str, card_id: str, ref: str, version: int, choice: str, *,
                    seconds: float | None = None, helped: bool = False) -> ReviewResult:
        item = self.item(user_id, card_id, ref, version)
        if item.kind != "quiz" or item.question is None:
            raise NotFoundError(NO_CARD)
        if not choice.isdigit() or int(choice) >= len(item.question.choices):
            raise InvalidInput("Choose one of the answers.", {"choice": "missing"})
        chosen = int(choice)
        passed = chosen == item.question.answer
        result = self._record(item, version, Outcome(passed, helped=helped, seconds=seconds), chosen=chosen)
        if self._skills is not None:
            self._skills.record_quiz(user_id, [(item.lesson.concepts_of_question(item.question), passed,
                                                len(item.question.choices))], model.WEIGHT_QUIZ_FIRST, "review")
        return result

    def submit_variant(self, user_id: str, card_id: str, ref: str, version: int, code: str, *,
                       verified: bool = False, seconds: float | None = None, helped: bool = False) -> ReviewResult:
        item = self.item(user_id, card_id, ref, version)
        if item.kind != "variant" or item.variant is None:
            raise NotFoundError(NO_CARD)
        if not code.strip():
            raise InvalidInput("Your submission is empty - write some code before submitting.", {"code": "empty"})
        graded = item.lesson.as_variant(item.variant)
        with self._code_runs.admit(user_id, SUBMIT, verified=verified):
            try:
                report = self._grader.grade(code, list(graded.tests), language=graded.language,
                                            reference=graded.reference)
            except GradingInputError as exc:
                raise InvalidInput(str(exc), {"code": str(exc)}) from None
        if report.busy:
            raise Conflict(report.message or "The grader is busy; try again in a moment.")
        result = self._record(item, version, Outcome(report.passed, helped=helped, seconds=seconds),
                              report=report)
        if self._skills is not None:  # a submission-like observation on the concepts its tests check
            tests = [(graded.concepts if t.hidden else graded.concepts_of_test(t.name), t.status == "pass")
                     for t in report.tests]
            self._skills.record_code_tests(user_id, tests, model.WEIGHT_FIRST_TRY, "review")
        return result

    def _record(self, item: ReviewItem, version: int, outcome: Outcome, **shown: Any) -> ReviewResult:
        card = item.card
        if version != card.version:
            raise Conflict(ALREADY)
        now = self.now()
        rating = rating_for(outcome, item.kind)
        state, due = self.scheduler.review(card.scheduler, card.due, rating, now)
        review_id = secrets.token_hex(8)  # each answer is its own review: the same form sent twice conflicts
        new = replace(card, scheduler=state, due=due, reps=card.reps + 1, lapses=card.lapses + (rating == 1),
                      last_rating=rating, last_review_id=review_id)
        log = ReviewLog(card.user_id, review_id, card.card_id, rating, now, card.due, due, item=item.ref,
                        detail={"passed": outcome.passed, "helped": outcome.helped, "seconds": outcome.seconds})
        self._due_counts.pop(card.user_id, None)
        if not self._store.record_review(new, log):
            raise Conflict(ALREADY)
        return ReviewResult(replace(item, card=new), rating, outcome.passed, now, card.due, due, **shown)


def _readable(card_id: str) -> bool:
    """An id a store can look up: lone surrogates (a JSON body's "\udce9") are no card of anyone's."""
    try:
        card_id.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def daily_share(backlog: int, cap: int) -> int:
    """Reviews for today: the whole backlog up to the cap; past it (after a break) the backlog spread
    over CATCH_UP_DAYS, at least half the cap and never more than the cap."""
    if backlog <= cap:
        return backlog
    return min(cap, max(math.ceil(backlog / CATCH_UP_DAYS), math.ceil(cap / 2)))
