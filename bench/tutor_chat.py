"""The tutor chat's retrieval and offline speed. `python -m bench.tutor_chat`

- recall@3: share of the labelled learner questions (bench/tutor_chat_questions.py, each with the
  lesson section that answers it) whose section is among the top 3 passages;
- offline answer: a question asked through ChatService on SQLite with the offline provider
  (message stored, history read, retrieval, answer, reply stored), median over the questions, in a
  conversation of its own; and beside an open challenge (gated_answer_ms), where the answer gate also
  runs the answer's code fragments against the lesson's tests in the grader;
- offline review: the static review of a 60-line file (pyflakes-style checks and AST rules), median.
Prints, last:

    chat recall_at_3=<share> offline_answer_ms=<median> review_ms=<median> gated_answer_ms=<median>

Targets (issue 16): recall@3 >= 0.9, offline answer <= 50 ms, offline review <= 100 ms.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.tutor_chat_questions import QUESTIONS, recall_at
from dal.base import User
from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.ai.tasks import TASKS
from services.chat.service import ChatService
from services.grader import Grader
from services.lessons.library import LessonLibrary

CONTENT = Path(__file__).resolve().parents[1] / "content" / "lessons"

SIXTY_LINES = '''import os, sys


def load(path, cache=[]):
    try:
        with open(path) as f:
            data = f.read()
    except:
        return None
    cache.append(data)
    return data


def count_words(text):
    counts = {}
    for word in text.split():
        if word in counts:
            counts[word] = counts[word] + 1
        else:
            counts[word] = 1
    return counts


def longest(words):
    best = None
    for i in range(len(words)):
        if best == None or len(words[i]) > len(best):
            best = words[i]
    return best


def report(counts):
    out = ""
    for word in sorted(counts):
        out += f"{word}: {counts[word]}\\n"
    return out
    print("done")


def average(values):
    total = 0
    for v in values:
        total += v
    return total / len(values)


def flags(items):
    found = []
    for item in items:
        if item.ok == True:
            found.append(item)
    return found


def main(list=None):
    text = load(sys.argv[1])
    counts = count_words(text or "")
    print(report(counts))
    print(longest(list or []))
    return 0
'''


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    library, _ = LessonLibrary.from_directory(CONTENT)
    index = LessonIndex([lesson.to_dict() for lesson in library.all()])
    recall, missed = recall_at(index, 3)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "chat.sqlite3"))
        store.init_schema()
        store.create_user(User(id="u1", email="u1@example.com", password_hash="x"))  # noqa: S106 - a bench learner
        settings = AISettings(quotas={"chat": 10_000})
        chat = ChatService(store, AIService(OfflineProvider(index), store, settings=settings), index, library, Grader())
        medians = []
        for lesson_id in ("", "python-loops"):
            conversation = chat.start("u1", lesson_id=lesson_id)
            times = []
            for question, _, _ in QUESTIONS:
                started = time.perf_counter()
                chat.ask("u1", conversation.id, question)
                times.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(times))
        answer_ms, gated_ms = medians
        chat.close()
        store.close()
    offline = OfflineProvider(index)
    assert len(SIXTY_LINES.splitlines()) >= 60
    review_ms = _median_ms(lambda: offline.complete(TASKS["review"], {"code": SIXTY_LINES}), 50)
    print(f"{len(QUESTIONS)} labelled questions; missed at 3: {missed}")
    print(f"offline answer: median of {len(QUESTIONS)} questions in one conversation on SQLite; gated: the same "
          "in a conversation beside the open python-loops challenge")
    print(f"chat recall_at_3={recall:.2f} offline_answer_ms={answer_ms:.1f} review_ms={review_ms:.1f} "
          f"gated_answer_ms={gated_ms:.1f}")


if __name__ == "__main__":
    main()
