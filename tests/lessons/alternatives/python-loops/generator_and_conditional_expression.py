def sum_of_multiples(limit):
    total = 0
    for number in range(3, limit):
        if number % 3 == 0:
            total += number
        elif number % 5 == 0:
            total += number
    return total


def collatz_steps(n):
    count = 0
    while n > 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        count += 1
    return count
