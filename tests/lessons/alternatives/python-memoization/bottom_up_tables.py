def count_paths(grid):
    rows, cols = len(grid), len(grid[0])
    ways = [0] * cols          # ways[c]: paths from the start to (current row, c)
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == "#":
                ways[c] = 0
            elif r == 0 and c == 0:
                ways[c] = 1
            elif c > 0:
                ways[c] += ways[c - 1]
    return ways[-1]


def min_coins(amount, coins):
    # breadth first over amounts: the first time we reach `amount` uses the fewest coins
    if amount == 0:
        return 0
    seen = {0}
    frontier = [0]
    steps = 0
    while frontier:
        steps += 1
        following = []
        for total in frontier:
            for coin in coins:
                reached = total + coin
                if reached == amount:
                    return steps
                if reached < amount and reached not in seen:
                    seen.add(reached)
                    following.append(reached)
        frontier = following
    return -1
