class Ignore:
    def __init__(self, *exception_types):
        self.types = tuple(exception_types)
        self.error = None

    def __enter__(self):
        self.error = None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if isinstance(exc_value, self.types):
            self.error = exc_value
            return True
        return None  # anything else propagates
