"""What goes into the Lambda zip, how its .pyc files are made, and the build's refusals."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts import build_package
from scripts.build_package import APP_ENTRIES, AWS_SERVICES, NOT_SHIPPED, PROJECT_ROOT

DEV_ONLY = ("tests/", "bench/", "scripts/", "infra/", "instance/", "dist/", "build/", ".venv/", ".tools/",
            "deploy.sh", "Makefile", "requirements", "pyproject.toml", ".git")
DEV_PACKAGES = ("pytest", "moto", "playwright", "ruff", "gunicorn", "cfnlint", "_pytest")


def _names(package_zip: Path) -> list[str]:
    with zipfile.ZipFile(package_zip) as archive:
        return archive.namelist()


def test_zip_holds_the_app_and_its_runtime_requirements(package_zip):
    names = set(_names(package_zip))
    for required in ("lambda_handler.py", "app.py", "config.py", "templates/base.html", "static/css/app.css",
                     "flask/__init__.py", "apig_wsgi/__init__.py", "bcrypt/__init__.py", "boto3/__init__.py",
                     "botocore/__init__.py", "s3transfer/__init__.py", "botocore/data/endpoints.json"):
        assert required in names, required
    assert any(n.startswith("content/lessons/python/") for n in names)
    assert any(n.startswith("bcrypt/_bcrypt") and n.endswith(".so") for n in names), "native wheel missing"


def test_zip_leaves_out_tests_dev_files_instance_data_and_caches(package_zip):
    for name in _names(package_zip):
        top = name.split("/")[0]
        assert not name.startswith(DEV_ONLY), name
        assert top not in DEV_PACKAGES, name
        assert not name.startswith("bin/"), name  # console scripts with the build machine's paths
    with zipfile.ZipFile(package_zip) as archive:
        for record in (n for n in archive.namelist() if n.endswith(".dist-info/RECORD")):
            assert b"../../bin/" not in archive.read(record), f"{record} lists a dropped console script"
        assert not name.endswith((".sqlite3", "secret_key")), name


def test_native_libraries_are_manylinux_x86_64(package_zip):
    wheels = [n for n in _names(package_zip) if n.endswith(".dist-info/WHEEL")]
    with zipfile.ZipFile(package_zip) as archive:
        tags = {line.split(": ", 1)[1] for w in wheels for line in archive.read(w).decode().splitlines()
                if line.startswith("Tag: ")}
    platform_tags = {tag.split("-")[-1] for tag in tags} - {"any"}
    assert platform_tags, tags
    assert all("manylinux" in tag and tag.endswith("x86_64") for tag in platform_tags), platform_tags


def test_every_module_is_precompiled_for_this_python_as_unchecked_hash_pyc(package_zip):
    names = set(_names(package_zip))
    sources = [n for n in names if n.endswith(".py")]
    assert len(sources) > 500
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(package_zip) as archive:
        for source in sources:
            cached = importlib.util.cache_from_source(source)
            assert cached in names, f"{source} has no {tag} .pyc"
        for source in ("lambda_handler.py", "app.py", "flask/app.py"):
            header = archive.read(importlib.util.cache_from_source(source))[:8]
            assert header[:4] == importlib.util.MAGIC_NUMBER, source
            flags = int.from_bytes(header[4:8], "little")
            assert flags == 0b01, f"{source}: hash-based and unchecked (the package never changes in place)"
            assert b"/var/task/" + source.encode() in archive.read(importlib.util.cache_from_source(source))


def test_zip_entries_are_sorted_with_fixed_timestamps_and_modes(package_zip):
    with zipfile.ZipFile(package_zip) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {build_package.ZIP_TIMESTAMP}
    assert {i.external_attr >> 16 for i in infos} == {build_package.FILE_MODE}


@pytest.mark.slow
def test_build_is_reproducible(tmp_path):
    """The same tree compiled and zipped twice, in two processes, gives the same bytes (so deploy.sh
    publishes a version only when the code changed). Staged once: the work tree may change meanwhile."""
    deps = build_package.install_dependencies(build_package.DEFAULT_RUNTIME, PROJECT_ROOT / "requirements.txt",
                                              offline=True)
    files = build_package.app_files()
    stages = [tmp_path / "stage", tmp_path / "elsewhere" / "stage"]  # no build path may leak in
    for stage in stages:
        build_package._stage(deps, files, stage, build_package.report_font())
    build_package.compile_and_zip(stages[0], tmp_path / "one.zip")
    code = ("import sys; from pathlib import Path; from scripts.build_package import compile_and_zip; "
            "compile_and_zip(Path(sys.argv[1]), Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(stages[1]), str(tmp_path / "two.zip")], cwd=PROJECT_ROOT,
                   check=True, timeout=300)
    digest = [hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in ("one.zip", "two.zip")]
    assert digest[0] == digest[1], "two builds of the same tree differ: deploy.sh would publish a new version"


def test_zip_is_within_the_size_target(package_zip):
    assert package_zip.stat().st_size <= 25 * 1_000_000


def test_build_refuses_a_python_other_than_the_runtime():
    other = f"python3.{sys.version_info.minor + 1}"
    with pytest.raises(build_package.BuildError, match=rf"refusing to build for {other} with Python 3\.\d+"):
        build_package.check_interpreter(other)
    result = subprocess.run([sys.executable, "scripts/build_package.py", "--runtime", other, "--offline"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "refusing" in result.stderr and "cold start" in result.stderr
    build_package.check_interpreter(f"python3.{sys.version_info.minor}")


def test_every_top_level_entry_is_either_shipped_or_deliberately_left_out():
    entries = {p.name for p in PROJECT_ROOT.iterdir() if not p.name.startswith(".")}
    unknown = entries - set(APP_ENTRIES) - set(NOT_SHIPPED)
    assert not unknown, f"add these to APP_ENTRIES or NOT_SHIPPED in scripts/build_package.py: {sorted(unknown)}"


def test_every_aws_service_the_app_calls_has_its_model_bundled():
    pattern = re.compile(r"""(?:\.client|_aws_client)\(\s*(?:app,\s*)?["']([a-z0-9-]+)["']""")
    called: set[str] = set()
    for path in [PROJECT_ROOT / "app.py", *[p for e in APP_ENTRIES if (PROJECT_ROOT / e).is_dir()
                                           for p in (PROJECT_ROOT / e).rglob("*.py")]]:
        called.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert called, "no AWS client found: the pattern above is out of date"
    assert called <= set(AWS_SERVICES), f"add to AWS_SERVICES in scripts/build_package.py: {called - set(AWS_SERVICES)}"
