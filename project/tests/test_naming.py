"""One naming rule for functions (README, Layout): a module-level public function in catalog/,
payments/ and project/ is `<verb>_<noun>`, its first word a verb saying what it does. Exempt are
the names a framework or a convention fixes: views (in views.py), template tags and filters,
and the few listed below with the reason each is exempt."""

from __future__ import annotations

import ast

from testing.imports import BASE_DIR, python_files

FOLDERS = ("catalog/", "payments/", "project/")
# The verbs in use, each saying what the function does (README, Layout: "Naming").
VERBS = frozenset(
    {
        "add",
        "allocate",
        "annotate",
        "apply",
        "build",
        "cancel",
        "check",
        "close",
        "compute",
        "count",
        "create",
        "ensure",
        "expire",
        "fetch",
        "filter",
        "find",
        "flag",
        "forget",
        "format",
        "get",
        "handle",
        "has",
        "holds",
        "insert",
        "is",
        "learn",
        "list",
        "lock",
        "make",
        "open",
        "parse",
        "place",
        "prepare",
        "read",
        "reconcile",
        "record",
        "refresh",
        "refund",
        "remember",
        "render",
        "reread",
        "resolve",
        "retrieve",
        "revoke",
        "set",
        "sweep",
        "sync",
        "translate",
        "update",
        "verify",
    }
)
EXEMPT = {
    # Django hooks whose names settings or the framework fix.
    "csrf_failure": "CSRF_FAILURE_VIEW names it",
    "stripe_mode": "a context processor, named for what templates read",
    # Decorators and context managers read as adjectives where they are applied.
    "rate_limited": "a decorator",
    "pays_own_copy_of_demo_order": "a context manager",
    "refused_if_malformed": "a context manager",
    # Named by dotted path in migrations, which must keep naming what existed.
    "new_token": "named by a migration",
    "offered_currency_choices": "named by a migration",
    # Conversions read as `to_minor_units(amount)`.
    "to_minor_units": "a conversion",
    "from_minor_units": "a conversion",
}


def _public_functions() -> list[tuple[str, str]]:
    found = []
    for path in python_files():
        name = path.relative_to(BASE_DIR).as_posix()
        parts = name.split("/")
        if not name.startswith(FOLDERS) or {"tests", "migrations", "templatetags"} & set(parts):
            continue
        if parts[-1] == "views.py":
            continue  # views are named after the page they serve
        for node in ast.parse(path.read_text(), name).body:
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef
            ) and not node.name.startswith("_"):
                found.append((name, node.name))
    return found


def test_public_functions_start_with_a_verb():
    """Every public function outside views and template tags is `<verb>_<noun>`."""
    misnamed = [
        f"{path}: {name}"
        for path, name in _public_functions()
        if name not in EXEMPT and name.split("_")[0] not in VERBS
    ]
    assert misnamed == []


def test_the_rule_covers_real_functions():
    """The scan finds the functions it is about (the folders and filters are not stale)."""
    names = {name for _, name in _public_functions()}
    assert {"create_order", "lock_buyer_order", "verify_webhook_event"} <= names
