"""The table of contents: the article's headings as a tree."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.document.inert import inert
from reader.document.model import Document


class OutlineTree(Tree[int]):
    """Headings as a tree; each node's data is the section's index.

    Selecting a node (enter or click) posts Tree.NodeSelected; the screen jumps
    the article there. ``mark_section`` follows the reader without stealing focus.
    """


    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Contents", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self._section_nodes: list[TreeNode[int]] = []
        self._marked = -1

    def set_document(self, document: Document) -> None:
        """Rebuild the tree from the document's sections."""
        self.clear()
        self._section_nodes = []
        self._marked = -1
        parents: dict[int | None, TreeNode[int]] = {None: self.root}
        for index, section in enumerate(document.sections):
            parent = parents.get(section.parent, self.root)
            node = parent.add(inert(section.title) or "(untitled)", data=index, expand=True,
                              allow_expand=False)
            parents[index] = node
            self._section_nodes.append(node)
        for node in self._section_nodes:
            if node.children:
                node.allow_expand = True
        if not self._section_nodes:
            self.root.add_leaf("(no headings)")

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """The heading, cut with an ellipsis where the panel ends (not mid-word, unmarked)."""
        label = super().render_label(node, base_style, style)
        depth = 0  # the guides before the label: guide_depth columns per level shown
        parent = node.parent
        while parent is not None and (parent is not self.root or self.show_root):
            depth += 1
            parent = parent.parent
        room = self.scrollable_content_region.width - self.guide_depth * depth
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    @property
    def marked_section(self) -> int:
        return self._marked

    def mark_section(self, index: int | None) -> None:
        """Show ``index`` as the section being read (the cursor line), unless the
        reader is browsing the tree themselves."""
        self._marked = -1 if index is None else index
        if not (0 <= self._marked < len(self._section_nodes)) or self.has_focus:
            return
        node = self._section_nodes[self._marked]
        if self.cursor_node is not node:
            # Tree lines are built on the next refresh; a new node has none before that.
            self.call_after_refresh(self._move_to, self._marked)

    def _move_to(self, index: int) -> None:
        if index == self._marked and not self.has_focus:
            self.move_cursor(self._section_nodes[index], animate=False)
