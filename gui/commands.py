"""One undoable command per kind of edit (Orange canvas ``document/commands.py`` style).

Each command calls :class:`~core.project.store.Store` methods and then hands the returned
:class:`~core.model.Changes` to :meth:`Session.apply`, so every view refreshes the same way
for an edit, its undo and its redo. Undo of a quote edit puts back the quote's exact earlier
row (:meth:`Store.restore_quote`), so an undone edit leaves no trace but the history table:
a suggestion accepted and then un-accepted is again an untouched suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QUndoCommand

from ..core.errors import QuotebenchError, StaleEditError
from ..core.model import Changes, Kind, MergeRecord, Quote, SpeakerType, SplitRecord, Status

if TYPE_CHECKING:
    from ..core.formats.importers import QuotesMode
    from ..core.project.store import Store
    from .session import Session


class StoreCommand(QUndoCommand):
    """A command whose :meth:`run` writes to the store and :meth:`revert` undoes it.

    :meth:`Session.push` calls :meth:`execute` once (errors reach the caller, nothing is
    pushed) and then ``QUndoStack.push``, whose first ``redo`` call is skipped. A later undo
    or redo that fails (another program holds the project) shows its error and drops the
    command from the stack instead of leaving the stack out of step with the file.
    """

    def __init__(self, session: Session, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._skip_redo = False

    @property
    def store(self) -> Store:
        """The session's project."""
        return self._session.store

    def run(self) -> Changes:
        """Make the edit. Subclasses implement it."""
        raise NotImplementedError

    def revert(self) -> Changes:
        """Undo the edit. Subclasses implement it."""
        raise NotImplementedError

    def execute(self) -> None:
        """Make the edit for the first time; raise if it cannot be made."""
        changes = self.run()
        self._skip_redo = True
        self._session.apply(changes)

    def redo(self) -> None:
        """Override QUndoCommand.redo."""
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.run, "Redo")

    def undo(self) -> None:
        """Override QUndoCommand.undo."""
        self._guard(self.revert, "Undo")

    def seen(self) -> list[Quote]:
        """The quotes as this window last saw them around the edit (refreshed after a refusal)."""
        return []

    def _guard(self, step: Any, what: str) -> None:
        try:
            changes = step()
        except StaleEditError as err:
            # another window changed these quotes since: refuse rather than wipe its edit
            self.setObsolete(True)
            self._session.failed.emit(
                f"{what} {self.text().lower()} was not done: the quote was changed elsewhere "
                f"(another window?) since this edit, and that change is kept. {err}"
            )
            seen = self.seen()
            self._session.apply(
                Changes(
                    documents=frozenset(q.document_id for q in seen),
                    quotes_updated=frozenset(q.id for q in seen),
                )
            )
            return
        except QuotebenchError as err:
            self.setObsolete(True)
            self._session.failed.emit(f"{what} {self.text().lower()}: {err}")
            return
        self._session.apply(changes)


class QuotesCommand(StoreCommand):
    """A command on existing quotes: it remembers them before (``_before``) and after
    (``_after``) the edit, so its undo and redo change them only if they are still as this
    window left them (``expected=``): another window's later edit is never silently undone."""

    def __init__(self, session: Session, text: str, quote_ids: Iterable[int]) -> None:
        super().__init__(session, text)
        self._before = [session.store.quote(i) for i in dict.fromkeys(quote_ids)]
        self._after: list[Quote] = []

    def seen(self) -> list[Quote]:
        """Override StoreCommand.seen."""
        return self._before

    def execute(self) -> None:
        """Override StoreCommand.execute: also remember the quotes as the edit left them."""
        super().execute()
        self._remember_after()

    def redo(self) -> None:
        """Override StoreCommand.redo."""
        skipped = self._skip_redo
        super().redo()
        if not skipped and not self.isObsolete():
            self._remember_after()

    def _remember_after(self) -> None:
        self._after = [q for q in (self._read(q.id) for q in self._before) if q is not None]

    def _read(self, quote_id: int) -> Quote | None:
        try:
            return self.store.quote(quote_id)
        except QuotebenchError:
            return None  # deleted by the edit

    def _put_back(self) -> Changes:
        """Put the quotes back as they were before the edit, if they are as it left them."""
        return _restore(self._session, self._before, self._after)


def _restore(session: Session, before: Iterable[Quote], after: Iterable[Quote] = ()) -> Changes:
    """Put quotes back exactly as they were (all fields, times included), in one transaction.

    Args:
        session: the project.
        before: the quotes as they are to be again.
        after: the quotes as this window last saw them; if one is no longer so,
            :class:`StaleEditError` is raised and nothing is changed.
    """
    store = session.store
    seen = {q.id: q for q in after}
    changes = Changes()
    with store.batch():
        for q in before:
            store.delete_quote(q.id, expected=seen.get(q.id))
            store.restore_quote(q)
            changes |= Changes(documents=frozenset({q.document_id}), quotes_updated=frozenset({q.id}))
    return changes


class AddQuoteCommand(StoreCommand):
    """Mark a new quote (accepted: the researcher made it)."""

    def __init__(
        self,
        session: Session,
        doc_id: int,
        start: int,
        end: int,
        kind: Kind = Kind.DIRECT,
        *,
        speaker_id: int | None = None,
        cue: tuple[int, int] | None = None,
        mention: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(session, "New quote")
        self._doc_id, self._start, self._end, self._kind = doc_id, start, end, kind
        self._speaker_id, self._cue, self._mention = speaker_id, cue, mention
        self.quote_id: int | None = None
        self._made: Quote | None = None

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        if self._made is None:
            self.quote_id, changes = self.store.add_quote(
                self._doc_id,
                self._start,
                self._end,
                self._kind,
                speaker_id=self._speaker_id,
                cue=self._cue,
                mention=self._mention,
            )
            self._made = self.store.quote(self.quote_id)
            return changes
        return self.store.restore_quote(self._made)  # same id, same times

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        assert self.quote_id is not None
        return self.store.delete_quote(self.quote_id, expected=self._made)

    def seen(self) -> list[Quote]:
        """Override StoreCommand.seen."""
        return [self._made] if self._made is not None else []


class DeleteQuotesCommand(QuotesCommand):
    """Delete quotes."""

    def __init__(self, session: Session, quote_ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(quote_ids))
        super().__init__(session, "Delete quote" if len(ids) == 1 else f"Delete {len(ids)} quotes", ids)

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        changes = Changes()
        with self.store.batch():
            for q in self._before:
                changes |= self.store.delete_quote(q.id, expected=q)
        return changes

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        changes = Changes()
        with self.store.batch():
            for q in self._before:
                changes |= self.store.restore_quote(q)
        return changes


class EditQuotesCommand(QuotesCommand):
    """Change fields of quotes: boundaries, kind, cue, mention, speaker, note.

    Args:
        session: the project.
        text: what the edit is called in the Edit menu ("Set kind").
        quote_ids: the quotes.
        fields: the new values (names as in :meth:`Store.update_quote`).
    """

    def __init__(self, session: Session, text: str, quote_ids: Iterable[int], **fields: Any) -> None:
        super().__init__(session, text, quote_ids)
        self._fields = fields

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        changes = Changes()
        with self.store.batch():
            for q in self._before:
                changes |= self.store.update_quote(q.id, expected=q, **self._fields)
        return changes

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self._put_back()


class SetStatusCommand(QuotesCommand):
    """Accept, reject or reopen quotes."""

    _NAMES: ClassVar[dict[Status, str]] = {
        Status.ACCEPTED: "Accept",
        Status.REJECTED: "Reject",
        Status.SUGGESTED: "Mark as suggested",
    }

    def __init__(self, session: Session, quote_ids: Iterable[int], status: Status) -> None:
        ids = [i for i in dict.fromkeys(quote_ids) if session.store.quote(i).status is not status]
        n = len(ids)
        super().__init__(session, f"{self._NAMES[status]} {'quote' if n == 1 else f'{n} quotes'}", ids)
        self._status = status

    @property
    def count(self) -> int:
        """How many quotes change status."""
        return len(self._before)

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.set_status([q.id for q in self._before], self._status, expected=self._before)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self._put_back()


class SetSpeakerCommand(QuotesCommand):
    """Attribute quotes to a speaker, known or new (created with the command).

    Args:
        session: the project.
        quote_ids: the quotes.
        name: a speaker's name or alias; a name no speaker has makes a new speaker.
        mention: also set the quotes' speaker mention to this ``(start, end)``.
        speaker_type: the new speaker's type, if one is made.
    """

    def __init__(
        self,
        session: Session,
        quote_ids: Iterable[int],
        name: str,
        *,
        mention: tuple[int, int] | None = None,
        speaker_type: SpeakerType = SpeakerType.UNKNOWN,
    ) -> None:
        super().__init__(session, f"Set speaker to {name.strip()}", quote_ids)
        found = session.store.find_speaker(name)
        self._speaker_id: int | None = found.id if found else None
        self._new_name = None if found else name
        self._type = speaker_type
        self._mention = mention

    @property
    def speaker_id(self) -> int | None:
        """The speaker the quotes now have (known once the command has run)."""
        return self._speaker_id

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        changes = Changes()
        with self.store.batch():
            if self._new_name is not None:
                # a redo re-creates the speaker under the id it had, so later commands still match
                self._speaker_id, changes = self.store.add_speaker(
                    self._new_name, self._type, speaker_id=self._speaker_id
                )
            fields: dict[str, Any] = {"speaker_id": self._speaker_id}
            if self._mention is not None:
                fields["mention_start"], fields["mention_end"] = self._mention
            for q in self._before:
                changes |= self.store.update_quote(q.id, expected=q, **fields)
        return changes | Changes(speakers=frozenset({self._speaker_id}) if self._speaker_id else frozenset())

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        changes = Changes()
        with self.store.batch():
            changes |= self._put_back()
            if self._new_name is not None and self._speaker_id is not None:
                changes |= self.store.delete_speaker(self._speaker_id)
        old = frozenset(q.speaker_id for q in self._before if q.speaker_id is not None)
        return changes | Changes(speakers=old)


class RenameSpeakerCommand(StoreCommand):
    """Rename a speaker."""

    def __init__(self, session: Session, speaker_id: int, name: str) -> None:
        super().__init__(session, f"Rename speaker to {name.strip()}")
        before = session.store.speaker(speaker_id)
        self._id, self._old, self._new = speaker_id, before.name, name
        self._aliases = before.aliases

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.rename_speaker(self._id, self._new)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        with self.store.batch():
            changes = self.store.rename_speaker(self._id, self._old)
            # renaming to one of its aliases drops that alias: give it back
            for alias in self._aliases:
                changes |= self.store.add_alias(self._id, alias)
        return changes


class SetSpeakerTypeCommand(StoreCommand):
    """Mark a speaker as a person or an organisation."""

    def __init__(self, session: Session, speaker_id: int, speaker_type: SpeakerType) -> None:
        super().__init__(session, f"Mark speaker as {speaker_type.value}")
        self._id, self._new = speaker_id, speaker_type
        self._old = session.store.speaker(speaker_id).type

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.set_speaker_type(self._id, self._new)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self.store.set_speaker_type(self._id, self._old)


class SetSpeakerAttributeCommand(StoreCommand):
    """Record, change or (with an empty value) remove one attribute of a speaker."""

    def __init__(self, session: Session, speaker_id: int, key: str, value: str) -> None:
        clean = " ".join(key.split()).casefold()
        what = "Remove" if not value.strip() else "Set"
        super().__init__(session, f"{what} speaker attribute {clean}")
        self._id, self._key, self._new = speaker_id, clean, value
        self._old = session.store.speaker_attributes(speaker_id).get(clean)

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.set_speaker_attribute(self._id, self._key, self._new)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self.store.set_speaker_attribute(self._id, self._key, self._old)


class SetDocumentMetadataCommand(StoreCommand):
    """Edit a document's details: title, outlet, date, URL, author (the fields given)."""

    def __init__(self, session: Session, doc_id: int, fields: dict[str, str]) -> None:
        super().__init__(session, "Edit document details")
        meta = session.store.document_metadata(doc_id)
        self._id, self._new = doc_id, dict(fields)
        self._old = {
            name: (session.store.document(doc_id).title if name == "title" else meta[name]) for name in fields
        }

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.set_document_metadata(self._id, self._new)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self.store.set_document_metadata(self._id, self._old)


class DeleteSpeakerCommand(StoreCommand):
    """Delete a speaker no quote points at ("Bill (0)" left after a merge or an edit)."""

    def __init__(self, session: Session, speaker_id: int) -> None:
        self._speaker = session.store.speaker(speaker_id)
        super().__init__(session, f"Delete speaker {self._speaker.name}")

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.delete_speaker(self._speaker.id)

    def revert(self) -> Changes:
        """Override StoreCommand.revert: the speaker comes back with its id, type, notes and aliases."""
        sp = self._speaker
        with self.store.batch():
            _, changes = self.store.add_speaker(sp.name, sp.type, notes=sp.notes, speaker_id=sp.id)
            for alias in sp.aliases:
                changes |= self.store.add_alias(sp.id, alias)
        return changes | Changes(speakers=frozenset({sp.id}))


class MergeSpeakersCommand(StoreCommand):
    """Make two speakers one: ``gone_id``'s quotes, name and aliases go to ``keep_id``."""

    def __init__(self, session: Session, keep_id: int, gone_id: int) -> None:
        keep, gone = session.store.speaker(keep_id), session.store.speaker(gone_id)
        super().__init__(session, f"Merge {gone.name} into {keep.name}")
        self._keep, self._gone = keep_id, gone_id
        self._record: MergeRecord | None = None

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        self._record, changes = self.store.merge_speakers(self._keep, self._gone)
        return changes

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        assert self._record is not None
        return self.store.unmerge(self._record)


class SplitAliasCommand(StoreCommand):
    """Make one of a speaker's aliases a speaker of its own, with the quotes that name it."""

    def __init__(self, session: Session, speaker_id: int, alias: str) -> None:
        super().__init__(session, f"Split {alias} off")
        self._id, self._alias = speaker_id, alias
        self._record: SplitRecord | None = None

    @property
    def new_id(self) -> int | None:
        """The new speaker's id, once the command has run."""
        return self._record.new_id if self._record else None

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        self._record, changes = self.store.split_alias_record(self._id, self._alias)
        return changes

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        assert self._record is not None
        return self.store.unsplit(self._record)


class ImportCommand(StoreCommand):
    """Import articles (and the quotes and speakers they bring), all in one step.

    Undo deletes the documents the import added (with their quotes, suggestions included),
    the quotes it added to documents already there, the speakers it created that no longer
    have quotes, and the aliases it gave to existing speakers. Redo imports the same
    records again (read once, so a file changed since does not change the redo).

    Args:
        session: the project.
        items: what :func:`core.importers.read_inputs` read.
        label: what the Edit menu calls it.
        quotes: what the quotes the items carry become (``"suggested"``, ``"accepted"``,
            ``"ignore"``; see :func:`core.formats.importers.import_items`).
    """

    def __init__(
        self, session: Session, items: list[Any], label: str = "Import", quotes: QuotesMode = "suggested"
    ) -> None:
        super().__init__(session, label)
        self._items = items
        self._quotes = quotes
        self._before: dict[int, tuple[str, ...]] = {}
        self.report: Any = None

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        from ..core.formats.importers import import_items

        self._before = {s.id: s.aliases for s in self.store.speakers()}
        self.report = import_items(self.store, self._items, quotes=self._quotes)
        return self.report.changes | Changes(documents=frozenset(self.report.added))

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        store, report = self.store, self.report
        added = set(report.added)
        changes = Changes()
        with store.batch():
            for qid in sorted(report.changes.quotes_added):
                try:
                    q = store.quote(qid)
                except QuotebenchError:
                    continue  # deleted since, or in a document deleted below
                if q.document_id not in added:
                    changes |= store.delete_quote(qid)
            for doc_id in sorted(added):
                changes |= store.delete_document(doc_id)
            for sp in store.speakers():
                if sp.id not in self._before:
                    if sp.n_quotes == 0:
                        changes |= store.delete_speaker(sp.id)
                else:
                    for alias in sorted(set(sp.aliases) - set(self._before[sp.id])):
                        changes |= store.remove_alias(sp.id, alias)
        return changes | Changes(documents=frozenset(added))
