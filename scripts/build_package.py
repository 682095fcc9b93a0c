"""Build the Lambda package, `dist/codelearn-lambda.zip` (`make package` runs this).

What goes in: the runtime requirements as manylinux x86_64 wheels for the target Python, and the
app's own files (APP_ENTRIES); never tests, benchmarks, dev files, instance data or caches.
Every module is precompiled to `.pyc` by this interpreter, so the build refuses to run when this
interpreter is not the runtime's Python: Lambda ignores `.pyc` files with another version tag,
and since `/var/task` is read-only every cold start would then compile the whole app again.

The zip is reproducible (sorted entries, fixed timestamps and modes, hash-based `.pyc` without
build paths), so `deploy.sh` can compare its SHA-256 with the deployed code and skip an update.
Downloaded wheels are cached in `build/lambda/` per requirements hash, and the whole build is
skipped when no input changed.

    python scripts/build_package.py [--runtime python3.11] [--output dist/codelearn-lambda.zip] [--offline]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import modulefinder
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # run as `python scripts/build_package.py`, by any Python 3.11
from services.progress.fonts import PACKAGED_FONT, SYSTEM_FONTS  # noqa: E402 - the standard library only

DEFAULT_RUNTIME = "python3.11"
DEFAULT_OUTPUT = PROJECT_ROOT / "dist" / "codelearn-lambda.zip"
BUILD_ROOT = PROJECT_ROOT / "build" / "lambda"
PLATFORM = "manylinux2014_x86_64"  # glibc 2.17: loads on every Lambda Python runtime (x86_64)

# The app: everything the running function imports or reads. Every other top-level entry of the
# project is listed in NOT_SHIPPED, and a test fails when a new one is in neither list.
APP_ENTRIES = (
    "app.py",
    "config.py",
    "lambda_handler.py",
    "blueprints",
    "services",
    "dal",
    "content",
    "templates",
    "static",
)
NOT_SHIPPED = (
    "tests",
    "bench",
    "scripts",
    "infra",
    "dist",
    "build",
    "instance",
    "test-artifacts",
    "node_modules",
    "deploy.sh",
    "gunicorn.conf.py",  # the local and self-hosted server's settings; Lambda serves one request at a time
    "Makefile",
    "README.md",
    "requirements.txt",
    "requirements-dev.txt",
    "pyproject.toml",
)
_SKIPPED_DIRS = {"__pycache__", "node_modules", ".pytest_cache", ".ruff_cache"}
_SKIPPED_SUFFIXES = (".pyc", ".pyo", ".swp", "~", ".orig", ".rej")
_SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
_DEPS_DROPPED = ("bin",)  # console scripts carry the build machine's interpreter path

# The AWS services the app calls. boto3 is bundled as a whole set (boto3, botocore, s3transfer and
# their pinned dependencies: the versions the tests ran against, never the runtime's copy), but
# botocore's models of the other ~440 services are left out: they are 15 of the 27 MB zipped.
# tests/package/test_build.py fails when the code creates a client for a service not listed here.
AWS_SERVICES = ("bedrock-runtime", "dynamodb", "ses")
_BOTOCORE_DATA = Path("botocore") / "data"

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
FILE_MODE = 0o100644  # world-readable regular file: Lambda runs the code as another user
LAMBDA_TASK_ROOT = "/var/task"


class BuildError(Exception):
    """A build that must not go on; the message tells the operator what to do."""


def runtime_version(runtime: str) -> tuple[int, int]:
    """`python3.11` -> (3, 11)."""
    prefix = "python"
    major, _, minor = runtime.removeprefix(prefix).partition(".")
    if not runtime.startswith(prefix) or not (major.isdigit() and minor.isdigit()):
        raise BuildError(f"runtime {runtime!r} is not a Lambda Python runtime name such as python3.11")
    return int(major), int(minor)


def check_interpreter(runtime: str, version_info: tuple[int, ...] = tuple(sys.version_info)) -> None:
    wanted = runtime_version(runtime)
    have = tuple(version_info[:2])
    if have != wanted:
        raise BuildError(
            f"refusing to build for {runtime} with Python {have[0]}.{have[1]}: the .pyc files would carry "
            f"the cpython-{have[0]}{have[1]} tag, which {runtime} ignores, so every cold start would compile "
            f"the whole app again (several times slower; /var/task is read-only). Build with a Python "
            f"{wanted[0]}.{wanted[1]} interpreter (make package LAMBDA_RUNTIME={runtime} "
            f"BUILD_PYTHON=python{wanted[0]}.{wanted[1]}) or deploy with LAMBDA_RUNTIME=python{have[0]}.{have[1]}."
        )


def _shipped(path: Path) -> bool:
    return not (
        path.name in _SKIPPED_NAMES
        or path.name.endswith(_SKIPPED_SUFFIXES)
        or any(part in _SKIPPED_DIRS for part in path.parts)
    )


def app_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The app's own files, relative to `root`, sorted."""
    found: list[Path] = []
    for entry in APP_ENTRIES:
        path = root / entry
        if path.is_file():
            found.append(Path(entry))
        elif path.is_dir():
            found.extend(p.relative_to(root) for p in path.rglob("*") if p.is_file())
        else:
            raise BuildError(f"{entry} is listed in APP_ENTRIES but missing from {root}")
    return sorted(p for p in found if _shipped(p))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _deps_key(runtime: str, requirements: Path) -> str:
    settings = {"runtime": runtime, "platform": PLATFORM, "requirements": _sha256_file(requirements)}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def install_dependencies(runtime: str, requirements: Path, offline: bool) -> Path:
    """The requirements installed for Lambda in a cached folder; downloads only on a cache miss."""
    key = _deps_key(runtime, requirements)
    target = BUILD_ROOT / f"deps-{runtime}-{key}"
    if (target / ".complete").exists():
        return target
    if offline:
        raise BuildError(f"no cached dependencies for {runtime} and this requirements.txt: run `make package`")
    major, minor = runtime_version(runtime)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile",  # compiled below, deterministically and for the runtime's version
        "--platform", PLATFORM, "--only-binary=:all:", "--implementation", "cp",
        "--python-version", f"{major}.{minor}", "--target", str(partial), "-r", str(requirements),
    ]
    print(f"build_package: installing requirements for {runtime} ({PLATFORM})", file=sys.stderr)
    subprocess.run(command, check=True)
    for name in _DEPS_DROPPED:
        shutil.rmtree(partial / name, ignore_errors=True)
    for cache in list(partial.rglob("__pycache__")):
        shutil.rmtree(cache)
    (partial / ".complete").write_text(key + "\n", encoding="utf-8")
    for stale in BUILD_ROOT.glob(f"deps-{runtime}-*"):
        if stale != partial:
            shutil.rmtree(stale, ignore_errors=True)
    partial.rename(target)
    return target


def _fingerprint(runtime: str, deps: Path, files: list[Path], font: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{runtime}\n{sys.version}\n{deps.name}\n{_sha256_file(font)}\n".encode())
    digest.update(Path(__file__).read_bytes())
    for relative in files:
        digest.update(f"{relative.as_posix()}\0{_sha256_file(PROJECT_ROOT / relative)}\n".encode())
    return digest.hexdigest()


def _unused_service_models(folder: str, names: list[str]) -> set[str]:
    if Path(folder).parts[-2:] != _BOTOCORE_DATA.parts:
        return {".complete"} & set(names)
    # Service models are folders; the files beside them (endpoints, partitions, retry rules) stay.
    return {name for name in names if name not in AWS_SERVICES and (Path(folder) / name).is_dir()}


# fpdf2 (the PDF progress report) draws no images, so it runs without Pillow, and it imports only part
# of fontTools: the modules no import statement reachable from fpdf names are left out (found by
# modulefinder over the installed wheels; ttLib is kept whole, as it loads its table modules by name),
# with the Cython sources and the compiled accelerators that have a pure-Python module beside them.
# tests/package/test_report_from_package.py makes a report from the built zip.
_LEFT_OUT_DEPS = ("PIL", "pillow.libs", "pillow-")  # Pillow: the package, its libraries, its dist-info
_FPDF_ENTRIES = ("fpdf", "fpdf.fonts", "fpdf.output", "fpdf.drawing", "fpdf.font_type_3", "fpdf.svg")
_FONTTOOLS_WHOLE = ("ttLib",)

# Pygments: lessons fence Python only (tests/package/test_highlighting_from_package.py checks the
# content), and AI text may fence plain text, shell, JSON or YAML; the ~250 other lexer modules are
# 2.5 of Pygments' 3 MB zipped. A fence in a language left out renders as plain text.
KEPT_LEXERS = ("python", "special", "shell", "data", "__init__", "_mapping")


def _fonttools_unused(deps: Path) -> set[Path]:
    """fontTools files (relative to `deps`) the report never imports."""
    finder = modulefinder.ModuleFinder(path=[str(deps)])  # only the wheels: the stdlib is not followed
    for name in _FPDF_ENTRIES:
        finder.import_hook(name)
    accelerated = {path: path.with_name(path.name.split(".")[0] + ".py") for path in (deps / "fontTools").rglob("*.so")}
    for source in sorted(accelerated.values()):
        module = ".".join(source.relative_to(deps).with_suffix("").parts)
        if source.exists() and module in finder.modules:  # the finder read the library: follow its Python twin
            with source.open(encoding="utf-8") as handle:
                finder.load_module(module, handle, str(source), ("", "r", modulefinder._PY_SOURCE))
    reached = set(finder.modules)
    unused = set()
    for path in (deps / "fontTools").rglob("*"):
        relative = path.relative_to(deps)
        if not path.is_file() or relative.parts[1] in _FONTTOOLS_WHOLE:
            continue
        if path.suffix == ".c" or (path in accelerated and accelerated[path].exists()):
            unused.add(relative)
        elif path.suffix == ".py":
            module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            if module not in reached:
                unused.add(relative)
    return unused


def _left_out_of(deps: Path) -> Callable[[str, list[str]], set[str]]:
    """The copytree filter of the staging: what of the wheels is not shipped."""
    unused = _fonttools_unused(deps)

    def left_out(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).relative_to(deps)
        dropped = _unused_service_models(folder, names)
        dropped |= {name for name in names if here / name in unused}
        if here == Path("pygments", "lexers"):
            dropped |= {name for name in names if name.endswith(".py") and name[:-3] not in KEPT_LEXERS}
        return dropped | {name for name in names if name.startswith(_LEFT_OUT_DEPS)}

    return left_out


def report_font() -> Path:
    """The DejaVu Sans the package ships (the build machine's, never a file of the repository)."""
    for candidate in SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise BuildError("no DejaVu Sans to ship for the PDF report (Lambda has no fonts): install Debian's "
                     "fonts-dejavu-core (make system-deps does) or put DejaVuSans.ttf at " + SYSTEM_FONTS[0])


def _forget_dropped_files(stage: Path) -> None:
    """Drop RECORD lines of the console scripts left out: their hashes depend on the build's path."""
    for record in stage.glob("*.dist-info/RECORD"):
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(tuple(f"../../{d}/" for d in _DEPS_DROPPED))]
        record.write_text("".join(kept), encoding="utf-8")


def _stage(deps: Path, files: list[Path], stage: Path, font: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(deps, stage, ignore=_left_out_of(deps))
    _forget_dropped_files(stage)
    (stage / PACKAGED_FONT).parent.mkdir(parents=True)
    shutil.copyfile(font, stage / PACKAGED_FONT)
    for relative in files:
        destination = stage / relative
        if destination.exists():
            raise BuildError(f"{relative} would overwrite a file of a dependency")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / relative, destination)


# Compiled in a fresh, isolated interpreter: marshal's output depends on reference counts inside the
# compiling process, so compiling inside a busy process (a test run) gives other bytes.
_COMPILE = """
import compileall, py_compile, sys
ok = compileall.compile_dir(sys.argv[1], quiet=1, stripdir=sys.argv[1], prependdir=sys.argv[2], workers=1,
                            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
sys.exit(0 if ok else 1)
"""


def _compile(stage: Path) -> None:
    # Unchecked hash-based .pyc: never compared with the source (the package is immutable), no
    # timestamps (reproducible), and the build path replaced by Lambda's so no path leaks in.
    result = subprocess.run([sys.executable, "-I", "-c", _COMPILE, str(stage), LAMBDA_TASK_ROOT], check=False)
    if result.returncode != 0:
        raise BuildError("some modules failed to compile (see above)")


def _walk(stage: Path) -> Iterator[Path]:
    """Files in the order of their names in the zip."""
    yield from sorted((p for p in stage.rglob("*") if p.is_file()), key=lambda p: p.relative_to(stage).as_posix())


def _write_zip(stage: Path, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in _walk(stage):
            info = zipfile.ZipInfo(path.relative_to(stage).as_posix(), date_time=ZIP_TIMESTAMP)
            info.external_attr = FILE_MODE << 16
            info.create_system = 3  # unix, so the mode above is honoured when unpacked
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(output)


def compile_and_zip(stage: Path, output: Path) -> None:
    """Precompile every module of a staged tree and write the zip (deterministic for a given tree)."""
    for cache in list(stage.rglob("__pycache__")):
        shutil.rmtree(cache)
    _compile(stage)
    _write_zip(stage, output)


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def build(runtime: str = DEFAULT_RUNTIME, output: Path = DEFAULT_OUTPUT, offline: bool = False) -> Path:
    check_interpreter(runtime)
    requirements = PROJECT_ROOT / "requirements.txt"
    deps = install_dependencies(runtime, requirements, offline)
    files = app_files()
    font = report_font()
    fingerprint = _fingerprint(runtime, deps, files, font)
    stamp = output.with_name(output.name + ".inputs")
    if output.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        print(f"build_package: {_shown(output)} is up to date", file=sys.stderr)
        return output
    stage = BUILD_ROOT / f"stage-{runtime}"
    _stage(deps, files, stage, font)
    compile_and_zip(stage, output)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    size_mb = output.stat().st_size / 1_000_000
    print(f"build_package: wrote {_shown(output)} ({size_mb:.1f} MB, {runtime}, "
          f"sha256 {_sha256_file(output)[:12]})", file=sys.stderr)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default=os.environ.get("LAMBDA_RUNTIME", DEFAULT_RUNTIME))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--offline", action="store_true", help="use cached wheels only; never download")
    args = parser.parse_args(argv)
    try:
        build(args.runtime, args.output.resolve(), args.offline)
    except BuildError as error:
        print(f"build_package: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
