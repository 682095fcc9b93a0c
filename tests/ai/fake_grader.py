"""A stand-in for services.grader in unit tests: runs trusted test code in-process."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeTest:
    name: str
    status: str
    message: str = ""
    output: str = ""


@dataclass
class FakeReport:
    status: str
    tests: list[FakeTest] = field(default_factory=list)


class FakeGrader:
    def __init__(self) -> None:
        self.calls = 0

    def grade(self, code: str, tests: list[str]) -> FakeReport:
        self.calls += 1
        namespace: dict = {}
        try:
            exec(code, namespace)  # noqa: S102 - test fixtures only, trusted code
        except Exception as exc:  # noqa: BLE001
            return FakeReport("error", [FakeTest("import", "error", f"{type(exc).__name__}: {exc}")])
        results = []
        for source in tests:
            scope = dict(namespace)
            exec(source, scope)  # noqa: S102
            name = next(k for k in scope if k.startswith("test_") and k not in namespace)
            try:
                scope[name]()
                results.append(FakeTest(name, "pass"))
            except AssertionError as exc:
                results.append(FakeTest(name, "fail", str(exc)))
            except Exception as exc:  # noqa: BLE001
                results.append(FakeTest(name, "error", f"{type(exc).__name__}: {exc}"))
        status = "pass" if results and all(t.status == "pass" for t in results) else "fail"
        return FakeReport(status, results)
