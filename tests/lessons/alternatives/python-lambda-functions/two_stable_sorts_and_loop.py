def cheapest_first(products):
    # two stable sorts: by name first, then by price (equal prices keep the name order)
    by_name = sorted(products, key=lambda product: product[0])
    return sorted(by_name, key=lambda product: product[1])


def best_rated(products):
    best = None
    for name, price, rating in products:
        if best is None or rating > best[1]:
            best = (name, rating)
    return best[0] if best else None


def make_discount(percent):
    factor = 1 - percent / 100

    def discounted(price):
        return round(price * factor, 2)

    return discounted
