"""How big is the Lambda zip, and how slow is a cold start from it? `python -m bench.package`

Builds `dist/codelearn-lambda.zip` (as `make package` does), unpacks it into an empty folder, then
times fresh interpreters that see only that folder and the standard library (as on Lambda):
- cold: import `lambda_handler` and answer one request (the landing page, payload 2.0), on the
  package test's settings (SQLite in the temp dir, outbox mail, offline AI: no AWS);
- baseline: `import flask, boto3` from the same folder, the floor for any Flask app on AWS.
Both include the interpreter's own start, and alternate so drift hits both alike. One more
figure, for information: the same cold start with the production backends (DynamoDB and SES
clients built, every AWS endpoint on loopback, no call made).

Targets (issue 6): zip <= 25 MB, ratio <= 1.6. The last line is the headline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts import build_package
from scripts.package_harness import PackageProcess, lambda_environment, unpack
from tests.lambda_.events import URL_HOST, http_event

BASELINE = "import sys; sys.path.insert(0, sys.argv[1]); import flask, boto3"
PRODUCTION_BACKENDS = {"CODELEARN_STORE": "dynamodb", "CODELEARN_MAIL": "ses",
                       "CODELEARN_MAIL_FROM": "CodeLearn <no-reply@example.com>"}


def _landing_event() -> dict:
    return http_event("GET", "/", stage="$default", host=URL_HOST, cookies="", body=None, content_type=None)


def cold_start_ms(task_root: Path, scratch: Path, **settings: str) -> float:
    """Fresh interpreter -> import lambda_handler -> one answered request, in milliseconds."""
    started = time.perf_counter()
    with PackageProcess(task_root, lambda_environment(scratch, **settings)) as process:
        response = process.handler(_landing_event())
        elapsed = (time.perf_counter() - started) * 1000
        process.close()
    if response["statusCode"] != 200 or process.returncode != 0:
        raise RuntimeError(f"landing page answered {response['statusCode']}:\n{process.stderr[-3000:]}")
    return elapsed


def baseline_ms(task_root: Path) -> float:
    """Fresh interpreter -> `import flask, boto3` from the package folder, in milliseconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-I", "-S", "-c", BASELINE, str(task_root)], check=True,
                   env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Lambda package size and cold start")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)

    package = build_package.build()
    zip_mb = package.stat().st_size / 1_000_000
    with tempfile.TemporaryDirectory(prefix="codelearn-bench-") as folder:
        root = Path(folder)
        task_root = unpack(package, root / "task")
        cold_start_ms(task_root, root / "warm-up")  # fill the OS file cache, as a real host has it
        baseline_ms(task_root)
        cold, base, production = [], [], []
        for run in range(args.runs):
            cold.append(cold_start_ms(task_root, root / f"cold-{run}"))
            base.append(baseline_ms(task_root))
            production.append(cold_start_ms(task_root, root / f"production-{run}", **PRODUCTION_BACKENDS))

    cold_ms, base_ms = statistics.median(cold), statistics.median(base)
    print(f"runs={args.runs} python={sys.version.split()[0]} package={package.name}")
    print(f"cold start, package test settings: median {cold_ms:.0f} ms (min {min(cold):.0f}, max {max(cold):.0f})")
    print(f"import flask, boto3:               median {base_ms:.0f} ms (min {min(base):.0f}, max {max(base):.0f})")
    print(f"cold start, DynamoDB + SES clients: median {statistics.median(production):.0f} ms "
          f"(ratio {statistics.median(production) / base_ms:.2f}; for information)")
    print(f"package zip_mb={zip_mb:.1f} cold_import_ms={cold_ms:.0f} flask_boto3_import_ms={base_ms:.0f} "
          f"ratio={cold_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()
