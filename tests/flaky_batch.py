"""The ``fic2book`` command line with workers that misbehave on two file names, for
``test_batch.py``: ``hang.txt`` never finishes and ``crash.txt`` kills its worker; with
``FLAKY_DELAY`` (seconds) every file takes at least that long, so a test can interrupt
a batch before it ends.

It runs as a script in its own process, whatever threads the test process has. Spawned
workers import this file again (as ``__mp_main__``), so they are patched as forked ones
are; ``FLAKY_START=fork`` or ``spawn`` chooses how workers start.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from typing import Any

from fic2book.app import batch, job


def flaky(data: bytes, name: str, label: str, options: job.ConvertOptions) -> job.JobResult:
    """``convert_one``, except for ``hang.txt`` and ``crash.txt`` (and ``FLAKY_DELAY``)."""
    time.sleep(float(os.environ.get("FLAKY_DELAY", "0")))
    if name == "hang.txt":
        time.sleep(3600)
    if name == "crash.txt":
        os._exit(3)
    return job.convert_one(data, name, label, options)


def worker_context() -> Any:
    """The start method ``FLAKY_START`` names."""
    return multiprocessing.get_context(os.environ["FLAKY_START"])


batch.convert_one = flaky
if os.environ.get("FLAKY_START"):
    batch.worker_context = worker_context

if __name__ == "__main__":
    from fic2book.cli import main

    sys.exit(main())
