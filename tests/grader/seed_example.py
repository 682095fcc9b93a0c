"""The seed's `variables.json` challenge (seed document 000, section 5), tests copied verbatim."""

from services.grader.reference import HiddenCheck

VARIABLES_TESTS = [
    "def test_city_exists():\n    assert 'city' in globals(), 'Variable city not found'\n"
    "    assert isinstance(city, str), 'city should be a string'\n"
    "    assert len(city) > 0, 'city should not be empty'",
    "def test_population_exists():\n    assert 'population' in globals(), 'Variable population not found'\n"
    "    assert isinstance(population, int), 'population should be an integer'\n"
    "    assert population > 0, 'population should be positive'",
    "def test_is_capital_exists():\n    assert 'is_capital' in globals(), 'Variable is_capital not found'\n"
    "    assert isinstance(is_capital, bool), 'is_capital should be a boolean'",
]

CORRECT_SOLUTION = 'city = "Lisbon"\npopulation = 545000\nis_capital = True\n'
MISSING_POPULATION = 'city = "Lisbon"\nis_capital = True\n'

# Any city, population and flag are right, so the hidden check compares only the kinds of value.
VARIABLES_HIDDEN = (HiddenCheck("kinds", "the kinds of value", "return [city, population > 0, is_capital]",
                                compare="types"),)
