guests = 23
slices_per_guest = 3
slices_per_pizza = 8

slices_needed = guests * slices_per_guest
pizzas = slices_needed // slices_per_pizza
if slices_needed % slices_per_pizza != 0:
    pizzas = pizzas + 1
leftover_slices = pizzas * slices_per_pizza - slices_needed
price_per_pizza = 12.5
cost_per_guest = round(price_per_pizza / guests * pizzas, 2)
