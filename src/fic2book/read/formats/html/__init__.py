"""Saved HTML pages (FORMATS.md dialect 6): the HTML-to-model converter (``convert``),
inline markup (``inlines``), page-level steps (``page``) and DOM helpers (``dom``).
Which site a page comes from, and what its markup means, is the site adapters'
business (``fic2book.read.sites``).
"""
