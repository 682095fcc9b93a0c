import itertools


def even_squares(numbers):
    return [n ** 2 for n in numbers if not n % 2]


def word_lengths(words):
    return {word.lower(): len(word) for word in words if len(word) > 0}


def flatten(grid):
    return [value for value in itertools.chain.from_iterable(grid)]
