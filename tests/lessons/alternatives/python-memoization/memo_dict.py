def count_paths(grid):
    rows, cols = len(grid), len(grid[0])
    memo = {}

    def paths_from(r, c):
        if r >= rows or c >= cols or grid[r][c] == "#":
            return 0
        if (r, c) == (rows - 1, cols - 1):
            return 1
        if (r, c) not in memo:
            memo[(r, c)] = paths_from(r + 1, c) + paths_from(r, c + 1)
        return memo[(r, c)]

    return paths_from(0, 0)


def min_coins(amount, coins):
    INF = float("inf")
    best = [0] + [INF] * amount
    for coin in coins:                       # coin by coin (unbounded knapsack order)
        for total in range(coin, amount + 1):
            if best[total - coin] + 1 < best[total]:
                best[total] = best[total - coin] + 1
    return -1 if best[amount] == INF else best[amount]
