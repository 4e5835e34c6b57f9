"""Chinese, Japanese and emoji take two cells: lines fit the column, clicks find the text."""

from __future__ import annotations

from reader.document.cells import text_cells
from reader.tui.widgets.article_view import ArticleView
from tests.ui.support import cursor_sentence, settle

ARTICLE = """\
# 読書ノート

長い記事を端末で読むとき、行の幅は文字数ではなくセルの数で決まります。漢字や仮名は二つのセルを\
使うので、文字数で折り返すと画面からはみ出してしまいます。これは英語の文章では起こらない問題です。

The reader keeps 日本語 and English side by side, and an emoji 📚 or two 🙂 stays inside too.
"""


def _screen_rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_wide_lines_fit_the_reading_column_and_lose_nothing(make_reader, tmp_path):
    path = tmp_path / "wide.md"
    path.write_text(ARTICLE, encoding="utf-8")
    app = make_reader(path, reading_width=40)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await settle(app, pilot)
        body = [row.strip() for row in _screen_rows(view) if row.strip()]
        assert all(text_cells(row) <= view.layout_.width for row in body)
        # Lines of the Japanese paragraph come nearly full, and nothing is cut.
        paragraph = body[1:next(i for i, row in enumerate(body) if row.startswith("The"))]
        assert all(text_cells(row) >= view.layout_.width - 2 for row in paragraph[:-1])
        assert "".join(paragraph) == ARTICLE.split("\n\n")[1].replace("\n", "")
        await pilot.press("q")


async def test_a_click_on_a_wide_character_puts_the_cursor_on_its_sentence(
    make_reader, tmp_path
):
    path = tmp_path / "wide.md"
    path.write_text(ARTICLE, encoding="utf-8")
    app = make_reader(path, reading_width=40)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await settle(app, pilot)
        rows = _screen_rows(view)
        y = next(i for i, row in enumerate(rows) if "これは" in row)
        # The column of "こ" in cells: everything before it on the row, measured.
        x = text_cells(rows[y][: rows[y].index("これは")])
        await pilot.click(ArticleView, offset=(x + 1, y))
        assert cursor_sentence(app) == "これは英語の文章では起こらない問題です。"
        await pilot.press("q")
