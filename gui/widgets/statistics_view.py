"""The Statistics view: who gets a voice in the project, as a chart and a table side by side.

The researcher chooses what to count by (speaker, speaker type, kind, outlet, month, document, or
a speaker attribute), how to split it (stack), which statuses, one outlet and a date range. The
numbers come from :func:`quotebench.core.project.statistics.statistics` (SQL, milliseconds for
100,000 quotes) and the chart from :func:`quotebench.core.analysis.charts.draw`, the same chart
``quotebench stats --chart`` writes. Clicking a bar (or double-clicking a table row) emits
:attr:`StatisticsView.filter_requested` with a filter for the quote table, e.g.
``status:accepted speaker:"Rosa Kim"``. After edits the window calls :meth:`schedule_refresh`;
refreshes are coalesced so a burst of edits redraws once.
"""

from __future__ import annotations

import time
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.analysis.charts import draw, label, save_chart
from ...core.analysis.tables import csv_table
from ...core.errors import QuotebenchError
from ...core.model import Status
from ...core.project.statistics import GROUPINGS, StatsQuery, StatsTable, statistics
from ...core.project.store import Store

#: What each grouping is called in the quote table's filter (``key:value``).
FILTER_FIELDS = {
    "speaker": "speaker",
    "type": "type",
    "kind": "kind",
    "outlet": "outlet",
    "month": "month",
    "document": "document",
}
#: What the view shows when nothing is counted and only accepted quotes were asked for.
NO_ACCEPTED = "No accepted quotes yet: tick suggested to count suggestions"
#: What it shows when the filters leave no quote.
NO_QUOTES = "No quotes counted: tick more statuses or widen the outlet and dates"

GROUPING_NAMES = {
    "speaker": "Speaker",
    "type": "Speaker type",
    "kind": "Kind",
    "outlet": "Outlet",
    "month": "Month",
    "document": "Document",
}


def filter_for(query: StatsQuery, key: str) -> str:
    """The quote table's filter for one row of a table: its statuses and its key."""
    name, _, attribute = query.by.partition(":")
    field = attribute if name == "attribute" else FILTER_FIELDS.get(name, name)
    if key:
        term = f'{field}:"{key}"' if any(c.isspace() for c in key) else f"{field}:{key}"
    else:  # the row of quotes without one: no speaker, no outlet, no date
        term = "speaker:none" if field == "speaker" else f'{field}:""'
    statuses = " ".join(f"status:{s}" for s in query.statuses) if len(query.statuses) == 1 else ""
    return " ".join(p for p in (statuses, term) if p)


class StatisticsView(QWidget):
    """Grouping and filters above, the chart and the table side by side, exports below.

    Signals:
        filter_requested(str): a bar or a table row was chosen: filter the quotes to it.
    """

    filter_requested = Signal(str)

    def __init__(self, store: Store | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.table: StatsTable | None = None
        #: how long the last refresh took (query and drawing), in seconds
        self.last_refresh = 0.0
        self._sized = False
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)

        self.by = QComboBox(self)
        self.stack = QComboBox(self)
        self.statuses = {s: QCheckBox(s.value, self) for s in Status}
        self.statuses[Status.ACCEPTED].setChecked(True)
        self.outlet = QComboBox(self)
        self.date_from = QLineEdit(self, placeholderText="from YYYY-MM")
        self.date_to = QLineEdit(self, placeholderText="to YYYY-MM")
        self.top = QSpinBox(self, minimum=0, maximum=1000, value=20)
        self.top.setSpecialValueText("all")
        self.top.setToolTip("Only the most quoted rows (0: all)")
        self.message = QLabel(self)
        self.figure = Figure()
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.mpl_connect("pick_event", self._picked)
        # the chart is as tall as its rows need (readable bars and labels) and scrolls in a
        # short dock rather than squeezing twenty bars into a few pixels
        self.chart_area = QScrollArea(self)
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setWidget(self.canvas)
        self.grid = QTableWidget(0, 4, self)
        self.grid.setHorizontalHeaderLabels(["", "quotes", "share", "speakers"])
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setMinimumWidth(320)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.cellDoubleClicked.connect(self._row_chosen)
        self.export_chart = QPushButton("Export chart…", self)
        self.export_chart.clicked.connect(self._export_chart)
        self.export_table = QPushButton("Export table…", self)
        self.export_table.clicked.connect(self._export_table)
        self._layout()
        self._fill_choices()
        self._count_suggestions_if_none_accepted()
        for combo in (self.by, self.stack, self.outlet):
            combo.currentIndexChanged.connect(self.schedule_refresh)
        for box in self.statuses.values():
            box.toggled.connect(self.schedule_refresh)
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self.schedule_refresh)
        self.top.valueChanged.connect(self.schedule_refresh)

    def _layout(self) -> None:
        controls = QHBoxLayout()
        for text, widget in (("Count by", self.by), ("split by", self.stack), ("outlet", self.outlet)):
            controls.addWidget(QLabel(text, self))
            controls.addWidget(widget)
        for box in self.statuses.values():
            controls.addWidget(box)
        controls.addWidget(self.date_from)
        controls.addWidget(self.date_to)
        controls.addWidget(QLabel("top", self))
        controls.addWidget(self.top)
        controls.addStretch(1)
        split = QSplitter(self)
        split.addWidget(self.chart_area)
        split.addWidget(self.grid)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.export_chart)
        buttons.addWidget(self.export_table)
        outer = QVBoxLayout(self)
        outer.addLayout(controls)
        outer.addWidget(split, 1)
        outer.addLayout(buttons)

    def _fill_choices(self) -> None:
        """The groupings (with the project's speaker attributes) and outlets, keeping the choice."""
        keys = self.store.attribute_keys() if self.store is not None else []
        outlets = self.store.outlets() if self.store is not None else []
        current = (self.by.currentData(), self.stack.currentData(), self.outlet.currentData())
        for combo in (self.by, self.stack, self.outlet):
            combo.blockSignals(True)
            combo.clear()
        for name in GROUPINGS:
            self.by.addItem(GROUPING_NAMES[name], name)
        self.stack.addItem("nothing", None)
        self.stack.addItem("speaker type", "type")
        self.stack.addItem("kind", "kind")
        for key in keys:
            self.by.addItem(f"Speaker's {key}", f"attribute:{key}")
            self.stack.addItem(f"speaker's {key}", f"attribute:{key}")
        self.outlet.addItem("all outlets", None)
        for name, n in outlets:
            self.outlet.addItem(f"{name} ({n:,})", name)
        for combo, data in zip((self.by, self.stack, self.outlet), current, strict=True):
            index = combo.findData(data)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # --- the store -------------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Show another project (or none)."""
        self.store = store
        self._fill_choices()
        self._count_suggestions_if_none_accepted()
        self.refresh()

    def _count_suggestions_if_none_accepted(self) -> None:
        """A project without any accepted quote starts with its suggestions counted too."""
        if self.store is None:
            return
        accepted = statistics(self.store, StatsQuery(by="kind", statuses=(Status.ACCEPTED.value,)))
        if accepted.quotes == 0:
            self.statuses[Status.SUGGESTED].setChecked(True)

    def query(self) -> StatsQuery:
        """What the controls ask for."""
        statuses = tuple(s.value for s, box in self.statuses.items() if box.isChecked())
        outlet = self.outlet.currentData()
        return StatsQuery(
            by=self.by.currentData() or "speaker",
            statuses=statuses or (Status.ACCEPTED.value,),
            outlets=(outlet,) if outlet else (),
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
            top=self.top.value() or None,
            stack=self.stack.currentData(),
        )

    def schedule_refresh(self) -> None:
        """Refresh soon: a burst of edits or clicks redraws once."""
        self._timer.start()

    def refresh(self) -> None:
        """Count again and redraw the chart and the table now."""
        started = time.perf_counter()
        if self.store is None:
            self.table = None
            self.figure.clear()
            self.canvas.draw_idle()
            self.grid.setRowCount(0)
            return
        try:
            self.table = statistics(self.store, self.query())
        except QuotebenchError as err:
            self.message.setText(str(err))
            return
        if self.table.quotes == 0:
            self._show_empty(self.table)
        else:
            self.message.setText(self.table.title())
            self._size_canvas(self.table)
            draw(self.figure, self.table, fit=False)  # the canvas keeps the size the window gives it
            self.canvas.draw()
        self._fill_grid(self.table)
        self.last_refresh = time.perf_counter() - started

    def showEvent(self, event: QShowEvent) -> None:
        """Override QWidget.showEvent: the first time, give the view's dock room for the chart."""
        super().showEvent(event)
        dock = self.parentWidget()
        if not self._sized and isinstance(dock, QDockWidget) and isinstance(dock.parentWidget(), QMainWindow):
            self._sized = True
            window = dock.parentWidget()
            assert isinstance(window, QMainWindow)
            height = min(self.sizeHint().height(), int(window.height() * 0.6))
            window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def sizeHint(self) -> QSize:
        """Override QWidget.sizeHint: room for a readable chart of the top 20 rows."""
        return QSize(960, 560)

    def _size_canvas(self, table: StatsTable) -> None:
        """Make the chart as tall as its rows need (at least the visible height), before drawing."""
        rows = len(table.rows) + (1 if table.other else 0)
        if table.query.by == "month":
            needed = 300
        else:
            needed = 120 + 24 * max(rows, 3) + (50 if table.query.stack else 0)
        viewport = self.chart_area.viewport()
        height = max(needed, viewport.height())
        width = max(viewport.width(), 200)
        self.canvas.setMinimumHeight(needed)
        self.canvas.resize(width, height)
        scale = self.canvas.device_pixel_ratio / self.figure.dpi
        self.figure.set_size_inches(width * scale, height * scale, forward=False)

    def _show_empty(self, table: StatsTable) -> None:
        """A hint in place of an empty chart: what to tick to see something."""
        only_accepted = table.query.statuses == (Status.ACCEPTED.value,)
        hint = NO_ACCEPTED if only_accepted else NO_QUOTES
        self.message.setText(hint)
        self.figure.clear()
        self.figure.text(0.5, 0.5, hint, ha="center", va="center", wrap=True, fontsize=12, color="#555555")
        self.canvas.draw()

    def _fill_grid(self, table: StatsTable) -> None:
        by = table.query.by
        self.grid.setHorizontalHeaderLabels([by.replace("attribute:", ""), "quotes", "share", "speakers"])
        self.grid.setRowCount(len(table.rows))
        for i, row in enumerate(table.rows):
            cells = [
                label(by, row.key),
                f"{row.quotes:,}",
                f"{row.share:.1%}",
                "" if row.speakers is None else f"{row.speakers:,}",
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 0:
                    item.setData(256, row.key or "")  # Qt.UserRole
                self.grid.setItem(i, j, item)

    # --- choosing and exporting ------------------------------------------------------------

    def _picked(self, event: Any) -> None:
        key = event.artist.get_gid()
        if self.table is not None and key is not None:
            self.filter_requested.emit(filter_for(self.table.query, key))

    def _row_chosen(self, row: int, _column: int) -> None:
        item = self.grid.item(row, 0)
        if self.table is not None and item is not None:
            self.filter_requested.emit(filter_for(self.table.query, str(item.data(256))))

    def _export_chart(self) -> None:
        if self.table is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export chart", "chart.svg", "SVG (*.svg);;PNG (*.png);;PDF (*.pdf)"
        )
        if path:
            try:
                save_chart(self.table, path)
            except QuotebenchError as err:
                self.message.setText(str(err))

    def _export_table(self) -> None:
        if self.table is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export table", "statistics.csv", "CSV (*.csv)")
        if path:
            try:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(csv_table(self.table))
            except OSError as err:
                self.message.setText(f"cannot write {path}: {err.strerror or err}")
