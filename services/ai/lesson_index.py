"""Retrieval over the curated lesson library: passages with citations, and the nearest lesson to a topic.

Built once by the app factory from `content/lessons/**.json` and passed to the offline provider and
the AI-lesson service. Okapi BM25 over words (services/ai/bm25.py): no model, no network,
deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from services.ai.bm25 import BM25
from services.lessons.rendering import without_title

_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_STOP_WORDS = (
    "a an and are as at be by can do does for from how i in is it its me my of on or so that the this to "
    "use used using what when where which who why with you your python code"
)
_STOP = frozenset(_STOP_WORDS.split())
_SECTION = re.compile(r"^#{1,3} +(.+)$", re.MULTILINE)
_FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def words(text: str) -> list[str]:
    """Lower-cased search terms, plural 's' folded (lists -> list) so queries match either form."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 2:
            continue
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return out


# Passage ranking also keeps `and` / `or` / `not`, operators, and folds common endings; a learner's
# everyday words also bring the lessons' terms for them ("add up" -> sum).
_PASSAGE_WORD = re.compile(r"[a-z_][a-z0-9_]*|//|\*\*|\*|-1")
_PASSAGE_STOP = _STOP - {"and", "or", "not"}
_SUFFIXES = ("ing", "ed", "es", "s")
_LEARNER_WORDS = {
    "last": "-1 index", "add": "sum", "total": "sum accumulator", "dividing": "division //",
    "divide": "division //", "exist": "filenotfounderror", "letter": "character immutable",
    "change": "immutable", "middle": "mid low high", "filter": "if", "condition": "if",
    "conditions": "and or", "remember": "cache", "duplicate": "set", "duplicates": "set",
    "error": "exception", "crash": "exception", "count": "counter", "repeat": "loop",
}
SECTION_WEIGHT = 2  # a section's heading counts as often as this in its passage


def _fold(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def passage_words(text: str, *, query: bool = False) -> list[str]:
    """The terms passages are ranked on; a query's learner words bring their lesson terms along."""
    out = []
    for word in _PASSAGE_WORD.findall(text.lower()):
        if word in _PASSAGE_STOP or (len(word) < 2 and word.isalpha()):
            continue
        out.append(_fold(word))
        if query and word in _LEARNER_WORDS:
            out.extend(_fold(extra) for extra in _PASSAGE_WORD.findall(_LEARNER_WORDS[word]))
    return out


@dataclass(frozen=True)
class Passage:
    lesson_id: str
    title: str
    section: str
    text: str

    def citation(self) -> dict[str, str]:
        return {"lesson_id": self.lesson_id, "title": self.title, "section": self.section}


class LessonIndex:
    """Built on first use, not at start-up: splitting and weighing every passage took ~45 ms of each
    Lambda cold start, and most requests (a lesson page, the landing page) never search."""

    def __init__(self, lessons: list[dict[str, Any]]) -> None:
        self.lessons: dict[str, dict[str, Any]] = {lesson["id"]: lesson for lesson in lessons}

    @cached_property
    def passages(self) -> list[Passage]:
        return [p for lesson in self.lessons.values() for p in _split(lesson)]

    @cached_property
    def _terms(self) -> list[Any]:
        return [passage_words(" ".join([p.section] * SECTION_WEIGHT + [p.text])) for p in self.passages]

    @cached_property
    def _lesson_terms(self) -> dict[str, Counter[str]]:
        return {
            lesson["id"]: Counter(
                words(
                    " ".join(
                        [lesson.get("title", ""), lesson.get("topic", "")] * 3
                        + lesson.get("concepts", []) * 2
                        + [lesson.get("id", "").replace("-", " ")]
                    )
                )
            )
            for lesson in self.lessons.values()
        }

    @cached_property
    def bm25(self) -> BM25:
        return BM25(self._terms)

    @classmethod
    def from_dir(cls, root: str | Path) -> LessonIndex:
        paths = sorted(Path(root).glob("**/*.json"))
        return cls([json.loads(path.read_text(encoding="utf-8")) for path in paths])

    def get(self, lesson_id: str) -> dict[str, Any] | None:
        return self.lessons.get(lesson_id)

    def search(self, query: str, k: int = 3, lesson_id: str | None = None) -> list[Passage]:
        """The k passages that best match the query (those of `lesson_id` first when given)."""
        return [self.passages[index] for _, index in self.ranked(query, k, lesson_id)]

    def ranked(self, query: str, k: int = 3, lesson_id: str | None = None) -> list[tuple[float, int]]:
        """(score, passage index) of the k best passages; the open lesson's passages weigh 1.5x."""
        terms = list(dict.fromkeys(passage_words(query, query=True)))
        if not terms:
            return []
        scores = self.bm25.scores(terms)
        if lesson_id:
            scores = [s * 1.5 if self.passages[i].lesson_id == lesson_id else s for i, s in enumerate(scores)]
        ranked = sorted(((s, i) for i, s in enumerate(scores) if s > 0), key=lambda item: (-item[0], item[1]))
        return ranked[:k]

    def coverage(self, query: str, passage_index: int) -> float:
        """Share of the query's terms that the passage holds (how much of the question it is about)."""
        terms = set(passage_words(query))
        return len(terms & set(self._terms[passage_index])) / len(terms) if terms else 0.0

    def nearest_lesson(self, topic: str, language: str = "python", level: str | None = None) -> dict[str, Any] | None:
        """The curated lesson whose title, topic and concepts best match; None when nothing does."""
        terms = set(words(topic))
        lesson_df = Counter(term for lesson_terms in self._lesson_terms.values() for term in set(lesson_terms))
        total = len(self._lesson_terms)
        best: tuple[float, str] | None = None
        for lesson_id, lesson_terms in self._lesson_terms.items():
            lesson = self.lessons[lesson_id]
            if lesson.get("language", "python") != language:
                continue
            score = 0.0
            for term in terms:
                tf = lesson_terms.get(term, 0)
                if tf:  # saturating term frequency x rarity across lessons
                    score += tf * 2.2 / (tf + 1.2) * math.log(1 + total / lesson_df[term])
            if score and level and lesson.get("level") == level:
                score *= 1.1
            if score > 0 and (best is None or score > best[0]):
                best = (score, lesson_id)
        return self.lessons[best[1]] if best else None


def _split(lesson: dict[str, Any]) -> list[Passage]:
    """One passage per Markdown section of the lesson text."""
    text = without_title(lesson.get("lesson", ""))  # the page shows the title as its <h1>, not a section
    title = lesson.get("title", lesson["id"])
    fences = [(m.start(), m.end()) for m in _FENCED.finditer(text)]
    # A "# comment" line inside a code block is not a heading.
    marks = [m for m in _SECTION.finditer(text) if not any(start <= m.start() < end for start, end in fences)]
    if not marks:
        return [Passage(lesson["id"], title, "", text.strip())]
    passages = []
    intro = text[: marks[0].start()].strip()
    if intro:
        passages.append(Passage(lesson["id"], title, "", intro))
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        body = text[mark.end() : end].strip()
        if body:
            passages.append(Passage(lesson["id"], title, mark.group(1).strip(), body))
    return passages
