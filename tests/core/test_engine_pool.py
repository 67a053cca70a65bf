"""The window's engine in several processes (core/engine/pool.py): the same quotes, in order."""

from __future__ import annotations

import pytest

from quotebench.core.engine.pipeline import quotes_in
from quotebench.core.engine.pool import EnginePool
from quotebench.core.engine.runner import EngineError

TEXTS = [
    'The mayor said: "The bridge will open in May."\n',
    "Critics said that the date would slip.\n",
    '"We are ready," the minister told reporters on Monday.\n',
    "According to the council, the library will close early.\n",
    'Ms Rivera said the school needs more staff. "It is urgent," she added.\n',
]


@pytest.mark.model
def test_pool_of_two_gives_the_quotes_of_one_in_order(nlp) -> None:  # type: ignore[no-untyped-def]
    expected = [quotes_in(text, nlp) for text in TEXTS]
    assert sum(map(len, expected)) >= 4
    pool = EnginePool(processes=2)
    try:
        pool.start()
        assert len({e._proc.pid for e in pool.engines}) == 2
        assert list(pool.quotes_many(TEXTS * 2)) == expected * 2
        assert pool.quotes(TEXTS[0]) == expected[0]
        pool.kill()
        [failed] = list(pool.quotes_many(TEXTS[:1]))
        assert isinstance(failed, EngineError)
    finally:
        pool.close()
