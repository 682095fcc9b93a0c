def count_nonblank_lines(file):
    count = 0
    line = file.readline()
    while line:
        if not line.isspace():
            count += 1
        line = file.readline()
    return count


def total_of_numbers(file):
    total = 0.0
    for line in file:
        if line.strip().startswith("#") or line.isspace() or line == "":
            continue
        total += float(line)
    return round(total, 2)


def copy_uppercase(source, target):
    kept = [line.strip().upper() for line in source if line.strip()]
    target.write("".join(line + "\n" for line in kept))
    return len(kept)
