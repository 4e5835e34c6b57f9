"""Highlights and notes: W3C-shaped records, anchoring them to text, and the annotator with undo."""
