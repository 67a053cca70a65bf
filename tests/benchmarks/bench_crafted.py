"""Time per KB of crafted inputs against real news: every input must cost time linear in its length.

Run by hand (it asserts nothing; it prints figures)::

    .venv/bin/python tests/benchmarks/bench_crafted.py                # sizes 1x and 2x
    .venv/bin/python tests/benchmarks/bench_crafted.py --scale 4 --json out.json

Real news is ``../shared/corpus/polnear-dev.jsonl`` next to the project, read where it is (never
copied), else generated news-like paragraphs (template sentences, invented names). The crafted
inputs are texts that once cost more than linear time: one "sentence" of thousands of short
reports joined by U+FFFD, walls of straight quotation marks, a wall of quoted words, long runs
without a sentence end. Each is timed at a size and at twice that size through
``quotes_in`` (parse and attribution); the figure that matters is seconds per KB against real
news (the worst should stay within 5x) and the growth when the size doubles (linear: about 2x).

``--json OUT`` writes one flat JSON object: ``<input>_s_per_kb`` and ``<input>_growth`` per input,
``news_s_per_kb`` and ``worst_ratio``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear-dev.jsonl"

_WHO = ("Mayor Ilse Brandt", "A spokeswoman", "Councillor Piet Hollander", "The union", "Dr. Lena Varga")
_TEMPLATES = (
    '"We will finish the bridge before winter," {who} said on Tuesday.',
    "{who} said that the budget of {n} pounds would be spent on roads and schools.",
    '{who} told reporters: "Nobody expected {n} people to come, but they did."',
    "Rain fell over the valley for {n} minutes while the market stayed open.",
    "According to {who}, the ferry will run again in {n} days.",
)

#: name -> a function of a repeat count giving a crafted text of about that many units.
CRAFTED: dict[str, Callable[[int], str]] = {
    "said_hi_fffd": lambda n: "\ufffd".join(['He said "hi"'] * n),
    "straight_marks": lambda n: '"' * (4 * n),
    "quoted_words": lambda n: '"a" ' * n,
    "mixed_marks": lambda n: "\"'“”‘’«»" * (n // 2),
    "said_said": lambda n: "He said " * n,
    "no_sentence_end": lambda n: "and the mayor said that the plan would work " * (n // 8),
}


def news_texts(limit: int) -> list[str]:
    """Real news (the dev corpus read in place), else generated news-like paragraphs."""
    if CORPUS.exists():
        texts = []
        with CORPUS.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    texts.append(json.loads(line)["text"])
                if len(texts) >= limit:
                    break
        return texts
    rng = random.Random(7)
    out = []
    for _ in range(limit):
        paragraphs = [
            " ".join(
                rng.choice(_TEMPLATES).format(who=rng.choice(_WHO), n=rng.randint(2, 999)) for _ in range(4)
            )
            for _ in range(12)
        ]
        out.append("\n\n".join(paragraphs))
    return out


def seconds_per_kb(texts: list[str], run: Callable[[str], object]) -> float:
    """Wall seconds per 1,000 characters over the texts."""
    start = time.perf_counter()
    for text in texts:
        run(text)
    return (time.perf_counter() - start) / (sum(map(len, texts)) / 1000)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="repeat count of the smaller crafted text")
    parser.add_argument("--scale", type=int, default=2, help="the larger text is this many times longer")
    parser.add_argument("--articles", type=int, default=30, help="news articles to time")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as one flat JSON object")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from quotebench.core.engine.pipeline import load_nlp, quotes_in

    nlp = load_nlp()
    quotes_in("Warm up. She said so.", nlp)

    def run(text: str) -> object:
        return quotes_in(text, nlp)

    figures: dict[str, float] = {}
    news = news_texts(args.articles)
    figures["news_s_per_kb"] = news_kb = seconds_per_kb(news, run)
    print(f"news ({len(news)} articles, {sum(map(len, news)):,} chars): {news_kb:.3f} s/KB", flush=True)
    worst = 0.0
    for name, make in CRAFTED.items():
        small, large = make(args.size), make(args.size * args.scale)
        small_kb = seconds_per_kb([small], run)
        large_kb = seconds_per_kb([large], run)
        growth = large_kb * len(large) / (small_kb * len(small))
        figures[f"{name}_s_per_kb"] = large_kb
        figures[f"{name}_growth"] = growth
        worst = max(worst, large_kb / news_kb)
        print(
            f"{name:<16} {len(large) / 1000:7.1f} KB: {large_kb:.3f} s/KB = {large_kb / news_kb:4.1f}x news; "
            f"x{args.scale} size -> x{growth:.1f} time",
            flush=True,
        )
    figures["worst_ratio"] = worst
    print(f"worst / news: {worst:.1f}x")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
