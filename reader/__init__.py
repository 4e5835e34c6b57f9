"""readmark: a terminal reader and annotator for long-form articles."""

__version__ = "0.1.0"
