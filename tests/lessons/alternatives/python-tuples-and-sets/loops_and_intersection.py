def min_max(numbers):
    smallest = largest = numbers[0]
    for number in numbers[1:]:
        if number < smallest:
            smallest = number
        if number > largest:
            largest = number
    return smallest, largest


def has_duplicates(items):
    return any(items.count(item) > 1 for item in items)


def common_friends(friends_a, friends_b):
    both = list(set(friends_a).intersection(friends_b))
    both.sort()
    return both
