"""A dismissible line at the top of the window for errors and notices, and their log."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: How many notices the log keeps.
LOG_SIZE = 100


class MessageBar(QFrame):
    """A dismissible line at the top of the window for errors and notices (hidden until used).

    Args:
        parent: the Qt parent.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss", self)
        close.setObjectName("dismissButton")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, *, error: bool = True) -> None:
        """Show a message (``error`` styles it as a problem)."""
        self.setProperty("error", error)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()


@dataclass
class Notice:
    """One notice shown to the researcher.

    Attributes:
        at: when (seconds since the epoch).
        text: what it said.
        error: whether it told of a problem.
    """

    at: float
    text: str
    error: bool = False


class MessageLog:
    """The last :data:`LOG_SIZE` notices and errors, oldest first, so they can be read again."""

    def __init__(self) -> None:
        self._entries: deque[Notice] = deque(maxlen=LOG_SIZE)

    @property
    def entries(self) -> list[Notice]:
        """The notices kept, oldest first."""
        return list(self._entries)

    def add(self, text: str, *, error: bool = False) -> None:
        """Keep a notice (the same text shown again at once, as an error and in the status
        bar, is kept once)."""
        now = time.time()
        last = self._entries[-1] if self._entries else None
        if last is not None and last.text == text and now - last.at < 1.0:
            last.error = last.error or error
            return
        self._entries.append(Notice(now, text, error))

    def as_text(self) -> str:
        """The log as lines, newest first: ``12:04:13  Saved 3 quotes``."""
        return "\n".join(
            f"{time.strftime('%H:%M:%S', time.localtime(n.at))}  {'Error: ' if n.error else ''}{n.text}"
            for n in reversed(self._entries)
        )


class MessagesDialog(QDialog):
    """Help > Messages…: the log of notices, newest first.

    Args:
        log: the notices.
        parent: the window.
    """

    def __init__(self, log: MessageLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagesDialog")
        self.setWindowTitle("Messages")
        self._log = log
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The last {LOG_SIZE} notices, newest first:", self))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("m")
        self.resize(48 * em, 24 * em)

    def refresh(self) -> None:
        """Show the log as it is now."""
        self.text.setPlainText(self._log.as_text() or "No messages yet.")
