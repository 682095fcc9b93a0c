import string


def top_words(text, n):
    counts = {}
    for piece in text.split():
        word = piece.strip(string.punctuation).lower()
        if word:
            counts[word] = counts.get(word, 0) + 1
    by_name = sorted(counts.items())                                # A-Z first ...
    by_count = sorted(by_name, key=lambda pair: pair[1], reverse=True)  # ... stable, so ties stay A-Z
    return by_count[:n] if n > 0 else []


def can_spell(word, tiles):
    left = list(tiles)
    for letter in word:
        if letter not in left:
            return False
        left.remove(letter)
    return True
