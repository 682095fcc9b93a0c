def ticket_price(age):
    if age >= 65:
        return 7
    if age >= 13:
        return 12
    if age >= 3:
        return 8
    return 0


def is_leap_year(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
