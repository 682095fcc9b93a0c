from collections import Counter


def count_items(items):
    return Counter(items)


def cart_total(cart, prices):
    return round(sum(quantity * prices[product] for product, quantity in cart.items() if product in prices), 2)


def restock(stock, delivery):
    products = set(stock) | set(delivery)
    return {product: stock.get(product, 0) + delivery.get(product, 0) for product in products}
