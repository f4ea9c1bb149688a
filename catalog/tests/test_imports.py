"""The catalog's place in the layout: it never imports payments or the Stripe emulator."""

import ast
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parent.parent
FORBIDDEN = ("payments", "stripe_emulator")


def imported_modules(source: Path) -> set[str]:
    """Every module `source` imports, by its absolute dotted name."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def forbidden_imports(source: Path) -> list[str]:
    """The modules of payments or the emulator that `source` imports."""
    return sorted(
        module for module in imported_modules(source) if module.split(".")[0] in FORBIDDEN
    )


@pytest.mark.parametrize(
    "source", sorted(CATALOG.rglob("*.py")), ids=lambda path: str(path.relative_to(CATALOG))
)
def test_catalog_module_imports_neither_payments_nor_the_emulator(source):
    """No catalog module, its tests included, imports payments or stripe_emulator."""
    assert forbidden_imports(source) == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The check itself finds `from payments… import` and `import stripe_emulator`."""
    source = tmp_path / "module.py"
    source.write_text("import stripe_emulator.app\nfrom payments.models import Payment\n")
    assert forbidden_imports(source) == ["payments.models", "stripe_emulator.app"]
