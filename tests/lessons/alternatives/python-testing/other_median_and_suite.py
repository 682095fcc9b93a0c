import heapq


def median(values):
    if len(values) == 0:
        raise ValueError("median() of an empty list")
    n = len(values)
    smallest = heapq.nsmallest(n // 2 + 1, values)
    if n % 2:
        return smallest[-1]
    return (smallest[-2] + smallest[-1]) / 2


def check_median(fn):
    cases = [
        ([5, 1, 4], 4),
        ([8, 2, 6, 4, 10], 6),
        ([-3], -3),
        ([10, 40, 20, 30], 25),
        ([2, 1], 1.5),
        ([1, 4, 2, 3], 2.5),
    ]
    for values, expected in cases:
        got = fn(list(values))
        assert got == expected, f"median of {values} should be {expected}, got {got}"
    raised = False
    try:
        fn([])
    except ValueError:
        raised = True
    assert raised, "median([]) should raise ValueError"
    mine = [3, 1, 2]
    fn(mine)
    assert mine == [3, 1, 2], "fn must not sort the caller's list"
    return True
