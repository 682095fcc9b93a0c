"""The dependency direction app -> blueprints -> services -> dal, checked on every module's imports."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_services_never_import_flask_or_the_web_layer():
    assert _violations("services", ("flask", "flask_login", "flask_wtf", "werkzeug", "blueprints", "app")) == []


def test_dal_never_imports_flask_services_or_the_web_layer():
    assert _violations("dal", ("flask", "flask_login", "flask_wtf", "werkzeug", "services", "blueprints", "app")) == []


def test_blueprints_never_import_the_app_module():
    assert _violations("blueprints", ("app",)) == []


def test_the_checker_sees_a_violation(tmp_path, monkeypatch):
    package = tmp_path / "services"
    package.mkdir()
    (package / "bad.py").write_text("from flask import request\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _violations("services", ("flask",)) == ["services/bad.py imports flask"]
