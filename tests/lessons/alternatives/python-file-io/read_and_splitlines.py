def count_nonblank_lines(file):
    return len([line for line in file.read().splitlines() if line.strip() != ""])


def total_of_numbers(file):
    numbers = []
    for line in file.readlines():
        text = line.strip()
        if text and text[0] != "#":
            numbers.append(float(text))
    return round(sum(numbers), 2)


def copy_uppercase(source, target):
    lines = [line.strip().upper() for line in source.read().split("\n")]
    lines = [line for line in lines if line]
    for line in lines:
        print(line, file=target)
    return len(lines)
