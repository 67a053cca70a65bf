"""The window's study tools: statistics, agreement, the engine's evaluation, adjudication, distribution.

:class:`StudyActions` adds their actions to the window's menus (File, Review, View) and owns the
docks and dialogs they open. The heavy views (matplotlib's charts, the agreement scorer) are
imported and built only when first asked for, so the window starts as fast as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QFileDialog, QWidget

from ..core.errors import QuotebenchError
from ..core.model import Changes

#: The file dialog's filter for projects.
PROJECT_FILTER = "Quotebench projects (*.qbproj *.sqlite *.db);;All files (*)"

if TYPE_CHECKING:
    from .widgets.adjudication_view import AdjudicationView
    from .widgets.main_window import MainWindow
    from .widgets.statistics_view import StatisticsView

#: The views ``quotebench open --view`` can show at start.
VIEWS = ("statistics",)


class StudyActions(QObject):
    """File > Agreement report… and Distribute to coders…, Review > How right was the engine…,
    View > Statistics and View > Adjudication.

    Args:
        window: the window whose menus get the actions and whose project they use.

    Attributes:
        statistics: the Statistics view, once shown (``None`` before).
        statistics_dock: its dock, once shown.
        adjudication: the Adjudication view of the open project, if it is a gold project.
        adjudication_dock: the dock that holds it (hidden for other projects).
        dialogs: the dialogs open now (kept so they are not collected).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.statistics: StatisticsView | None = None
        self.statistics_dock: QDockWidget | None = None
        self.adjudication: AdjudicationView | None = None
        self.adjudication_dock = self._dock(
            "Adjudication", "adjudicationDock", Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.dialogs: list[QDialog] = []
        actions = window.menu_actions
        file_menu, review_menu, view_menu = actions.menus[0], actions.menus[2], actions.menus[5]
        before = actions.quit_separator
        self.agreement_action = self._action("&Agreement report…", "Ctrl+Alt+A", self.agreement_report)
        self.distribute_action = self._action("D&istribute to coders…", "Ctrl+Alt+D", self.distribute_dialog)
        file_menu.insertActions(before, [self.agreement_action, self.distribute_action])
        review_menu.addSeparator()
        self.evaluation_action = self._action("&How right was the engine…", "Ctrl+Shift+E", self.evaluation)
        review_menu.addAction(self.evaluation_action)
        view_menu.addSeparator()
        self.statistics_action = self._action("S&tatistics", "Ctrl+Shift+T", self._toggle_statistics)
        self.statistics_action.setCheckable(True)
        self.adjudication_action = self.adjudication_dock.toggleViewAction()
        self.adjudication_action.setText("A&djudication")
        self.adjudication_action.setShortcut(QKeySequence("Ctrl+Shift+J"))
        self.adjudication_action.setEnabled(False)
        window.addAction(self.adjudication_action)
        view_menu.addActions([self.statistics_action, self.adjudication_action])
        actions.needs_project += [self.agreement_action, self.distribute_action, self.evaluation_action]
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override QObject.eventFilter: when the window closes (and its project), the views let go of it."""
        if watched is self._window and event.type() == QEvent.Type.Close and self.statistics is not None:
            self.statistics._timer.stop()
            self.statistics.store = None
        return False

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        """An action on the window (its keys work wherever the focus is) calling ``slot``."""
        action = QAction(text, self._window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self._window.addAction(action)
        return action

    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self._window)
        dock.setObjectName(name)
        self._window.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _keep(self, dialog: QDialog) -> QDialog:
        """Show a dialog without blocking the window; forget it once closed."""
        self.dialogs.append(dialog)
        dialog.finished.connect(
            lambda _result: self.dialogs.remove(dialog) if dialog in self.dialogs else None
        )
        dialog.show()
        return dialog

    # --- the project -----------------------------------------------------------------------

    def project_opened(self) -> None:
        """Follow a newly opened project: its statistics and, for a gold project, its adjudication."""
        session = self._window.session
        if session is None:
            return
        session.changed.connect(self._project_changed)
        if self.statistics is not None:
            self.statistics.set_store(session.store)
        self._set_up_adjudication()

    def _project_changed(self, _changes: object) -> None:
        if self.statistics is not None and self.statistics_action.isChecked():
            self.statistics.schedule_refresh()

    def settle(self) -> None:
        """Make a waiting refresh of the Statistics view now (before a screenshot)."""
        if self.statistics is not None and self.statistics._timer.isActive():
            self.statistics._timer.stop()
            self.statistics.refresh()

    # --- View > Statistics ------------------------------------------------------------------

    def show_view(self, name: str) -> None:
        """Show one of :data:`VIEWS` (``quotebench open --view``)."""
        if name == "statistics":
            self.statistics_action.setChecked(True)
            self._toggle_statistics()

    def _toggle_statistics(self) -> None:
        shown = self.statistics_action.isChecked()
        if shown and self.statistics is None:
            from .widgets.statistics_view import StatisticsView

            session = self._window.session
            self.statistics = StatisticsView(session.store if session else None, self._window)
            self.statistics.filter_requested.connect(self._window.filter_edit.setText)
            self.statistics_dock = self._dock(
                "Statistics", "statisticsDock", Qt.DockWidgetArea.BottomDockWidgetArea
            )
            self.statistics_dock.setWidget(self.statistics)
            self.statistics_dock.visibilityChanged.connect(self._statistics_visibility)
        if self.statistics_dock is not None:
            self.statistics_dock.setVisible(shown)
            if shown and self.statistics is not None:
                # a third of the window: the article and its quotes stay readable above
                height = max(self._window.height() // 3, 220)
                self._window.resizeDocks([self.statistics_dock], [height], Qt.Orientation.Vertical)
                self.statistics.refresh()

    def _statistics_visibility(self, _visible: bool) -> None:
        """The dock was closed (its own button) or shown: the action's check follows."""
        if self.statistics_dock is not None:
            self.statistics_action.setChecked(not self.statistics_dock.isHidden())

    # --- View > Adjudication ----------------------------------------------------------------

    def _set_up_adjudication(self) -> None:
        session = self._window.session
        old, self.adjudication = self.adjudication, None
        if old is not None:
            self.adjudication_dock.setWidget(QWidget())
            old.deleteLater()
        if session is None or "adjudication" not in session.store.project_info():
            self.adjudication_dock.hide()
            self.adjudication_action.setEnabled(False)
            return
        from .widgets.adjudication_view import AdjudicationView

        try:
            self.adjudication = AdjudicationView(session.store, session.undo_stack)
        except QuotebenchError as err:
            self._window.show_error(f"The adjudication cannot be shown: {err}")
            return
        self.adjudication.changed.connect(self._adjudicated)
        self.adjudication_dock.setWidget(self.adjudication)
        self.adjudication_action.setEnabled(True)
        self.adjudication_dock.show()

    def _adjudicated(self) -> None:
        """A decision was made or undone: the shown document and the lists follow."""
        w = self._window
        if w.session is not None:
            shown = frozenset({w.doc_id}) if w.doc_id is not None else frozenset()
            w.session.apply(Changes(documents=shown or frozenset(d.id for d in w.session.store.documents())))

    # --- File > Agreement report… -----------------------------------------------------------

    def agreement_report(self, paths: list[str] | None = None) -> QDialog | None:
        """Compare other coders' projects with the open one (the reference) and show the report.

        Args:
            paths: the other projects (``None``: ask with a file dialog).
        """
        w = self._window
        if w.session is None:
            return None
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                w, "Compare with the projects of other coders", "", PROJECT_FILTER
            )
        if not paths:
            return None
        from .widgets.agreement_dialog import AgreementDialog

        try:
            dialog = AgreementDialog.for_projects([w.session.path, *paths], {"accepted"}, w)
        except QuotebenchError as err:
            w.show_error(f"No agreement report: {err}")
            return None
        dialog.disagreement_activated.connect(self.show_span)
        return self._keep(dialog)

    def show_span(self, sha256: str, start: int, end: int) -> bool:
        """Show the open project's document of this text and select the span in it.

        Returns:
            Whether the text is in the open project.
        """
        w = self._window
        if w.session is None:
            return False
        doc = next((d for d in w.session.store.documents() if d.sha256 == sha256), None)
        if doc is None:
            w.show_error("That text is not in the open project.")
            return False
        if w.doc_id != doc.id:
            w.show_document(doc.id)
        w.article.view.select_span(start, end)
        w.article.view.setFocus()
        return True

    # --- Review > How right was the engine… -------------------------------------------------

    def evaluation(self) -> QDialog | None:
        """Show how the engine's suggestions fared on the documents marked done."""
        w = self._window
        if w.session is None:
            return None
        from .widgets.evaluation_dialog import EvaluationDialog

        try:
            dialog = EvaluationDialog.for_store(w.session.store, w)
        except QuotebenchError as err:
            w.show_error(str(err))
            return None
        return self._keep(dialog)

    # --- File > Distribute to coders… -------------------------------------------------------

    def distribute_dialog(self) -> QDialog | None:
        """Ask for coders, a sample and a folder, and write one project per coder."""
        if self._window.session is None:
            return None
        from .widgets.distribute_dialog import DistributeDialog

        dialog = DistributeDialog(self._window.session.path, self._window)
        dialog.distributed.connect(self._window.show_notice)
        dialog.failed.connect(self._window.show_error)
        return self._keep(dialog)
