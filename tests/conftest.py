"""Shared test setup: Qt runs offscreen and never touches the real user's settings or data.

This must run before any ``QApplication`` exists, hence at import time.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# QSettings and QStandardPaths read these on Linux; subprocesses (the launch tests) inherit them.
_HOME = tempfile.mkdtemp(prefix="quotebench-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, "cache")
os.environ.setdefault("XDG_RUNTIME_DIR", os.path.join(_HOME, "runtime"))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)


# --- the trained spaCy pipeline, loaded once (about 2 s) for every test that parses -------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The trained English pipeline (``load_nlp()``'s default), shared by the whole session."""
    from core.pipeline import load_nlp

    return load_nlp()
