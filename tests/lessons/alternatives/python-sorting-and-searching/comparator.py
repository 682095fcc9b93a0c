from functools import cmp_to_key


def _compare(a, b):
    if a[1] != b[1]:
        return b[1] - a[1]
    if a[2] != b[2]:
        return -1 if a[2] < b[2] else 1
    return (a[0] > b[0]) - (a[0] < b[0])


def leaderboard(results):
    return [r[0] for r in sorted(results, key=cmp_to_key(_compare))]


def rank_of(results, name):
    ranks = {player: i for i, player in enumerate(leaderboard(results), start=1)}
    return ranks.get(name)
