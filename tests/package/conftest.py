"""The built package, rebuilt from the cached wheels when the app changed (never downloading: tests
make no calls off this machine; `make test` runs `make package` first), and unpacked once."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import build_package
from scripts.package_harness import unpack


@pytest.fixture(scope="session")
def package_zip() -> Path:
    try:
        return build_package.build(offline=True)
    except build_package.BuildError as error:
        pytest.fail(f"cannot build the Lambda package offline: {error}")


@pytest.fixture(scope="session")
def task_root(package_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack(package_zip, tmp_path_factory.mktemp("package") / "task")
