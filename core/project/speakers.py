"""The ``speakers`` and ``aliases`` tables: who is quoted, the names they go by, and the
merges and splits that reassign their quotes (each with an exact undo)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Errors, StoreError
from ..model import Changes, MergeRecord, Speaker, SpeakerType, SplitRecord
from .connection import Connection, name_key, reads


class SpeakerTable(Connection):
    """The speakers of a project and their aliases (a part of :class:`~.store.Store`)."""

    def _speaker_row(self, speaker_id: int) -> dict[str, Any]:
        row = self._row("SELECT id, name, type, notes FROM speakers WHERE id = ?", [speaker_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="speaker", id=speaker_id))
        return row

    def _aliases(self, speaker_id: int) -> list[str]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT alias FROM aliases WHERE speaker_id = ? ORDER BY key, alias", [speaker_id]
            )
        ]

    @reads
    def speakers(self) -> list[Speaker]:
        """All speakers, by name, with their aliases and how many quotes each has."""
        aliases: dict[int, list[str]] = {}
        for sid, alias in self.db.conn.execute("SELECT speaker_id, alias FROM aliases ORDER BY key, alias"):
            aliases.setdefault(sid, []).append(alias)
        return [
            Speaker(r[0], r[1], SpeakerType(r[2]), r[3], tuple(aliases.get(r[0], ())), r[4])
            for r in self.db.conn.execute(
                "SELECT s.id, s.name, s.type, s.notes, "
                "(SELECT count(*) FROM quotes WHERE speaker_id = s.id) FROM speakers s ORDER BY s.key, s.id"
            )
        ]

    @reads
    def speaker(self, speaker_id: int) -> Speaker:
        """One speaker.

        Raises:
            StoreError: no such speaker (E024).
        """
        r = self._speaker_row(speaker_id)
        n = self.db.conn.execute("SELECT count(*) FROM quotes WHERE speaker_id = ?", [speaker_id]).fetchone()[
            0
        ]
        return Speaker(
            r["id"], r["name"], SpeakerType(r["type"]), r["notes"], tuple(self._aliases(speaker_id)), n
        )

    @reads
    def find_speaker(self, name: str) -> Speaker | None:
        """The speaker called ``name``, or else one with it as an alias (case-insensitive)."""
        key = name_key(name)
        row = self._row("SELECT id FROM speakers WHERE key = ?", [key]) or self._row(
            "SELECT speaker_id AS id FROM aliases WHERE key = ? ORDER BY speaker_id", [key]
        )
        return None if row is None else self.speaker(row["id"])

    def _check_name(self, name: str, field: str = "name") -> str:
        clean = " ".join(str(name).split())
        if not clean:
            raise StoreError(Errors.E031.format(field=field, value=name))
        return clean

    def add_speaker(
        self,
        name: str,
        type: SpeakerType | str = SpeakerType.UNKNOWN,  # the contract's name
        *,
        notes: str = "",
        speaker_id: int | None = None,
    ) -> tuple[int, Changes]:
        """Add a speaker.

        Raises:
            StoreError: the name is empty or bad type (E031), or taken (E026).
        """
        clean = self._check_name(name)
        stype = self._check_type(type)
        with self._write():
            if self._exists("speakers", "key = ?", [name_key(clean)]):
                raise StoreError(Errors.E026.format(name=clean))
            if speaker_id is not None and self._exists("speakers", "id = ?", [speaker_id]):
                speaker_id = None
            cur = self.db.execute(
                "INSERT INTO speakers (id, name, key, type, notes) VALUES (?, ?, ?, ?, ?)",
                [speaker_id, clean, name_key(clean), stype, notes],
            )
            sid = int(cur.lastrowid or 0)
            self._log("add", "speakers", sid, None, self._speaker_row(sid))
        return sid, Changes(speakers=frozenset({sid}))

    @staticmethod
    def _check_type(value: SpeakerType | str) -> str:
        try:
            return SpeakerType(value).value
        except ValueError:
            raise StoreError(Errors.E031.format(field="speaker type", value=value)) from None

    def _update_speaker(self, speaker_id: int, **fields: Any) -> Changes:
        with self._write():
            before = self._speaker_row(speaker_id)
            sets = ", ".join(f"{f} = :{f}" for f in fields)
            self.db.execute(f"UPDATE speakers SET {sets} WHERE id = :id", {**fields, "id": speaker_id})
            after = self._speaker_row(speaker_id)
            if after != before:
                self._log("update", "speakers", speaker_id, before, after)
        return Changes(speakers=frozenset({speaker_id}))

    def rename_speaker(self, speaker_id: int, name: str) -> Changes:
        """Rename a speaker.

        Raises:
            StoreError: another speaker has that name (E026).
        """
        clean = self._check_name(name)
        with self._write():
            other = self._row("SELECT id FROM speakers WHERE key = ?", [name_key(clean)])
            if other is not None and other["id"] != speaker_id:
                raise StoreError(Errors.E026.format(name=clean))
            changes = self._update_speaker(speaker_id, name=clean, key=name_key(clean))
            # an alias equal to the new name would only repeat it
            same = self._row(
                "SELECT id, alias FROM aliases WHERE speaker_id = ? AND key = ?",
                [speaker_id, name_key(clean)],
            )
            if same is not None:
                self.db.execute("DELETE FROM aliases WHERE id = ?", [same["id"]])
                self._log(
                    "delete", "aliases", same["id"], {"speaker_id": speaker_id, "alias": same["alias"]}, None
                )
        return changes

    def set_speaker_type(self, speaker_id: int, type: SpeakerType | str) -> Changes:
        """Say whether a speaker is a person or an organisation."""
        return self._update_speaker(speaker_id, type=self._check_type(type))

    def set_speaker_notes(self, speaker_id: int, notes: str) -> Changes:
        """Replace a speaker's notes."""
        return self._update_speaker(speaker_id, notes=str(notes))

    def add_alias(self, speaker_id: int, alias: str) -> Changes:
        """Record another name a speaker goes by (no-op if it is already known)."""
        clean = self._check_name(alias, "alias")
        key = name_key(clean)
        with self._write():
            sp = self._speaker_row(speaker_id)
            if sp["name"] and name_key(sp["name"]) == key:
                return Changes()
            if self._exists("aliases", "speaker_id = ? AND key = ?", [speaker_id, key]):
                return Changes()
            cur = self.db.execute(
                "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)", [speaker_id, clean, key]
            )
            self._log(
                "add", "aliases", int(cur.lastrowid or 0), None, {"speaker_id": speaker_id, "alias": clean}
            )
        return Changes(speakers=frozenset({speaker_id}))

    def remove_alias(self, speaker_id: int, alias: str) -> Changes:
        """Forget one of a speaker's aliases.

        Raises:
            StoreError: the speaker has no such alias (E032).
        """
        with self._write():
            sp = self._speaker_row(speaker_id)
            row = self._row(
                "SELECT id, alias FROM aliases WHERE speaker_id = ? AND key = ?",
                [speaker_id, name_key(alias)],
            )
            if row is None:
                raise StoreError(Errors.E032.format(name=sp["name"], alias=alias))
            self.db.execute("DELETE FROM aliases WHERE id = ?", [row["id"]])
            self._log("delete", "aliases", row["id"], {"speaker_id": speaker_id, "alias": row["alias"]}, None)
        return Changes(speakers=frozenset({speaker_id}))

    def _move_quotes(self, quote_ids: Iterable[int], from_id: int, to_id: int) -> list[int]:
        """Point quotes at another speaker; ``modified`` is left alone so Undo is exact."""
        moved = []
        for qid in quote_ids:
            cur = self.db.execute(
                "UPDATE quotes SET speaker_id = ? WHERE id = ? AND speaker_id = ?", [to_id, qid, from_id]
            )
            if cur.rowcount:
                moved.append(qid)
                self._log("update", "quotes", qid, {"speaker_id": from_id}, {"speaker_id": to_id})
        return moved

    def _quotes_of(self, speaker_id: int) -> list[int]:
        return self._ids("SELECT id FROM quotes WHERE speaker_id = ? ORDER BY id", [speaker_id])

    def merge_speakers(self, keep_id: int, gone_id: int) -> tuple[MergeRecord, Changes]:
        """Make two speakers one: ``gone_id``'s quotes, name and aliases go to ``keep_id``.

        Returns:
            What changed, for :meth:`unmerge`, and the :class:`Changes`.
        """
        if keep_id == gone_id:
            raise StoreError(Errors.E031.format(field="speaker to merge", value=gone_id))
        with self._write():
            keep = self._speaker_row(keep_id)
            gone = self._speaker_row(gone_id)
            gone_aliases = tuple(self._aliases(gone_id))
            have = {name_key(keep["name"]), *(name_key(a) for a in self._aliases(keep_id))}
            added: list[str] = []
            for alias in (gone["name"], *gone_aliases):
                if name_key(alias) not in have:
                    have.add(name_key(alias))
                    added.append(alias)
            moved = self._move_quotes(self._quotes_of(gone_id), gone_id, keep_id)
            self.db.execute("DELETE FROM speakers WHERE id = ?", [gone_id])
            for alias in added:
                self.db.execute(
                    "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)",
                    [keep_id, alias, name_key(alias)],
                )
            record = MergeRecord(keep_id, gone, gone_aliases, tuple(moved), tuple(added))
            self._log(
                "merge",
                "speakers",
                gone_id,
                {**gone, "aliases": list(gone_aliases)},
                {"merged_into": keep_id, "added_aliases": added, "moved_quotes": moved},
            )
        return record, Changes(
            speakers=frozenset({keep_id, gone_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def unmerge(self, record: MergeRecord) -> Changes:
        """Undo :meth:`merge_speakers` exactly: the gone speaker comes back with its id,
        aliases and quotes, and the kept speaker loses the aliases it gained."""
        with self._write():
            gone = record.gone
            self.db.execute(
                "INSERT INTO speakers (id, name, key, type, notes) VALUES (?, ?, ?, ?, ?)",
                [gone["id"], gone["name"], name_key(gone["name"]), gone["type"], gone["notes"]],
            )
            for alias in record.gone_aliases:
                self.db.execute(
                    "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)",
                    [gone["id"], alias, name_key(alias)],
                )
            for alias in record.added_aliases:
                self.db.execute(
                    "DELETE FROM aliases WHERE speaker_id = ? AND key = ?", [record.keep_id, name_key(alias)]
                )
            moved = self._move_quotes(record.moved_quotes, record.keep_id, gone["id"])
            self._log(
                "unmerge",
                "speakers",
                gone["id"],
                {"merged_into": record.keep_id},
                {**gone, "aliases": list(record.gone_aliases)},
            )
        return Changes(
            speakers=frozenset({record.keep_id, gone["id"]}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def split_alias(self, speaker_id: int, alias: str) -> tuple[int, Changes]:
        """Make one of a speaker's aliases a speaker of its own.

        The new speaker is named ``alias`` and has the old one's type; the alias is removed
        from the old speaker, and its quotes whose speaker mention reads ``alias``
        (case-insensitively) move to the new one. :meth:`unsplit` undoes it.

        Returns:
            The new speaker's id and the :class:`Changes`.
        """
        record, changes = self.split_alias_record(speaker_id, alias)
        return record.new_id, changes

    def split_alias_record(self, speaker_id: int, alias: str) -> tuple[SplitRecord, Changes]:
        """:meth:`split_alias`, returning the :class:`SplitRecord` that :meth:`unsplit` takes."""
        key = name_key(alias)
        with self._write():
            sp = self._speaker_row(speaker_id)
            row = self._row("SELECT alias FROM aliases WHERE speaker_id = ? AND key = ?", [speaker_id, key])
            if row is None:
                raise StoreError(Errors.E032.format(name=sp["name"], alias=alias))
            self.remove_alias(speaker_id, row["alias"])
            new_id, _ = self.add_speaker(row["alias"], sp["type"])
            matching = [
                r[0]
                for r in self.db.conn.execute(
                    "SELECT q.id, substr(d.text, q.mention_start + 1, q.mention_end - q.mention_start) "
                    "FROM quotes q JOIN documents d ON d.id = q.document_id "
                    "WHERE q.speaker_id = ? AND q.mention_start IS NOT NULL ORDER BY q.id",
                    [speaker_id],
                )
                if name_key(r[1]) == key
            ]
            moved = self._move_quotes(matching, speaker_id, new_id)
        record = SplitRecord(speaker_id, new_id, row["alias"], tuple(moved))
        return record, Changes(
            speakers=frozenset({speaker_id, new_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def unsplit(self, record: SplitRecord) -> Changes:
        """Undo :meth:`split_alias_record` exactly."""
        return self.unsplit_alias(record.speaker_id, record.new_id, record.alias)

    def unsplit_alias(self, speaker_id: int, new_id: int, alias: str) -> Changes:
        """Undo ``split_alias(speaker_id, alias)`` that made speaker ``new_id``: its quotes go
        back, it is deleted, and the alias is restored."""
        with self._write():
            self._speaker_row(speaker_id)
            gone = self._speaker_row(new_id)
            moved = self._move_quotes(self._quotes_of(new_id), new_id, speaker_id)
            self.db.execute("DELETE FROM speakers WHERE id = ?", [new_id])
            self._log("delete", "speakers", new_id, gone, None)
            self.add_alias(speaker_id, alias)
        return Changes(
            speakers=frozenset({speaker_id, new_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def delete_speaker(self, speaker_id: int) -> Changes:
        """Delete a speaker no quote points at.

        Raises:
            StoreError: it still has quotes (E027).
        """
        with self._write():
            sp = self._speaker_row(speaker_id)
            n = len(self._quotes_of(speaker_id))
            if n:
                raise StoreError(Errors.E027.format(name=sp["name"], n=n))
            self.db.execute("DELETE FROM speakers WHERE id = ?", [speaker_id])
            self._log("delete", "speakers", speaker_id, {**sp, "aliases": self._aliases(speaker_id)}, None)
        return Changes(speakers=frozenset({speaker_id}))
