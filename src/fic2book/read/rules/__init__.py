"""The line and block rules the text readers share: scene-break markers (``breaks``),
chapter headings (``headings``), lines to paragraphs, gaps and verse (``paragraphs``),
a chapter's edges (``edges``) and the author's-note detector (``notes``).
"""
