def first_index(items, target):
    low, high = 0, len(items) - 1
    found = -1
    while low <= high:
        mid = low + (high - low) // 2
        value = items[mid]
        if value == target:
            found = mid          # remember it, but a smaller index may still match
            high = mid - 1
        elif value < target:
            low = mid + 1
        else:
            high = mid - 1
    return found
