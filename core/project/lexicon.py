"""English words the project's rules read, kept as data in one place."""

from __future__ import annotations

#: Mentions that never become a speaker's alias: they name nobody on their own.
PRONOUNS = frozenset(
    "i me my we us our you your he him his she her hers it its they them their theirs "
    "this that these those who one someone".split()
)
