def min_max(numbers):
    ordered = sorted(numbers)
    return (ordered[0], ordered[-1])


def has_duplicates(items):
    seen = set()
    for item in items:
        if item in seen:
            return True
        seen.add(item)
    return False


def common_friends(friends_a, friends_b):
    return sorted({name for name in friends_a if name in friends_b})
