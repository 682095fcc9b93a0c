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
