"""A preview of the part being read, and the swap to the whole article."""

from __future__ import annotations

from pathlib import Path

from reader.document.markdown import split_chunks
from reader.sources.loader import read_article
from reader.sources.progressive import (
    MARKDOWN_PREVIEW_AHEAD,
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


def test_markdown_preview_has_a_few_screens_after_the_position_even_at_a_chunk_end(tmp_path):
    path = tmp_path / "long.md"
    path.write_text(_long_markdown(), encoding="utf-8")
    source = read_article(path)
    whole = whole_document(source)
    for chunk in split_chunks(source.text)[3:5]:
        size = chunk.end - chunk.start
        last_line = chunk.first_line + source.text.count("\n", chunk.start, chunk.end) - 4
        for line, chunks_parsed in ((chunk.first_line, 1), (last_line, 2)):
            position = position_of(whole, locate(whole, {"line": line, "delta": 0}))
            preview = preview_document(source, position["line"])
            at = locate(preview, position)
            assert whole.text[locate(whole, position):].startswith(preview.text[at:at + 200])
            assert len(preview.text) - at >= MARKDOWN_PREVIEW_AHEAD / 2
            # Early in a chunk, that chunk is enough; near its end, the next one comes too.
            assert (len(preview.text) > size) == (chunks_parsed == 2)
