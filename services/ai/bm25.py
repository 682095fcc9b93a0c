"""Okapi BM25 over tokenised documents, in plain Python (the BM25 libraries pull in numpy, which does
not fit the Lambda zip budget).

The formula is rank-bm25's `BM25Okapi` (Trotman et al., "Improvements to BM25 and Language Models
Examined"): idf = ln((N - df + 0.5) / (df + 0.5)), floored at epsilon x the mean idf for terms in more
than half the documents, and the usual k1 / b saturation. tests/chat/test_bm25_oracle.py checks the
scores against rank-bm25 itself on the lesson library.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


class BM25:
    def __init__(self, documents: Sequence[Iterable[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        self.k1, self.b = k1, b
        self.frequencies: list[Counter[str]] = [Counter(doc) for doc in documents]
        self.lengths = [sum(freq.values()) for freq in self.frequencies]
        self.size = len(self.frequencies)
        self.average_length = sum(self.lengths) / self.size if self.size else 0.0
        document_frequency = Counter(term for freq in self.frequencies for term in freq)
        self.idf = {term: math.log(self.size - df + 0.5) - math.log(df + 0.5)
                    for term, df in document_frequency.items()}
        floor = epsilon * (sum(self.idf.values()) / len(self.idf)) if self.idf else 0.0
        for term, value in self.idf.items():
            if value < 0:  # in more than half the documents
                self.idf[term] = floor
        # Per document, the length part of the denominator: computed once, used for every query term.
        self._norm = [k1 * (1 - b + b * length / self.average_length) if self.average_length else k1
                      for length in self.lengths]
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for index, freq in enumerate(self.frequencies):
            for term, tf in freq.items():
                self._postings.setdefault(term, []).append((index, tf))

    def scores(self, query: Iterable[str]) -> list[float]:
        """One score per document; a query term given twice counts twice (as in rank-bm25)."""
        totals = [0.0] * self.size
        for term in query:
            idf = self.idf.get(term)
            if not idf:
                continue
            for index, tf in self._postings[term]:
                totals[index] += idf * tf * (self.k1 + 1) / (tf + self._norm[index])
        return totals

    def top(self, query: Iterable[str], k: int) -> list[tuple[float, int]]:
        """The k best (score, document index) with a positive score, best first, ties by index."""
        ranked = sorted(((s, i) for i, s in enumerate(self.scores(query)) if s > 0), key=lambda x: (-x[0], x[1]))
        return ranked[:k]
