"""The article model and its parsers: pure Python, no I/O."""
