def sum_of_multiples(limit):
    multiples = set()
    for step in (3, 5):
        for number in range(step, limit, step):
            multiples.add(number)
    return sum(multiples)


def collatz_steps(n):
    steps = 0
    while True:
        if n == 1:
            return steps
        if n % 2:
            n = n * 3 + 1
        else:
            n //= 2
        steps = steps + 1
