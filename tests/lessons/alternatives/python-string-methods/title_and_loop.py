def normalize_name(raw):
    return " ".join(raw.split()).title()


def make_slug(title):
    parts = []
    word = ""
    for char in title:
        if char.isalpha() or char.isdigit():
            word += char.lower()
        elif word:
            parts.append(word)
            word = ""
    if word:
        parts.append(word)
    return "-".join(parts)


def mask_email(email):
    email = email.strip().lower()
    at = email.index("@")
    return email[0] + "***" + email[at:]
