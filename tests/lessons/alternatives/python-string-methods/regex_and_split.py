import re


def normalize_name(raw):
    return " ".join(word[:1].upper() + word[1:].lower() for word in raw.split())


def make_slug(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def mask_email(email):
    user, domain = email.strip().split("@")
    return f"{user[0]}***@{domain}".lower()
