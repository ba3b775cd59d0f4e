"""Renderers: results to terminal text (and, as they land, Markdown and HTML)."""
