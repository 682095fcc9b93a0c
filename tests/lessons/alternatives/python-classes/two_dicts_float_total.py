class ShoppingCart:
    def __init__(self):
        self.prices = {}
        self.quantities = {}

    def add(self, name, price, quantity=1):
        self.prices.setdefault(name, price)
        self.quantities[name] = self.quantities.get(name, 0) + quantity

    def quantity_of(self, name):
        return self.quantities.get(name, 0)

    def remove(self, name):
        if name not in self.quantities:
            raise KeyError(name)
        self.quantities.pop(name)
        self.prices.pop(name)

    def count(self):
        return sum(self.quantities.values())

    def total(self):
        amount = 0.0
        for name, quantity in self.quantities.items():
            amount += self.prices[name] * quantity
        return round(amount, 2)
