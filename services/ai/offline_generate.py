"""The offline answer to "write code that does this" when no lesson example fits: a commented skeleton
built from the description's words (a function name and parameters guessed from them, the steps as
comments, TODOs where the code goes). It is a plan, never working code: the body is comments and
`...`, so it cannot pass a challenge's tests, and the page says it is the offline assistant's.
"""

from __future__ import annotations

import builtins
import keyword
import re

MAX_STEPS = 6
_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(_WORD.findall(
    "a an the this that these those which who what how many much each every all any some of in on at to for "
    "from with without by into onto as and or but if then than so it its is are be been was were do does "
    "function program code script write make please can could would should will me my i you your we our "
    "using use given way something thing things small simple little new one two up out whether times"))
# Verbs a description starts from, and what such a function usually gives back.
_RETURNS = {
    "count": ("0", "a number: how many"), "sum": ("0", "a number: the total"), "add": ("0", "a number: the total"),
    "total": ("0", "a number: the total"), "average": ("0.0", "a number: the mean"),
    "calculate": ("0", "the computed value"), "compute": ("0", "the computed value"),
    "is": ("False", "True or False"), "check": ("False", "True or False"), "validate": ("False", "True or False"),
    "has": ("False", "True or False"), "contains": ("False", "True or False"),
    "find": ("None", "what was found (None when nothing is)"), "search": ("None", "what was found"),
    "filter": ("[]", "a new list with the items that qualify"), "sort": ("[]", "a new, sorted list"),
    "reverse": ("''", "the reversed value"), "remove": ("[]", "what is left"), "merge": ("[]", "the merged list"),
    "split": ("[]", "a list of the parts"), "list": ("[]", "a list"), "collect": ("[]", "a list"),
    "convert": ("None", "the converted value"), "format": ("''", "the formatted text"),
    "build": ("''", "what was built"), "greet": ("''", "the greeting text"), "shout": ("''", "the new text"),
    "print": ("None", "nothing (it prints)"), "show": ("None", "nothing (it prints)"),
    "parse": ("{}", "the parsed values"), "group": ("{}", "a dict of groups"), "read": ("[]", "what was read"),
    "generate": ("[]", "what was generated"), "get": ("None", "the value asked for"),
}
# Words that name what goes in, and the parameter they suggest.
_INPUTS = {
    "list": "items", "lists": "lists", "numbers": "numbers", "number": "n", "integer": "n", "integers": "numbers",
    "text": "text", "string": "text", "strings": "texts", "sentence": "sentence", "word": "word", "words": "words",
    "line": "line", "lines": "lines", "file": "path", "csv": "path", "dictionary": "mapping", "dict": "mapping",
    "name": "name", "names": "names", "password": "password", "email": "email", "date": "date", "dates": "dates",
    "year": "year", "grades": "grades", "scores": "scores", "prices": "prices", "matrix": "matrix",
    "temperature": "temperature", "celsius": "celsius", "items": "items", "values": "values", "value": "value",
    "letters": "text", "characters": "text", "key": "key", "keys": "keys",
}


def skeleton(description: str) -> str:
    words = _WORD.findall(description.lower())
    verb = next((_verb(w) for w in words if _verb(w) in _RETURNS), "")
    param = _parameter(words)
    name = _function_name(words, verb, param)
    start, gives = _RETURNS.get(verb, ("None", "the result"))
    if verb == "count" and {"each", "every"} & set(words):  # a count per item is a dict
        start, gives = "{}", "a dict: each item with its count"
    summary = _one_line(description)
    steps = [f"Look at what `{param}` holds: what should happen when it is empty or unusual?",
             *[_one_line(part) for part in re.split(r"[,;:]|\bthen\b", description) if part.strip()][: MAX_STEPS - 2],
             f"Give back {gives}."]
    plan = "\n".join(f"    # {number}. {step}" for number, step in enumerate(steps, 1))
    middle = "step 2" if len(steps) == 3 else f"steps 2 to {len(steps) - 1}"
    return (
        f"def {name}({param}):\n"
        f'    """{summary[:1].upper()}{summary[1:]}\n\n'
        "    Offline skeleton: the plan is written from your description; the code is yours to fill in.\n"
        '    """\n'
        f"    # Plan:\n{plan}\n"
        f"    # TODO: start the result (`{start}` is a usual first value here).\n"
        f"    # TODO: {middle}, one at a time; run the code after each.\n"
        "    # TODO: return the result.\n"
        "    ...\n\n\n"
        f"# Try it once the TODOs are done:\n# print({name}(...))\n"
    )


def _verb(word: str) -> str:
    for ending in ("es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in _RETURNS:
            return word[: -len(ending)]
    return word


def _parameter(words: list[str]) -> str:
    """The first word naming an input; after "each" / "every" / "all" its plural (each word: words)."""
    for before, word in zip(["", *words], words, strict=False):
        if word in _INPUTS:
            plural = _INPUTS.get(word + "s", "")
            return plural if before in ("each", "every", "all") and plural else _INPUTS[word]
    return "data"


def _function_name(words: list[str], verb: str, param: str) -> str:
    content = [w for w in words if w not in _STOP and _verb(w) != verb and len(w) > 1]
    named = [w for w in content if w in _INPUTS][:1] or content[:1]  # what it works on, else the next word
    parts = [verb, *named] if verb else content[:2]
    name = "_".join(parts) or "solve"
    if keyword.iskeyword(name) or name in dir(builtins):
        name += "_items"
    return name[:40]


def _one_line(text: str) -> str:
    """Learner words made safe inside a comment or docstring: one line, no quotes or backslashes."""
    return re.sub(r"\s+", " ", text.replace('"', "'").replace("\\", "/")).strip()[:160]
