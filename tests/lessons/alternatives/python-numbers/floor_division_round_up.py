guests = 23
slices_per_guest = 3
slices_per_pizza = 8

slices_needed = guests * slices_per_guest
# Floor division of a negative number rounds down, so -(-a // b) rounds a / b up.
pizzas = -(-slices_needed // slices_per_pizza)
leftover_slices = -slices_needed % slices_per_pizza
price_per_pizza = 12.5
total_cost = pizzas * price_per_pizza
cost_per_guest = round(total_cost / guests, 2)
