def count_items(items):
    counts = {}
    for item in items:
        if item in counts:
            counts[item] += 1
        else:
            counts[item] = 1
    return counts


def cart_total(cart, prices):
    total = 0.0
    for product in cart:
        price = prices.get(product)
        if price is not None:
            total = total + price * cart[product]
    return round(total, 2)


def restock(stock, delivery):
    result = {**stock}
    for product in delivery:
        if product in result:
            result[product] = result[product] + delivery[product]
        else:
            result[product] = delivery[product]
    return result
