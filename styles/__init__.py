"""Themes shipped with fic2book (data, not code)."""
