"""The agreement module's coded errors (E040 to E049), in the pattern of :mod:`core.errors`."""

from __future__ import annotations

from ..errors import QuotebenchError


class AgreementError(QuotebenchError):
    """Projects that cannot be compared, or a bad option. ``str(err)`` is one line with its code."""


class AgreementErrors:
    """Coded messages, searchable like those of :class:`core.errors.Errors`."""

    E040 = (
        "[E040] {reference} and {other} have no text in common: agreement compares codings of the same "
        "texts (documents are matched by the SHA-256 of their text, whatever their ids or titles)"
    )
    E041 = (
        "[E041] {reference} and {other} do not hold the same texts: {only_reference} only in {reference}, "
        "{only_other} only in {other} (without --strict only the texts in common are compared)"
    )
    E042 = "[E042] unknown status {value!r}: expected a comma list of accepted, suggested, rejected"
    E043 = "[E043] agreement needs at least two projects, got {n}"
    E044 = (
        "[E044] {path} has no document marked done: evaluate compares the engine's suggestions with "
        "finished reviews; mark the documents you have reviewed as done first"
    )
    E045 = "[E045] bad coders {value!r}: {detail}"
    E046 = "[E046] cannot draw the sample: {detail}"
    E047 = "[E047] {path} is in the way: {detail}; choose a new or empty folder"
    E048 = "[E048] cannot adjudicate: {detail}"
    E049 = "[E049] {path} exists: the gold project is a new file; choose another name"
