import dataclasses


@dataclasses.dataclass
class Task:
    title: str
    priority: int = 3
    tags: list = dataclasses.field(default_factory=lambda: [])
    done: bool = False

    def __post_init__(self):
        if self.priority not in range(1, 6):
            raise ValueError("priority must be 1 to 5")

    def complete(self):
        self.done = True

    def add_tag(self, tag):
        if tag in self.tags:
            return
        self.tags.append(tag)
