"""Resource limits for one grading run: the single source of truth for their defaults, and for how
the wall-clock limit follows the CPU limit and the CPU share of the machine the grader runs on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_CPU_SECONDS = 4  # the whole submission: loading and every test
DEFAULT_TEST_CPU_SECONDS = 1  # each test's own slice of it, so one slow test cannot starve the rest; an
# endless loop (1 submission in 20) holds a grader slot for one CPU second (bench/load.py: at 2, loops
# held most slots under load). Every curated reference passes on it (`flask lessons check`).
# The wall limit is the time the CPU seconds take at the CPU share, half again for sharing the
# core (two sandboxes and the server on a 2-core machine here), plus the interpreter's start and
# the hand-back of results: 2 CPU s on a full core give the 5 s that was measured to be enough.
WALL_PER_CPU_SECOND = 1.5
WALL_EXTRA_SECONDS = 2.0
# Lambda gives a function one full vCPU at 1,769 MB and a proportional share below that (AWS
# Lambda docs, "memory and computing power"); a sandbox is one process, so more than one vCPU
# never helps it.
LAMBDA_MB_PER_VCPU = 1769
LAMBDA_MEMORY_VARIABLE = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"  # set by Lambda in every function
# API Gateway ends an integration after 29 s; the rest of a submit request (cold start, storage,
# rendering) is given this much of it, the queue wait and the run get the remainder.
API_GATEWAY_SECONDS = 29
REQUEST_OVERHEAD_SECONDS = 3


@dataclass(frozen=True)
class Limits:
    """What one submission may use. The app's config builds one of these from its settings."""

    cpu_seconds: int = DEFAULT_CPU_SECONDS  # the total; the kernel kills the run one second past it
    wall_seconds: float = DEFAULT_CPU_SECONDS * WALL_PER_CPU_SECOND + WALL_EXTRA_SECONDS
    test_cpu_seconds: int = DEFAULT_TEST_CPU_SECONDS  # loading, and each test, within the total
    memory_mb: int = 256
    output_bytes: int = 65536
    max_code_chars: int = 20000

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "wall_seconds", "test_cpu_seconds", "memory_mb", "output_bytes",
                     "max_code_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")
        if not isinstance(self.cpu_seconds, int) or not isinstance(self.test_cpu_seconds, int):
            raise ValueError("Limits.cpu_seconds and test_cpu_seconds must be whole numbers of seconds")
        if self.memory_mb < 64:
            # Below this the interpreter itself cannot start.
            raise ValueError("Limits.memory_mb must be at least 64")


def function_memory_mb(environ: Mapping[str, str]) -> int | None:
    """The Lambda function's memory size from its environment; None when not on Lambda."""
    raw = environ.get(LAMBDA_MEMORY_VARIABLE)
    if raw is None or raw == "":
        return None
    try:
        memory = int(raw)
    except ValueError:
        raise ValueError(f"{LAMBDA_MEMORY_VARIABLE} must be a number of MB, got {raw!r}") from None
    if memory <= 0:
        raise ValueError(f"{LAMBDA_MEMORY_VARIABLE} must be positive, got {memory}")
    return memory


def cpu_share(memory_mb: int | None) -> float:
    """The fraction of one core a sandbox gets: all of it off Lambda, memory / 1,769 MB on it."""
    if memory_mb is None:
        return 1.0
    return min(1.0, memory_mb / LAMBDA_MB_PER_VCPU)


def wall_seconds_for(cpu_seconds: int, *, memory_mb: int | None, queue_seconds: float) -> float:
    """The wall-clock limit that lets a run use all its CPU seconds at this machine's CPU share.

    On a full core, 2 CPU s give 5 s and the default 4 give 8 s; at 512 MB on Lambda (0.29 of a
    vCPU) 2 CPU seconds alone take ~6.9 s and give 12.4 s, 4 give the 16 s cap. The result is capped
    so that the queue wait, the run and the rest of the request stay inside API Gateway's 29 s; the
    cap wins when they disagree.
    """
    if queue_seconds < 0:
        raise ValueError("queue_seconds must not be negative")
    ceiling = API_GATEWAY_SECONDS - REQUEST_OVERHEAD_SECONDS - queue_seconds
    if ceiling <= 0:
        raise ValueError(
            f"a queue wait of {queue_seconds:g} s leaves no time to grade inside API Gateway's "
            f"{API_GATEWAY_SECONDS} s; lower GRADER_QUEUE_SECONDS"
        )
    wanted = WALL_PER_CPU_SECOND * cpu_seconds / cpu_share(memory_mb) + WALL_EXTRA_SECONDS
    return round(min(wanted, ceiling), 1)
