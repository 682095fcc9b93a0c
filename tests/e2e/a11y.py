"""Accessibility and layout checks run inside a page: axe-core (installed from npm under
tests/e2e/axe/, injected from node_modules: no CDN), sideways scrolling, and contrast of states
axe cannot see (hover, keyboard focus)."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHECKS = Path(__file__).resolve().parent / "a11y_checks.js"
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    if not AXE.exists():
        from tests.e2e.conftest import _unavailable

        _unavailable(f"axe-core is not installed ({AXE.relative_to(AXE.parents[3])}): `make dev-deps` installs it")
    return AXE.read_text()


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """axe's violations on the page as it is now. Evaluated through the DevTools protocol, so the
    page's own CSP (script-src 'self') stays in force for everything else."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;void 0")
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
    return page.evaluate(
        """async (options) => {
            const result = await axe.run(document, options);
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
        }""",
        options,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {n['target']}: {(n['summary'] or '').splitlines()[-1].strip()}" for n in v["nodes"][:4]]
    return "\n".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def _checks(page) -> None:
    if not page.evaluate("typeof window.__checks !== 'undefined'"):
        page.evaluate(CHECKS.read_text() + "\n;void 0")


def overflow(page) -> dict | None:
    """The page's width beyond the viewport, with the widest offenders; None when it fits."""
    _checks(page)
    return page.evaluate("window.__checks.overflow()")


def contrast(page, target, kind: str = "text") -> float:
    """WCAG contrast of an element's text (kind="text") or focus outline (kind="outline")."""
    _checks(page)
    handle = page.locator(target).first if isinstance(target, str) else target
    return handle.evaluate(f"el => window.__checks.{kind}(el)")
