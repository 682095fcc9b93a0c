"""Resource limits for one grading run: the single source of truth for their defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one submission may use. The app's config builds one of these from its settings."""

    cpu_seconds: int = 2
    wall_seconds: float = 5
    memory_mb: int = 256
    output_bytes: int = 65536
    max_code_chars: int = 20000

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "wall_seconds", "memory_mb", "output_bytes", "max_code_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")
        if not isinstance(self.cpu_seconds, int):
            raise ValueError("Limits.cpu_seconds must be a whole number of seconds")
        if self.memory_mb < 64:
            # Below this the interpreter itself cannot start.
            raise ValueError("Limits.memory_mb must be at least 64")
