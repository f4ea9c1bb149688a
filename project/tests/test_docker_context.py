"""The production image holds the shop only: .dockerignore, applied to this tree with Docker's
matching rules, keeps the emulator, the tests, the benchmarks and the tools' files out of the
build context (the Dockerfile's `COPY . .`), and everything the shop runs on stays in.

There is no Docker engine here, so the rules are applied as Docker documents them
(https://docs.docker.com/build/concepts/context/#dockerignore-files): patterns relative to the
context's root, Go's filepath.Match plus `**` for any number of directories, a pattern that
matches a directory excludes everything under it, `!` re-includes, the last matching line wins.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from testing.imports import imported_modules

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# What the image must not hold, as path prefixes of the context.
DEVELOPMENT_ONLY = (
    "stripe_emulator/",
    "bench/",
    "testing/",
    ".ci/",
    "conftest.py",
    "requirements-dev.txt",
    "pyproject.toml",
    "Makefile",
    "scripts/run.sh",
)
# What the Dockerfile, docker-compose.yml and the shop itself need.
NEEDED = (
    "manage.py",
    "requirements.txt",
    "gunicorn.conf.py",
    "scripts/clock.sh",
    "project/wsgi.py",
    "project/settings.py",
    "catalog/models/__init__.py",
    "payments/gateway/__init__.py",
    "templates/base.html",
    "locale/ru/LC_MESSAGES/django.mo",
)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regular expression over a slash-separated relative path."""
    parts, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts))


def _rules() -> list[tuple[bool, re.Pattern[str]]]:
    """(excludes, pattern) per line of .dockerignore, in order."""
    rules = []
    for line in (BASE_DIR / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        excludes = not line.startswith("!")
        pattern = posixpath.normpath(line.lstrip("!").strip()).strip("/")
        rules.append((excludes, _pattern_regex(pattern)))
    return rules


def _excluded(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the last rule matching the path, or one of its parent directories, excludes it."""
    pieces = path.split("/")
    candidates = ["/".join(pieces[: depth + 1]) for depth in range(len(pieces))]
    verdict = False
    for excludes, pattern in rules:
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            verdict = excludes
    return verdict


def build_context() -> set[str]:
    """The files `docker build .` would send, as paths relative to the context's root."""
    rules = _rules()
    prunable = all(excludes for excludes, _ in rules)  # no `!`: an excluded folder stays out
    sent: set[str] = set()
    for folder, subfolders, files in os.walk(BASE_DIR):
        relative = Path(folder).relative_to(BASE_DIR).as_posix()
        prefix = "" if relative == "." else relative + "/"
        if prunable:
            subfolders[:] = [d for d in subfolders if not _excluded(prefix + d, rules)]
        sent.update(prefix + name for name in files if not _excluded(prefix + name, rules))
    return sent


def _first_party_imports(path: Path) -> set[str]:
    """The modules of this repository a Python file imports."""
    tops = {entry.name for entry in BASE_DIR.iterdir() if (entry / "__init__.py").exists()}
    return {m for m in imported_modules(path) if m.split(".")[0] in {*tops, "conftest"}}


def _module_path(module: str) -> tuple[str, str]:
    """The two files a module may be: `a/b.py` or `a/b/__init__.py`."""
    base = module.replace(".", "/")
    return base + ".py", base + "/__init__.py"


class TestBuildContext:
    def test_development_files_are_left_out(self):
        """No emulator, tests folder, benchmark, test support or tool file reaches the image."""
        context = build_context()
        leaked = sorted(
            path
            for path in context
            if path.startswith(DEVELOPMENT_ONLY) or "tests" in path.split("/")[:-1]
        )
        assert leaked == []

    def test_what_the_shop_runs_on_is_sent(self):
        """The shop's code, templates, translations and server files are all in the context."""
        context = build_context()
        assert [path for path in NEEDED if path not in context] == []

    def test_every_import_in_the_image_resolves_inside_it(self):
        """No Python file in the image imports a module that .dockerignore left out."""
        context = build_context()
        missing = {
            f"{path} imports {module}"
            for path in context
            if path.endswith(".py")
            for module in _first_party_imports(BASE_DIR / path)
            if not any(candidate in context for candidate in _module_path(module))
        }
        assert sorted(missing) == []

    def test_the_rules_follow_dockers_matching(self):
        """The matcher agrees with Docker's documented examples, so the checks above hold."""
        rules = [(True, _pattern_regex(p)) for p in ("*/temp*", "**/tests", "bench")]
        assert _excluded("somedir/temporary.txt", rules)
        assert not _excluded("somedir/subdir/temporary.txt", rules)
        assert _excluded("tests/test_a.py", rules)
        assert _excluded("catalog/tests/factories.py", rules)
        assert _excluded("bench/__main__.py", rules)
        assert not _excluded("benchmarks.txt", rules)
        assert not _excluded("catalog/bench/x.py", rules)
        exception = [*rules, (False, _pattern_regex("bench/keep.py"))]
        assert not _excluded("bench/keep.py", exception)
