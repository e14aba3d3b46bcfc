"""WeasyPrint's logging, quietened where fic2book reports a problem itself (once, in
its own words) or knows a record to be harmless."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def weasyprint_quiet(drop: Callable[[logging.LogRecord], bool]) -> Iterator[None]:
    """While rendering, keep WeasyPrint from logging the records ``drop`` picks (what
    fic2book reports itself, once, or knows to be harmless)."""
    logger = logging.getLogger("weasyprint")
    keep = logging.Filter()
    keep.filter = lambda record: not drop(record)  # type: ignore[method-assign]
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)
