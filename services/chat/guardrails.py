"""What the tutor chat will and will not answer: message limits, off-topic requests, and the answer
gate across the conversation (DESIGN.md section 11: every answer beside an open challenge)."""

from __future__ import annotations

import re
from typing import Any

from services.ai.hint_check import HISTORY_ANSWERS, check_hint
from services.errors import InvalidInput

MAX_MESSAGE_CHARS = 2_000
MAX_TITLE_CHARS = 80
MIN_COVERAGE = 0.6  # share of the question's terms the best passage must hold to be "about" it

REFUSAL = ("I can only help with programming and the CodeLearn lessons. Ask me about your code, an error, "
           "or a lesson topic.")
GATED = ("That answer came too close to your open challenge's solution, so I will not show it. Here is what "
         "the lessons say instead; which part of your code do you think needs to change?")

_PROGRAMMING = re.compile(
    r"\b(?:python|code|program|function|def|variable|loop|list|dict|string|error|exception|class|method|"
    r"return|print|import|module|syntax|bug|debug|test|index|key|value|type|int|float|bool|tuple|set|file|"
    r"lesson|challenge|algorithm|recursion|array|object|argument|parameter|traceback|compile|run|output|"
    r"input|number|integer|sort|text|character|format|queue|stack|tree|regex|generator|decorator|search)s?\b",
    re.IGNORECASE)
_CODE_MARK = re.compile(r"[()\[\]{}=+*/%<>#]|`")


def clean_message(text: Any) -> str:
    """The learner's message, or InvalidInput (empty, too long, not text)."""
    if not isinstance(text, str):
        raise InvalidInput("Your message could not be read as text.", {"message": "Not text."})
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput("Write a question first.", {"message": "Write a question first."})
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(f"A message can be at most {MAX_MESSAGE_CHARS:,} characters.",
                           {"message": f"At most {MAX_MESSAGE_CHARS:,} characters."})
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("Your message could not be read as text.", {"message": "Not text."}) from None
    if "\ufffd" in text:  # what the form parser makes of bytes that are not UTF-8
        raise InvalidInput("Your message is not UTF-8 text; paste it again as plain text.",
                           {"message": "Not UTF-8 text."})
    return text


def clean_title(text: Any) -> str:
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("Give the conversation a name.", {"title": "Give it a name."})
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, e.g. a JSON body's "\udce9": no store takes them
        raise InvalidInput("The name is not UTF-8 text.", {"title": "Not UTF-8 text."}) from None
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(f"A name can be at most {MAX_TITLE_CHARS} characters.",
                           {"title": f"At most {MAX_TITLE_CHARS} characters."})
    return title


def off_topic(question: str, coverage: float, *, in_lesson: bool) -> bool:
    """No lesson passage is about it (`coverage`: the best passage's share of the question's terms) and
    nothing in it is about programming. A short follow-up inside a lesson's conversation ("why?") is
    never off-topic."""
    if in_lesson and len(question) < 60:
        return False
    if coverage >= MIN_COVERAGE:
        return False
    return not (_PROGRAMMING.search(question) or _CODE_MARK.search(question))


def gate(answer: str, lesson: Any, *, learner_code: str, grader: Any, earlier_answers: list[str]) -> tuple[bool, str]:
    """The answer gate with the chat's policy, the conversation's last answers joined with this one."""
    return check_hint(answer, lesson.solution, tests=lesson.tests, learner_code=learner_code, grader=grader,
                      history=earlier_answers[-HISTORY_ANSWERS:], policy="chat", reference=lesson.reference)
