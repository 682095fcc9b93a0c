"""AI settings: the defaults here are the single source of truth; the app factory overrides them.

`create_app` reads `CODELEARN_AI_*` from the environment (Flask's `from_prefixed_env`) and calls
`AISettings.from_config(app.config)`; see `CONFIG_KEYS` for the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from services.ai.models import DEFAULT_TASK_MODELS, MODELS, price_of

TASK_NAMES = ("lesson", "hint", "quiz", "explain", "review", "debug", "optimize", "generate", "chat", "explain_code")

# Requests per learner per hour. Seed 001: explanations 50, quizzes 20, code generation 30, reviews 20;
# the rest are chosen here: hints 30, chat 60 (short turns), debug 30, optimize 20, new lessons 5
# (the most expensive call we make).
DEFAULT_QUOTAS: dict[str, int] = {
    "explain": 50,
    "quiz": 20,
    "generate": 30,
    "review": 20,
    "hint": 30,
    "chat": 60,
    "debug": 30,
    "optimize": 20,
    "explain_code": 30,  # the assistant's "what does this code do", its own quota (explain is the tutor's)
    "lesson": 5,
}


@dataclass(frozen=True)
class AISettings:
    provider: str = "offline"  # offline | bedrock
    region: str = ""  # empty: the app's own AWS_REGION (from_config fills it in)
    endpoint_url: str | None = None  # tests only; boto3 also honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME
    models: dict[str, str] = field(default_factory=dict)  # per-task overrides of DEFAULT_TASK_MODELS
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 12.0  # x max_attempts stays under API Gateway's 29 s
    max_attempts: int = 2  # botocore "standard" retry mode, total attempts per call
    call_deadline_s: float = 25.0  # no extra try on ModelTimeoutException past this
    breaker_threshold: int = 5  # consecutive failed calls that open the circuit
    breaker_cooldown_s: float = 60.0
    ai_hints_per_lesson: int = 2
    monthly_budget_usd: float = 25.0
    auto_emergency: bool = True  # switch emergency mode on when the month's projection passes the budget
    budget_check_interval_s: float = 300.0
    quotas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    quota_window_s: int = 3600
    lesson_cache_days: int = 90

    def __post_init__(self) -> None:
        if self.provider not in ("offline", "bedrock"):
            raise ValueError(f"AI provider must be offline or bedrock, not {self.provider!r}")
        if not 0 < self.read_timeout_s <= 25:
            raise ValueError("read_timeout_s must be in (0, 25] so a page never hangs")
        for task, model in self.models.items():
            if task not in TASK_NAMES:
                raise ValueError(f"unknown AI task {task!r} in model overrides")
            if price_of(model).retired:
                raise ValueError(f"model {model!r} is retired on Bedrock")

    def model_for(self, task: str) -> str:
        return self.models.get(task) or DEFAULT_TASK_MODELS[task]

    def quota_for(self, task: str) -> int:
        return self.quotas.get(task, DEFAULT_QUOTAS[task])

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AISettings:
        """Build from a flat mapping such as Flask's config after `from_prefixed_env("CODELEARN")`:
        AI_PROVIDER, AI_REGION, AI_ENDPOINT_URL, AI_CONNECT_TIMEOUT_S, AI_READ_TIMEOUT_S, AI_MAX_ATTEMPTS,
        AI_BREAKER_THRESHOLD, AI_BREAKER_COOLDOWN_S, AI_HINTS_PER_LESSON, AI_MONTHLY_BUDGET_USD,
        AI_AUTO_EMERGENCY, AI_QUOTA_WINDOW_S, AI_MODEL_<TASK> (e.g. AI_MODEL_HINT), AI_QUOTA_<TASK>."""
        present = {key: value for key, value in config.items() if value is not None and value != ""}
        values: dict[str, Any] = {}
        for spec in fields(cls):
            key = config_key(spec.name)
            if key in present and spec.name not in ("models", "quotas"):
                values[spec.name] = _coerce(present[key], spec.type)
        models = {t: str(present[f"AI_MODEL_{t.upper()}"]) for t in TASK_NAMES if f"AI_MODEL_{t.upper()}" in present}
        quotas = dict(DEFAULT_QUOTAS)
        quotas.update(
            {t: int(present[f"AI_QUOTA_{t.upper()}"]) for t in TASK_NAMES if f"AI_QUOTA_{t.upper()}" in present}
        )
        if not values.get("region") and present.get("AWS_REGION"):
            values["region"] = str(present["AWS_REGION"])  # one region for the whole app unless told
        return cls(**values, models=models, quotas=quotas)


def _coerce(value: Any, type_name: Any) -> Any:
    text = str(type_name)
    if "bool" in text:
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    if text.startswith("int"):
        return int(value)
    if text.startswith("float"):
        return float(value)
    return None if value in (None, "") else str(value)


def config_key(field_name: str) -> str:
    """Config name of a field (read_timeout_s -> AI_READ_TIMEOUT_S, ai_hints_per_lesson -> AI_HINTS_PER_LESSON)."""
    name = field_name.upper()
    return name if name.startswith("AI_") else f"AI_{name}"


CONFIG_KEYS = [config_key(f.name) for f in fields(AISettings) if f.name not in ("models", "quotas")]
KNOWN_MODELS = tuple(MODELS)
