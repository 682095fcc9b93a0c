from functools import wraps


def retry(times):
    def decorator(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            last_error = None
            attempts = 0
            while attempts < times:
                attempts += 1
                try:
                    return func(*args, **kwargs)
                except Exception as error:
                    last_error = error
            raise last_error
        return wrapper
    return decorator
