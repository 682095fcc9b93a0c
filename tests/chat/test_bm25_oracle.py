"""The small BM25 (services/ai/bm25.py) against rank-bm25's BM25Okapi as an oracle, on the lesson
library's passages and the labelled learner questions: same scores, same ranking."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.tutor_chat_questions import QUESTIONS, recall_at
from services.ai.bm25 import BM25
from services.ai.lesson_index import LessonIndex, passage_words

rank_bm25 = pytest.importorskip("rank_bm25", reason="rank-bm25 is in requirements-dev.txt")

LESSONS = Path(__file__).resolve().parents[2] / "content" / "lessons"


@pytest.fixture(scope="module")
def index() -> LessonIndex:
    return LessonIndex.from_dir(LESSONS)


def test_scores_match_rank_bm25_on_the_library(index):
    ours = index.bm25
    oracle = rank_bm25.BM25Okapi(index._terms)
    for question, _, _ in QUESTIONS:
        query = list(dict.fromkeys(passage_words(question, query=True)))
        expected = list(oracle.get_scores(query))
        got = ours.scores(query)
        assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(got, expected, strict=True)), question
        top = [i for _, i in ours.top(query, 5)]
        oracle_top = sorted((i for i in range(len(expected)) if expected[i] > 0), key=lambda i: (-expected[i], i))[:5]
        assert top == oracle_top, question


def test_a_term_in_most_documents_gets_the_epsilon_floor_like_rank_bm25():
    docs = [["loop", "for"], ["loop", "while"], ["loop", "range"], ["dict"]]
    oracle = rank_bm25.BM25Okapi(docs)
    ours = BM25(docs)
    for query in (["loop"], ["loop", "range"], ["dict", "dict"], ["missing"]):
        assert ours.scores(query) == pytest.approx(list(oracle.get_scores(query)))


def test_recall_at_3_on_the_labelled_questions_holds_the_target(index):
    recall, missed = recall_at(index, k=3)
    assert len(QUESTIONS) >= 40
    assert recall >= 0.9, missed


def test_the_open_lesson_weighs_more(index):
    plain = index.search("how do I stop early", k=3)
    boosted = index.search("how do I stop early", k=3, lesson_id="python-loops")
    assert boosted[0].lesson_id == "python-loops"
    assert plain != boosted or plain[0].lesson_id == "python-loops"
