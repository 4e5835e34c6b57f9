"""Turning annotations into files (Markdown, W3C JSON, CSV) and reading them back."""
