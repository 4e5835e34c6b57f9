"""Backups hold the snapshots of the library's web articles, so a restore brings their text back."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from reader.cli.main import main
from reader.store import Store
from tests.unit.sources_helpers import Site, article_page

NOTES = ["The harbour master counted the ships each morning at six.",
         "Storms came from the west in the autumn months and closed the port.",
         "A new lighthouse was finished in the spring of that year."]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def restore(backup: Path, db: Path) -> None:
    """Put a backup's files back where the library keeps them."""
    with zipfile.ZipFile(backup) as archive:
        for name in archive.namelist():
            if name == db.name:
                target = db
            elif name.startswith("annotations/"):
                target = db.with_name(db.stem + ".d") / name
            elif name.startswith("snapshots/"):
                target = db.parent / name
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))


def test_a_restored_backup_reads_a_web_article_and_its_highlights_offline(tmp_path, capsys):
    site = Site()
    try:
        url = site.html("/harbour.html", article_page("Harbour Notes", NOTES))
        db = tmp_path / "library" / "readmark.json"
        assert cli(capsys, "add", url, "--db", db)[0] == 0
        assert cli(capsys, "highlight", url, "--quote", "Storms came from the west", "--note",
                   "every autumn", "--db", db)[0] == 0
    finally:
        site.close()  # from here on there is no network
    snapshots = db.parent / "snapshots"
    [snapshot] = snapshots.iterdir()
    (snapshots / "stdin-0123456789abcdef.md").write_text("# Not in the library\n")
    store = Store(db)
    try:
        backup = store.backup()
    finally:
        store.close()
    assert backup is not None
    with zipfile.ZipFile(backup) as archive:
        names = archive.namelist()
    assert f"snapshots/{snapshot.name}" in names
    assert "snapshots/stdin-0123456789abcdef.md" not in names  # not an article it knows

    kept = tmp_path / backup.name
    shutil.copyfile(backup, kept)
    shutil.rmtree(db.parent)  # everything is lost …
    restore(kept, db)  # … and put back from the backup
    code, text, err = cli(capsys, "text", url, "--db", db)
    assert code == 0, err
    assert "A new lighthouse was finished in the spring of that year." in text
    exported = cli(capsys, "export", url, "--db", db, "--no-timestamp")[1]
    assert "> Storms came from the west" in exported and "every autumn" in exported
    assert "Detached" not in exported
