"""What the admin cost page shows: spend by day and feature, calls made and avoided, cache hit rate,
the month's projection against the budget, and the model/price table. Read from the usage ledger."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dal.base import Store, UsageRecord
from services.ai.batched_counts import BatchedCounts
from services.ai.budget import Budget, EmergencyState
from services.ai.models import CACHE, GENERATED, LIBRARY, MODELS, NO_MODEL, PSEUDO_MODELS, ModelPrice
from services.ai.settings import TASK_NAMES, AISettings
from services.ai.tasks import TASKS
from services.clock import Clock, utcnow

LESSON_VIEWS = "Lesson views"  # ledger feature the lesson pages write, one row per view source
GATE_REJECTIONS = "Answer gate"  # ledger feature of AI answers the gate refused, one row per kind


@dataclass
class FeatureRow:
    feature: str
    model_calls: int = 0
    calls_avoided: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


@dataclass
class DayRow:
    day: date
    cost_usd: float = 0.0
    model_calls: int = 0
    calls_avoided: int = 0
    by_feature: dict[str, float] = field(default_factory=dict)


@dataclass
class CostSummary:
    start: date
    end: date
    days: list[DayRow]
    features: list[FeatureRow]
    total_cost_usd: float
    model_calls: int
    calls_avoided: int
    lesson_views: int
    lesson_views_without_model: int
    ai_lesson_cache_hits: int
    ai_lesson_generations: int
    month_to_date_usd: float
    projection_usd: float
    budget_usd: float
    emergency: EmergencyState
    prices: list[ModelPrice]
    task_models: dict[str, str]
    gate_rejections: dict[str, int] = field(default_factory=dict)  # kind -> AI answers refused

    @property
    def spent(self) -> bool:
        """Whether any model cost was booked in the period (the chart has something to draw)."""
        return any(day.cost_usd > 0 for day in self.days)

    @property
    def gate_rejections_total(self) -> int:
        return sum(self.gate_rejections.values())

    @property
    def no_model_share(self) -> float:
        """Share of lesson views served from the library or the cache (the seed's "cache hit rate")."""
        return self.lesson_views_without_model / self.lesson_views if self.lesson_views else 1.0

    @property
    def ai_lesson_hit_rate(self) -> float:
        asked = self.ai_lesson_cache_hits + self.ai_lesson_generations
        return self.ai_lesson_cache_hits / asked if asked else 0.0

    @property
    def over_budget(self) -> bool:
        return self.projection_usd > self.budget_usd


def record_gate_rejection(store: Store, kind: str, *, clock: Clock = utcnow) -> None:
    """One AI answer the answer gate refused, counted by the kind of its reason."""
    store.add_usage(UsageRecord(day=clock().date(), feature=GATE_REJECTIONS, model=kind, calls=1))


def record_lesson_view(store: Store, source: str, *, clock: Clock = utcnow) -> None:
    """The lesson pages call this once per lesson view; source: library | cache (served without a model
    call) or generated (this view needed a new lesson; its model call is booked under "AI lessons")."""
    if source not in (LIBRARY, CACHE, GENERATED):
        raise ValueError(f"unknown lesson view source {source!r}")
    store.add_usage(UsageRecord(day=clock().date(), feature=LESSON_VIEWS, model=source, calls=1))


class LessonViewCounter:
    """Counts lesson views in memory and adds them to the ledger in batches (services/ai/batched_counts):
    a ledger write per page view was the lesson page's most expensive store call."""

    def __init__(self, store: Store, *, batch: int = 20, max_age_s: float = 60.0, clock: Clock = utcnow,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._clock = clock
        self._counts: BatchedCounts[tuple[date, str]] = BatchedCounts(
            self._write, batch=batch, max_age_s=max_age_s, monotonic=monotonic)

    def record(self, source: str) -> None:
        if source not in (LIBRARY, CACHE, GENERATED):
            raise ValueError(f"unknown lesson view source {source!r}")
        self._counts.add((self._clock().date(), source))

    def flush(self) -> None:
        self._counts.flush()

    def _write(self, pending: Counter[tuple[date, str]]) -> None:
        for (day, source), views in pending.items():
            self._store.add_usage(UsageRecord(day=day, feature=LESSON_VIEWS, model=source, calls=views))


def cost_summary(budget: Budget, settings: AISettings, now: datetime, days: int = 30) -> CostSummary:
    end = now.date()
    start = min(end - timedelta(days=days - 1), end.replace(day=1))
    rows = budget.usage(start, end)
    by_day = {start + timedelta(days=n): DayRow(start + timedelta(days=n)) for n in range((end - start).days + 1)}
    features: dict[str, FeatureRow] = defaultdict(lambda: FeatureRow(""))
    views = views_free = cache_hits = generations = 0
    rejections: Counter[str] = Counter()
    for row in rows:
        if row.feature == GATE_REJECTIONS:  # no call, no cost: counted apart from the features
            rejections[row.model] += row.calls
            continue
        day = by_day.setdefault(row.day, DayRow(row.day))
        feature = features[row.feature]
        feature.feature = row.feature
        if row.feature == LESSON_VIEWS:
            views += row.calls
        if row.model in NO_MODEL:  # one definition for every feature, lesson views included
            feature.calls_avoided += row.calls
            day.calls_avoided += row.calls
            if row.feature == LESSON_VIEWS:
                views_free += row.calls
            else:
                cache_hits += row.calls if row.model == CACHE else 0
        elif row.model not in PSEUDO_MODELS:
            feature.model_calls += row.calls
            day.model_calls += row.calls
            generations += row.calls if row.feature == TASKS["lesson"].feature else 0
        feature.input_tokens += row.input_tokens
        feature.output_tokens += row.output_tokens
        feature.cost_usd += row.cost_usd
        day.cost_usd += row.cost_usd
        day.by_feature[row.feature] = day.by_feature.get(row.feature, 0.0) + row.cost_usd
    month_rows = [r for r in rows if r.day >= end.replace(day=1)]
    month_to_date = sum(r.cost_usd for r in month_rows)
    return CostSummary(
        start=start,
        end=end,
        days=[by_day[d] for d in sorted(by_day)],
        features=sorted(features.values(), key=lambda f: (-f.cost_usd, f.feature)),
        total_cost_usd=sum(r.cost_usd for r in rows),
        model_calls=sum(f.model_calls for f in features.values()),
        calls_avoided=sum(f.calls_avoided for f in features.values()),
        lesson_views=views,
        lesson_views_without_model=views_free,
        ai_lesson_cache_hits=cache_hits,
        ai_lesson_generations=generations,
        month_to_date_usd=month_to_date,
        projection_usd=budget.projection(now, spent=month_to_date),
        budget_usd=budget.monthly_budget(),
        emergency=budget.emergency(),
        prices=list(MODELS.values()),
        task_models={task: settings.model_for(task) for task in TASK_NAMES},
        gate_rejections=dict(sorted(rejections.items())),
    )
