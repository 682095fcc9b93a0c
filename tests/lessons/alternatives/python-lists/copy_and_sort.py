def passing_scores(scores, threshold):
    result = []
    for i in range(len(scores)):
        if not scores[i] < threshold:
            result.append(scores[i])
    return result


def top_three(scores):
    ordered = scores.copy()
    ordered.sort()
    ordered.reverse()
    return ordered[0:3]


def average(scores):
    total = 0
    for score in scores:
        total = total + score
    if total == 0 and not scores:
        return 0.0
    return round(total / len(scores), 1)
