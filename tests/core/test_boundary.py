"""quotebench.core never imports Qt or the window: the CLI and batch runs work without a display."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

# Import every module of core with PySide6, shiboken6 and gui made unimportable, as on a
# machine without them; any import of them fails the import of the module that made it.
_PROBE = r"""
import importlib, importlib.abc, pkgutil, sys

PACKAGE = sys.argv[1]
BLOCKED = ("PySide6", "shiboken6", "quotebench.gui")

def blocked(name):
    return any(name == b or name.startswith(b + ".") for b in BLOCKED)

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if blocked(name):
            raise ImportError(f"blocked import of {name}")
        return None

sys.meta_path.insert(0, Block())
package = importlib.import_module(PACKAGE)
failed = []
names = [PACKAGE] + [m.name for m in pkgutil.walk_packages(package.__path__, PACKAGE + ".")]
for name in names:
    try:
        importlib.import_module(name)
    except ImportError as err:
        failed.append(f"{name}: {err}")
loaded = sorted(m for m in sys.modules if blocked(m))
print(len(names))
print("\n".join(failed + loaded))
"""


def test_no_core_module_imports_qt_or_the_gui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "quotebench.core"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    count, *failures = result.stdout.strip().split("\n")
    assert int(count) >= 10  # the probe did walk core (model, pipeline, store, cli, ...)
    assert [f for f in failures if f] == []


def test_the_probe_catches_an_import_of_qt(tmp_path: Path) -> None:
    """The same probe, pointed at a package that imports PySide6, reports it."""
    pkg = tmp_path / "probed"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "b.py").write_text("from PySide6 import QtCore\n")
    (pkg / "c.py").write_text("import quotebench.gui.models\n")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "probed"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    _, *failures = result.stdout.strip().split("\n")
    assert failures == ["probed.b: blocked import of PySide6", "probed.c: blocked import of quotebench.gui"]


def test_import_linter_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], capture_output=True, text=True, check=False, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout
