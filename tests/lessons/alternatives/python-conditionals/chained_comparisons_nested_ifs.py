def ticket_price(age):
    price = 0
    if 3 <= age <= 12:
        price = 8
    elif 13 <= age <= 64:
        price = 12
    elif age >= 65:
        price = 7
    return price


def is_leap_year(year):
    if year % 4 == 0:
        if year % 100 == 0:
            if year % 400 == 0:
                return True
            return False
        return True
    return False
