"""Generate large articles for the benchmarks, deterministically from a seed.

The Markdown article has the shape of a long essay: nested sections, paragraphs of
several sentences with some emphasis, links and code, and now and then a list, a
quote, a code block or a table. The plain-text article has bare headings and one
line per paragraph, as many scraped articles do.

    python bench/generate_article.py --size 1MB --format markdown -o big.md
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

WORDS = (
    "the reader margin river archive lantern measure quiet harbour signal weather "
    "letter printing press memory sleep pattern market city garden engine value "
    "theory practice history method evidence record account chapter figure system "
    "light distance current season journey question answer winter morning island "
    "copper salt grain trade ledger compass thread window bridge tower orchard "
    "slowly carefully often rarely never always nearly perhaps certainly however "
    "builds keeps finds turns holds carries changes returns follows suggests shows "
    "ancient modern careful patient curious narrow broad bright heavy simple"
).split()
ABBREVIATIONS = ("e.g.", "i.e.", "Dr.", "U.S.", "approx.", "cf.")


def _sentence(rng: random.Random, markdown: bool) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    if markdown and rng.random() < 0.25:
        at = rng.randrange(len(words))
        words[at] = rng.choice(("**{}**", "*{}*", "`{}`", "[{}](https://example.org/{})")).format(
            words[at], words[at]
        )
    elif not markdown and rng.random() < 0.1:
        at = rng.randrange(len(words))
        words[at] = f"**{words[at]}**"
    if rng.random() < 0.1:
        words.insert(rng.randrange(1, len(words)), rng.choice(ABBREVIATIONS))
    if rng.random() < 0.05:
        words.append(f"{rng.randint(1, 99)}.{rng.randint(0, 99)}")
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....?!")


def _paragraph(rng: random.Random, markdown: bool) -> str:
    return " ".join(_sentence(rng, markdown) for _ in range(rng.randint(3, 8)))


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(2, 5)))


def markdown_article(size: int, seed: int = 7) -> str:
    """A Markdown article of about ``size`` characters."""
    rng = random.Random(seed)
    parts = ["---", "title: A Generated Long Read", "author: Bench", "---", "",
             "# A Generated Long Read", ""]
    length = sum(len(part) + 1 for part in parts)
    section = 0
    while length < size:
        section += 1
        block: list[str] = [f"## {section}. {_title(rng)}", ""]
        for sub in range(rng.randint(1, 3)):
            block += [f"### {section}.{sub + 1} {_title(rng)}", ""]
            for _ in range(rng.randint(3, 7)):
                roll = rng.random()
                if roll < 0.08:
                    block += [f"- {_sentence(rng, True)}" for _ in range(rng.randint(2, 5))]
                    block += [f"  - {_sentence(rng, True)}"]
                elif roll < 0.12:
                    block += [f"{n}. {_sentence(rng, True)}" for n in range(1, rng.randint(3, 6))]
                elif roll < 0.16:
                    block += [f"> {_paragraph(rng, True)}"]
                elif roll < 0.19:
                    block += ["```python", "def measure(value):", "    return value * 2", "```"]
                elif roll < 0.21:
                    block += ["| term | meaning |", "|---|---|"]
                    block += [f"| {rng.choice(WORDS)} | {_sentence(rng, True)} |" for _ in range(3)]
                else:
                    block += [_paragraph(rng, True)]
                block.append("")
        text = "\n".join(block) + "\n"
        parts.append(text)
        length += len(text) + 1
    return "\n".join(parts)


def plain_article(size: int, seed: int = 11) -> str:
    """A plain-text article of about ``size`` characters: bare headings, one line per paragraph."""
    rng = random.Random(seed)
    lines = ["A Generated Plain Long Read"]
    length = len(lines[0]) + 1
    while length < size:
        heading = _title(rng)
        lines.append(heading)
        length += len(heading) + 1
        for _ in range(rng.randint(3, 8)):
            paragraph = _paragraph(rng, False)
            lines.append(paragraph)
            length += len(paragraph) + 1
    return "\n".join(lines) + "\n"


def parse_size(text: str) -> int:
    text = text.strip().upper()
    for suffix, factor in (("MB", 1_000_000), ("KB", 1_000), ("B", 1)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1MB", help="e.g. 50KB, 1MB, 5MB")
    parser.add_argument("--format", choices=("markdown", "plain"), default="markdown")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    maker = markdown_article if args.format == "markdown" else plain_article
    text = maker(size, args.seed)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
