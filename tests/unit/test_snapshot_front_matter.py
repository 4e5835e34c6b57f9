"""Front matter added to a text article's snapshot: read back as written, the text left as it is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.sources.snapshots import body_of, read_front_matter, with_front_matter

KEYS = st.sampled_from(["title", "url", "origin", "kind", "format", "fetched", "author"])
VALUES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200).filter(
    lambda text: not text.startswith("---"))


@given(st.dictionaries(KEYS, VALUES.filter(str.strip), min_size=1, max_size=6), TEXTS)
def test_a_text_without_front_matter_gets_it_and_keeps_its_text(fields, text):
    written = with_front_matter(text, fields)
    assert body_of(written) == "\n" + text  # after a blank line, as every snapshot's
    assert read_front_matter(written) == {key: " ".join(value.split())
                                          for key, value in fields.items()}


@given(st.dictionaries(KEYS, VALUES.filter(str.strip), min_size=1, max_size=6), TEXTS)
def test_a_text_with_front_matter_keeps_its_own_keys_and_gains_the_others(fields, text):
    own = "---\ntitle: Its Own Title\ntags: [a, b]\n---\n" + text
    written = with_front_matter(own, fields)
    meta = read_front_matter(written)
    assert meta["title"] == "Its Own Title" and meta["tags"] == "[a, b]"
    for key, value in fields.items():
        if key != "title":
            assert meta[key] == " ".join(value.split())
    assert body_of(written) == body_of(own)
