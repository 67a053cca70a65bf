"""The limits that keep the code readable, measured on every module of core/ and gui/.

- no module over 700 lines;
- no function over 100 lines;
- no function with a cyclomatic complexity over 25, as radon counts it (every ``if``, loop,
  ``except``, boolean operator and comprehension adds one);
- core/ is split by concern: engine/, project/, formats/, cli/ (plus the shared records).

Run alone: ``.venv/bin/python -m pytest tests/test_layout.py``; a failure names each place.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).parents[1]
PACKAGES = ("core", "gui")

MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 100
MAX_COMPLEXITY = 25


@dataclass(frozen=True)
class Breach:
    """One place over a limit."""

    where: str
    what: str
    value: int
    limit: int

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.value} > {self.limit}"


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def breaches(path: Path, name: str) -> list[Breach]:
    """Every limit ``path`` breaks; ``name`` is how the file is named in the messages."""
    source = path.read_text(encoding="utf-8")
    found: list[Breach] = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(Breach(name, "module lines", lines, MAX_MODULE_LINES))
    for fn in _functions(ast.parse(source)):
        length = (fn.end_lineno or fn.lineno) - fn.lineno + 1
        if length > MAX_FUNCTION_LINES:
            found.append(
                Breach(f"{name}:{fn.lineno} {fn.name}", "function lines", length, MAX_FUNCTION_LINES)
            )
    # radon lists a class's methods both inside the class and on their own: count each once
    seen: set[tuple[int, str]] = set()
    for block in cc_visit(source):
        for item in [block, *getattr(block, "closures", [])]:
            key = (item.lineno, item.fullname)
            if hasattr(item, "methods") or key in seen or item.complexity <= MAX_COMPLEXITY:
                continue
            seen.add(key)
            found.append(
                Breach(f"{name}:{item.lineno} {item.fullname}", "complexity", item.complexity, MAX_COMPLEXITY)
            )
    return found


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_the_packages_have_modules() -> None:
    assert len(_modules()) >= 30


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_within_limits(path: Path) -> None:
    assert [str(b) for b in breaches(path, str(path.relative_to(ROOT)))] == []


def test_core_is_split_by_concern() -> None:
    folders = {p.name for p in (ROOT / "core").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"engine", "project", "formats", "cli"} <= folders
    loose = {p.name for p in (ROOT / "core").glob("*.py")}
    assert loose <= {"__init__.py", "model.py", "errors.py"}, "core/ keeps only shared records at its top"


def test_top_level_is_the_design_card() -> None:
    # what the installs leave beside the sources (git ignores them) is not part of the layout
    made = {"build", "dist"}
    entries = {
        p.name
        for p in ROOT.iterdir()
        if not p.name.startswith(".") and not p.name.endswith(".egg-info") and p.name not in made
    }
    assert entries == {
        "pyproject.toml",
        "core",
        "gui",
        "resources",
        "tests",
        "seeds",
        "README.md",
        "Makefile",
    }


# --- the checker itself fails on code over each limit -------------------------------------------


def test_a_long_module_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "long.py"
    path.write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert [b.what for b in breaches(path, "long.py")] == ["module lines"]


def test_a_long_function_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "long_function.py"
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    path.write_text(f"def f():\n{body}")
    assert [str(b) for b in breaches(path, "m.py")] == [
        f"m.py:1 f: function lines 101 > {MAX_FUNCTION_LINES}"
    ]


def test_a_complex_method_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "branchy.py"
    conditions = " or ".join(f"a == {i}" for i in range(MAX_COMPLEXITY))
    path.write_text(f"class C:\n    def m(self, a):\n        if {conditions}:\n            return 1\n")
    assert [str(b) for b in breaches(path, "m.py")] == [f"m.py:2 C.m: complexity 26 > {MAX_COMPLEXITY}"]


def test_code_within_the_limits_passes(tmp_path: Path) -> None:
    path = tmp_path / "fine.py"
    path.write_text("def f(a):\n    return a or 1\n")
    assert breaches(path, "fine.py") == []
