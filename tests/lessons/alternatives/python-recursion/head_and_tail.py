def flatten(items):
    """Return a new flat list of all non-list values in items (first item + the rest)."""
    if not items:
        return []
    first, rest = items[0], items[1:]
    if isinstance(first, list):
        return flatten(first) + flatten(rest)
    return [first] + flatten(rest)
