def leaderboard(results):
    # Sort by the least important key first; Python's sort is stable.
    ordered = sorted(results, key=lambda r: r[0])
    ordered.sort(key=lambda r: r[2])
    ordered.sort(key=lambda r: r[1], reverse=True)
    return [name for name, _, _ in ordered]


def rank_of(results, name):
    names = leaderboard(results)
    if name not in names:
        return None
    return names.index(name) + 1
