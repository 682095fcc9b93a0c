"""A labelled corpus of AI answers over curated lessons: leaks the gate must refuse, hints it must show.

Each case is judged against the lesson's reference solution, tests and stored reference, with the
lesson's starter as the learner's code unless the case gives its own. `history` holds earlier
answers of the same conversation (a solution split over two messages). Kinds of leak: exact,
normalised (quotes, spacing), partial (a line's expression without its return or target), renamed
(other variable names), alternative (a different complete solution: loop, comprehension, builtin),
split (two messages), prose (code inside a sentence). Good kinds: prose, code (one line of code
that is not the answer), names (names a function such as `str.split` without using it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    lesson: str
    text: str
    leak: bool
    kind: str
    history: tuple[str, ...] = ()
    learner_code: str | None = None  # None: the lesson's starter


L, G = True, False  # leak, good

CASES: tuple[Case, ...] = (
    # --- python-tuples-and-sets ----------------------------------------------------------------
    Case("python-tuples-and-sets", "Write `return min(numbers), max(numbers)` in min_max.", L, "exact"),
    Case("python-tuples-and-sets", "The tuple is just `min(numbers), max(numbers)`.", L, "partial"),
    Case("python-tuples-and-sets", "Try `return min(values),max(values)` with your own names.", L, "renamed"),
    Case("python-tuples-and-sets", "You can just write def has_duplicates(items): return len(items) > len(set(items)) "
         "and it works.", L, "prose"),
    Case("python-tuples-and-sets", "Compare sizes: `len(set(items)) != len(items)`", L, "partial"),
    Case("python-tuples-and-sets", "For common_friends, `sorted(set(a).intersection(b))` does it.", L, "alternative"),
    Case("python-tuples-and-sets", "Then `return sorted(name for name in both if name in friends_b)` is all you "
         "need.", L, "split",
         history=("For common_friends, keep the names of friends_a that are in friends_b: start with "
                  "`both = set(friends_a)`.",)),
    Case("python-tuples-and-sets", "A set keeps each value once, so comparing its size with the list's size tells "
         "you whether something repeats.", G, "prose"),
    Case("python-tuples-and-sets", "Python has built-in functions for the smallest and the largest value of a list.",
         G, "prose"),
    Case("python-tuples-and-sets", "Try this in the console: `print(set([1, 1, 2]))`", G, "code"),
    Case("python-tuples-and-sets", "The `&` operator on two sets keeps what they share; `sorted()` turns any "
         "iterable into a list.", G, "names"),

    # --- python-loops --------------------------------------------------------------------------
    Case("python-loops", "Inside the loop: `if number % 3 == 0 or number % 5 == 0:` then add it.", L, "exact"),
    Case("python-loops", "Use the condition n%3==0 or n%5==0 for each n.", L, "renamed"),
    Case("python-loops", "Just return sum(i for i in range(limit) if i % 3 == 0 or i % 5 == 0) and you are done.",
         L, "alternative"),
    Case("python-loops", "```python\ndef sum_of_multiples(limit):\n    return sum(x for x in range(limit) "
         "if not x % 3 or not x % 5)\n```", L, "alternative"),
    Case("python-loops", "In collatz_steps, an odd n becomes `3 * n + 1`.", L, "partial"),
    Case("python-loops", "Even numbers are halved and odd ones become three times plus one; count each step "
         "until you reach 1.", G, "prose"),
    Case("python-loops", "Finally `return steps`.", L, "split",
         history=("In collatz_steps count with `steps = 0` and loop `while n > 1: n, steps = (n // 2 if n % 2 == 0 "
                  "else 3 * n + 1), steps + 1`",)),
    Case("python-loops", "`range(1, limit)` stops before limit, which is what 'below' means here.", G, "code"),
    Case("python-loops", "The `%` operator gives the remainder: a number is a multiple of 3 when the remainder "
         "is 0.", G, "names"),
    Case("python-loops", "A while loop keeps going as long as its condition holds; think about which condition "
         "means the sequence has not reached 1 yet.", G, "prose"),
    Case("python-loops", "Keep a running total that starts at zero before the loop and grows inside it.", G, "prose"),

    # --- python-lists --------------------------------------------------------------------------
    Case("python-lists", "top_three is `sorted(scores, reverse=True)[:3]`.", L, "partial"),
    Case("python-lists", "return sorted(s, reverse = True)[ : 3]", L, "renamed"),
    Case("python-lists", "For average: `round(sum(scores) / len(scores), 1)` after checking for an empty list.",
         L, "partial"),
    Case("python-lists", "passing_scores can be one line: `return [s for s in scores if s >= threshold]`.",
         L, "alternative"),
    Case("python-lists", "Use filter: list(filter(lambda s: s >= threshold, scores)) gives the kept scores.",
         L, "alternative"),
    Case("python-lists", "and then `return kept`.", L, "split",
         history=("For passing_scores, `kept = [s for s in scores if s >= threshold]`",)),
    Case("python-lists", "`sorted()` takes `reverse=True` to put the highest first, and slicing keeps the first "
         "few items.", G, "names"),
    Case("python-lists", "Check what `print(sorted([3, 1, 2]))` shows in the console.", G, "code"),
    Case("python-lists", "An empty list has no mean; the challenge asks for 0.0 in that case, so check that "
         "first.", G, "prose"),

    # --- python-string-methods -----------------------------------------------------------------
    Case("python-string-methods", "End normalize_name with `return ' '.join(words)`.", L, "normalised"),
    Case("python-string-methods", "normalize_name is `\" \".join(w.capitalize() for w in raw.split())`.",
         L, "alternative"),
    Case("python-string-methods", "In mask_email: `user, _, domain = email.strip().lower().partition(\"@\")`",
         L, "exact"),
    Case("python-string-methods", "Return user[0] + '***@' + domain at the end.", L, "partial"),
    Case("python-string-methods", "For make_slug, `return '-'.join(''.join(c if c.isalnum() else ' ' for c in "
         "title.lower()).split())`", L, "alternative"),
    Case("python-string-methods", "`str.split` with no argument splits on any run of spaces, and "
         "`str.capitalize` fixes one word's case.", G, "names"),
    Case("python-string-methods", "`str.partition` cuts a string in three around a separator.", G, "names"),
    Case("python-string-methods", "Try `print('ada'.capitalize())` to see what capitalize does.", G, "code"),
    Case("python-string-methods", "Your function returns the text unchanged; build the new words in a list "
         "first, then join them.", G, "prose"),

    # --- python-dictionaries -------------------------------------------------------------------
    Case("python-dictionaries", "Inside the loop: counts[item] = counts.get(item, 0) + 1", L, "exact"),
    Case("python-dictionaries", "Do `tally[x] = tally.get(x, 0) + 1` for each x.", L, "renamed"),
    Case("python-dictionaries", "The count is just counts.get(item, 0) + 1 each time.", L, "partial"),
    Case("python-dictionaries", "count_items is `return dict(Counter(items))` after `from collections import "
         "Counter`.", L, "alternative"),
    Case("python-dictionaries", "restock: `return {**stock, **{p: stock.get(p, 0) + q for p, q in "
         "delivery.items()}}`", L, "alternative"),
    Case("python-dictionaries", "`dict.get(key, default)` returns the default when the key is missing.", G, "names"),
    Case("python-dictionaries", "`stock.copy()` gives a new dict, so the one you received stays as it was.",
         G, "code"),
    Case("python-dictionaries", "Loop over `cart.items()` to get each product with its quantity, and skip "
         "products that have no price.", G, "code"),

    # --- python-functions ----------------------------------------------------------------------
    Case("python-functions", "In tip_amount, replace the print with `return round(tip, 2)`.", L, "exact"),
    Case("python-functions", "total_with_tip: return round(bill + tip_amount(bill, percent), 2)", L, "exact"),
    Case("python-functions", "split_bill is round(total_with_tip(b, p) / n, 2) with your parameters.", L, "renamed"),
    Case("python-functions", "```python\ndef split_bill(bill, percent, people):\n    share = total_with_tip(bill, "
         "percent) / people\n    return round(share, 2)\n```", L, "alternative"),
    Case("python-functions", "`print` shows a value but gives back None; `return` hands it to the caller.",
         G, "names"),
    Case("python-functions", "Call the function you already wrote from the new one instead of repeating the "
         "formula.", G, "prose"),
    Case("python-functions", "`round(2.675, 2)` shows how rounding to cents works.", G, "code"),

    # --- python-conditionals -------------------------------------------------------------------
    Case("python-conditionals", "The last branch is `return year % 4 == 0`.", L, "exact"),
    Case("python-conditionals", "Leap years: y % 400 == 0 or (y % 4 == 0 and y % 100 != 0).", L, "alternative"),
    Case("python-conditionals", "is_leap_year can be return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0",
         L, "alternative"),
    Case("python-conditionals", "```python\ndef ticket_price(age):\n    return 0 if age < 3 else 8 if age <= 12 else "
         "12 if age <= 64 else 7\n```", L, "alternative"),
    Case("python-conditionals", "Check the smallest ages first: once a branch matches, the later ones are "
         "skipped.", G, "prose"),
    Case("python-conditionals", "`2024 % 4` is the remainder of dividing by 4.", G, "code"),
    Case("python-conditionals", "Years divisible by 100 are special, unless they are also divisible by 400.",
         G, "prose"),

    # --- python-list-comprehensions ------------------------------------------------------------
    Case("python-list-comprehensions", "`[n * n for n in numbers if n % 2 == 0]`", L, "exact"),
    Case("python-list-comprehensions", "return [x*x for x in nums if x%2==0]", L, "renamed"),
    Case("python-list-comprehensions", "word_lengths is {w.lower(): len(w) for w in words if w}.", L, "partial"),
    Case("python-list-comprehensions", "flatten: `[v for r in grid for v in r]`", L, "renamed"),
    Case("python-list-comprehensions", "Or with a loop:\n```python\nresult = []\nfor row in grid:\n    "
         "result.extend(row)\n```", L, "alternative"),
    Case("python-list-comprehensions", "A comprehension can have an `if` at the end that filters items.", G, "names"),
    Case("python-list-comprehensions", "Two `for` clauses run like nested loops, the first one outside.",
         G, "prose"),
    Case("python-list-comprehensions", "`[c for c in 'abc']` is a list comprehension over a string.", G, "code"),

    # --- python-lambda-functions ---------------------------------------------------------------
    Case("python-lambda-functions", "`sorted(products, key=lambda p: (p[1], p[0]))`", L, "exact"),
    Case("python-lambda-functions", "Use key=lambda item: (item[1], item[0]) in sorted.", L, "renamed"),
    Case("python-lambda-functions", "make_discount returns lambda price: round(price * (100 - percent) / 100, 2).",
         L, "partial"),
    Case("python-lambda-functions", "best_rated: return max(products, key=lambda x: x[2])[0] if products else None",
         L, "alternative"),
    Case("python-lambda-functions", "A key function gets one item and returns what to sort by; a tuple sorts by "
         "its first value, then the next.", G, "prose"),
    Case("python-lambda-functions", "`max()` also takes a `key=` argument, like `sorted()`.", G, "names"),
    Case("python-lambda-functions", "`(lambda x: x + 1)(2)` is 3: a lambda is a function without a name.", G, "code"),

    # --- python-recursion ----------------------------------------------------------------------
    Case("python-recursion", "When the item is a list, do `result.extend(flatten(item))`.", L, "exact"),
    Case("python-recursion", "Add this inside your loop:\n    if isinstance(item, list):\n        "
         "result.extend(flatten(item))", L, "split"),
    Case("python-recursion", "def flatten(items): return [x for i in items for x in (flatten(i) if "
         "isinstance(i, list) else [i])]", L, "alternative"),
    Case("python-recursion", "The function may call itself on a smaller piece: a nested list is a smaller "
         "problem of the same kind.", G, "prose"),
    Case("python-recursion", "`isinstance(x, list)` tells whether x is a list.", G, "names"),
    Case("python-recursion", "`extend` adds every item of another list; `append` adds one item.", G, "names"),

    # --- python-sorting-and-searching ----------------------------------------------------------
    Case("python-sorting-and-searching", "Sort with key=lambda r: (-r[1], r[2], r[0]).", L, "partial"),
    Case("python-sorting-and-searching", "ordered = sorted(results, key=lambda row: (-row[1], row[2], row[0]))",
         L, "renamed"),
    Case("python-sorting-and-searching", "rank_of: `return next((i for i, n in enumerate(leaderboard(results), 1) "
         "if n == name), None)`", L, "alternative"),
    Case("python-sorting-and-searching", "A minus sign in a key turns highest-first into lowest-first for "
         "numbers.", G, "prose"),
    Case("python-sorting-and-searching", "`enumerate(items, start=1)` counts from 1.", G, "names"),
    Case("python-sorting-and-searching", "Your key sorts by points only; ties need more values in the key.",
         G, "prose"),

    # --- python-numbers ------------------------------------------------------------------------
    Case("python-numbers", "pizzas = math.ceil(slices_needed / slices_per_pizza)", L, "exact"),
    Case("python-numbers", "leftover_slices is pizzas * slices_per_pizza - slices_needed", L, "partial"),
    Case("python-numbers", "cost_per_guest is round(pizzas * price_per_pizza / guests, 2)", L, "partial"),
    Case("python-numbers", "`math.ceil` rounds up; remember to `import math` first.", G, "names"),
    Case("python-numbers", "Multiply the guests by the slices each one eats to get the slices needed.",
         G, "prose"),
    Case("python-numbers", "`7 // 2` is 3 and `7 / 2` is 3.5: one rounds down, the other does not.", G, "code"),

    # --- python-generators ---------------------------------------------------------------------
    Case("python-generators", "Inside the loop: `chunk.append(item)` then `if len(chunk) == size: yield chunk`.",
         L, "exact"),
    Case("python-generators", "```python\nif len(chunk) == size:\n    yield chunk\n```", L, "exact"),
    Case("python-generators", "`yield` hands back one value and pauses the function until the next one is "
         "asked for.", G, "names"),
    Case("python-generators", "`len(chunk) == size` tells you when a chunk is full.", G, "code"),
    Case("python-generators", "After the loop, a last shorter chunk may be left: yield it only if it is not "
         "empty.", G, "prose"),

    # --- python-classes ------------------------------------------------------------------------
    Case("python-classes", "When the name is already there: `self.items[name][1] += quantity`", L, "exact"),
    Case("python-classes", "total is round(sum(price * quantity for price, quantity in self.items.values()), 2)",
         L, "partial"),
    Case("python-classes", "count can be `return sum(q for _, q in self.items.values())`.", L, "renamed"),
    Case("python-classes", "`self.items` can be a dict from each name to `[price, quantity]`.", G, "code"),
    Case("python-classes", "`del d[key]` removes a key from a dict.", G, "names"),

    # --- more normalised lines, and more one-line examples -------------------------------------
    Case("python-dictionaries", "`counts[ item ]=counts.get( item,0 )+1`", L, "normalised"),
    Case("python-functions", "tip = bill*percent/100 is right already; just return round( tip,2 )", L,
         "normalised"),
    Case("python-string-methods", "make_slug ends with `return '-'.join( cleaned.split() )`.", L, "normalised"),
    Case("python-lambda-functions", "`sorted(products,key=lambda p:(p[1],p[0]))`", L, "normalised"),
    Case("python-dictionaries", "Try `print({'a': 1}.get('b', 0))` in the console.", G, "code"),
    Case("python-loops", "`print(list(range(1, 10)))` shows which numbers the loop visits.", G, "code"),
    Case("python-tuples-and-sets", "You will not need `str.split` here: `min` and `max` are built in.", G, "names"),

    # --- a second set, first run held out (4 of its 17 leaks passed: methods, a one-line branch) ----
    Case("python-classes", "count: `return sum(v[1] for v in self.items.values())`", L, "alternative"),
    Case("python-classes", "quantity_of is just `return self.items.get(name, [0, 0])[1]`", L, "alternative"),
    Case("python-classes", "remove is `self.items.pop(name)`", L, "alternative"),
    Case("python-conditionals", "return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)", L, "alternative"),
    Case("python-string-methods", "mask_email: `name, domain = email.strip().lower().split('@'); return name[0] + "
         "'***@' + domain`", L, "alternative"),
    Case("python-string-methods", "normalize_name: return ' '.join(map(str.capitalize, raw.split()))", L,
         "alternative"),
    Case("python-string-methods", "Use title() per word: `' '.join(w.title() for w in raw.split())`", L,
         "alternative"),
    Case("python-loops", "collatz: `return 0 if n == 1 else 1 + collatz_steps(n // 2 if n % 2 == 0 else 3 * n + 1)`",
         L, "alternative"),
    Case("python-lists", "average: `return round(sum(scores) / len(scores), 1) if scores else 0.0`", L, "partial"),
    Case("python-lists", "top_three: `return sorted(scores)[::-1][:3]`", L, "alternative"),
    Case("python-dictionaries", "cart_total: return round(sum(q * prices[p] for p, q in cart.items() if p in prices), "
         "2)", L, "alternative"),
    Case("python-dictionaries", "count_items: `return {i: items.count(i) for i in items}`", L, "alternative"),
    Case("python-list-comprehensions", "even_squares: `list(map(lambda n: n ** 2, filter(lambda n: n % 2 == 0, "
         "numbers)))`", L, "alternative"),
    Case("python-recursion", "if type(item) is list: result += flatten(item)", L, "alternative"),
    Case("python-tuples-and-sets", "min_max: `return (sorted(numbers)[0], sorted(numbers)[-1])`", L, "alternative"),
    Case("python-functions", "split_bill: `return round(round(bill * (1 + percent / 100), 2) / people, 2)`", L,
         "alternative"),
    Case("python-generators", "def chunks(items, size): it = iter(items); return iter(lambda: list(islice(it, "
         "size)), []) - with `from itertools import islice`", L, "prose"),
    Case("python-classes", "A dict lets you look a name up directly: `'apple' in cart_dict` is True or False.",
         G, "code"),
    Case("python-classes", "Remember `self.` in front of every attribute inside a method.", G, "prose"),
    Case("python-conditionals", "Try `print(1900 % 100)` and `print(2000 % 400)` to see the special cases.",
         G, "code"),
    Case("python-string-methods", "`'a b'.split()` gives `['a', 'b']`.", G, "code"),
    Case("python-string-methods", "Look at `str.isalnum()`: it is True for letters and digits.", G, "names"),
    Case("python-loops", "Use `print(n)` inside your loop to watch the numbers change.", G, "code"),
    Case("python-lists", "`scores[:3]` keeps the first three items of a list.", G, "code"),
    Case("python-lists", "Your function returns None: the `return` line is missing at the end.", G, "prose"),
    Case("python-dictionaries", "A for loop over a dict gives its keys; `.items()` gives pairs.", G, "names"),
    Case("python-list-comprehensions", "The shape is `[expression for item in iterable if condition]`.", G, "code"),
    Case("python-recursion", "Your loop appends nested lists as they are; those need flattening too.", G, "prose"),
    Case("python-tuples-and-sets", "Careful: `sorted()` returns a new list and leaves the original alone.",
         G, "names"),
    Case("python-functions", "Test your function with `tip_amount(100, 15)`: it should give 15.0.", G, "code"),
    Case("python-generators", "A function with `yield` returns a generator; `list(chunks([1, 2, 3], 2))` shows "
         "its chunks.", G, "code"),
    Case("python-numbers", "Remember `round(x, 2)` rounds to two decimals.", G, "names"),
    Case("python-lambda-functions", "`sorted(words, key=len)` sorts words by their length.", G, "code"),
    Case("python-sorting-and-searching", "Tuples compare item by item: `(1, 'b') < (1, 'c')` is True.", G, "code"),

    # --- a third set in the style of model hints, first run held out (2 of its 20 good hints refused:
    # exact but tiny reference lines, `if not scores:` and `self.items = {}`; none of its 8 leaks passed) -
    Case('python-loops', 'Your function returns None because there is no `return` statement. Create a variable '
         'before the loop to hold the running total.',
         G, 'code'),
    Case('python-loops', 'The test expected 23 for `sum_of_multiples(10)`: that is 3 + 5 + 6 + 9.',
         G, 'code'),
    Case('python-loops', 'Use the modulo operator `%` to check divisibility, e.g. `9 % 3` is 0.',
         G, 'code'),
    Case('python-lists', 'To build a new list, start with an empty one and use `.append()` inside a loop.',
         G, 'code'),
    Case('python-lists', 'For top_three, think about sorting in descending order and then taking a slice.',
         G, 'prose'),
    Case('python-lists', 'The `average` of `[]` should be 0.0; guard that case with an `if not scores:` check.',
         G, 'code'),
    Case('python-string-methods', 'Strings are immutable: methods like `.lower()` return a new '
         'string rather than changing it.',
         G, 'code'),
    Case('python-string-methods', "For mask_email, find where the '@' is; `email.index('@')` gives its position.",
         G, 'code'),
    Case('python-dictionaries', 'Remember that `prices[product]` raises KeyError when the product '
         'is missing; check with `in` first.',
         G, 'code'),
    Case('python-dictionaries', 'restock must not change `stock`; make a copy before you add the delivery.',
         G, 'code'),
    Case('python-functions', 'A function that prints gives back None. The test called '
         '`tip_amount(50, 20)` and got None.',
         G, 'code'),
    Case('python-conditionals', 'Order matters in if/elif chains: check `age < 3` before `age <= 12`.',
         G, 'code'),
    Case('python-tuples-and-sets', '`set(items)` removes duplicates. How could its length help you?',
         G, 'code'),
    Case('python-tuples-and-sets', 'Return two values separated by a comma and Python packs them into a tuple.',
         G, 'prose'),
    Case('python-list-comprehensions', 'Your comprehension keeps every number; add a condition with '
         '`if` to keep only even ones.',
         G, 'code'),
    Case('python-recursion', 'Inside the loop, check whether `item` is a list before appending it.',
         G, 'code'),
    Case('python-sorting-and-searching', '`sorted()` accepts a `key` function; a key can return a tuple to break ties.',
         G, 'code'),
    Case('python-generators', 'Your function returns a list, but the test wants a generator: use `yield` instead of '
         '`return`.',
         G, 'code'),
    Case('python-classes', 'In `__init__`, create the dict that will hold the items, e.g. `self.items = {}`.',
         G, 'code'),
    Case('python-numbers', 'Division with `/` gives a float; `math.ceil()` then rounds it up to whole pizzas.',
         G, 'code'),
    Case('python-loops', 'Here is the idea: `total = sum(n for n in range(limit) if n % 3 == 0 or n % 5 == 0)` then '
         'return total.',
         L, 'alternative'),
    Case('python-lists', 'Just write: `return [score for score in scores if score >= threshold]`',
         L, 'alternative'),
    Case('python-string-methods', "Try: `return '-'.join(''.join(ch if ch.isalnum() else ' ' for ch in "
         'title.lower()).split())`',
         L, 'alternative'),
    Case('python-dictionaries', '`for p, q in delivery.items(): updated[p] = updated.get(p, 0) + q`',
         L, 'partial'),
    Case('python-recursion', 'Replace your append with: `result.extend(flatten(item)) if isinstance(item, list) else '
         'result.append(item)`',
         L, 'partial'),
    Case('python-conditionals', 'For ticket_price: `return 0 if age < 3 else 8 if age <= 12 '
         'else 12 if age <= 64 else 7`',
         L, 'alternative'),
    Case('python-tuples-and-sets', 'common_friends can be `return sorted({*friends_a} & {*friends_b})`',
         L, 'alternative'),
    Case('python-classes', '`def total(self): return round(sum(p * q for p, q in self.items.values()), 2)`',
         L, 'alternative'),
)
