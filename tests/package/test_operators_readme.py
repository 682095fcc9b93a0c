"""The README's Operators section keeps up with deploy.sh's settings and the model/price table."""

from __future__ import annotations

import re

from scripts.build_package import PROJECT_ROOT
from services.ai.models import MODELS


def _operators_section() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Operators")
    end = readme.find("\n## ", start + 1)
    return readme[start:] if end < 0 else readme[start:end]


def test_every_deploy_setting_is_documented():
    script = (PROJECT_ROOT / "deploy.sh").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):-", script)) - {"AWS_DEFAULT_REGION"}
    assert len(used) > 10, used
    section = _operators_section()
    missing = sorted(name for name in used if f"`{name}`" not in section)
    assert not missing, f"document in README, Operators, Configuration: {missing}"


def test_price_table_matches_the_models_module():
    rows = [line for line in _operators_section().splitlines() if line.startswith("| ") and "`" in line]
    for model in MODELS.values():
        row = next((r for r in rows if f"`{model.model_id}`" in r), None)
        assert row, f"{model.model_id} missing from the README's price table"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[2]) == model.input_per_mtok and float(cells[3]) == model.output_per_mtok, row
        assert ("retired" in row.lower()) == model.retired, row
