"""The ``quotebench`` command line: a thin click layer over the engine, the project and the formats.

:mod:`.main` holds the click group and ``open``; each command family has its own module
(:mod:`.extract`, :mod:`.project`, :mod:`.suggest`; shared options in :mod:`.options`).
"""

from .main import cli

__all__ = ["cli"]
