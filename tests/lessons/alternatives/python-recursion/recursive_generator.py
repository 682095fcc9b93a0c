def _values(items):
    for item in items:
        if type(item) is list:
            yield from _values(item)
        else:
            yield item


def flatten(items):
    """Return a new flat list of all non-list values in items."""
    return list(_values(items))
