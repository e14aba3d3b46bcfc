"""Archive of Our Own: everything fic2book knows about AO3's files, in one package.

Three adapters read AO3's three kinds of file, one module each: page text copied from
the browser (``text``, the ``ao3`` adapter), a work page saved from the browser
(``page``, ``ao3-work``) and AO3's own HTML download (``download``, ``ao3-download``);
``common`` holds what they share (tag fields, stats, series, chapter titles).
"""

from fic2book.read.sites.ao3.download import Ao3Download
from fic2book.read.sites.ao3.page import Ao3WorkPage
from fic2book.read.sites.ao3.text import CHROME, MARKERS, Ao3Text, looks_like_ao3

__all__ = ["CHROME", "MARKERS", "Ao3Download", "Ao3Text", "Ao3WorkPage", "looks_like_ao3"]
