"""The Textual user interface: app, screens, widgets; the only package that imports Textual."""
