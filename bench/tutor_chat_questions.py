"""Learner questions for the tutor chat, each labelled with the lesson section that answers it.

Written as learners ask (not copied from the headings); bench.tutor_chat measures recall@3 on them
and tests/chat/test_retrieval.py holds the floor.
"""

from __future__ import annotations

# (question, lesson id, section title); ALSO_ANSWERED names a second section that answers a question too.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("How do I get the last item out of a list?", "python-lists", "Creating a list and reading from it"),
    ("I changed one list and the other changed too, why?", "python-lists", "Two names, one list"),
    ("how do i add up all the numbers in a list", "python-lists", "Useful built-ins: `sum`, `min`, `max`, `sorted`"),
    ("What is the difference between break and continue?", "python-loops", "`break` and `continue`"),
    ("When should I use a while loop instead of for?", "python-loops", "Choosing between `for` and `while`"),
    ("How do I keep a running total in a loop?", "python-loops", "The accumulator pattern"),
    ("What does range(1, 10, 2) give me?", "python-loops", "The `for` loop and `range()`"),
    ("Why do I get a KeyError when I look up a key?", "python-dictionaries", "Missing keys"),
    ("how can I count how many times each word appears with a dict", "python-dictionaries", "The counting pattern"),
    ("How do I loop over the keys and values of a dictionary?", "python-dictionaries", "Looping over a dictionary"),
    ("What is the difference between elif and else?", "python-conditionals", "`else` and `elif`"),
    ("How do I check two conditions at once with and / or?", "python-conditionals",
     "Combining conditions: `and`, `or`, `not`"),
    ("Why is my function returning None?", "python-functions", "`return`: handing a value back"),
    ("What is the difference between a parameter and an argument?", "python-functions", "Parameters and arguments"),
    ("Can a variable inside a function be seen outside it?", "python-functions", "Local variables"),
    ("How do I put a variable's value inside a string with an f-string?", "python-strings",
     "f-strings: putting values into text"),
    ("How do I take the first three characters of a string (slicing)?", "python-strings", "Slicing"),
    ("Why can't I change one letter of a string with s[0] = 'x'?", "python-strings", "Strings cannot be changed"),
    ("How do I split a sentence into words and join them back?", "python-string-methods", "Splitting and joining"),
    ("How do I remove the spaces at the start and end of the input?", "python-string-methods",
     "Removing spaces: `strip`"),
    ("What is the difference between / and // when dividing?", "python-numbers", "The arithmetic operators"),
    ("How do I round a number up?", "python-numbers", "Rounding, and rounding up"),
    ("How do I unpack a tuple into two variables?", "python-tuples-and-sets", "Packing and unpacking"),
    ("How do I remove duplicates from a list with a set?", "python-tuples-and-sets", "Sets: no duplicates"),
    ("How do I read a file line by line?", "python-file-io", "Reading line by line"),
    ("What happens when I open a file that does not exist?", "python-file-io", "When the file isn't there"),
    ("How do I catch an exception with try and except?", "python-error-handling", "`try` and `except`"),
    ("When does the finally block run?", "python-error-handling", "`else` and `finally`"),
    ("How do I raise my own error when the input is bad?", "python-error-handling", "Raising your own exceptions"),
    ("Why does my default list argument keep old values between calls?", "python-function-arguments",
     "The mutable default trap"),
    ("What do *args and **kwargs mean?", "python-function-arguments",
     "`*args`: any number of positional arguments"),
    ("How do I write a list comprehension with a condition to filter?", "python-list-comprehensions",
     "Filtering with `if`"),
    ("What is __init__ for when defining a class?", "python-classes", "Defining a class"),
    ("How do I call the parent class method with super?", "python-inheritance", "Extending with `super()`"),
    ("What does yield do in a generator?", "python-generators", "What really happens"),
    ("How does the @ decorator syntax work?", "python-decorators", "The `@` syntax"),
    ("Why does my decorated function lose its name? functools.wraps", "python-decorators",
     "Keeping the name: `functools.wraps`"),
    ("How do I sort a list by a key function, like by length?", "python-lambda-functions",
     "Key functions: sorting your way"),
    ("What is RecursionError and maximum recursion depth?", "python-recursion", "The limit: RecursionError"),
    ("How do I cache results with lru_cache?", "python-memoization",
     "`functools.lru_cache`: memoization as a decorator"),
    ("How does binary search find the middle each time?", "python-binary-search", "The classic loop"),
    ("Why is list.pop(0) slow for a queue?", "python-stacks-and-queues", "Queues: don't use `list.pop(0)`"),
    ("How do I give a dataclass field a list default?", "python-dataclasses",
     "Mutable defaults: `field(default_factory=...)`"),
    ("How do I count things with Counter?", "python-collections-module", "Counter: counting things"),
)

ALSO_ANSWERED: dict[str, tuple[str, str]] = {
    "how do i add up all the numbers in a list": ("python-loops", "The accumulator pattern"),
    "how can I count how many times each word appears with a dict": ("python-collections-module",
                                                                      "Counter: counting things"),
    "What do *args and **kwargs mean?": ("python-function-arguments", "Default, keyword, `*args` and `**kwargs`"),
    "How do I sort a list by a key function, like by length?": ("python-sorting-and-searching",
                                                               "Recap: `sorted()`, `.sort()` and `key=`"),
}


def answers(question: str, lesson_id: str, section: str) -> set[tuple[str, str]]:
    """The (lesson id, section) pairs that count as answering the question."""
    found = {(lesson_id, section)}
    if question in ALSO_ANSWERED:
        found.add(ALSO_ANSWERED[question])
    return found


def recall_at(index, k: int = 3) -> tuple[float, list[str]]:
    """Share of the questions with an answering section in the index's top k, and the missed questions."""
    missed = []
    for question, lesson_id, section in QUESTIONS:
        top = {(p.lesson_id, p.section) for p in index.search(question, k=k)}
        if not top & answers(question, lesson_id, section):
            missed.append(question)
    return 1 - len(missed) / len(QUESTIONS), missed
