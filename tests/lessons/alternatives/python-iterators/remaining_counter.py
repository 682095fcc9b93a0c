class CountdownIterator:
    def __init__(self, start):
        self.remaining = max(start, 0)

    def __iter__(self):
        return self

    def __next__(self):
        if self.remaining == 0:
            raise StopIteration
        self.remaining -= 1
        return self.remaining + 1


class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)
