"""Fixtures for the window's tests: a project in a temporary folder, settings kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from quotebench.core.model import Kind, SpeakerType, Status
from quotebench.core.project.store import Store
from quotebench.gui.session import Session
from quotebench.gui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"

TEXT = (
    "Anna Smith said the plan would work.\r\n"
    "“We will win 👍🏽,” she told reporters.\r\n"
    "The ministry said it had no comment on the café’s plan."
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings in an INI file of the test's own."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A project holding :data:`TEXT` with two speakers and three quotes."""
    s = Store.open(tmp_path / "test.qbproj", create=True, annotator="tester")
    doc_id, _ = s.add_document(TEXT, title="plan", source="plan.txt")
    anna, _ = s.add_speaker("Anna Smith", SpeakerType.PERSON)
    s.add_alias(anna, "Smith")
    ministry, _ = s.add_speaker("The ministry", SpeakerType.ORGANISATION)
    said = TEXT.index("said")
    s.add_quote(
        doc_id,
        said + 5,
        TEXT.index("work") + 4,
        Kind.INDIRECT,
        cue=(said, said + 4),
        mention=(0, 10),
        speaker_id=anna,
        status=Status.SUGGESTED,
        confidence=0.8,
    )
    s.add_quote(
        doc_id,
        TEXT.index("“"),
        TEXT.index("”") + 1,
        Kind.DIRECT,
        speaker_id=anna,
        status=Status.SUGGESTED,
        confidence=0.6,
    )
    m = TEXT.index("The ministry")
    s.add_quote(
        doc_id,
        TEXT.index("it had"),
        len(TEXT) - 1,
        Kind.INDIRECT,
        mention=(m, m + 12),
        speaker_id=ministry,
        status=Status.ACCEPTED,
        confidence=0.9,
    )
    yield s
    s.close()


@pytest.fixture
def session(qapp, store: Store) -> Session:
    return Session(store)


@pytest.fixture(scope="session")
def nlp():
    """The trained pipeline, loaded once for every test that needs it."""
    from quotebench.core.engine.pipeline import load_nlp

    return load_nlp()
