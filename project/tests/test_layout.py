"""Small files with one job, in the folders this test covers: no module over 300 lines, no
function over 50, and a one-line docstring on every test saying what it pins."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from testing.imports import BASE_DIR, python_files

MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50
# The folders held to these limits here (each app's own suite may add its folder).
FOLDERS = ("project/", "bench/", "testing/")


def _files() -> list[Path]:
    return [p for p in python_files() if p.relative_to(BASE_DIR).as_posix().startswith(FOLDERS)]


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(), str(path))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _name(path: Path) -> str:
    return path.relative_to(BASE_DIR).as_posix()


class TestLayout:
    def test_the_folders_hold_python_files(self):
        """The checks below look at real files (the folder list is not stale)."""
        assert {_name(p).split("/")[0] + "/" for p in _files()} == set(FOLDERS)

    def test_no_file_is_over_300_lines(self):
        """Every module in the covered folders has at most 300 lines."""
        long = [_name(p) for p in _files() if len(p.read_text().splitlines()) > MAX_FILE_LINES]
        assert long == []

    def test_no_function_is_over_50_lines(self):
        """Every function in the covered folders has at most 50 lines."""
        long = [
            f"{_name(path)}: {function.name}"
            for path in _files()
            for function in _functions(path)
            if (function.end_lineno or function.lineno) - function.lineno + 1 > MAX_FUNCTION_LINES
        ]
        assert long == []

    @pytest.mark.parametrize("folder", ["project/tests/"])
    def test_every_test_has_a_one_line_docstring(self, folder):
        """Each test function carries one line saying what behaviour it pins."""
        tests = [p for p in _files() if _name(p).startswith(folder) and p.name.startswith("test_")]
        lacking = [
            f"{_name(path)}: {function.name}"
            for path in tests
            for function in _functions(path)
            if function.name.startswith("test_")
            and len((ast.get_docstring(function) or "\n").strip().splitlines()) != 1
        ]
        assert tests
        assert lacking == []
