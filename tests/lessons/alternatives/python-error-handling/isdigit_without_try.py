class QuantityError(ValueError):
    """A quantity on the order form that cannot be used."""


def parse_quantity(text):
    cleaned = text.strip()
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise QuantityError(f"{cleaned} is negative")
    if not cleaned.isdigit():
        raise QuantityError(f"{text!r} is not a number")
    return int(cleaned)


def total_quantity(lines):
    good = []
    bad = 0
    for line in lines:
        try:
            good.append(parse_quantity(line))
        except QuantityError:
            bad += 1
    return sum(good), bad
