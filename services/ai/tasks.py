"""The task table: for each AI task its prompt builder, output schema, token limit and required input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.ai import prompts, task_schemas


@dataclass(frozen=True)
class Task:
    name: str
    feature: str  # label in the usage ledger and the admin page
    schema: dict[str, Any]
    max_tokens: int
    build_prompt: Callable[[dict[str, Any]], tuple[str, str]]  # payload -> (system, user text)
    required: tuple[str, ...]  # payload keys the prompt needs
    temperature: float = 0.3
    build_turns: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None  # earlier (role, text) turns
    # Context that stays the same for a whole conversation (the chat's open challenge): a second system
    # block, so it belongs to the prefix Bedrock can cache.
    build_context: Callable[[dict[str, Any]], str] | None = None

    @property
    def tool_name(self) -> str:
        return f"{self.name}_answer"

    def check_payload(self, payload: dict[str, Any]) -> None:
        missing = [key for key in self.required if not payload.get(key)]
        if missing:
            raise ValueError(f"task {self.name!r} needs {', '.join(missing)}")


TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task(
            "lesson",
            "AI lessons",
            task_schemas.LESSON,
            3500,
            prompts.lesson_prompt,
            ("language", "level", "topic"),
            temperature=0.5,
        ),
        Task("hint", "Hints", task_schemas.HINT, 250, prompts.hint_prompt, ("challenge", "code")),
        Task("quiz", "Quizzes", task_schemas.QUIZ, 1200, prompts.quiz_prompt, ("topic",), temperature=0.5),
        Task("explain", "Explanations", task_schemas.EXPLAIN, 900, prompts.explain_prompt, ("concept",)),
        Task("review", "Code review", task_schemas.REVIEW, 1000, prompts.review_prompt, ("code",)),
        Task("debug", "Debugging", task_schemas.DEBUG, 800, prompts.debug_prompt, ("code",)),
        Task("explain_code", "Code explanations", task_schemas.EXPLAIN_CODE, 900, prompts.explain_code_prompt,
             ("code",)),
        Task("optimize", "Optimization", task_schemas.OPTIMIZE, 800, prompts.optimize_prompt, ("code",)),
        Task(
            "generate",
            "Code generation",
            task_schemas.GENERATE,
            1200,
            prompts.generate_prompt,
            ("description",),
        ),
        Task("chat", "Tutor chat", task_schemas.CHAT, 700, prompts.chat_prompt, ("question",),
             build_turns=prompts.chat_turns, build_context=prompts.chat_context),
    )
}
