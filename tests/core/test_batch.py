"""Sharded extraction (core/batch): shards and manifest, errors, resume after a kill, the runners agree.

The engine here is a stand-in (``batch_standin.py``: text between double quotes), so the runs are
fast and the same in every process; ``test_cli_sharded_real_model`` runs the real pipeline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quotebench.core.batch.local import InProcess, ProcessPool
from quotebench.core.batch.manifest import Manifest
from quotebench.core.batch.runner import run_sharded
from quotebench.core.batch.work import EngineSpec
from quotebench.core.errors import QuotebenchError

HERE = Path(__file__).parent
SPEC = EngineSpec(stand_in="batch_standin:load")
WORDS = ["harbour", "budget", "school", "bridge", "council", "river", "tram", "library"]


@pytest.fixture(autouse=True)
def _standin_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


def _article(i: int) -> dict[str, str]:
    word = WORDS[i % len(WORDS)]
    text = f'Article {i}. The mayor said: "The {word} opens in May." Critics said "not before {i % 7 + 2}."'
    return {"id": f"a{i:03d}", "text": text}


def corpus(folder: Path, n: int = 23) -> list[str]:
    """Three inputs: a JSONL file, a gzipped one and a folder of texts (matched by a pattern)."""
    folder.mkdir(parents=True, exist_ok=True)
    first, second = n // 3, 2 * n // 3
    lines = [json.dumps(_article(i)) + "\n" for i in range(n)]
    (folder / "one.jsonl").write_text("".join(lines[:first]), encoding="utf-8")
    with gzip.open(folder / "two.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("".join(lines[first:second]))
    texts = folder / "texts"
    texts.mkdir(exist_ok=True)
    for i in range(second, n):
        (texts / f"t{i:03d}.txt").write_text(_article(i)["text"], encoding="utf-8")
    return [str(folder / "*.jsonl*"), str(texts)]


def shards_text(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("part-*.jsonl")))


def reference(inputs: list[str], tmp: Path) -> str:
    """The output of one uninterrupted in-process run, as one text."""
    out = tmp / "reference"
    run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4)
    return shards_text(out)


def test_shards_manifest_and_inputs(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    report = run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4)
    assert report.partitions == 6 and report.articles == 23 and not report.errors
    names = sorted(p.name for p in out.iterdir())
    assert names == ["errors.jsonl", "manifest.json"] + [f"part-{i:05d}.jsonl" for i in range(6)]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["partitions"] == 6 and manifest["articles"] == 23
    assert manifest["options"] == {**SPEC.options(), "partition_size": 4}
    assert manifest["model"] == {"name": "stand-in", "version": "1"}
    for shard in manifest["shards"]:
        data = (out / shard["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"] and len(data) == shard["bytes"]
        assert data.count(b"\n") == shard["articles"]
    records = [json.loads(line) for line in shards_text(out).splitlines()]
    assert [r["id"] for r in records[:15]] == [f"a{i:03d}" for i in range(15)]
    assert [r["id"] for r in records[15:]] == [f"t{i:03d}" for i in range(15, 23)]
    first = records[0]
    assert [first["text"][q["start"] : q["end"]] for q in first["quotes"]] == [
        '"The harbour opens in May."',
        '"not before 2."',
    ]


def test_bad_article_is_a_coded_error_and_its_partition_is_kept(tmp_path: Path) -> None:
    rows = [_article(i) for i in range(6)]
    rows[2]["text"] += " BOOM"
    bad_line = '{"id": "x", "text": 5}\n'
    (tmp_path / "in.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows[:4])
        + bad_line
        + "".join(json.dumps(r) + "\n" for r in rows[4:])
    )
    seen: list[dict[str, object]] = []
    report = run_sharded(
        [str(tmp_path / "in.jsonl")], tmp_path / "out", SPEC, InProcess(SPEC), size=3, on_error=seen.append
    )
    ids = [json.loads(line)["id"] for line in shards_text(tmp_path / "out").splitlines()]
    assert ids == ["a000", "a001", "a003", "a004", "a005"]
    logged = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(e["code"], e.get("id")) for e in logged] == [("E093", "a002"), ("E006", None)]
    assert "BOOM" in logged[0]["message"] and logged[1]["line"] == 5
    assert seen == logged == report.errors


def test_process_pool_gives_the_same_bytes(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "pool"
    run_sharded(inputs, out, SPEC, ProcessPool(SPEC, 2), size=4)
    assert shards_text(out) == reference(inputs, tmp_path)


def test_resume_keeps_whole_shards_and_redoes_the_others(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4)
    expected = shards_text(out)
    (out / "part-00001.jsonl").write_text("changed\n")  # checksum no longer matches
    (out / "part-00003.jsonl").unlink()
    (out / ".part-00004.jsonl.0badf00d.tmp").write_text("half a shard")  # left by a kill
    report = run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4, resume=True)
    assert (report.partitions, report.skipped) == (6, 4)
    assert shards_text(out) == expected
    assert not list(out.glob(".*"))
    assert Manifest.read(out).complete


def test_resume_refuses_other_options_and_a_folder_in_the_way(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4)
    with pytest.raises(QuotebenchError, match=r"\[E092\].*partition_size"):
        run_sharded(inputs, out, SPEC, InProcess(SPEC), size=5, resume=True)
    with pytest.raises(QuotebenchError, match=r"\[E091\].*inside the input folder"):
        run_sharded([str(tmp_path / "in")], tmp_path / "in" / "out", SPEC, InProcess(SPEC), size=4)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(QuotebenchError, match=r"\[E091\].*notes.txt"):
        run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4)
    assert (out / "notes.txt").read_text() == "mine"


KILLED_RUN = """
import sys
from quotebench.core.batch.local import ProcessPool
from quotebench.core.batch.runner import run_sharded
from quotebench.core.batch.work import EngineSpec
spec = EngineSpec(stand_in="batch_standin:load")
run_sharded(sys.argv[2:], sys.argv[1], spec, ProcessPool(spec, 2), size=4)
"""


def test_killed_run_resumed_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", n=40)
    out = tmp_path / "out"
    env = {**os.environ, "QB_STANDIN_DELAY": "0.05"}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_RUN), str(out), *inputs],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(list(out.glob("part-*.jsonl"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, workers included
    proc.wait()
    left = len(list(out.glob("part-*.jsonl")))
    assert 3 <= left < 10, "the run must be killed in the middle"
    report = run_sharded(inputs, out, SPEC, InProcess(SPEC), size=4, resume=True)
    assert report.partitions == 10 and report.skipped >= 1
    text = shards_text(out)
    assert text == reference(inputs, tmp_path)
    ids = [json.loads(line)["id"] for line in text.splitlines()]
    assert len(ids) == len(set(ids)) == 40


# --- Dask ------------------------------------------------------------------------------------


def test_dask_local_cluster_gives_the_same_bytes(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from quotebench.core.batch.dask_runner import DaskRunner

    inputs = corpus(tmp_path / "in")
    out = tmp_path / "dask"
    with DaskRunner(SPEC, workers=2) as runner:
        assert runner.client is not None and len(runner.client.nthreads()) == 2
        assert runner.dashboard and runner.dashboard.startswith("http")
        report = run_sharded(inputs, out, SPEC, runner, size=4)
    assert report.partitions == 6 and not report.failed
    assert shards_text(out) == reference(inputs, tmp_path)


def test_dask_worker_killed_mid_run_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from quotebench.core.batch.dask_runner import DaskRunner

    inputs = corpus(tmp_path / "in", n=40)
    expected = reference(inputs, tmp_path)
    monkeypatch.setenv("QB_STANDIN_DELAY", "0.05")  # 0.2 s a partition: the kill lands mid-run
    out = tmp_path / "dask"
    killed: list[int] = []
    with DaskRunner(SPEC, workers=2) as runner:
        client = runner.client
        assert client is not None

        def kill_one(_: int) -> None:
            if not killed:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        report = run_sharded(inputs, out, SPEC, runner, size=4, on_shard=kill_one)
    assert killed and report.partitions == 10 and not report.failed and not report.errors
    assert shards_text(out) == expected


@pytest.mark.model
def test_cli_sharded_real_model(tmp_path: Path) -> None:
    """The real pipeline: one file, --processes 2 shards and Dask shards hold the same bytes."""
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from quotebench.core.cli import cli

    texts = [
        'The mayor said: "The bridge will open in May."\nCritics said that the date would slip.\n',
        '"We are ready," the minister told reporters on Monday.\n',
        "According to the council, the library will close early.\n",
        'Ms Rivera, a teacher, said the school needs more staff. "It is urgent," she added.\n',
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    runner = CliRunner()
    single = runner.invoke(cli, ["extract", str(src), "-o", str(tmp_path / "one.jsonl"), "--processes", "1"])
    assert single.exit_code == 0, single.output
    expected = (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert expected.count('"start"') >= 3
    for extra in (["--processes", "2"], ["--workers", "2"]):
        out = tmp_path / extra[0].strip("-")
        result = runner.invoke(cli, ["extract", str(src), "-o", f"{out}/", "--partition-size", "1", *extra])
        assert result.exit_code == 0, result.output
        assert shards_text(out) == expected
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["partitions"] == 4 and manifest["model"]["version"]


def test_cli_folder_output_is_jsonl_only_and_folder_options_need_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quotebench.core.cli import cli

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(_article(1)) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(src), "-o", f"{tmp_path / 'out'}/", "--format", "csv"])
    assert result.exit_code == 1 and "[E090]" in result.output
    assert not (tmp_path / "out").exists()
    result = runner.invoke(cli, ["extract", str(src), "-o", str(tmp_path / "out.jsonl"), "--resume"])
    assert result.exit_code == 2 and "need -o DIR/" in result.output


# --- workers read their partitions ------------------------------------------------------------


def test_partition_refs_read_back_the_partitions_without_their_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    from quotebench.core.batch.partitions import partitions

    inputs = corpus(tmp_path / "in")
    with (tmp_path / "in" / "one.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("not json\n\n" + json.dumps(_article(90)) + "\n")  # an error and a blank line in a piece
    monkeypatch.chdir(tmp_path)
    relative = [os.path.relpath(p, tmp_path) for p in inputs]
    parts = list(partitions(relative, 4))
    assert any(p.errors for p in parts)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a worker's working folder is another: the pieces are absolute
    for part in parts:
        ref = part.ref()
        assert part.articles[0].text not in pickle.dumps(ref).decode("latin-1")
        again = ref.read()
        assert (again.index, again.articles, again.errors) == (part.index, part.articles, part.errors)
    (tmp_path / "in" / "one.jsonl").write_text(json.dumps(_article(5)) + "\n", encoding="utf-8")
    with pytest.raises(QuotebenchError, match="E065"):
        parts[0].ref().read()  # the inputs changed under the run: refused, never other articles


def test_dask_workers_read_their_partitions_and_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    from quotebench.core.batch import dask_runner
    from quotebench.core.batch.partitions import Partition, PartitionRef

    inputs = corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    for ship in (False, True):
        sent: list[type] = []
        with dask_runner.DaskRunner(SPEC, workers=2, ship=ship) as runner:
            assert runner.client is not None
            submit = runner.client.submit

            def spy(fn, task, *args, submit=submit, **kwargs):  # type: ignore[no-untyped-def]
                sent.append(type(task))
                return submit(fn, task, *args, **kwargs)

            monkeypatch.setattr(runner.client, "submit", spy)
            report = run_sharded(inputs, tmp_path / f"dask-{ship}", SPEC, runner, size=4)
        assert report.partitions == 6 and not report.failed
        assert set(sent) == ({Partition} if ship else {PartitionRef})
        assert shards_text(tmp_path / f"dask-{ship}") == expected


def test_cli_ship_articles_needs_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quotebench.core.cli import cli

    inputs = corpus(tmp_path / "in")
    result = CliRunner().invoke(cli, ["extract", *inputs, "-o", str(tmp_path / "x.jsonl"), "--ship-articles"])
    assert result.exit_code == 2 and "--ship-articles" in result.output
