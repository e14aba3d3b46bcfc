"""The readers of each input format, by the shape of the file rather than its site:
plain and header text (``text``), markdown (``markdown``) and saved HTML pages
(``html``: the converter every page adapter shares). Each returns a ``Draft``.
"""
