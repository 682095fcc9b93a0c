"""The AI layer: tasks, providers (offline, bedrock), the service that guards them, and cost control."""

from services.ai.errors import AIUnavailable, QuotaExceeded
from services.ai.service import AIResult, AIService
from services.ai.settings import AISettings
from services.ai.tasks import TASKS

__all__ = ["TASKS", "AIResult", "AIService", "AISettings", "AIUnavailable", "QuotaExceeded"]
