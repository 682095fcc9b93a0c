from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional


@dataclass
class Book:
    title: str
    year: int
    rating: float | None = None


def best_book(books: List[Book], since: int = 0) -> Optional[Book]:
    rated = [b for b in books if b.year >= since and b.rating is not None]
    if not rated:
        return None
    return max(rated, key=lambda b: b.rating)   # max keeps the first of equal ratings


def titles_by_decade(books: List[Book]) -> Dict[int, List[str]]:
    groups: Dict[int, List[str]] = defaultdict(list)
    for book in books:
        groups[book.year - book.year % 10].append(book.title)
    return groups
