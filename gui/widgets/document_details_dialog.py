"""The "Document details…" dialog: a document's title, outlet, date, URL and author, edited
through an undoable command (:class:`~quotebench.gui.commands.SetDocumentMetadataCommand`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from ...core.formats.metadata import normalise_date

#: The fields of the dialog, in order, with their labels.
FIELDS = (("title", "Title"), ("outlet", "Outlet"), ("date", "Date"), ("url", "URL"), ("author", "Author"))


class DocumentDetailsDialog(QDialog):
    """A form of the document's details; :meth:`changed` gives the fields edited."""

    def __init__(self, values: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document details")
        self.setMinimumWidth(480)
        self._before = {name: str(values.get(name) or "") for name, _ in FIELDS}
        self.edits = {name: QLineEdit(self._before[name], self) for name, _ in FIELDS}
        self.edits["date"].setPlaceholderText("YYYY-MM-DD")
        form = QFormLayout(self)
        for name, text in FIELDS:
            form.addRow(text, self.edits[name])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        """Every field as typed (spaces trimmed; a date normalised to ISO 8601 where it can be)."""
        out = {name: " ".join(edit.text().split()) for name, edit in self.edits.items()}
        if out["date"]:
            out["date"] = normalise_date(out["date"]) or out["date"]
        return out

    def changed(self) -> dict[str, str]:
        """Only the fields whose value changed (an emptied title is left as it was)."""
        out = {k: v for k, v in self.values().items() if v != self._before[k]}
        if not out.get("title", "x"):
            out.pop("title")
        return out
