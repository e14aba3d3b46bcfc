"""Test-only hooks installed in the Dask worker processes of ``test_dask.py`` (through a
worker plugin, before any task runs): ``fic2book.app.job.convert_one``, which the
client sends by reference, is wrapped so that two file names misbehave on the worker.

- ``boom.txt``: the task raises on the worker (as a task does when the worker's
  fic2book cannot run it), which ``convert_one`` itself never does;
- ``slow.txt``: the task takes far longer than the test's ``--timeout``, after leaving
  the worker's thread pool (``secede``) so that the other files are not held up.

Every other file is converted by the real ``convert_one``.
"""

from __future__ import annotations

import os
import time

from distributed import WorkerPlugin, secede

from fic2book.app import job
from fic2book.app.job import ConvertOptions, JobResult

BOOM = "boom.txt"
SLOW = "slow.txt"
SLOW_SECONDS = 60.0
_REAL = job.convert_one


def convert_one(data: bytes, name: str, label: str, options: ConvertOptions) -> JobResult:
    """The real ``convert_one``, except for ``BOOM`` and ``SLOW``."""
    if name == BOOM:
        raise RuntimeError("the worker could not run the task")
    if name == SLOW:
        secede()
        time.sleep(SLOW_SECONDS)
    return _REAL(data, name, label, options)


def warm() -> int:
    """Convert a small story once (so the first real task does not pay for imports);
    the worker's process id."""
    options = ConvertOptions(formats=("epub", "html"))
    result = _REAL(b"Title: Warm\nAuthor: Wren\n\nWarm words.\n", "warm.txt", "warm.txt", options)
    assert result.error is None, result.error
    return os.getpid()


class Hooks(WorkerPlugin):
    """Installs ``convert_one`` above in each worker as it starts."""

    def setup(self, worker: object) -> None:
        job.convert_one = convert_one  # type: ignore[assignment]
