from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")


def to_cents(value):
    return float(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def tip_amount(bill, percent):
    return to_cents(Decimal(str(bill)) * Decimal(str(percent)) / 100)


def total_with_tip(bill, percent):
    return to_cents(Decimal(str(bill)) + Decimal(str(tip_amount(bill, percent))))


def split_bill(bill, percent, people):
    return to_cents(Decimal(str(total_with_tip(bill, percent))) / people)
