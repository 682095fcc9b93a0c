def tip_amount(bill, percent):
    return round(bill * (percent / 100), 2)


def total_with_tip(bill, percent):
    total = bill + tip_amount(bill, percent)
    return round(total, 2)


def split_bill(bill, percent, people):
    share = total_with_tip(bill, percent) / people
    return round(share, 2)
