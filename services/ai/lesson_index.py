"""Retrieval over the curated lesson library: passages with citations, and the nearest lesson to a topic.

Built once by the app factory from `content/lessons/**.json` and passed to the offline provider and
the AI-lesson service. Plain BM25 over words: no model, no network, deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Passage:
    lesson_id: str
    title: str
    section: str
    text: str

    def citation(self) -> dict[str, str]:
        return {"lesson_id": self.lesson_id, "title": self.title, "section": self.section}


class LessonIndex:
    def __init__(self, lessons: list[dict[str, Any]]) -> None:
        self.lessons: dict[str, dict[str, Any]] = {lesson["id"]: lesson for lesson in lessons}
        self.passages: list[Passage] = [p for lesson in lessons for p in _split(lesson)]
        self._terms = [Counter(words(f"{p.title} {p.section} {p.text}")) for p in self.passages]
        self._lesson_terms = {
            lesson["id"]: Counter(
                words(
                    " ".join(
                        [lesson.get("title", ""), lesson.get("topic", "")] * 3
                        + lesson.get("concepts", []) * 2
                        + [lesson.get("id", "").replace("-", " ")]
                    )
                )
            )
            for lesson in lessons
        }
        self._df = Counter(term for terms in self._terms for term in terms)
        self._avg_len = sum(sum(t.values()) for t in self._terms) / max(1, len(self._terms))

    @classmethod
    def from_dir(cls, root: str | Path) -> LessonIndex:
        paths = sorted(Path(root).glob("**/*.json"))
        return cls([json.loads(path.read_text(encoding="utf-8")) for path in paths])

    def get(self, lesson_id: str) -> dict[str, Any] | None:
        return self.lessons.get(lesson_id)

    def search(self, query: str, k: int = 3, lesson_id: str | None = None) -> list[Passage]:
        """The k passages that best match the query (those of `lesson_id` first when given)."""
        terms = set(words(query))
        if not terms:
            return []
        scored = []
        for index, passage_terms in enumerate(self._terms):
            score = self._bm25(terms, passage_terms)
            if lesson_id and self.passages[index].lesson_id == lesson_id:
                score *= 1.5
            if score > 0:
                scored.append((score, index))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self.passages[index] for _, index in scored[:k]]

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

    def _bm25(self, query: set[str], doc: Counter[str], k1: float = 1.4, b: float = 0.75) -> float:
        length = sum(doc.values())
        total = len(self._terms)
        score = 0.0
        for term in query:
            tf = doc.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (total - self._df[term] + 0.5) / (self._df[term] + 0.5))
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / self._avg_len))
        return score


def _split(lesson: dict[str, Any]) -> list[Passage]:
    """One passage per Markdown section of the lesson text."""
    text = lesson.get("lesson", "")
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
