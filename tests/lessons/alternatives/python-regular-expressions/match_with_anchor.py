import re

PATTERN = re.compile(
    r"^(\d\d\d\d-\d\d-\d\d) (\d\d:\d\d:\d\d) (DEBUG|INFO|WARNING|ERROR) \[([A-Za-z0-9_-]+)\] (.+)$"
)
KEYS = ("date", "time", "level", "component", "message")


def parse_log(text):
    entries = []
    for line in text.split("\n"):
        match = PATTERN.match(line)
        if match is not None:
            entries.append(dict(zip(KEYS, match.groups())))
    return entries
