# A different city is just as correct.
city = "Porto"
population = 232_000
is_capital = False
