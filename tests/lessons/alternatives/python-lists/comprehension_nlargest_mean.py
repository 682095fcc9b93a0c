import heapq
import statistics


def passing_scores(scores, threshold):
    return [score for score in scores if score >= threshold]


def top_three(scores):
    return heapq.nlargest(3, scores)


def average(scores):
    if len(scores) == 0:
        return 0.0
    return round(statistics.mean(scores), 1)
