"""The one model / price table: every model id and price CodeLearn knows is defined here.

Prices are USD per million tokens (on-demand, US regions). Newer models are only reachable through
cross-region inference profiles (`us.` / `global.` prefixed ids); a profile is priced like its model.

Prompt caching (Converse `cachePoint` blocks): a cached prefix must hold at least `cache_min_tokens`
(Bedrock ignores a cache point before that); tokens read from the cache cost `cache_read_per_mtok`
(Nova: a quarter of the input price; Claude: a tenth), tokens written to it `cache_write_per_mtok`
(Nova: the input price; Claude: 1.25 times it). `cache_min_tokens` 0: the model is not cached.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelPrice:
    model_id: str
    label: str
    input_per_mtok: float
    output_per_mtok: float
    retired: bool = False  # kept for pricing comparisons only; never called
    cache_min_tokens: int = 0  # 0: no prompt caching
    cache_read_per_mtok: float = 0.0
    cache_write_per_mtok: float = 0.0

    def cost_usd(self, input_tokens: int, output_tokens: int, cache_read_tokens: int = 0,
                 cache_write_tokens: int = 0) -> float:
        """`input_tokens`: the uncached input only (Bedrock's `inputTokens`); cache reads and writes apart."""
        return (input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok
                + cache_read_tokens * self.cache_read_per_mtok
                + cache_write_tokens * self.cache_write_per_mtok) / 1_000_000


NOVA_MICRO = "us.amazon.nova-micro-v1:0"
NOVA_LITE = "us.amazon.nova-lite-v1:0"
CLAUDE_HAIKU_45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
# The seeds' choice; reported end-of-life on Bedrock (DESIGN.md section 5). Priced for the benchmark.
CLAUDE_3_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"

MODELS: dict[str, ModelPrice] = {
    m.model_id: m
    for m in (
        ModelPrice(NOVA_MICRO, "Amazon Nova Micro", 0.035, 0.14, cache_min_tokens=1_000, cache_read_per_mtok=0.00875,
                   cache_write_per_mtok=0.035),
        ModelPrice(NOVA_LITE, "Amazon Nova Lite", 0.06, 0.24, cache_min_tokens=1_000, cache_read_per_mtok=0.015,
                   cache_write_per_mtok=0.06),
        ModelPrice(CLAUDE_HAIKU_45, "Claude Haiku 4.5", 1.0, 5.0, cache_min_tokens=4_096, cache_read_per_mtok=0.10,
                   cache_write_per_mtok=1.25),
        ModelPrice(CLAUDE_3_HAIKU, "Claude 3 Haiku (retired)", 0.25, 1.25, retired=True),
    )
}

# Default model per task: the cheap Nova models for short, frequent answers; Haiku 4.5 where a
# wrong answer is expensive (a generated lesson is graded and cached for 90 days; code reviews).
DEFAULT_TASK_MODELS: dict[str, str] = {
    "lesson": CLAUDE_HAIKU_45,
    # Reviews are static first; the model adds what static checks cannot say. At 8 a learner a month,
    # 4,000 reviews on Claude Haiku 4.5 would cost ~15 USD of a 5 USD month: Nova Lite, ~1 USD.
    "review": NOVA_LITE,
    "hint": NOVA_LITE,
    "quiz": NOVA_LITE,
    "explain": NOVA_LITE,
    "debug": NOVA_LITE,
    "optimize": NOVA_LITE,
    "explain_code": NOVA_LITE,
    "generate": NOVA_LITE,
    "chat": NOVA_MICRO,
}

# Pseudo-models in the usage ledger for work done without a model call (calls avoided), and for a
# lesson view that needed a fresh generation (its model call is booked under "AI lessons").
OFFLINE = "offline"
CACHE = "cache"
LIBRARY = "library"
GENERATED = "generated"
NO_MODEL = frozenset({OFFLINE, CACHE, LIBRARY})
PSEUDO_MODELS = NO_MODEL | {GENERATED}

_PROFILE_PREFIXES = {"us", "eu", "apac", "global"}


def _without_profile(model_id: str) -> str:
    prefix, _, rest = model_id.partition(".")
    return rest if prefix in _PROFILE_PREFIXES and rest else model_id


def price_of(model_id: str) -> ModelPrice:
    """The price entry for a model id; an inference profile (`us.`, `global.` ...) or a bare model id
    is priced like the same model in the table."""
    if model_id in MODELS:
        return MODELS[model_id]
    base = _without_profile(model_id)
    for known in MODELS.values():
        if _without_profile(known.model_id) == base:
            return known
    raise KeyError(f"no price for model {model_id!r}; add it to services/ai/models.py")


def cost_usd(model_id: str, input_tokens: int, output_tokens: int, cache_read_tokens: int = 0,
             cache_write_tokens: int = 0) -> float:
    if model_id in PSEUDO_MODELS:
        return 0.0
    return price_of(model_id).cost_usd(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
