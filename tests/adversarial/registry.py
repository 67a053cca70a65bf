"""The list of adversarial cases and the context each one runs in."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness import Row, copy_project, make_project


@dataclass
class Ctx:
    """A case's temporary folder and the shared base project (20 documents, 10 quotes each)."""

    root: Path
    _base: Path | None = None
    _n: int = 0

    def folder(self, name: str) -> Path:
        """A new world-readable folder for one case."""
        self._n += 1
        path = self.root / f"{self._n:03d}-{name}"
        path.mkdir(mode=0o755)
        os.chmod(path, 0o755)
        return path

    @property
    def base(self) -> Path:
        if self._base is None:
            self._base = make_project(self.folder("base"), "base.qbproj")
        return self._base

    def project(self, folder: Path, name: str = "p.qbproj") -> Path:
        """A fresh copy of the base project in ``folder``."""
        return copy_project(self.base, folder / name)


@dataclass
class Case:
    id: str
    run: Callable[[Ctx], Row]
    huge: bool = False
    extra: dict[str, object] = field(default_factory=dict)


CASES: list[Case] = []


def case(case_id: str, *, huge: bool = False) -> Callable[[Callable[[Ctx], Row]], Callable[[Ctx], Row]]:
    """Register a case under ``case_id`` (its first word is the id used in JSON keys)."""

    def add(fn: Callable[[Ctx], Row]) -> Callable[[Ctx], Row]:
        CASES.append(Case(case_id, fn, huge))
        return fn

    return add
