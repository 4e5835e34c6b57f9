"""A preview of the part being read, and the swap to the whole article."""

from __future__ import annotations

from pathlib import Path

from reader.document.loader import read_article
from reader.document.progressive import (
    locate,
    needs_preview,
    position_of,
    preview_document,
    whole_document,
)


def _long_markdown(sections: int = 300) -> str:
    parts = ["# Long Read", ""]
    for number in range(sections):
        parts += [f"## Section {number}", ""]
        for paragraph in range(12):
            parts += [
                f"Section {number} paragraph {paragraph} opens here. It has a **bold** middle "
                "and keeps going with enough words to make the article long. " * 2,
                "",
            ]
    return "\n".join(parts)


def _long_plain(sections: int = 400) -> str:
    lines = ["The Plain Long Read"]
    for number in range(sections):
        lines.append(f"Part Number {number}")
        for paragraph in range(10):
            lines.append(f"Plain part {number} paragraph {paragraph} says something useful. "
                         "Then it says a little more, at length, to fill the line. " * 2)
    return "\n".join(lines) + "\n"


def _check_round_trip(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    source = read_article(path)
    assert needs_preview(source)
    whole = whole_document(source)
    # A reader 80 % of the way through: the preview around there has that sentence.
    target = whole.sentence_starts[int(whole.sentence_count * 0.8)]
    position = position_of(whole, target)
    preview = preview_document(source, position["line"])
    assert not preview.complete
    assert len(preview.text) < len(whole.text) / 4
    in_preview = locate(preview, position)
    sentence = whole.text[target : whole.sentence_ends[whole.sentence_index_at(target)]]
    assert preview.text[in_preview:].startswith(sentence)
    # And back: the preview's position finds the same place in the whole document.
    assert locate(whole, position_of(preview, in_preview)) == target


def test_markdown_preview_and_whole_agree(tmp_path):
    _check_round_trip(tmp_path, "long.md", _long_markdown())


def test_plain_text_preview_and_whole_agree(tmp_path):
    _check_round_trip(tmp_path, "long.txt", _long_plain())


def test_locate_tolerates_missing_or_odd_positions(tmp_path):
    path = tmp_path / "short.md"
    path.write_text("# A\n\nOne. Two.\n", encoding="utf-8")
    document = whole_document(read_article(path))
    assert locate(document, None) == 0
    assert locate(document, {"line": "x"}) == 0
    assert locate(document, {"line": 10_000, "delta": 3}) == document.blocks[-1].start
    assert locate(document, {"line": 2, "delta": 10_000}) < len(document.text)
