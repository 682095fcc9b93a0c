from bisect import bisect_left


def first_index(items, target):
    i = bisect_left(items, target)
    if i != len(items) and items[i] == target:
        return i
    return -1
