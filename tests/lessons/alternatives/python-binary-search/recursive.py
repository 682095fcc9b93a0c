def first_index(items, target, low=0, high=None):
    if high is None:
        high = len(items)
    if low >= high:
        return low if low < len(items) and items[low] == target else -1
    mid = (low + high) // 2
    if items[mid] < target:
        return first_index(items, target, mid + 1, high)
    return first_index(items, target, low, mid)
