"""Who may import whom, read from every file's imports (testing.imports; nothing is run):
the catalog knows nothing of payments, the offline emulator is reached only by tests and
benchmarks, and stripe-python only through the payments gateway."""

from __future__ import annotations

from pathlib import Path

from testing.imports import BASE_DIR, imports_from, python_files

# Where the emulator may be imported: itself, the tests and their support, the benchmarks.
EMULATOR_USERS = ("stripe_emulator/", "bench/", "testing/")


def _relative(path: Path) -> str:
    return path.relative_to(BASE_DIR).as_posix()


def _is_test_code(path: Path) -> bool:
    return "tests" in path.relative_to(BASE_DIR).parts[:-1] or path.name == "conftest.py"


def shop_code() -> list[Path]:
    """The shop's own code, as the production image holds it: the apps and the top-level
    files, never the tests, the emulator, the benchmarks or test support."""
    return [
        path
        for path in python_files()
        if not _is_test_code(path) and not _relative(path).startswith(EMULATOR_USERS)
    ]


def offenders(files: list[Path], module: str) -> list[str]:
    """`file: imported module` for each import of `module` (or a submodule) among `files`."""
    return sorted(
        f"{_relative(path)}: {imported}"
        for path in files
        for imported in imports_from(path, module)
    )


class TestImportRules:
    def test_the_catalog_never_imports_payments(self):
        """No catalog module (tests aside) imports payments: payments depend on the catalog."""
        catalog = [path for path in shop_code() if _relative(path).startswith("catalog/")]
        assert catalog
        assert offenders(catalog, "payments") == []

    def test_only_tests_and_benchmarks_import_the_emulator(self):
        """No shop module imports stripe_emulator; tests, their support and bench/ may."""
        assert offenders(shop_code(), "stripe_emulator") == []

    def test_only_the_gateway_imports_stripe(self):
        """No shop module outside payments/gateway/ imports stripe-python."""
        outside = [p for p in shop_code() if not _relative(p).startswith("payments/gateway/")]
        assert offenders(outside, "stripe") == []

    def test_the_rules_see_imports_where_they_are(self):
        """The reader finds module-level and function-level imports (the rules can fail)."""
        gateway = [p for p in shop_code() if _relative(p).startswith("payments/gateway/")]
        assert offenders(gateway, "stripe")
        assert offenders([BASE_DIR / "bench" / "__main__.py"], "stripe_emulator") == [
            "bench/__main__.py: stripe_emulator.testing"
        ]
        assert not offenders([BASE_DIR / "conftest.py"], "stripe")
