"""Small dialogs: keyboard shortcuts, choosing a speaker, merging speakers, exporting, what
imported quotes become."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.formats.exporters import FORMATS
from ...core.model import Speaker, SpeakerType
from ..metrics import row_height

if TYPE_CHECKING:
    from ...core.formats.importers import QuotesMode

FORMAT_LABELS = {
    "jsonl": "JSON Lines (lossless, re-importable)",
    "csv": "CSV (quotes + speakers)",
    "brat": "brat standoff (a folder)",
    "tei": "TEI XML",
    "docbin": "spaCy DocBin",
}
FORMAT_SUFFIX = {"jsonl": ".jsonl", "csv": ".csv", "brat": "", "tei": ".xml", "docbin": ".spacy"}


class ShortcutsDialog(QDialog):
    """Every action of the window with its keyboard shortcut, grouped by menu."""

    def __init__(
        self, groups: Sequence[tuple[str, Iterable[QAction]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        rows: list[tuple[str, str, str]] = []
        for menu, actions in groups:
            for action in actions:
                if action.isSeparator() or not action.text():
                    continue
                keys = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText)
                    for s in action.shortcuts()
                    if not s.isEmpty()
                )
                name = action.property("plain_text") or action.text().replace("&", "")
                rows.append((menu, str(name).rstrip("…").rstrip("."), keys))
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(row_height(self.table))
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(600, 680)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table's rows (menu, action, keys)."""
        out: list[tuple[str, str, str]] = []
        for r in range(self.table.rowCount()):
            menu, action, keys = (item.text() if (item := self.table.item(r, c)) else "" for c in range(3))
            out.append((menu, action, keys))
        return out


#: The role holding the text a completion puts in the box (its display adds the owner).
_COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 1
#: How much of the quote the Set speaker dialog shows.
QUOTE_SHOWN = 280


def alias_owners(speakers: Iterable[Speaker]) -> dict[str, str]:
    """Every alias of the speakers with quotes, with its speaker's name ("Mayor Cole" → "Ann Cole")."""
    return {a: s.name for s in speakers if s.n_quotes for a in s.aliases if a != s.name}


class SpeakerDialog(QDialog):
    """Choose a known speaker (with completion on names and aliases) or type a new name.

    The quote being attributed is shown above the box, an alias is offered with the speaker it
    belongs to ("Mayor Cole → Ann Cole"), and a line under the box says who the name typed is.

    Args:
        names: the names and aliases offered.
        current: the name in the box at first.
        parent: the Qt parent.
        owners: alias → the name of the speaker it belongs to.
        quotes: the texts of the quotes being attributed.
    """

    def __init__(
        self,
        names: Sequence[str],
        current: str = "",
        parent: QWidget | None = None,
        *,
        owners: Mapping[str, str] | None = None,
        quotes: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set speaker")
        self._owners = dict(owners or {})
        self._known = {n.casefold(): n for n in names}
        self._keys = {a.casefold(): owner for a, owner in self._owners.items()}
        self.quote_label = QLabel(_quote_preview(quotes), self)
        self.quote_label.setObjectName("speakerQuote")
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextFormat(Qt.TextFormat.RichText)
        self.quote_label.setVisible(bool(quotes))
        self.edit = QLineEdit(current, self)
        self.edit.setPlaceholderText("Name of a known speaker, or a new one")
        model = QStandardItemModel(self)
        for name in names:
            owner = self._owners.get(name)
            item = QStandardItem(f"{name} → {owner}" if owner else name)
            item.setData(name, _COMPLETION_ROLE)
            model.appendRow(item)
        completer = QCompleter(model, self)
        completer.setCompletionRole(_COMPLETION_ROLE)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.edit.selectAll()
        self.who = QLabel(self)
        self.who.setObjectName("speakerWho")
        self.edit.textChanged.connect(self._update_who)
        self._update_who()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote_label)
        layout.addWidget(QLabel("Speaker:", self))
        layout.addWidget(self.edit)
        layout.addWidget(self.who)
        layout.addWidget(buttons)
        width = 32 * self.fontMetrics().horizontalAdvance("m")
        # a top-level window ignores its wrapped labels' height for a width: ask for it
        self.resize(width, max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height()))

    def name(self) -> str:
        """The name typed, with spaces tidied."""
        return " ".join(self.edit.text().split())

    def _update_who(self) -> None:
        key = self.name().casefold()
        if not key:
            self.who.setText("")
        elif key in self._keys:
            self.who.setText(f"An alias of {self._keys[key]}")
        elif key in self._known:
            self.who.setText("A known speaker")
        else:
            self.who.setText("A new speaker")


def _quote_preview(quotes: Sequence[str]) -> str:
    """The first quote, shortened, in rich text ("and 2 more quotes" for several)."""
    if not quotes:
        return ""
    text = " ".join(quotes[0].split())
    if len(text) > QUOTE_SHOWN:
        text = text[: QUOTE_SHOWN - 1].rsplit(" ", 1)[0] + "…"
    more = f"<br>and {len(quotes) - 1} more quote{'s' if len(quotes) > 2 else ''}" if len(quotes) > 1 else ""
    return f"<i>{html.escape(text)}</i>{more}"


def merge_defaults(speakers: Sequence[Speaker]) -> tuple[Speaker, SpeakerType]:
    """Who survives a merge by default, and with which type.

    The speaker with the most quotes survives (the first chosen on a tie): merging one stray
    "Bill" into "Donald Trump" must not rename 19 quotes. A known type (person or
    organisation) wins over unknown: the survivor's if it has one, else the first known one.
    """
    keep = max(speakers, key=lambda s: s.n_quotes)  # max keeps the first of equals
    known = [s.type for s in (keep, *speakers) if s.type is not SpeakerType.UNKNOWN]
    return keep, known[0] if known else SpeakerType.UNKNOWN


class MergeSpeakersDialog(QDialog):
    """Merge speakers: which name survives, its type, and how many quotes it will have.

    Args:
        speakers: the speakers to merge (two or more).
        parent: the Qt parent.
    """

    def __init__(self, speakers: Sequence[Speaker], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge speakers")
        self.setObjectName("mergeDialog")
        self._speakers = list(speakers)
        keep, speaker_type = merge_defaults(self._speakers)
        self.survivor = QComboBox(self)
        for s in self._speakers:
            self.survivor.addItem(f"{s.name} ({s.n_quotes})", s.id)
        self.survivor.setCurrentIndex(self._speakers.index(keep))
        self.type = QComboBox(self)
        for t in (SpeakerType.PERSON, SpeakerType.ORGANISATION, SpeakerType.UNKNOWN):
            self.type.addItem(t.value, t)
        self.type.setCurrentIndex(self.type.findData(speaker_type))
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.survivor.currentIndexChanged.connect(self._update_preview)
        form = QFormLayout()
        form.addRow("Keep the name:", self.survivor)
        form.addRow("Type:", self.type)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self._update_preview()

    def keep_id(self) -> int:
        """The speaker whose name survives."""
        return int(self.survivor.currentData())

    def gone_ids(self) -> list[int]:
        """The speakers merged into it."""
        return [s.id for s in self._speakers if s.id != self.keep_id()]

    def speaker_type(self) -> SpeakerType:
        """The survivor's type."""
        return SpeakerType(self.type.currentData())

    def _update_preview(self, *_: object) -> None:
        keep = next(s for s in self._speakers if s.id == self.keep_id())
        others = [s.name for s in self._speakers if s is not keep]
        total = sum(s.n_quotes for s in self._speakers)
        self.preview.setText(
            f"{total} quote(s) will be attributed to {keep.name}; "
            f"{', '.join(others)} become{'s' if len(others) == 1 else ''} its other name(s)."
        )


def ask_imported_quotes(parent: QWidget | None, n_quotes: int) -> QuotesMode | None:
    """Ask what the quotes an input carries become (a corpus's answer key, say).

    Returns:
        ``"suggested"`` (the default button), ``"accepted"``, ``"ignore"``, or ``None`` if
        the import was cancelled.
    """
    box = QMessageBox(parent)
    box.setWindowTitle("Import quotes")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(f"The files hold {n_quotes:,} quote{'' if n_quotes == 1 else 's'} already marked.")
    box.setInformativeText(
        "Import them as suggestions to review, as accepted quotes, or import the texts alone? "
        "A quote whose speaker is only a pronoun (“He”, “who”) comes without a speaker."
    )
    suggested = box.addButton("As suggestions", QMessageBox.ButtonRole.AcceptRole)
    accepted = box.addButton("As accepted", QMessageBox.ButtonRole.AcceptRole)
    ignore = box.addButton("Texts only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(suggested)
    box.exec()
    answers: dict[object, QuotesMode] = {suggested: "suggested", accepted: "accepted", ignore: "ignore"}
    return answers.get(box.clickedButton())


class ExportDialog(QDialog):
    """Choose a format, a destination and whether to export only accepted quotes."""

    def __init__(self, fmt: str, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export project")
        self.format = QComboBox(self)
        for f in FORMATS:
            self.format.addItem(FORMAT_LABELS.get(f, f), f)
        self.format.setCurrentIndex(max(0, list(FORMATS).index(fmt) if fmt in FORMATS else 0))
        self.accepted_only = QCheckBox("Only accepted quotes", self)
        self.path = QLineEdit(self)
        self._folder = folder
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Save to:", where)
        form.addRow("", self.accepted_only)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 0)

    def chosen_format(self) -> str:
        """The export format chosen."""
        return str(self.format.currentData())

    def _browse(self) -> None:
        fmt = self.chosen_format()
        if fmt == "brat":
            path = QFileDialog.getExistingDirectory(self, "Export to folder", self._folder)
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to", f"{self._folder}/quotes{FORMAT_SUFFIX[fmt]}", f"*{FORMAT_SUFFIX[fmt]}"
            )
        if path:
            self.path.setText(path)
