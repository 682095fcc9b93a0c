class Employee:
    def __init__(self, name, monthly_salary):
        self.name = name
        self.monthly_salary = monthly_salary

    def annual_pay(self):
        return self.monthly_salary * 12

    def describe(self):
        return f"{self.name} earns {self.annual_pay()} a year"


class Manager(Employee):
    def __init__(self, name, monthly_salary, bonus=0):
        super().__init__(name, monthly_salary)
        self.bonus = bonus
        self.team = list()

    def annual_pay(self):
        base = super().annual_pay()
        return base + self.bonus

    def add_to_team(self, employee):
        self.team += [employee]

    def describe(self):
        return "{}, team of {}".format(super().describe(), len(self.team))
