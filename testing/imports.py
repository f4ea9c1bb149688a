"""What a Python file imports, read from its syntax tree (no import runs): for the import-rule
tests (project/tests/test_imports.py) and the image's completeness check
(project/tests/test_docker_context.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Folders that are not this repository's code: virtualenvs, caches, collected static files.
NOT_OURS = {"node_modules", "staticfiles"}


def python_files() -> Iterator[Path]:
    """Every Python file of the repository (hidden folders such as .venv and .git skipped)."""
    for path in sorted(BASE_DIR.rglob("*.py")):
        parts = path.relative_to(BASE_DIR).parts
        if not any(part.startswith(".") or part in NOT_OURS for part in parts[:-1]):
            yield path


def module_name(path: Path) -> str:
    """The dotted module name of a file of this repository (`payments/gateway/__init__.py`:
    `payments.gateway`)."""
    parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a file imports, at any depth (function-level imports
    included; relative imports resolved against the file's package). `from a import b` counts as
    importing `a`, whether b is a module or a name."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


def imports_from(path: Path, top_level: str) -> set[str]:
    """The modules under `top_level` (itself included) that a file imports."""
    return {
        module
        for module in imported_modules(path)
        if module == top_level or module.startswith(top_level + ".")
    }
