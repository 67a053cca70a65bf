"""How fast the engine is, and what attribution costs on top of spaCy's parse.

Run by hand (it asserts nothing; it prints figures)::

    .venv/bin/python tests/benchmarks/bench_extract.py                 # PolNeAR dev if present
    .venv/bin/python tests/benchmarks/bench_extract.py --limit 100
    .venv/bin/python tests/benchmarks/bench_extract.py --input my.jsonl
    .venv/bin/python tests/benchmarks/bench_extract.py --huge 50       # `extract` on a 50 MB text
    .venv/bin/python tests/benchmarks/bench_extract.py --json out.json # also write the figures

The default input is ``../shared/corpus/polnear-dev.jsonl`` next to the project, read where it
is (it is never copied into the project); without it, the seed article repeated. Timings:

- parse: ``list(nlp.pipe(texts))``, spaCy alone, with spaCy's batch size and with the
  batches extraction uses;
- extract: ``quotes_in_many(texts, nlp)``, parse and attribution, as ``quotebench extract`` runs;
- rules: ``extract_quotes(doc)`` over the docs already parsed, attribution alone;
- extract with ``n_process=2`` against 1.

``--huge MB`` writes a generated text of that size (template sentences, no real article) to a
temporary folder and runs ``quotebench extract`` on it in a subprocess, reporting its wall time,
exit status and peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear-dev.jsonl"
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"


def load_texts(path: Path | None, limit: int | None) -> tuple[list[str], str]:
    """The texts to time and a description of where they come from."""
    path = path or (CORPUS if CORPUS.exists() else None)
    if path is None:
        n = limit or 100
        return [SEED.read_text(encoding="utf-8")] * n, f"the seed article x {n}"
    texts: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if limit and len(texts) >= limit:
                break
    return texts, f"{path.name}, {len(texts)} articles"


def timed(label: str, func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return seconds


def bench_corpus(texts: list[str], source: str, model: str | None) -> dict[str, float]:
    from quotebench.core.engine.extract import extract_quotes
    from quotebench.core.engine.pipeline import load_nlp, quotes_in_many

    nlp = load_nlp(model)
    words = sum(len(t.split()) for t in texts)
    chars = sum(map(len, texts))
    print(
        f"{source}: {words:,} words, {chars:,} characters; pipeline {nlp.meta['name']} {nlp.meta['version']}"
    )
    # the first call builds caches and lexeme tables: keep it out of the figures
    list(quotes_in_many(texts[:5], nlp))

    # spaCy's own batch (nlp.batch_size, 1000 texts for the small English pipeline) parses
    # slower here than the batches quotes_in_many makes (16 texts, 100,000 characters at most),
    # so the parse is also timed with those, for a like-for-like overhead
    same = timed("parse: list(nlp.pipe(texts, batch_size=16))", lambda: list(nlp.pipe(texts, batch_size=16)))
    docs: list[Any] = []
    parse = timed("parse: list(nlp.pipe(texts))", lambda: docs.extend(nlp.pipe(texts)))
    rules = timed("rules: extract_quotes(doc) on parsed docs", lambda: [extract_quotes(d) for d in docs])
    n_quotes = sum(len(extract_quotes(d)) for d in docs)
    docs.clear()
    full = timed("extract: quotes_in_many(texts), 1 process", lambda: list(quotes_in_many(texts, nlp)))
    two = timed(
        "extract: quotes_in_many(texts), 2 processes", lambda: list(quotes_in_many(texts, nlp, n_process=2))
    )
    print(
        f"  {n_quotes:,} quotes; {words / full:,.0f} words/s, {len(texts) / full:.1f} articles/s (1 process)"
    )
    print(
        f"  attribution over parsing: rules/parse = {rules / same:.1%}; "
        f"(extract - parse)/parse = {(full - parse) / parse:+.1%}"
    )
    print(f"  with the same batches: (extract - parse)/parse = {(full - same) / same:+.1%}")
    print(f"  2 processes vs 1: {full / two:.2f}x faster")
    return {
        "parse_batch16_s": same,
        "parse_s": parse,
        "rules_s": rules,
        "extract_1_process_s": full,
        "extract_2_processes_s": two,
        "rules_over_parse": rules / same,
        "quotes": n_quotes,
        "words_per_s": words / full,
    }


_TEMPLATES = (
    "{who} {verb} that the budget of {n} pounds would be spent on roads and schools next year.",
    '"We will finish the bridge before winter," {who_lower} {verb}. The work started in spring.',
    '{who} {verb}: "Nobody expected {n} people to come, but they did." Then the meeting ended.',
    "Rain fell over the valley for {n} minutes while the market stayed open and traders waited.",
)
_WHO = ("The minister", "A spokeswoman", "The mayor", "Her lawyer", "The committee", "One farmer")
_VERBS = ("said", "told reporters", "added", "explained")


def write_huge(path: Path, megabytes: float) -> int:
    """Write about ``megabytes`` MB of generated news-like paragraphs; return the size in bytes."""
    rng = random.Random(1)
    size, target = 0, int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            sentences = []
            for _ in range(4):
                who = rng.choice(_WHO)
                sentences.append(
                    rng.choice(_TEMPLATES).format(
                        who=who, who_lower=who.lower(), verb=rng.choice(_VERBS), n=rng.randint(1, 9999)
                    )
                )
            paragraph = " ".join(sentences) + "\n\n"
            fh.write(paragraph)
            size += len(paragraph.encode("utf-8"))
    return size


def bench_huge(megabytes: float, processes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "huge.txt"
        size = write_huge(text, megabytes)
        cmd = [
            str(Path(sys.executable).with_name("quotebench")),
            "extract",
            str(text),
            "-o",
            str(Path(tmp) / "out.jsonl"),
        ]
        if processes > 1:
            cmd += ["--processes", str(processes)]
        print(f"{' '.join(cmd[1:])}  ({size:,} bytes)", flush=True)
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
        out = Path(tmp) / "out.jsonl"
        records = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
        n_quotes = sum(len(json.loads(r)["quotes"]) for r in records)
        print(
            f"  exit {result.returncode} in {seconds:.1f} s, peak RSS {peak_kb / 1024:,.0f} MB, "
            f"{n_quotes:,} quotes"
        )
        if result.stderr.strip():
            print(f"  stderr: {result.stderr.strip()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--input", type=Path, help="JSONL of {id, text} (default: PolNeAR dev, else the seed)"
    )
    parser.add_argument("--limit", type=int, help="use the first N articles")
    parser.add_argument("--model", help="spaCy pipeline (default: load_nlp's order)")
    parser.add_argument(
        "--huge", type=float, metavar="MB", help="run `extract` on a generated text of MB megabytes"
    )
    parser.add_argument("--processes", type=int, default=1, help="--processes for the --huge run")
    parser.add_argument(
        "--json", type=Path, metavar="OUT", help="write the corpus figures as one flat JSON object"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.huge:
        bench_huge(args.huge, args.processes)
    else:
        figures = bench_corpus(*load_texts(args.input, args.limit), args.model)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
