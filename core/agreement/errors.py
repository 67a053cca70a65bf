"""The agreement module's coded errors (E040 to E043), in the pattern of :mod:`core.errors`."""

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
