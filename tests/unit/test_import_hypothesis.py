"""Hypothesis's "Export annotations" file and its API's annotations, read and imported.

The file is ``{export_date, export_userid, client_version, annotations}``; each
annotation has Hypothesis's fields (``text``, ``tags``, ``uri``, ``created``,
``updated``, ``links``…) around a W3C-like ``target``. Importing keeps
``updated`` as ``modified`` and the page address as the source; importing again
updates the annotations the file has a newer copy of and says how many.
"""

from __future__ import annotations

import json

from reader.export.formats import parse_annotation_json
from reader.store import Store
from tests.unit.test_cli_export import articles, out, run  # noqa: F401 (a fixture)

PAGE = "https://example.org/lighthouses"


def hypothesis_annotation(n: int, exact: str, text: str, updated: str, **extra) -> dict:
    return {
        "id": f"Hx{n}AbCdEf",
        "created": "2024-02-01T10:00:00.000000+00:00",
        "updated": updated,
        "user": "acct:reader@hypothes.is",
        "uri": PAGE,
        "text": text,
        "tags": ["econ", "needs source"],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [
            {
                "source": PAGE,
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/p[3]", "startOffset": 0,
                     "endContainer": "/p[3]", "endOffset": len(exact)},
                    {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
                ],
            }
        ],
        "document": {"title": ["The Economics of Lighthouses"]},
        "links": {"html": f"https://hypothes.is/a/Hx{n}", "incontext": f"https://hyp.is/Hx{n}/"},
        "flagged": False,
        "hidden": False,
        **extra,
    }  # fmt: skip


def export_file(*annotations: dict) -> str:
    return json.dumps(
        {
            "export_date": "2024-03-01T12:00:00.000Z",
            "export_userid": "acct:reader@hypothes.is",
            "client_version": "1.1466.0",
            "annotations": list(annotations),
        }
    )


FIRST = hypothesis_annotation(1, "They needed a patent", "Who granted it?", "2024-02-02T10:00:00Z")
SECOND = hypothesis_annotation(
    2, "the cleanest possible example of a public good", "", "2024-02-03T10:00:00+00:00"
)


def test_the_export_file_is_read_with_updated_as_modified_and_the_page_as_source():
    first, second = parse_annotation_json(export_file(FIRST, SECOND))
    assert first.id == "Hx1AbCdEf" and first.note == "Who granted it?"
    assert first.tags == ("econ", "needs source")
    assert first.source == PAGE and first.quote is not None
    assert first.quote.exact == "They needed a patent"
    assert first.created == FIRST["created"] and first.modified == "2024-02-02T10:00:00Z"
    assert second.note == "" and second.modified == SECOND["updated"]
    assert not first.has_color  # Hypothesis has no colours: the library's stay


def test_an_api_row_without_a_target_source_takes_the_uri():
    row = hypothesis_annotation(3, "x y", "n", "2024-01-01T00:00:00Z")
    del row["target"][0]["source"]
    [parsed] = parse_annotation_json(json.dumps({"total": 1, "rows": [row]}))
    assert parsed.source == PAGE


def test_import_then_reimport_updates_what_changed_in_hypothesis(articles, tmp_path):  # noqa: F811
    article = str(articles["one_line_paragraphs.txt"])
    path = tmp_path / "hypothesis.json"
    db = tmp_path / "lib" / "readmark.json"
    path.write_text(export_file(FIRST, SECOND))
    report = out(run("import", str(path), "--article", article, "--db", str(db)))
    assert report == "imported 2 annotations into “The Economics of Lighthouses”\n"
    with Store(db) as store:
        [record] = store.articles()
        stored = {r["id"]: r for r in store.annotations(record["id"])}
    assert stored["Hx1AbCdEf"]["modified"] == "2024-02-02T10:00:00Z"
    assert stored["Hx1AbCdEf"]["note"] == "Who granted it?"

    # Nothing changed in Hypothesis: nothing to do.
    again = out(run("import", str(path), "--article", article, "--db", str(db)))
    assert again == "skipped 2 annotations already in the library\n"

    # The first is edited later in Hypothesis; the second is older than the library's copy.
    edited = FIRST | {"text": "Trinity House granted it.", "tags": ["econ"],
                      "updated": "2024-05-01T08:00:00Z"}  # fmt: skip
    stale = SECOND | {"text": "an old edit", "updated": "2024-01-01T00:00:00Z"}
    path.write_text(export_file(edited, stale))
    dry = out(run("import", str(path), "--article", article, "--db", str(db), "--dry-run"))
    assert "would update 1 annotation" in dry
    report = out(run("import", str(path), "--article", article, "--db", str(db)))
    assert report.splitlines() == [
        "updated 1 annotation changed in the file since the library's copy (note, tags, colour)",
        "skipped 1 annotation already in the library",
    ]
    with Store(db) as store:
        [record] = store.articles()
        stored = {r["id"]: r for r in store.annotations(record["id"])}
    assert stored["Hx1AbCdEf"]["note"] == "Trinity House granted it."
    assert stored["Hx1AbCdEf"]["tags"] == ["econ"]
    assert stored["Hx2AbCdEf"]["note"] == ""  # its copy in the file was older
    # The update counts as the library's newest change: importing again changes nothing.
    assert out(run("import", str(path), "--article", article, "--db", str(db))) == (
        "skipped 2 annotations already in the library\n"
    )
