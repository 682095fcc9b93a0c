"""How the app factory builds the AI layer from settings (the only place that picks a provider)."""

from __future__ import annotations

from typing import Any

from dal.base import Store
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.ai.service import AIService
from services.ai.settings import CONFIG_KEYS, TASK_NAMES, AISettings
from services.clock import Clock, utcnow

# Every config name `AISettings.from_config` reads (Flask config keys; env vars add CODELEARN_).
ALL_CONFIG_KEYS: tuple[str, ...] = (
    *CONFIG_KEYS,
    *(f"AI_MODEL_{task.upper()}" for task in TASK_NAMES),
    *(f"AI_QUOTA_{task.upper()}" for task in TASK_NAMES),
)


_HELP = {
    "AI_PROVIDER": "AI provider: `offline` (deterministic, no network) or `bedrock`.",
    "AI_REGION": "Bedrock region; empty means `CODELEARN_AWS_REGION`.",
    "AI_ENDPOINT_URL": "Bedrock Runtime endpoint (tests); boto3 also reads AWS_ENDPOINT_URL_BEDROCK_RUNTIME.",
    "AI_CONNECT_TIMEOUT_S": "Bedrock connect timeout, seconds.",
    "AI_READ_TIMEOUT_S": "Bedrock read timeout per attempt, seconds (at most 25).",
    "AI_MAX_ATTEMPTS": "Attempts per Bedrock call (botocore standard retry mode).",
    "AI_CALL_DEADLINE_S": "No extra try on ModelTimeoutException past this many seconds.",
    "AI_BREAKER_THRESHOLD": "Failed model calls in a row that open the circuit breaker.",
    "AI_BREAKER_COOLDOWN_S": "Seconds the breaker stays open before one trial call.",
    "AI_HINTS_PER_LESSON": "AI hints per learner per lesson, after the authored hints.",
    "AI_MONTHLY_BUDGET_USD": "Monthly AI budget; emergency mode switches on when the projection passes it.",
    "AI_AUTO_EMERGENCY": "Switch emergency mode on automatically when over budget.",
    "AI_BUDGET_CHECK_INTERVAL_S": "How often a process re-reads the month's spend, seconds.",
    "AI_QUOTA_WINDOW_S": "Length of the per-learner quota window, seconds.",
    "AI_LESSON_CACHE_DAYS": "Days a generated lesson stays cached.",
}


def config_rows() -> list[tuple[str, Any, str]]:
    """(config name, default, help) for every AI setting, for the app's settings table and README."""
    defaults = AISettings()
    rows = [(key, getattr(defaults, _field_of(key)), _HELP[key]) for key in CONFIG_KEYS]
    rows += [(f"AI_MODEL_{t.upper()}", defaults.model_for(t), f"Model id for the `{t}` task.") for t in TASK_NAMES]
    rows += [
        (f"AI_QUOTA_{t.upper()}", defaults.quota_for(t), f"`{t}` requests per learner per quota window.")
        for t in TASK_NAMES
    ]
    return rows


def _field_of(key: str) -> str:
    name = key.lower()
    return name if name == "ai_hints_per_lesson" else name.removeprefix("ai_")


def build_ai_service(
    settings: AISettings, store: Store, lesson_index: LessonIndex, *, clock: Clock = utcnow, session: Any = None
) -> AIService:
    """Offline provider locally; Bedrock (with the offline provider as fallback) when
    `settings.provider == "bedrock"`. Creates the boto3 client here, once per process."""
    offline = OfflineProvider(lesson_index)
    if settings.provider == "offline":
        return AIService(offline, store, settings=settings, clock=clock)
    from services.ai.bedrock import BedrockProvider, make_bedrock_client

    client = make_bedrock_client(settings, session=session)
    return AIService(BedrockProvider(client, settings), store, settings=settings, clock=clock, fallback=offline)
