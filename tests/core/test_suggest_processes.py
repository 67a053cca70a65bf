"""``quotebench suggest --processes N`` stores the same quotes as one process (the real pipeline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quotebench.core.cli import cli
from quotebench.core.project.store import Store

PEOPLE = ["Ana Ruiz", "Tom Park", "Lena Vogel", "Sam Okafor", "Ida Berg"]
TOPICS = ["the bridge", "the new tram line", "the school budget", "the harbour", "the library"]


def _text(i: int) -> str:
    who, what = PEOPLE[i % 5], TOPICS[(i * 3) % 5]
    return (
        f'{who}, a councillor, said: "{what.capitalize()} will be ready in {2025 + i % 4}." '
        f"Critics said that {what} would cost more than planned. "
        f'"We will see," {who.split()[0]} told reporters on day {i}.\n'
    )


def _stored(project: Path) -> list[tuple[Any, ...]]:
    with Store.open(project) as store:
        return sorted(
            (q.document_id, q.start, q.end, q.kind.value, q.cue_start, q.mention_start, q.speaker_name)
            + (q.confidence, q.speaker_confidence, q.rule, q.status.value)
            for q in store.all_quotes()
        )


@pytest.mark.model
def test_suggest_in_two_processes_stores_the_same_quotes(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": _text(i)}) + "\n" for i in range(20)))
    runner = CliRunner()
    for n in ("1", "2"):
        project = tmp_path / f"p{n}.qb"
        for args in (["new", str(project)], ["import", str(project), str(src)]):
            assert runner.invoke(cli, args).exit_code == 0
        result = runner.invoke(cli, ["suggest", str(project), "--processes", n])
        assert result.exit_code == 0, result.output
    one = _stored(tmp_path / "p1.qb")
    assert len(one) >= 20
    assert _stored(tmp_path / "p2.qb") == one
